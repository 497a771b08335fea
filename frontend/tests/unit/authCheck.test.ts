import { describe, expect, it, vi } from "vitest";
import { authCheckUrlFor, checkAuth } from "../../src/authCheck.js";
import type { FetchLike } from "../../src/environment.js";

describe("auth-check", () => {
  it("derives the URL from the WebSocket URL", () => {
    expect(authCheckUrlFor("ws://hub:8080/api/v1/ws?since=e:1")).toBe("http://hub:8080/api/v1/ws/auth-check");
    expect(authCheckUrlFor("wss://hub.example/api/v1/ws/")).toBe("https://hub.example/api/v1/ws/auth-check");
  });

  it("sends the token in the Authorization header, never in the URL", async () => {
    const fetch = vi.fn<FetchLike>(async () => ({ status: 204 }));
    expect(await checkAuth(fetch, "http://hub/api/v1/ws/auth-check", "jwt")).toBe("authorized");
    expect(fetch).toHaveBeenCalledWith("http://hub/api/v1/ws/auth-check", {
      method: "GET",
      headers: { Authorization: "Bearer jwt" },
    });
  });

  it.each([
    [401, "unauthorized"],
    [500, "unknown"],
    [429, "unknown"],
  ] as const)("maps %i to %s", async (status, result) => {
    expect(await checkAuth(async () => ({ status }), "http://hub/x", "jwt")).toBe(result);
  });

  it("says unknown when the hub cannot be asked", async () => {
    // A network error or a CORS refusal must not be taken for a bad token.
    expect(await checkAuth(async () => Promise.reject(new TypeError("failed to fetch")), "http://hub/x", "jwt")).toBe("unknown");
  });
});
