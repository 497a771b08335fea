/** React bindings for notifyhub: a provider and hooks. */
export { WebSocketProvider, type WebSocketProviderProps } from "./WebSocketProvider.js";
export {
  useConnectionState,
  useReadState,
  useWebSocket,
  useWebSocketClient,
  useWebSocketSubscription,
  useWebSocketSubscriptions,
  type UseReadStateResult,
  type UseWebSocketResult,
} from "./hooks.js";
export {
  usePushSubscription,
  type PushSubscriptionState,
  type UsePushSubscriptionResult,
} from "./usePushSubscription.js";
// One hook per message type (`useBookReady`, `useOCRProgress`, ...), generated from schemas/.
export * from "../../../generated/typescript/hooks.js";
