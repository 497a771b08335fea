// @vitest-environment jsdom
/** The demo's generic view: a type the demo has no view for is shown from its schema's description. */
import { act, cleanup, render, screen, within } from "@testing-library/react";
import { afterEach, beforeEach, expect, it, vi } from "vitest";
import { GenericMessages, showsGenerically } from "../../demo/GenericMessages.js";
import { createClient } from "../../src/client.js";
import { WebSocketProvider } from "../../src/react/index.js";
import { SERVER_MESSAGE_CATALOG, SERVER_MESSAGE_TYPES } from "../../src/types.js";
import { exampleOf } from "../support/examples.js";
import { FakeWebSocket } from "../support/fakeWebSocket.js";
import { HUB_URL } from "../support/harness.js";
import { established, message } from "../support/messages.js";

beforeEach(() => FakeWebSocket.reset());
afterEach(() => cleanup());

const NOTHING_ELSEWHERE: ReadonlySet<string> = new Set();

it("shows every type services send, with its description and payload fields", async () => {
  // A type added to schemas/ is visible on the demo page without a view written for it.
  const client = createClient({ url: HUB_URL, WebSocket: FakeWebSocket, logger: { warn: vi.fn(), error: vi.fn() }, fetch: null });
  render(
    <WebSocketProvider client={client} token="jwt">
      <GenericMessages renderedElsewhere={NOTHING_ELSEWHERE} />
    </WebSocketProvider>,
  );
  await act(async () => {});
  const shown = SERVER_MESSAGE_TYPES.filter((type) => showsGenerically(type, NOTHING_ELSEWHERE));
  const socket = FakeWebSocket.last;
  act(() => {
    socket.open();
    socket.receive(established());
    shown.forEach((type, index) => socket.receive(message(type, exampleOf(type).payload, { seq: index + 1 })));
  });
  expect(shown.length).toBeGreaterThan(0);
  for (const type of shown) {
    const article = screen.getByText(SERVER_MESSAGE_CATALOG[type].description).closest("article");
    expect(article?.getAttribute("data-type")).toBe(type);
    for (const name of Object.keys(exampleOf(type).payload)) {
      expect(within(article as HTMLElement).getByText(name).title, `${type}.${name}`).not.toBe("");
    }
  }
  expect(document.querySelectorAll("article[data-type=connection_established]")).toHaveLength(0);
});

it("leaves out the types the page renders itself", () => {
  // The example component's progress bars and toasts are not shown twice.
  expect(showsGenerically("notification", new Set(["notification"]))).toBe(false);
  expect(showsGenerically("pong", NOTHING_ELSEWHERE)).toBe(false);
});
