// @vitest-environment jsdom
import { act, cleanup, render, screen } from "@testing-library/react";
import { StrictMode, useState, type ReactNode } from "react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createClient, type NotifyhubClient } from "../../src/client.js";
import * as bindings from "../../src/react/index.js";
import {
  SUBSCRIPTION_HOOK_NAMES,
  WebSocketProvider,
  useBookReady,
  useErrorNotification,
  useNotification,
  useOCRProgress,
  useWebSocket,
  useWebSocketSubscription,
  useWebSocketSubscriptions,
} from "../../src/react/index.js";
import {
  SERVER_MESSAGE_CATALOG,
  SERVER_MESSAGE_TYPES,
  type PayloadOf,
  type ServerMessage,
  type ServerMessageType,
} from "../../src/types.js";
import { exampleOf } from "../support/examples.js";
import { FakeWebSocket } from "../support/fakeWebSocket.js";
import { HUB_URL } from "../support/harness.js";
import { bookReady, established, message, notification, ocrProgress } from "../support/messages.js";

const logger = { warn: vi.fn(), error: vi.fn() };

function newClient(): NotifyhubClient {
  return createClient({ url: HUB_URL, WebSocket: FakeWebSocket, logger, fetch: null });
}

/** Let the provider's connect() resolve its token and create the socket. */
async function flush(): Promise<void> {
  await act(async () => {});
}

/** Play the hub: open the newest socket and confirm it. */
function confirm(): FakeWebSocket {
  const socket = FakeWebSocket.last;
  act(() => {
    socket.open();
    socket.receive(established());
  });
  return socket;
}

function hubSends(socket: FakeWebSocket, ...messages: Parameters<FakeWebSocket["receive"]>[0][]): void {
  act(() => messages.forEach((m) => socket.receive(m)));
}

beforeEach(() => FakeWebSocket.reset());
afterEach(() => cleanup());

function State(): ReactNode {
  const { state, connected } = useWebSocket();
  return <p data-testid="state">{`${state} ${connected ? "connected" : "not connected"}`}</p>;
}

describe("WebSocketProvider", () => {
  it("opens one socket under StrictMode and closes it on unmount", async () => {
    // React 19's double effects must not double the hub's connection count.
    const client = newClient();
    const view = render(
      <StrictMode>
        <WebSocketProvider client={client} token="jwt">
          <State />
        </WebSocketProvider>
      </StrictMode>,
    );
    await flush();
    expect(FakeWebSocket.instances).toHaveLength(1);
    expect(screen.getByTestId("state").textContent).toBe("connecting not connected");
    const socket = confirm();
    expect(screen.getByTestId("state").textContent).toBe("open connected");
    view.unmount();
    expect(socket.closedByClient).toEqual({ code: 1000, reason: "disconnected" });
    expect(client.state).toBe("closed");
  });

  it("creates its own client from url and options", async () => {
    render(
      <WebSocketProvider url={HUB_URL} token="jwt" options={{ WebSocket: FakeWebSocket, logger, fetch: null }}>
        <State />
      </WebSocketProvider>,
    );
    await flush();
    expect(FakeWebSocket.last.url).toBe(HUB_URL);
    expect(FakeWebSocket.last.protocols).toEqual(["notifyhub.v1", "bearer.jwt"]);
  });

  it("does not connect without autoConnect, until useWebSocket().connect()", async () => {
    function ConnectButton(): ReactNode {
      const { connect } = useWebSocket();
      return <button onClick={() => connect()}>connect</button>;
    }
    render(
      <WebSocketProvider client={newClient()} token="jwt" autoConnect={false}>
        <ConnectButton />
      </WebSocketProvider>,
    );
    await flush();
    expect(FakeWebSocket.instances).toHaveLength(0);
    act(() => screen.getByRole("button").click());
    await flush();
    expect(FakeWebSocket.instances).toHaveLength(1);
  });

  it("uses the latest getToken prop for the next reconnect without reconnecting", async () => {
    // Re-rendering with a new token callback is free; the token is read when it is needed.
    const client = newClient();
    const view = render(<WebSocketProvider client={client} getToken={async () => "first"} />);
    await flush();
    confirm();
    view.rerender(<WebSocketProvider client={client} getToken={async () => "second"} />);
    await flush();
    expect(FakeWebSocket.instances).toHaveLength(1);
    act(() => FakeWebSocket.last.serverClose(1012));
    await act(async () => vi.waitFor(() => expect(FakeWebSocket.instances).toHaveLength(2), { timeout: 2000 }));
    expect(FakeWebSocket.last.protocols).toEqual(["notifyhub.v1", "bearer.second"]);
  });
});

