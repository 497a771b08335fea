/** The React context the provider fills and the hooks read. */
import { createContext } from "react";
import type { NotifyhubClient } from "../client.js";
import type { TokenSource } from "../options.js";

export interface WebSocketContextValue {
  readonly client: NotifyhubClient;
  /** What `connect()` without an argument uses: the provider's current token or getToken. */
  readonly token: TokenSource | undefined;
}

export const WebSocketContext = createContext<WebSocketContextValue | null>(null);
