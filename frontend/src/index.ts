/**
 * notifyhub's browser client and Web Push registration. React bindings:
 * `@hailango/notifyhub-client/react`; the service worker's side of Web Push:
 * `@hailango/notifyhub-client/service-worker`.
 */
export { NotifyhubClient, createClient } from "./client.js";
export {
  DEFAULT_CLIENT_OPTIONS,
  type ClientOptions,
  type ConnectionState,
  type StateChange,
  type StateListener,
  type TokenSource,
} from "./options.js";
export { getWebSocketClient } from "./shared.js";
export { backoffCeiling, backoffDelay, type BackoffOptions } from "./backoff.js";
export { StopReason, closeCodeName, decideAfterClose, type CloseDecision } from "./closePolicy.js";
export { INITIAL_READ_STATE, type ReadState, type ReadStateListener } from "./readState.js";
export {
  classifySeq,
  positionAfter,
  positionOnEstablished,
  type SeqVerdict,
  type StreamPosition,
} from "./streamPosition.js";
export { NotifyhubClientError } from "./errors.js";
export {
  WORKER_ACTIVATION_TIMEOUT_MS,
  pushState,
  registerPush,
  unregisterPush,
  type PushOptions,
  type PushRegistration,
  type PushStatus,
} from "./push.js";
export { PushErrorReason } from "./pushHub.js";
export type {
  HubFetch,
  NotificationPermissionLike,
  NotificationPermissionSource,
  PushEnvironment,
  PushManagerLike,
  PushSubscriptionJSON,
  PushSubscriptionLike,
  ServiceWorkerContainerLike,
  ServiceWorkerLike,
  ServiceWorkerRegistrationLike,
} from "./pushEnvironment.js";
export type {
  Clock,
  CloseEventLike,
  EventTargetLike,
  FetchLike,
  Logger,
  MessageEventLike,
  VisibilityTargetLike,
  WebSocketConstructor,
  WebSocketLike,
} from "./environment.js";
export * from "./types.js";
