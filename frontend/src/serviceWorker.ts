/**
 * `@hailango/notifyhub-client/service-worker`: the part of Web Push that runs in the app's own
 * service worker. `handleNotifyhubPush()` listens to `push` (shows the message as a notification),
 * `notificationclick` (focuses or opens the app at the message's link) and, when given the hub,
 * `pushsubscriptionchange` (subscribes again and tells the hub).
 *
 *   // sw.js, the app's service worker (bundled, or registered with `type: "module"`)
 *   import { handleNotifyhubPush } from "@hailango/notifyhub-client/service-worker";
 *   handleNotifyhubPush();
 */
import { Disposers, type Listenable } from "./disposers.js";
import type { Logger } from "./environment.js";
import { NotifyhubClientError } from "./errors.js";
import type { TokenSource } from "./options.js";
import type { HubFetch, PushManagerLike, PushSubscriptionLike } from "./pushEnvironment.js";
import { deleteSubscription, fetchVapidKey, saveSubscription, tokenOf } from "./pushHub.js";
import { clickTarget, notificationForPush, type NotificationChoices, type PushNotification } from "./pushNotification.js";

export {
  DEFAULT_GENERIC_TITLE,
  GENERIC_TAG,
  clickTarget,
  defaultNotificationFor,
  notificationForPush,
  parsePush,
  type NotificationChoices,
  type NotificationContent,
  type OmittedPayloadMessage,
  type ParsedPush,
  type PushMessage,
  type PushNotification,
  type PushNotificationData,
} from "./pushNotification.js";

/** A window of the app, as `clients.matchAll()` gives it. */
export interface WindowClientLike {
  readonly url: string;
  focus(): Promise<unknown>;
}

/** The part of `ServiceWorkerGlobalScope` (`self` in a service worker) the handlers use. */
export interface ServiceWorkerScopeLike extends Listenable<unknown> {
  readonly registration: {
    readonly scope: string;
    readonly pushManager: PushManagerLike;
    showNotification(title: string, options: PushNotification["options"]): Promise<void>;
  };
  readonly clients: {
    matchAll(options: { type: "window"; includeUncontrolled: boolean }): Promise<readonly WindowClientLike[]>;
    openWindow(url: string): Promise<unknown>;
  };
}

interface ExtendableEventLike {
  waitUntil(promise: Promise<unknown>): void;
}

interface PushEventLike extends ExtendableEventLike {
  readonly data: { text(): string } | null;
}

interface NotificationEventLike extends ExtendableEventLike {
  readonly notification: { readonly data: unknown; close(): void };
}

interface PushSubscriptionChangeEventLike extends ExtendableEventLike {
  readonly oldSubscription?: PushSubscriptionLike | null;
  readonly newSubscription?: PushSubscriptionLike | null;
}

export interface NotifyhubPushOptions extends NotificationChoices {
  /**
   * Open a link on another origin when its notification is clicked. Default false: such a click
   * opens the app (the worker's scope) instead, so a message cannot send the user off-site.
   */
  readonly openOtherOrigins?: boolean;
  /**
   * The hub and a way to get the user's token from inside the worker (e.g. from the app's own
   * session endpoint with the worker's cookies). With it, a `pushsubscriptionchange` (the browser
   * renewed or dropped the subscription) subscribes again and gives the hub the new subscription;
   * without it the event is not handled, and the next `registerPush` from a page does that.
   */
  readonly hub?: { readonly url: string; readonly token: TokenSource };
  /** Default: the worker's global scope (`self`). */
  readonly scope?: ServiceWorkerScopeLike;
  /** Default: the worker's global `fetch`. */
  readonly fetch?: HubFetch;
  /** Default `console`. */
  readonly logger?: Logger;
}

function workerScope(): ServiceWorkerScopeLike {
  const scope = globalThis as Partial<ServiceWorkerScopeLike>;
  if (scope.registration === undefined || scope.clients === undefined || scope.addEventListener === undefined) {
    throw new NotifyhubClientError("not_a_service_worker", "handleNotifyhubPush() must be called in a service worker");
  }
  return scope as ServiceWorkerScopeLike;
}

