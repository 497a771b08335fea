/**
 * Web Push from the page: `registerPush` registers the app's service worker, asks the user's
 * permission, subscribes with the hub's VAPID key and gives the subscription to the hub;
 * `unregisterPush` undoes it; `pushState` says where things stand without asking anything.
 * The service worker side is `@hailango/notifyhub-client/service-worker`.
 */
import { NotifyhubClientError } from "./errors.js";
import type { TokenSource } from "./options.js";
import {
  browserPushEnvironment,
  type HubFetch,
  type NotificationPermissionSource,
  type PushEnvironment,
  type PushSubscriptionLike,
  type ServiceWorkerContainerLike,
  type ServiceWorkerRegistrationLike,
} from "./pushEnvironment.js";
import {
  PushErrorReason,
  deleteSubscription,
  fetchVapidKey,
  sameKey,
  saveSubscription,
  tokenOf,
} from "./pushHub.js";

/**
 * How long a newly registered service worker may take to install and activate. A worker script
 * that fails to load fails at once; this bounds one whose `install` handler never settles.
 */
export const WORKER_ACTIVATION_TIMEOUT_MS = 30_000;

export interface PushOptions {
  /** The hub's HTTP base URL, e.g. `https://hub.example`. Default: this page's origin. */
  readonly hubUrl?: string;
  /** The user's JWT (the one the WebSocket uses), or an async function returning a fresh one. */
  readonly token: TokenSource;
  /** The app's service worker script, which calls `handleNotifyhubPush()`, e.g. `"/sw.js"`. */
  readonly serviceWorkerUrl: string;
  /** The registration's scope. Default: the browser's (the script's directory). */
  readonly scope?: string;
  /** `"module"` for a service worker written as an ES module. Default `"classic"`. */
  readonly serviceWorkerType?: "classic" | "module";
  /** Default: this page's `navigator.serviceWorker`, `PushManager`, `Notification` and `fetch`. */
  readonly environment?: PushEnvironment;
}

export interface PushRegistration {
  /** The hub's id for the subscription. */
  readonly id: string;
  /** The push service endpoint the hub sends to. */
  readonly endpoint: string;
  /** False when the hub knew the subscription already (a repeated `registerPush`). */
  readonly created: boolean;
}

/** Where Web Push stands for this page, without asking the user anything. */
export type PushStatus = "unsupported" | "denied" | "prompt" | "subscribed" | "unsubscribed";

interface Supported {
  readonly serviceWorker: ServiceWorkerContainerLike;
  readonly Notification: NotificationPermissionSource;
  readonly fetch: HubFetch;
}

function supported(environment: PushEnvironment): Supported | undefined {
  const { serviceWorker, pushManager, Notification, fetch } = environment;
  if (serviceWorker === undefined || !pushManager || Notification === undefined || fetch === undefined) return undefined;
  return { serviceWorker, Notification, fetch };
}

function required(environment: PushEnvironment): Supported {
  const found = supported(environment);
  if (found === undefined) {
    throw new NotifyhubClientError(PushErrorReason.UNSUPPORTED, "this browser has no Web Push (service workers, PushManager and Notification, in a secure context)");
  }
  return found;
}

function hubUrlOf(options: { readonly hubUrl?: string }): string {
  const origin = (globalThis as { location?: { origin?: string } }).location?.origin;
  const url = options.hubUrl ?? (origin && origin !== "null" ? origin : undefined);
  if (url === undefined) throw new NotifyhubClientError("no_url", "no `hubUrl` given and no page location to derive it from");
  return url;
}

/**
 * Subscribe this browser to the user's notifications when no device of theirs is connected.
 *
 * In order: ask the notification permission (the browser shows its prompt only if the user has
 * not answered yet, and only during a user gesture: call this from a click handler), register the
 * service worker and wait until it is active, fetch the hub's VAPID key, subscribe (reusing the
 * browser's subscription if it was made with that key; one made with another key is unsubscribed
 * and replaced), then POST the subscription to the hub. Calling it again is harmless: the hub
 * answers the known subscription with the same id (`created: false`), and with permission already
 * granted nothing is asked, so an app may call it at start-up to keep the hub's copy current.
 *
 * Throws `NotifyhubClientError` with a `PushErrorReason`: `push_unsupported`, `push_denied`,
 * `push_dismissed`, `push_worker_failed`, `push_not_configured`, `push_subscribe_failed`,
 * `push_unauthorized`, `push_refused`, `push_unreachable`; `no_url` without `hubUrl` outside a page.
 * A failure after subscribing leaves the browser's subscription in place; the next call reuses it.
 */
export async function registerPush(options: PushOptions): Promise<PushRegistration> {
  const { serviceWorker, Notification, fetch } = required(options.environment ?? browserPushEnvironment());
  const hubUrl = hubUrlOf(options);
  await askPermission(Notification); // first, while the click's user activation lasts
  const registration = await registerWorker(serviceWorker, options);
  const key = await fetchVapidKey(fetch, hubUrl);
  const subscription = await subscribe(registration, key, async (stale) => {
    // Best effort: the hub drops an endpoint anyway once its push service answers 404/410.
    await deleteSubscription(fetch, hubUrl, await tokenOf(options.token), stale.endpoint).catch(() => undefined);
  });
  const saved = await saveSubscription(fetch, hubUrl, await tokenOf(options.token), subscription.toJSON());
  return { ...saved, endpoint: subscription.endpoint };
}

