/**
 * What Web Push takes from the page: the service worker container, the push manager of a
 * registration, the `Notification` permission and `fetch`. Each is the part of the browser's API
 * that `registerPush` uses, so tests (and Node) can pass their own; the defaults are the
 * browser's globals, looked up when used, not when imported.
 */

/** A push subscription as the browser gives it; `toJSON()` is the body the hub stores. */
export interface PushSubscriptionLike {
  readonly endpoint: string;
  readonly options: { readonly applicationServerKey: ArrayBuffer | null };
  toJSON(): PushSubscriptionJSON;
  unsubscribe(): Promise<boolean>;
}

/** `PushSubscription.toJSON()`. */
export interface PushSubscriptionJSON {
  readonly endpoint?: string;
  readonly expirationTime?: number | null;
  readonly keys?: Record<string, string>;
}

export interface PushManagerLike {
  getSubscription(): Promise<PushSubscriptionLike | null>;
  subscribe(options: { userVisibleOnly: boolean; applicationServerKey: Uint8Array }): Promise<PushSubscriptionLike>;
}

/** A service worker: its state and the `statechange` it fires. */
export interface ServiceWorkerLike {
  readonly state: string;
  addEventListener(type: "statechange", listener: () => void): void;
  removeEventListener(type: "statechange", listener: () => void): void;
}

export interface ServiceWorkerRegistrationLike {
  readonly scope: string;
  readonly installing: ServiceWorkerLike | null;
  readonly waiting: ServiceWorkerLike | null;
  readonly active: ServiceWorkerLike | null;
  readonly pushManager: PushManagerLike;
}

/** `navigator.serviceWorker`. */
export interface ServiceWorkerContainerLike {
  register(url: string, options?: { scope?: string; type?: "classic" | "module" }): Promise<ServiceWorkerRegistrationLike>;
  /** The registration whose scope covers `clientUrl` (default: this page). */
  getRegistration(clientUrl?: string): Promise<ServiceWorkerRegistrationLike | undefined>;
}

export type NotificationPermissionLike = "default" | "granted" | "denied";

/** The `Notification` constructor's statics that ask and tell the permission. */
export interface NotificationPermissionSource {
  readonly permission: NotificationPermissionLike;
  requestPermission(): Promise<NotificationPermissionLike>;
}

/** `fetch`, as the hub's push API calls it. */
export type HubFetch = (
  url: string,
  init: { method: "GET" | "POST" | "DELETE"; headers: Record<string, string>; body?: string },
) => Promise<{ readonly status: number; json(): Promise<unknown> }>;

/** The browser APIs Web Push needs; an absent one means this browser cannot do Web Push. */
export interface PushEnvironment {
  readonly serviceWorker?: ServiceWorkerContainerLike | undefined;
  /** Whether `PushManager` exists (a browser may have service workers without push). */
  readonly pushManager?: boolean;
  readonly Notification?: NotificationPermissionSource | undefined;
  readonly fetch?: HubFetch | undefined;
}

interface BrowserGlobals {
  navigator?: { serviceWorker?: ServiceWorkerContainerLike };
  PushManager?: unknown;
  Notification?: NotificationPermissionSource;
  fetch?: HubFetch;
}

/** This page's: `navigator.serviceWorker`, `PushManager`, `Notification` and `fetch`. */
export function browserPushEnvironment(): PushEnvironment {
  const globals = globalThis as BrowserGlobals;
  const fetch = globals.fetch;
  return {
    serviceWorker: globals.navigator?.serviceWorker,
    pushManager: globals.PushManager !== undefined,
    Notification: globals.Notification,
    fetch: fetch === undefined ? undefined : (url, init) => fetch(url, init),
  };
}
