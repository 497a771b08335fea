/** A client wired to fakes: FakeWebSocket, a spy logger, a fake fetch, online and visibility targets. */
import { vi } from "vitest";
import { createClient, type NotifyhubClient } from "../../src/client.js";
import type { ClientOptions, StateChange } from "../../src/options.js";
import type { FetchLike } from "../../src/environment.js";
import { FakeWebSocket } from "./fakeWebSocket.js";

export class FakeDocument extends EventTarget {
  visibilityState: "visible" | "hidden" = "visible";

  show(): void {
    this.visibilityState = "visible";
    this.dispatchEvent(new Event("visibilitychange"));
  }

  hide(): void {
    this.visibilityState = "hidden";
    this.dispatchEvent(new Event("visibilitychange"));
  }
}

export interface Harness {
  readonly client: NotifyhubClient;
  readonly changes: StateChange[];
  readonly logger: { debug: ReturnType<typeof vi.fn>; warn: ReturnType<typeof vi.fn>; error: ReturnType<typeof vi.fn> };
  /** Answers the auth-check; 204 unless a test sets another status. */
  readonly fetch: ReturnType<typeof vi.fn<FetchLike>>;
  readonly window: EventTarget;
  readonly document: FakeDocument;
}

export const HUB_URL = "ws://hub.test/api/v1/ws";

export function harness(options: Partial<ClientOptions> = {}): Harness {
  FakeWebSocket.reset();
  const logger = { debug: vi.fn(), warn: vi.fn(), error: vi.fn() };
  const fetch = vi.fn<FetchLike>(async () => ({ status: 204 }));
  const window = new EventTarget();
  const document = new FakeDocument();
  const client = createClient({
    url: HUB_URL,
    WebSocket: FakeWebSocket,
    logger,
    fetch,
    onlineTarget: window,
    visibilityTarget: document,
    ...options,
  });
  const changes: StateChange[] = [];
  client.onStateChange((change) => changes.push(change));
  return { client, changes, logger, fetch, window, document };
}

/** Let pending promises (getToken, the auth-check) settle without moving the fake clock. */
export async function settle(): Promise<void> {
  await vi.advanceTimersByTimeAsync(0);
}
