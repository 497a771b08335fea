/**
 * `GET /api/v1/ws/auth-check`: a browser cannot read the HTTP status of a refused WebSocket
 * handshake (it sees close code 1006), so after one the client asks the hub whether its protocol
 * version or its token is the reason. The hub applies the WebSocket's rules and answers 204,
 * 400 `unsupported_subprotocol` with the versions it speaks, or 401.
 */
import type { FetchLike } from "./environment.js";
import { RefusalReason } from "./types.js";

export type AuthCheckResult = "authorized" | "unauthorized" | "unsupported_protocol" | "unknown";

export interface AuthCheck {
  readonly result: AuthCheckResult;
  /** With `unsupported_protocol`: the versions the hub speaks (e.g. `["notifyhub.v2"]`); else empty. */
  readonly supported: readonly string[];
}

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
 * Ask whether the hub accepts `token` offered with the protocol `versions`. The token goes in the
 * `Authorization` header (never in a URL); the versions in `?protocols=` (a fetch may not set
 * `Sec-WebSocket-Protocol`). "unknown" when the hub could not be asked or answered something else
 * (a network error, a 5xx, a cross-origin hub that allows no CORS): the caller then retries as for
 * any failure.
 */
export async function checkAuth(
  fetch: FetchLike,
  url: string,
  token: string,
  versions: readonly string[],
): Promise<AuthCheck> {
  const target = new URL(url);
  if (versions.length > 0) target.searchParams.set("protocols", versions.join(","));
  try {
    const response = await fetch(target.toString(), { method: "GET", headers: { Authorization: `Bearer ${token}` } });
    if (response.status === 401) return answer("unauthorized");
    if (response.status >= 200 && response.status < 300) return answer("authorized");
    if (response.status === 400) return unsupportedVersion(await response.json?.().catch(() => undefined));
    return answer("unknown");
  } catch {
    return answer("unknown");
  }
}

/** A 400's body: `unsupported_protocol` with the hub's versions, or "unknown" for any other 400. */
function unsupportedVersion(body: unknown): AuthCheck {
  const { error, supported } = (typeof body === "object" && body !== null ? body : {}) as Record<string, unknown>;
  if (error !== RefusalReason.UNSUPPORTED_SUBPROTOCOL || !Array.isArray(supported)) return answer("unknown");
  return answer("unsupported_protocol", supported.filter((version): version is string => typeof version === "string"));
}

function answer(result: AuthCheckResult, supported: readonly string[] = []): AuthCheck {
  return { result, supported };
}
