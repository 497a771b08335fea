/** React bindings for notifyhub: a provider and hooks. */
export { WebSocketProvider, type WebSocketProviderProps } from "./WebSocketProvider.js";
export {
  useBookReady,
  useConnectionState,
  useErrorNotification,
  useLearningUpdate,
  useNotification,
  useOCRProgress,
  useReadState,
  useReviewReminder,
  useWebSocket,
  useWebSocketClient,
  useWebSocketSubscription,
  useWebSocketSubscriptions,
  type UseReadStateResult,
  type UseWebSocketResult,
} from "./hooks.js";
