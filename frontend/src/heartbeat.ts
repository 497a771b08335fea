/**
 * The client's heartbeat on one open socket: a `ping` every `interval`; when nothing at all
 * arrives within `timeout` of a ping, the link is dead.
 *
 * Any frame counts as life, not only `pong`: a hub busy sending messages is alive.
 */
import type { Disposers } from "./disposers.js";
import type { Clock } from "./environment.js";

export interface HeartbeatOptions {
  readonly clock: Clock;
  /** Timers are registered here, so the socket's cleanup stops the heartbeat. */
  readonly disposers: Disposers;
  /** ms between pings. */
  readonly interval: number;
  /** ms to wait after a ping for any frame. */
  readonly timeout: number;
  readonly sendPing: () => void;
  /** Called once, when the link is found dead. */
  readonly onDead: () => void;
}

export interface Heartbeat {
  /** A frame arrived: the link is alive. */
  frameReceived(): void;
  /** Ping now and expect an answer within the timeout (the tab became visible again, say). */
  probe(): void;
}

/** Start beating; it stops when `options.disposers` runs. */
export function startHeartbeat(options: HeartbeatOptions): Heartbeat {
  const { clock, disposers, interval, timeout } = options;
  let cancelDeadline: (() => void) | undefined;

  const ping = (): void => {
    options.sendPing();
    cancelDeadline ??= disposers.timeout(clock, timeout, () => {
      cancelDeadline = undefined;
      options.onDead();
    });
  };
  const schedule = (): void => {
    disposers.timeout(clock, interval, () => {
      ping();
      schedule();
    });
  };
  schedule();

  return {
    frameReceived() {
      cancelDeadline?.();
      cancelDeadline = undefined;
    },
    probe: ping,
  };
}
