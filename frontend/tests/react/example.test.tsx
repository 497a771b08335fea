// @vitest-environment jsdom
import { act, cleanup, render, screen } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { WebSocketExample } from "../../examples/WebSocketExample.js";
import { createClient } from "../../src/client.js";
import { WebSocketProvider } from "../../src/react/index.js";
import { FakeWebSocket } from "../support/fakeWebSocket.js";
import { HUB_URL } from "../support/harness.js";
import { bookReady, established, message, notification, ocrProgress } from "../support/messages.js";

beforeEach(() => FakeWebSocket.reset());
afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

describe("WebSocketExample", () => {
  it("shows the connection state, OCR progress and toasts that go away", async () => {
    // What the demo page shows a user, driven by the hub's messages.
    vi.useFakeTimers();
    const client = createClient({ url: HUB_URL, WebSocket: FakeWebSocket, fetch: null });
    render(
      <WebSocketProvider client={client} token="jwt">
        <WebSocketExample />
      </WebSocketProvider>,
    );
    await act(async () => vi.advanceTimersByTimeAsync(0));
    expect(screen.getByRole("status").textContent).toBe("connecting");

    const socket = FakeWebSocket.last;
    act(() => {
      socket.open();
      socket.receive(established());
      socket.receive(message("ocr_progress", ocrProgress, { seq: 1 }));
      socket.receive(message("book_ready", bookReady, { seq: 2 }));
      socket.receive(message("notification", { ...notification, action_url: "https://app.example/streak" }, { seq: 3 }));
    });
    expect(screen.getByRole("status").textContent).toBe("open");
    const bar = screen.getByLabelText(`OCR progress of book ${ocrProgress.book_id}`) as HTMLProgressElement;
    expect(bar.value).toBe(37.5);
    expect(screen.getByText("45 / 120 pages")).toBeTruthy();
    const toasts = screen.getAllByRole("alert").map((toast) => toast.textContent);
    expect(toasts).toEqual(["Book readyLe Petit Prince (120 pages)", "StreakSeven days in a row"]);
    expect(screen.getByRole("link").getAttribute("href")).toBe("https://app.example/streak");

    act(() => socket.receive(message("ocr_progress", { ...ocrProgress, processed_pages: 120, progress: 100, status: "completed" }, { seq: 4 })));
    expect(screen.getByText("120 / 120 pages")).toBeTruthy();
    expect(screen.getAllByLabelText(/OCR progress/)).toHaveLength(1);

    const unread = screen.getByLabelText("unread messages");
    expect(unread.textContent).toBe("4 unread");
    act(() => screen.getByRole("button", { name: "Mark all read" }).click());
    expect(unread.textContent).toBe("0 unread");
    expect(socket.sentFrames).toContainEqual({ type: "read", seq: 4 });

    await act(async () => vi.advanceTimersByTimeAsync(6000));
    expect(screen.queryAllByRole("alert")).toHaveLength(0);

    act(() => socket.serverClose(1012));
    expect(screen.getByRole("status").textContent).toBe("reconnecting");
  });
});
