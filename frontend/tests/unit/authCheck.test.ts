import { describe, expect, it, vi } from "vitest";
import { authCheckUrlFor, checkAuth } from "../../src/authCheck.js";
import type { FetchLike } from "../../src/environment.js";

const URL_ = "http://hub/api/v1/ws/auth-check";

describe("auth-check", () => {
  it("derives the URL from the WebSocket URL", () => {
    expect(authCheckUrlFor("ws://hub:8080/api/v1/ws?since=e:1")).toBe("http://hub:8080/api/v1/ws/auth-check");
    expect(authCheckUrlFor("wss://hub.example/api/v1/ws/")).toBe("https://hub.example/api/v1/ws/auth-check");
  });

  it("sends the token in the Authorization header, never in the URL, and the versions in the query", async () => {
    const fetch = vi.fn<FetchLike>(async () => ({ status: 204 }));
    expect(await checkAuth(fetch, URL_, "jwt", ["notifyhub.v1"])).toEqual({ result: "authorized", supported: [] });
    expect(fetch).toHaveBeenCalledWith(`${URL_}?protocols=notifyhub.v1`, {
      method: "GET",
      headers: { Authorization: "Bearer jwt" },
    });
  });

  it.each([
    [401, "unauthorized"],
    [500, "unknown"],
    [429, "unknown"],
  ] as const)("maps %i to %s", async (status, result) => {
    expect((await checkAuth(async () => ({ status }), URL_, "jwt", [])).result).toBe(result);
  });

  it("reads the versions the hub speaks from a 400 unsupported_subprotocol", async () => {
    // The client of an older build learns which version the hub wants, to say so and stop.
    const body = { error: "unsupported_subprotocol", detail: "this hub speaks 'notifyhub.v2'", supported: ["notifyhub.v2"] };
    const fetch: FetchLike = async () => ({ status: 400, json: async () => body });
    expect(await checkAuth(fetch, URL_, "jwt", ["notifyhub.v1"])).toEqual({
      result: "unsupported_protocol",
      supported: ["notifyhub.v2"],
    });
  });

  it.each([
    ["another reason", { error: "ambiguous_token", detail: "" }],
    ["no list", { error: "unsupported_subprotocol" }],
    ["a body that is not JSON", undefined],
  ])("takes a 400 with %s for unknown", async (_, body) => {
    // Only a hub that names its versions stops the client for good.
    const json = body === undefined ? async () => Promise.reject(new SyntaxError("not JSON")) : async () => body;
    expect((await checkAuth(async () => ({ status: 400, json }), URL_, "jwt", [])).result).toBe("unknown");
  });

  it("says unknown when the hub cannot be asked", async () => {
    // A network error or a CORS refusal must not be taken for a bad token.
    const failing: FetchLike = async () => Promise.reject(new TypeError("failed to fetch"));
    expect((await checkAuth(failing, URL_, "jwt", [])).result).toBe("unknown");
  });
});