/**
 * Stop Web Push for this browser: unsubscribe it (which takes effect at once, whatever the hub
 * says), then tell the hub to forget the endpoint. Returns false when there was no subscription.
 * Throws `push_unsupported`, and `push_unauthorized`, `push_refused` or `push_unreachable` when the
 * hub could not be told (the browser is unsubscribed all the same; the hub drops the endpoint when
 * its push service reports it gone).
 */
export async function unregisterPush(options: Omit<PushOptions, "serviceWorkerType">): Promise<boolean> {
  const { serviceWorker, fetch } = required(options.environment ?? browserPushEnvironment());
  const hubUrl = hubUrlOf(options);
  const registration = await serviceWorker.getRegistration(options.scope);
  const subscription = await registration?.pushManager.getSubscription();
  if (subscription === undefined || subscription === null) return false;
  await subscription.unsubscribe();
  await deleteSubscription(fetch, hubUrl, await tokenOf(options.token), subscription.endpoint);
  return true;
}

/**
 * Where Web Push stands: `unsupported`, `denied` (blocked by the user), `prompt` (not asked yet, or
 * the prompt was dismissed), `subscribed` (this browser has a subscription under `scope`), or
 * `unsubscribed` (permission granted, no subscription). Asks the user nothing; never throws.
 */
export async function pushState(
  options: { readonly scope?: string; readonly environment?: PushEnvironment } = {},
): Promise<PushStatus> {
  const found = supported(options.environment ?? browserPushEnvironment());
  if (found === undefined) return "unsupported";
  if (found.Notification.permission === "denied") return "denied";
  if (found.Notification.permission === "default") return "prompt";
  try {
    const registration = await found.serviceWorker.getRegistration(options.scope);
    return (await registration?.pushManager.getSubscription()) ? "subscribed" : "unsubscribed";
  } catch {
    return "unsubscribed";
  }
}

async function askPermission(Notification: NotificationPermissionSource): Promise<void> {
  const answer = Notification.permission === "default" ? await Notification.requestPermission() : Notification.permission;
  if (answer === "denied") {
    throw new NotifyhubClientError(PushErrorReason.DENIED, "the user blocked notifications for this site");
  }
  if (answer !== "granted") {
    throw new NotifyhubClientError(PushErrorReason.DISMISSED, "the user closed the notification prompt without answering");
  }
}

async function registerWorker(
  serviceWorker: ServiceWorkerContainerLike,
  options: PushOptions,
): Promise<ServiceWorkerRegistrationLike> {
  let registration: ServiceWorkerRegistrationLike;
  try {
    registration = await serviceWorker.register(options.serviceWorkerUrl, {
      ...(options.scope === undefined ? {} : { scope: options.scope }),
      type: options.serviceWorkerType ?? "classic",
    });
  } catch (cause) {
    throw new NotifyhubClientError(PushErrorReason.WORKER_FAILED, `cannot register the service worker ${options.serviceWorkerUrl}`, { cause });
  }
  await activated(registration);
  return registration;
}

/**
 * Resolves once the registration has an active worker (a push subscription needs one). Throws
 * `push_worker_failed` when the new worker turns `redundant` (its install failed) or takes longer
 * than `WORKER_ACTIVATION_TIMEOUT_MS`.
 */
function activated(registration: ServiceWorkerRegistrationLike): Promise<void> {
  const worker = registration.installing ?? registration.waiting;
  if (registration.active !== null || worker === null) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const settle = (failure?: string): void => {
      clearTimeout(timer);
      worker.removeEventListener("statechange", onChange);
      if (failure === undefined) resolve();
      else reject(new NotifyhubClientError(PushErrorReason.WORKER_FAILED, failure));
    };
    const onChange = (): void => {
      if (worker.state === "activated") settle();
      else if (worker.state === "redundant") settle("the service worker failed to install");
    };
    const timer = setTimeout(() => settle(`the service worker was not active within ${WORKER_ACTIVATION_TIMEOUT_MS} ms`), WORKER_ACTIVATION_TIMEOUT_MS);
    worker.addEventListener("statechange", onChange);
    onChange(); // it may have moved on between register() and now
  });
}

/** The browser's subscription made with `key`, reusing one that was; `onReplaced` gets one made with another key. */
async function subscribe(
  registration: ServiceWorkerRegistrationLike,
  key: Uint8Array,
  onReplaced: (stale: PushSubscriptionLike) => Promise<void>,
): Promise<PushSubscriptionLike> {
  const existing = await registration.pushManager.getSubscription();
  if (existing !== null && sameKey(existing.options.applicationServerKey, key)) return existing;
  if (existing !== null) {
    await existing.unsubscribe(); // a subscription's key cannot change: the hub's key did
    await onReplaced(existing);
  }
  try {
    return await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key });
  } catch (cause) {
    throw new NotifyhubClientError(PushErrorReason.SUBSCRIBE_FAILED, "the browser's push service refused to subscribe", { cause });
  }
}
