/**
 * `GET /api/v1/ws/auth-check`: a browser cannot read the HTTP status of a refused WebSocket
 * handshake (it sees close code 1006), so after one the client asks the hub whether its token is
 * the reason. The hub applies the WebSocket's token rules and answers 204 or 401.
 */
import type { FetchLike } from "./environment.js";

export type AuthCheckResult = "authorized" | "unauthorized" | "unknown";

/** `ws://host/api/v1/ws?x` -> `http://host/api/v1/ws/auth-check`. */
export function authCheckUrlFor(webSocketUrl: string): string {
  const url = new URL(webSocketUrl);
  url.protocol = url.protocol === "wss:" ? "https:" : "http:";
  url.pathname = `${url.pathname.replace(/\/+$/, "")}/auth-check`;
  url.search = "";
  url.hash = "";
  return url.toString();
}

/**
 * Ask whether the hub accepts `token`. The token goes in the `Authorization` header (never in a
 * URL). "unknown" when the hub could not be asked or answered something else (a network error,
 * a 5xx, a cross-origin hub that allows no CORS): the caller then retries as for any failure.
 */
export async function checkAuth(fetch: FetchLike, url: string, token: string): Promise<AuthCheckResult> {
  try {
    const response = await fetch(url, { method: "GET", headers: { Authorization: `Bearer ${token}` } });
    if (response.status === 401) return "unauthorized";
    if (response.status >= 200 && response.status < 300) return "authorized";
    return "unknown";
  } catch {
    return "unknown";
  }
}
