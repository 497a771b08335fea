/**
 * What a push shows and where its click goes: pure functions from the push's text (the message
 * envelope the hub sends, exactly as a WebSocket client receives it) to a notification, and from
 * a clicked notification's data to the URL to open. The service worker (serviceWorker.ts) only
 * wires them to its events.
 */
import { isServerMessageType, type ServerMessage } from "./types.js";

/**
 * The form the hub pushes when a message is too large for one push record: the envelope without
 * its payload. The app can fetch the rest when the notification is clicked.
 */
export interface OmittedPayloadMessage {
  readonly type: string;
  readonly id: string;
  readonly timestamp: string;
  readonly seq?: number;
  readonly payload_omitted: true;
}

/** A push the service worker understood: a whole message of a known type, or one without its payload. */
export type PushMessage = ServerMessage | OmittedPayloadMessage;

/** What a notification says; `link` is where a click goes (default: the app, i.e. the worker's scope). */
export interface NotificationContent {
  readonly title: string;
  readonly body?: string;
  readonly link?: string;
  readonly icon?: string;
  readonly badge?: string;
}

/** The `data` of every notification shown for a push; a click reads it back. */
export interface PushNotificationData {
  readonly source: "notifyhub";
  /** Absolute http(s) URL; the app's own URL when the message has no (usable) link. */
  readonly link: string;
  /** The message id, or null for a push that was not an envelope. */
  readonly messageId: string | null;
  readonly type: string | null;
}

/** The arguments of `registration.showNotification(title, options)`. */
export interface PushNotification {
  readonly title: string;
  readonly options: {
    readonly body?: string;
    /** The message id: a push delivered twice replaces its notification instead of adding one. */
    readonly tag: string;
    readonly data: PushNotificationData;
    readonly icon?: string;
    readonly badge?: string;
  };
}

/** A push's text, read: the message when it is one this build understands. */
export interface ParsedPush {
  readonly message: PushMessage | null;
  /** The envelope's id and type even when the rest is not understood (a newer hub's type). */
  readonly id: string | null;
  readonly type: string | null;
}

export interface NotificationChoices {
  /** The app's own mapping; `undefined` (or a throw) falls back to the default for the type. */
  readonly notificationFor?: ((message: PushMessage) => NotificationContent | undefined) | undefined;
  /** The title for a push no mapping knows (junk, an unknown type). Default `"New notification"`. */
  readonly genericTitle?: string | undefined;
  readonly icon?: string | undefined;
  readonly badge?: string | undefined;
}

export const DEFAULT_GENERIC_TITLE = "New notification";

/** The tag of notifications for pushes without a message id: each replaces the previous one. */
export const GENERIC_TAG = "notifyhub";

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function text(value: unknown): string | undefined {
  return typeof value === "string" && value.trim() !== "" ? value : undefined;
}

/** Never throws: anything that is not a JSON envelope gives `{ message: null, id: null, type: null }`. */
export function parsePush(data: string | null): ParsedPush {
  let envelope: unknown;
  try {
    envelope = data === null ? undefined : JSON.parse(data);
  } catch {
    envelope = undefined;
  }
  if (!isObject(envelope) || typeof envelope.type !== "string" || typeof envelope.id !== "string") {
    return { message: null, id: null, type: null };
  }
  const { id, type } = envelope;
  const understood = envelope.payload_omitted === true || (isServerMessageType(type) && isObject(envelope.payload));
  return { message: understood ? (envelope as unknown as PushMessage) : null, id, type };
}

function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** The title of a message whose payload the hub left out, by type. */
const OMITTED_TITLES: Readonly<Record<string, string>> = {
  book_ready: "A book is ready",
  review_reminder: "Reviews are due",
  notification: DEFAULT_GENERIC_TITLE,
};

/**
 * The package's notification for a message, or undefined for a type it has no wording for.
 * Fields are read defensively: a payload that breaks its schema still gives a notification.
 */
export function defaultNotificationFor(message: PushMessage): NotificationContent | undefined {
  if ("payload_omitted" in message) {
    const title = OMITTED_TITLES[message.type];
    return title === undefined ? undefined : { title, body: "Open the app to see it." };
  }
  const payload = message.payload as unknown as Record<string, unknown>; // read defensively
  switch (message.type) {
    case "book_ready": {
      const pages = typeof payload.total_pages === "number" ? ` (${plural(payload.total_pages, "page", "pages")})` : "";
      return withLink({ title: text(payload.title) ?? OMITTED_TITLES.book_ready!, body: `Your book is ready to open${pages}.` }, payload.url);
    }
    case "review_reminder": {
      const due = typeof payload.due_count === "number" ? plural(payload.due_count, "review due", "reviews due") : undefined;
      return { title: text(payload.message) ?? due ?? OMITTED_TITLES.review_reminder! };
    }
    case "notification": {
      const body = text(payload.message);
      return withLink({ title: text(payload.title) ?? DEFAULT_GENERIC_TITLE, ...(body === undefined ? {} : { body }) }, payload.action_url);
    }
    default:
      return undefined;
  }
}

function withLink(content: NotificationContent, link: unknown): NotificationContent {
  const url = text(link);
  return url === undefined ? content : { ...content, link: url };
}

/** `link` made absolute against `appUrl`, if it is an http(s) URL; else the app's URL. */
function absoluteLink(link: string | undefined, appUrl: string): string {
  if (link === undefined) return appUrl;
  try {
    const url = new URL(link, appUrl);
    return url.protocol === "http:" || url.protocol === "https:" ? url.href : appUrl;
  } catch {
    return appUrl;
  }
}

function chosenContent(parsed: ParsedPush, choices: NotificationChoices): NotificationContent | undefined {
  if (parsed.message === null) return undefined;
  if (choices.notificationFor !== undefined) {
    try {
      const chosen = choices.notificationFor(parsed.message);
      if (chosen !== undefined) return chosen;
    } catch {
      // the app's mapping failed on this message; the default still shows something
    }
  }
  return defaultNotificationFor(parsed.message);
}

/**
 * The notification for a push: the app's `notificationFor`, else the default for the type, else a
 * generic one (junk, an unknown type). Every push gives one: a subscription promises the browser
 * (`userVisibleOnly`) that each push shows a notification. Tagged with the message id.
 */
export function notificationForPush(data: string | null, appUrl: string, choices: NotificationChoices = {}): PushNotification {
  const parsed = parsePush(data);
  const content = chosenContent(parsed, choices) ?? { title: choices.genericTitle ?? DEFAULT_GENERIC_TITLE };
  const icon = content.icon ?? choices.icon;
  const badge = content.badge ?? choices.badge;
  return {
    title: content.title,
    options: {
      ...(content.body === undefined ? {} : { body: content.body }),
      tag: parsed.id ?? GENERIC_TAG,
      data: { source: "notifyhub", link: absoluteLink(content.link, appUrl), messageId: parsed.id, type: parsed.type },
      ...(icon === undefined ? {} : { icon }),
      ...(badge === undefined ? {} : { badge }),
    },
  };
}

/**
 * Where a click on a notification goes: its link when on the app's origin (or on another origin
 * with `openOtherOrigins`), else the app's URL. Undefined for a notification this package did not
 * show (the app's own), which the click handler leaves alone.
 */
export function clickTarget(data: unknown, appUrl: string, openOtherOrigins: boolean): string | undefined {
  if (!isObject(data) || data.source !== "notifyhub") return undefined;
  const link = absoluteLink(text(data.link), appUrl);
  return openOtherOrigins || new URL(link).origin === new URL(appUrl).origin ? link : appUrl;
}
