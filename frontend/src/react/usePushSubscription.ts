/** Web Push as React state: where it stands for this browser, and buttons' actions to change it. */
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { NotifyhubClientError } from "../errors.js";
import { pushState, registerPush, unregisterPush, type PushOptions } from "../push.js";
import { PushErrorReason } from "../pushHub.js";

/**
 * `unsupported`, `denied` (blocked by the user), `prompt` (not asked yet, or dismissed),
 * `subscribed`, `unsubscribed` (allowed, not subscribed), `working` (checking at mount, or a
 * `subscribe()`/`unsubscribe()` in progress), `error` (the last one failed: see `error`).
 */
export type PushSubscriptionState = "unsupported" | "prompt" | "denied" | "subscribed" | "unsubscribed" | "working" | "error";

export interface UsePushSubscriptionResult {
  readonly state: PushSubscriptionState;
  /** Why the last `subscribe()`/`unsubscribe()` failed (also after a denial or dismissal); null after a success. */
  readonly error: NotifyhubClientError | null;
  /**
   * `registerPush` with the hook's options. Call it from a click handler: the browser asks the
   * permission only during a user gesture. Never rejects; the outcome is the new state.
   */
  readonly subscribe: () => Promise<void>;
  /** `unregisterPush` with the hook's options. Never rejects. */
  readonly unsubscribe: () => Promise<void>;
}

/** The state a failure leaves: a refusal by the user is where things stand, anything else an error. */
function stateAfter(error: NotifyhubClientError): PushSubscriptionState {
  switch (error.reason) {
    case PushErrorReason.UNSUPPORTED:
      return "unsupported";
    case PushErrorReason.DENIED:
      return "denied";
    case PushErrorReason.DISMISSED:
      return "prompt";
    default:
      return "error";
  }
}

function asClientError(error: unknown): NotifyhubClientError {
  if (error instanceof NotifyhubClientError) return error;
  return new NotifyhubClientError("push_failed", error instanceof Error ? error.message : String(error), { cause: error });
}

/**
 * Web Push for the options' service worker and hub. Reads the state at mount (asking the user
 * nothing); `subscribe()` and `unsubscribe()` change it. The options are read at each call, so a
 * new `token` getter on each render is fine. A call made while another is in progress returns that
 * one's promise. Nothing is set after unmount.
 */
export function usePushSubscription(options: PushOptions): UsePushSubscriptionResult {
  const [state, setState] = useState<PushSubscriptionState>("working");
  const [error, setError] = useState<NotifyhubClientError | null>(null);
  const latest = useRef(options);
  useEffect(() => {
    latest.current = options;
  });
  const mounted = useRef(true);
  const inFlight = useRef<Promise<void> | null>(null);
  /** Counts subscribe()/unsubscribe() calls: a check begun before one must not overwrite its outcome. */
  const calls = useRef(0);
  const { scope, environment } = options;

  useEffect(() => {
    mounted.current = true;
    const callsBefore = calls.current;
    void pushState({ ...(scope === undefined ? {} : { scope }), ...(environment === undefined ? {} : { environment }) }).then((current) => {
      if (mounted.current && calls.current === callsBefore) setState(current);
    });
    return () => {
      mounted.current = false;
    };
  }, [scope, environment]);

  const run = useCallback((work: (options: PushOptions) => Promise<unknown>, after: PushSubscriptionState): Promise<void> => {
    if (inFlight.current !== null) return inFlight.current;
    calls.current += 1;
    setState("working");
    const done = work(latest.current).then(
      () => {
        if (!mounted.current) return;
        setError(null);
        setState(after);
      },
      (failure: unknown) => {
        if (!mounted.current) return;
        const error = asClientError(failure);
        setError(error);
        setState(stateAfter(error));
      },
    );
    inFlight.current = done.finally(() => {
      inFlight.current = null;
    });
    return inFlight.current;
  }, []);

  const subscribe = useCallback(() => run(registerPush, "subscribed"), [run]);
  const unsubscribe = useCallback(() => run(unregisterPush, "unsubscribed"), [run]);
  return useMemo(() => ({ state, error, subscribe, unsubscribe }), [state, error, subscribe, unsubscribe]);
}
