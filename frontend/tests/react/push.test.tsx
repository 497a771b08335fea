// @vitest-environment jsdom
/** usePushSubscription over a hand-driven browser and hub (tests/support/fakePush.ts). */
import { act, cleanup, render, screen } from "@testing-library/react";
import type { ReactNode } from "react";
import { afterEach, describe, expect, it } from "vitest";
import type { PushOptions } from "../../src/push.js";
import { usePushSubscription } from "../../src/react/index.js";
import { FakePushBrowser } from "../support/fakePush.js";

afterEach(() => cleanup());

function PushButton({ options }: { options: PushOptions }): ReactNode {
  const { state, error, subscribe, unsubscribe } = usePushSubscription(options);
  return (
    <>
      <p data-testid="state">{state}</p>
      <p data-testid="error">{error?.reason ?? ""}</p>
      <button onClick={() => void subscribe()}>subscribe</button>
      <button onClick={() => void unsubscribe()}>unsubscribe</button>
    </>
  );
}

function mount(browser: FakePushBrowser): void {
  const options = { hubUrl: "https://hub.example", token: "user-jwt", serviceWorkerUrl: "/sw.js", environment: browser.environment() };
  render(<PushButton options={options} />);
}

const state = () => screen.getByTestId("state").textContent;
const error = () => screen.getByTestId("error").textContent;

async function press(name: "subscribe" | "unsubscribe"): Promise<void> {
  await act(async () => screen.getByRole("button", { name }).click());
}

/** Let the mount-time check settle. */
async function settled(): Promise<void> {
  await act(async () => {});
}

describe("usePushSubscription", () => {
  it("reads where things stand at mount without asking the user", async () => {
    // The prompt may only come from the user's click.
    const browser = new FakePushBrowser();
    mount(browser);
    expect(state()).toBe("working");
    await settled();
    expect(state()).toBe("prompt");
    expect(browser.calls).toEqual([]);
  });

  it("says unsupported in a browser without Web Push", async () => {
    const browser = new FakePushBrowser();
    const options = { token: "t", serviceWorkerUrl: "/sw.js", environment: browser.environment({ pushManager: false }) };
    render(<PushButton options={options} />);
    await settled();
    expect(state()).toBe("unsupported");
  });

  it("subscribes on a click, then unsubscribes", async () => {
    const browser = new FakePushBrowser();
    mount(browser);
    await settled();
    await press("subscribe");
    expect(state()).toBe("subscribed");
    expect(browser.calls).toContain("POST /api/v1/push/subscriptions");
    await press("unsubscribe");
    expect(state()).toBe("unsubscribed");
    expect(browser.calls.at(-1)).toBe("DELETE /api/v1/push/subscriptions");
  });

  it("shows subscribed at mount when this browser has a subscription", async () => {
    const browser = new FakePushBrowser();
    mount(browser);
    await settled();
    await press("subscribe");
    cleanup();
    mount(browser);
    await settled();
    expect(state()).toBe("subscribed");
  });

  it("lands in denied when the user blocks, and in prompt with push_dismissed when they close the prompt", async () => {
    const blocked = new FakePushBrowser();
    blocked.answer = "denied";
    mount(blocked);
    await settled();
    await press("subscribe");
    expect([state(), error()]).toEqual(["denied", "push_denied"]);
    cleanup();

    const dismissed = new FakePushBrowser();
    dismissed.answer = "default";
    mount(dismissed);
    await settled();
    await press("subscribe");
    expect([state(), error()]).toEqual(["prompt", "push_dismissed"]);
  });

  it("lands in error with the reason when the hub refuses, and clears it after a success", async () => {
    const browser = new FakePushBrowser();
    browser.answers.set("POST /api/v1/push/subscriptions", { status: 401 });
    mount(browser);
    await settled();
    await press("subscribe");
    expect([state(), error()]).toEqual(["error", "push_unauthorized"]);
    browser.answers.set("POST /api/v1/push/subscriptions", { status: 201, body: { id: "sub-1" } });
    await press("subscribe");
    expect([state(), error()]).toEqual(["subscribed", ""]);
  });

  it("is working while a subscription is in progress, and a second click joins it", async () => {
    // A double click must not subscribe twice.
    const browser = new FakePushBrowser();
    browser.activateAtOnce = false;
    mount(browser);
    await settled();
    await press("subscribe");
    await press("subscribe");
    expect(state()).toBe("working");
    expect(browser.calls.filter((call) => call.startsWith("register"))).toHaveLength(1);
    await act(async () => browser.registration!.installing!.moveTo("activated"));
    expect(state()).toBe("subscribed");
    expect(browser.calls.filter((call) => call.startsWith("POST"))).toHaveLength(1);
  });
});
