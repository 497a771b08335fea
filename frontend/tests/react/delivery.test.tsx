// @vitest-environment jsdom
/** The hooks over the delivery guarantee: each message once across reconnects, and the unread badge. */
import { act, cleanup, render, screen } from "@testing-library/react";
import type { ReactNode } from "react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createClient, type NotifyhubClient } from "../../src/client.js";
import { WebSocketProvider, useNotification, useReadState } from "../../src/react/index.js";
import { FakeWebSocket } from "../support/fakeWebSocket.js";
import { HUB_URL } from "../support/harness.js";
import { established, message, notification } from "../support/messages.js";

const logger = { debug: vi.fn(), warn: vi.fn(), error: vi.fn() };

/** Reconnects without jitter (random 0: at once), so no test waits for a backoff. */
function newClient(): NotifyhubClient {
  return createClient({ url: HUB_URL, WebSocket: FakeWebSocket, logger, fetch: null, random: () => 0 });
}

async function flush(): Promise<void> {
  await act(async () => {});
}

function hubSends(socket: FakeWebSocket, ...messages: Parameters<FakeWebSocket["receive"]>[0][]): void {
  act(() => messages.forEach((m) => socket.receive(m)));
}

function confirm(overrides: Parameters<typeof established>[0] = {}): FakeWebSocket {
  const socket = FakeWebSocket.last;
  act(() => {
    socket.open();
    socket.receive(established({ epoch: "e1", ...overrides }));
  });
  return socket;
}

const note = (seq: number): ReturnType<typeof message<"notification">> =>
  message("notification", { ...notification, title: `n${seq}` }, { seq });

beforeEach(() => FakeWebSocket.reset());
afterEach(() => cleanup());

describe("useNotification across reconnects", () => {
  it("sees each message exactly once when the hub replays what the tab already had", async () => {
    // A toast never shows twice, whatever the connection went through.
    const seen: string[] = [];
    function Toasts(): ReactNode {
      useNotification((payload) => seen.push(payload.title));
      return null;
    }
    render(
      <WebSocketProvider client={newClient()} token="jwt">
        <Toasts />
      </WebSocketProvider>,
    );
    await flush();
    hubSends(confirm(), note(1), note(2));
    act(() => FakeWebSocket.last.serverClose(1006));
    await act(async () => vi.waitFor(() => expect(FakeWebSocket.instances).toHaveLength(2), { timeout: 2000 }));
    // The hub could not resume the position (say, a Redis failover trimmed it): it replays from
    // the acknowledged seq, which is behind what this tab handled.
    hubSends(confirm({ recovered: false, acked_seq: 0, last_seq: 2 }), note(1), note(2), note(3));
    expect(seen).toEqual(["n1", "n2", "n3"]);
  });
});

describe("useReadState", () => {
  function Badge(): ReactNode {
    const { unread, readSeq, markRead } = useReadState();
    return (
      <button data-testid="badge" data-read={readSeq} onClick={() => markRead()}>
        {unread}
      </button>
    );
  }

  it("shows the unread count, clears it on markRead() and on another tab's read_receipt", async () => {
    // Every tab of the user clears its badge when the user reads in one of them.
    render(
      <WebSocketProvider client={newClient()} token="jwt">
        <Badge />
      </WebSocketProvider>,
    );
    const badge = (): HTMLElement => screen.getByTestId("badge");
    expect(badge().textContent).toBe("0");
    await flush();
    const socket = confirm({ last_seq: 3, read_seq: 1, recovered: false });
    expect(badge().textContent).toBe("2");
    hubSends(socket, note(2), note(3), note(4));
    expect(badge().textContent).toBe("3");

    act(() => badge().click());
    expect(badge().textContent).toBe("0");
    expect(socket.sentFrames).toContainEqual({ type: "read", seq: 4 });

    hubSends(socket, note(5), note(6), message("read_receipt", { read_seq: 5 }));
    expect(badge().textContent).toBe("1");
    expect(badge().dataset.read).toBe("5");
  });
});
