/**
 * Every listener and timer the client sets up is registered here as a disposer, and one `run()`
 * removes them all: the shape of a React effect's cleanup, and of socket.io-client's manager.
 */
import type { Clock } from "./environment.js";

/** Something with `addEventListener` / `removeEventListener` (a socket, `window`, `document`). */
export interface Listenable<E> {
  addEventListener(type: string, listener: (event: E) => void): void;
  removeEventListener(type: string, listener: (event: E) => void): void;
}

export class Disposers {
  readonly #items = new Set<() => void>();

  /**
   * Register `dispose`; it runs once, on `run()` or when the returned function is called,
   * whichever comes first.
   */
  add(dispose: () => void): () => void {
    this.#items.add(dispose);
    return () => {
      if (this.#items.delete(dispose)) dispose();
    };
  }

  /** Listen to `type` on `target` until disposed. */
  listen<E>(target: Listenable<E>, type: string, listener: (event: E) => void): () => void {
    target.addEventListener(type, listener);
    return this.add(() => target.removeEventListener(type, listener));
  }

  /**
   * Call `callback` after `ms` unless disposed first. Returns a function that cancels the timer.
   */
  timeout(clock: Clock, ms: number, callback: () => void): () => void {
    const clear = (): void => clock.clearTimeout(handle);
    this.#items.add(clear);
    const handle = clock.setTimeout(() => {
      this.#items.delete(clear); // fired: nothing left to clear
      callback();
    }, ms);
    return () => {
      if (this.#items.delete(clear)) clear();
    };
  }

  /** Dispose of everything registered so far, in registration order. A disposer that throws does not stop the rest. */
  run(): void {
    const items = [...this.#items];
    this.#items.clear();
    for (const dispose of items) {
      try {
        dispose();
      } catch (error) {
        console.error("notifyhub: a disposer threw", error);
      }
    }
  }

  get size(): number {
    return this.#items.size;
  }
}