describe("subscription hooks", () => {
  it("give each generated hook its type's payload", async () => {
    // Every type with a hook (from the generated catalog) reaches its hook, and only its own.
    const hooked = Object.entries(SUBSCRIPTION_HOOK_NAMES) as [ServerMessageType, keyof typeof bindings][];
    const seen: [string, unknown, unknown][] = [];
    function Listener(): ReactNode {
      for (const [type, name] of hooked) {
        const hook = bindings[name] as (handler: (payload: unknown, message: ServerMessage) => void) => void;
        hook((payload, received) => seen.push([type, received.type, payload]));
      }
      return null;
    }
    render(
      <WebSocketProvider client={newClient()} token="jwt">
        <Listener />
      </WebSocketProvider>,
    );
    await flush();
    let seq = 0;
    const sent = SERVER_MESSAGE_TYPES.filter((type) => type !== "connection_established").map((type) => {
      const extra = SERVER_MESSAGE_CATALOG[type].sentByServices ? { seq: (seq += 1) } : {};
      return message(type, exampleOf(type).payload, extra);
    });
    hubSends(confirm(), ...sent);
    expect(hooked.length).toBeGreaterThan(0);
    expect(seen).toEqual(
      sent.filter((m) => m.type in SUBSCRIPTION_HOOK_NAMES).map((m) => [m.type, m.type, m.payload]),
    );
  });

  it("type each named hook's payload", async () => {
    // Components read payload fields directly, each hook typed by its message.
    const seen: string[] = [];
    function Listener(): ReactNode {
      useOCRProgress((p: PayloadOf<"ocr_progress">) => seen.push(`ocr ${p.processed_pages}/${p.total_pages}`));
      useBookReady((p) => seen.push(`ready ${p.title}`));
      useErrorNotification((p) => seen.push(`error ${p.code}`));
      return null;
    }
    render(
      <WebSocketProvider client={newClient()} token="jwt">
        <Listener />
      </WebSocketProvider>,
    );
    await flush();
    hubSends(
      confirm(),
      message("ocr_progress", ocrProgress, { seq: 1 }),
      message("book_ready", bookReady, { seq: 2 }),
      message("error", { code: "rate_limited", message: "slow down" }),
    );
    expect(seen).toEqual(["ocr 45/120", "ready Le Petit Prince", "error rate_limited"]);
  });

  it("unsubscribes on unmount", async () => {
    const handler = vi.fn();
    function Listener(): ReactNode {
      useNotification(handler);
      return null;
    }
    function App({ show }: { show: boolean }): ReactNode {
      return (
        <WebSocketProvider client={client} token="jwt">
          {show ? <Listener /> : null}
        </WebSocketProvider>
      );
    }
    const client = newClient();
    const view = render(<App show />);
    await flush();
    const socket = confirm();
    hubSends(socket, message("notification", notification));
    view.rerender(<App show={false} />);
    hubSends(socket, message("notification", notification));
    expect(handler).toHaveBeenCalledOnce();
  });

  it("calls the latest handler without resubscribing on every render", async () => {
    // Inline arrow handlers are the norm; they must not churn subscriptions.
    const client = newClient();
    const subscribe = vi.spyOn(client, "subscribe");
    function Counter(): ReactNode {
      const [count, setCount] = useState(0);
      useWebSocketSubscription("notification", () => setCount(count + 1)); // stale closure unless the latest handler is used
      return <p data-testid="count">{count}</p>;
    }
    render(
      <WebSocketProvider client={client} token="jwt">
        <Counter />
      </WebSocketProvider>,
    );
    await flush();
    const socket = confirm();
    hubSends(socket, message("notification", notification));
    hubSends(socket, message("notification", notification));
    hubSends(socket, message("notification", notification));
    expect(screen.getByTestId("count").textContent).toBe("3");
    expect(subscribe).toHaveBeenCalledTimes(1);
  });

  it("subscribes to several types at once and resubscribes only when the types change", async () => {
    const client = newClient();
    const subscribe = vi.spyOn(client, "subscribe");
    const seen: string[] = [];
    function Listener({ withBooks }: { withBooks: boolean }): ReactNode {
      useWebSocketSubscriptions({
        notification: (p) => seen.push(p.title),
        ...(withBooks ? { book_ready: (p: PayloadOf<"book_ready">) => seen.push(p.title) } : {}),
      });
      return null;
    }
    const view = render(
      <WebSocketProvider client={client} token="jwt">
        <Listener withBooks={false} />
      </WebSocketProvider>,
    );
    await flush();
    const socket = confirm();
    view.rerender(
      <WebSocketProvider client={client} token="jwt">
        <Listener withBooks={false} />
      </WebSocketProvider>,
    );
    expect(subscribe).toHaveBeenCalledTimes(1);
    hubSends(socket, message("notification", notification), message("book_ready", bookReady));
    view.rerender(
      <WebSocketProvider client={client} token="jwt">
        <Listener withBooks />
      </WebSocketProvider>,
    );
    expect(subscribe).toHaveBeenCalledTimes(3);
    hubSends(socket, message("book_ready", bookReady));
    expect(seen).toEqual(["Streak", "Le Petit Prince"]);
  });

  it("refuse to run outside a provider", () => {
    function Orphan(): ReactNode {
      useWebSocket();
      return null;
    }
    vi.spyOn(console, "error").mockImplementation(() => {});
    expect(() => render(<Orphan />)).toThrow(/inside <WebSocketProvider>/);
  });
});
