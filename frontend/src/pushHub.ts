/**
 * The hub's Web Push API, as the page and the service worker call it:
 *
 *   GET    /api/v1/push/vapid-public-key   200 {"public_key"}; 404 when the hub has no push
 *   POST   /api/v1/push/subscriptions      Bearer <user JWT>, PushSubscription.toJSON() -> 201/200 {"id"}
 *   DELETE /api/v1/push/subscriptions      Bearer <user JWT>, {"endpoint"} -> 204
 *
 * Every failure is thrown as a `NotifyhubClientError` with a `PushErrorReason`.
 */
import { NotifyhubClientError } from "./errors.js";
import type { TokenSource } from "./options.js";
import type { HubFetch, PushSubscriptionJSON } from "./pushEnvironment.js";

/** The `reason` of every `NotifyhubClientError` that Web Push throws. */
export const PushErrorReason = {
  /** No service worker, `PushManager` or `Notification` in this browser (or not a secure context). */
  UNSUPPORTED: "push_unsupported",
  /** The user blocked notifications for this site; only the browser's site settings undo it. */
  DENIED: "push_denied",
  /** The user closed the permission prompt without answering; asking again later is allowed. */
  DISMISSED: "push_dismissed",
  /** The service worker could not be registered, or did not become active. */
  WORKER_FAILED: "push_worker_failed",
  /** The browser's push service refused to subscribe (`pushManager.subscribe` rejected). */
  SUBSCRIBE_FAILED: "push_subscribe_failed",
  /** The hub answered 404 to the VAPID key: push is not configured on it. */
  NOT_CONFIGURED: "push_not_configured",
  /** The hub refused the token (401). */
  UNAUTHORIZED: "push_unauthorized",
  /** The hub answered anything else it should not have (422, 5xx, a malformed key). */
  REFUSED: "push_refused",
  /** The hub could not be reached (the request itself failed). */
  UNREACHABLE: "push_unreachable",
} as const;

export type PushErrorReason = (typeof PushErrorReason)[keyof typeof PushErrorReason];

const API = "/api/v1/push";

/** An uncompressed P-256 point: 0x04, then 32 bytes of x and 32 of y. */
const P256_POINT_BYTES = 65;

/** The hub's push endpoint `path`, under `hubUrl` (`https://hub.example`, with or without a trailing slash). */
export function pushApiUrl(hubUrl: string, path: "vapid-public-key" | "subscriptions"): string {
  return `${hubUrl.replace(/\/+$/, "")}${API}/${path}`;
}

/** A token source's current token (calls the getter). */
export async function tokenOf(source: TokenSource): Promise<string> {
  return typeof source === "function" ? await source() : source;
}

/** base64url (padded or not) -> bytes; throws `REFUSED` for anything that is not a P-256 point. */
export function decodeVapidKey(text: string): Uint8Array {
  let binary: string;
  try {
    binary = atob(text.replace(/-/g, "+").replace(/_/g, "/").replace(/=+$/, ""));
  } catch (cause) {
    throw new NotifyhubClientError(PushErrorReason.REFUSED, "the hub's VAPID public key is not base64url", { cause });
  }
  const bytes = Uint8Array.from(binary, (char) => char.charCodeAt(0));
  if (bytes.length !== P256_POINT_BYTES || bytes[0] !== 0x04) {
    throw new NotifyhubClientError(PushErrorReason.REFUSED, "the hub's VAPID public key is not an uncompressed P-256 point");
  }
  return bytes;
}

/** Whether a subscription's `applicationServerKey` is `key`. */
export function sameKey(subscribedWith: ArrayBuffer | null, key: Uint8Array): boolean {
  if (subscribedWith === null || subscribedWith.byteLength !== key.length) return false;
  const bytes = new Uint8Array(subscribedWith);
  return bytes.every((byte, index) => byte === key[index]);
}

/** The hub's VAPID public key. Throws `NOT_CONFIGURED` on 404, `REFUSED`, `UNREACHABLE`. */
export async function fetchVapidKey(fetch: HubFetch, hubUrl: string): Promise<Uint8Array> {
  const response = await call(fetch, pushApiUrl(hubUrl, "vapid-public-key"), { method: "GET", headers: {} });
  if (response.status === 404) {
    throw new NotifyhubClientError(PushErrorReason.NOT_CONFIGURED, `push is not configured on the hub${await refusalOf(response)}`);
  }
  const body = response.status === 200 ? await response.json().catch(() => undefined) : undefined;
  const key = (body as { public_key?: unknown } | undefined)?.public_key;
  if (typeof key !== "string") throw await refused("the VAPID public key", response);
  return decodeVapidKey(key);
}

/**
 * Give the hub a subscription for the token's user. Returns the hub's id for it and whether it is
 * new (201) or was known already (200). Throws `UNAUTHORIZED`, `REFUSED`, `UNREACHABLE`.
 */
export async function saveSubscription(
  fetch: HubFetch,
  hubUrl: string,
  token: string,
  subscription: PushSubscriptionJSON,
): Promise<{ readonly id: string; readonly created: boolean }> {
  const response = await call(fetch, pushApiUrl(hubUrl, "subscriptions"), {
    method: "POST",
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
    body: JSON.stringify(subscription),
  });
  const body = response.status === 200 || response.status === 201 ? await response.json().catch(() => undefined) : undefined;
  const id = (body as { id?: unknown } | undefined)?.id;
  if (typeof id !== "string") throw await refused("the subscription", response);
  return { id, created: response.status === 201 };
}

/** Tell the hub to forget the subscription at `endpoint`. Throws `UNAUTHORIZED`, `REFUSED`, `UNREACHABLE`. */
export async function deleteSubscription(fetch: HubFetch, hubUrl: string, token: string, endpoint: string): Promise<void> {
  const response = await call(fetch, pushApiUrl(hubUrl, "subscriptions"), {
    method: "DELETE",
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
    body: JSON.stringify({ endpoint }),
  });
  if (response.status !== 204 && response.status !== 200) throw await refused("the unsubscription", response);
}

async function call(fetch: HubFetch, url: string, init: Parameters<HubFetch>[1]): ReturnType<HubFetch> {
  try {
    return await fetch(url, init);
  } catch (cause) {
    throw new NotifyhubClientError(PushErrorReason.UNREACHABLE, `cannot reach the hub at ${url}`, { cause });
  }
}

async function refused(what: string, response: Awaited<ReturnType<HubFetch>>): Promise<NotifyhubClientError> {
  const reason = response.status === 401 ? PushErrorReason.UNAUTHORIZED : PushErrorReason.REFUSED;
  return new NotifyhubClientError(reason, `the hub refused ${what} (${response.status}${await refusalOf(response)})`);
}

/** `: <error>: <detail>` from the hub's refusal body `{"error", "detail"}`, or nothing. */
async function refusalOf(response: Awaited<ReturnType<HubFetch>>): Promise<string> {
  const body = (await response.json().catch(() => undefined)) as { error?: unknown; detail?: unknown } | undefined;
  const parts = [body?.error, body?.detail].filter((part) => typeof part === "string");
  return parts.length > 0 ? `: ${parts.join(": ")}` : "";
}
