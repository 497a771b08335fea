import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { Disposers } from "../../src/disposers.js";
import { globalClock } from "../../src/environment.js";

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe("Disposers", () => {
  it("removes every listener and timer in one run()", () => {
    // One cleanup leaves nothing behind, like a React effect's.
    const disposers = new Disposers();
    const target = new EventTarget();
    const listener = vi.fn();
    const fired = vi.fn();
    disposers.listen(target, "ping", listener);
    disposers.timeout(globalClock, 100, fired);
    disposers.run();
    target.dispatchEvent(new Event("ping"));
    vi.advanceTimersByTime(1000);
    expect(listener).not.toHaveBeenCalled();
    expect(fired).not.toHaveBeenCalled();
    expect(vi.getTimerCount()).toBe(0);
    expect(disposers.size).toBe(0);
  });

  it("forgets a timer once it fired, and cancels one early", () => {
    const disposers = new Disposers();
    const fired = vi.fn();
    disposers.timeout(globalClock, 100, fired);
    const cancel = disposers.timeout(globalClock, 200, fired);
    vi.advanceTimersByTime(100);
    expect(fired).toHaveBeenCalledOnce();
    expect(disposers.size).toBe(1);
    cancel();
    cancel(); // twice is harmless
    vi.advanceTimersByTime(1000);
    expect(fired).toHaveBeenCalledOnce();
    expect(disposers.size).toBe(0);
  });

  it("runs the rest when one disposer throws", () => {
    const disposers = new Disposers();
    const error = vi.spyOn(console, "error").mockImplementation(() => {});
    const second = vi.fn();
    disposers.add(() => {
      throw new Error("boom");
    });
    disposers.add(second);
    disposers.run();
    expect(second).toHaveBeenCalledOnce();
    expect(error).toHaveBeenCalledOnce();
  });
});