function globalFetch(): HubFetch {
  return (url, init) => (globalThis as unknown as { fetch: HubFetch }).fetch(url, init);
}

/**
 * Install the `push`, `notificationclick` and `pushsubscriptionchange` listeners on the worker's
 * scope; call it once, at the top level of the service worker script (listeners added later miss
 * the events that woke the worker). Returns a function that removes them.
 *
 * - `push`: shows one notification per push, even when a window of the app has focus (the hub
 *   pushes only what no device acknowledged, so that window did not get the message either), and
 *   even for a push it cannot read (a generic title), since the subscription promised the browser
 *   that every push is visible. The tag is the message id: the same message pushed twice replaces
 *   its notification. Errors are logged; `waitUntil` keeps the worker alive until it shows.
 * - `notificationclick` (only on notifications it showed): closes the notification, then focuses
 *   a window already at the link or opens one (`clients.openWindow`, which the click allows).
 * - `pushsubscriptionchange`: see `hub`.
 *
 * Throws `NotifyhubClientError` (`not_a_service_worker`) outside a service worker without `scope`.
 */
export function handleNotifyhubPush(options: NotifyhubPushOptions = {}): () => void {
  const scope = options.scope ?? workerScope();
  const logger = options.logger ?? console;
  const disposers = new Disposers();
  const guarded = (what: string, work: Promise<unknown>): Promise<unknown> =>
    work.catch((error: unknown) => logger.error(`notifyhub: ${what} failed`, error));

  disposers.listen(scope, "push", (event) => {
    const push = event as PushEventLike;
    push.waitUntil(guarded("showing a push", showPush(scope, push, options)));
  });
  disposers.listen(scope, "notificationclick", (event) => {
    const click = event as NotificationEventLike;
    const target = clickTarget(click.notification.data, scope.registration.scope, options.openOtherOrigins ?? false);
    if (target === undefined) return; // the app's own notification
    click.notification.close();
    click.waitUntil(guarded("opening a notification's link", focusOrOpen(scope, target)));
  });
  const hub = options.hub;
  if (hub !== undefined) {
    disposers.listen(scope, "pushsubscriptionchange", (event) => {
      const change = event as PushSubscriptionChangeEventLike;
      change.waitUntil(guarded("renewing the push subscription", resubscribe(scope, change, hub, options.fetch ?? globalFetch())));
    });
  }
  return () => disposers.run();
}

function showPush(scope: ServiceWorkerScopeLike, event: PushEventLike, choices: NotificationChoices): Promise<void> {
  let data: string | null;
  try {
    data = event.data?.text() ?? null;
  } catch {
    data = null;
  }
  const { title, options } = notificationForPush(data, scope.registration.scope, choices);
  return scope.registration.showNotification(title, options);
}

/** Focus a window of the app already at `url`, else open one there. */
async function focusOrOpen(scope: ServiceWorkerScopeLike, url: string): Promise<void> {
  const windows = await scope.clients.matchAll({ type: "window", includeUncontrolled: true });
  const open = windows.find((window) => window.url === url);
  if (open !== undefined) await open.focus();
  else await scope.clients.openWindow(url);
}

/**
 * The browser dropped or renewed the subscription: give the hub the new one (subscribing again with
 * the old key, or the hub's, when the browser made none) and drop the old endpoint there.
 */
async function resubscribe(
  scope: ServiceWorkerScopeLike,
  event: PushSubscriptionChangeEventLike,
  hub: NonNullable<NotifyhubPushOptions["hub"]>,
  fetch: HubFetch,
): Promise<void> {
  const old = event.oldSubscription ?? null;
  let subscription = event.newSubscription ?? null;
  if (subscription === null) {
    const oldKey = old?.options.applicationServerKey ?? null;
    const key = oldKey === null ? await fetchVapidKey(fetch, hub.url) : new Uint8Array(oldKey);
    subscription = await scope.registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key });
  }
  const token = await tokenOf(hub.token);
  await saveSubscription(fetch, hub.url, token, subscription.toJSON());
  if (old !== null && old.endpoint !== subscription.endpoint) {
    await deleteSubscription(fetch, hub.url, token, old.endpoint).catch(() => undefined); // the hub drops it when it fails anyway
  }
}
