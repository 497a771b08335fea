import { describe, expect, it } from "vitest";
import { closeCodeName, decideAfterAuthCheck, decideAfterClose, parseRetryAfter } from "../../src/closePolicy.js";
import { CloseCode } from "../../src/types.js";

describe("decideAfterClose", () => {
  it.each([
    [CloseCode.GOING_AWAY],
    [CloseCode.INTERNAL_ERROR],
    [CloseCode.SERVICE_RESTART],
    [CloseCode.TRY_AGAIN_LATER],
    [CloseCode.TOKEN_EXPIRED],
    [CloseCode.SLOW_CONSUMER],
    [CloseCode.HEARTBEAT_TIMEOUT],
    [CloseCode.RESYNC],
    [1006],
    [4321],
    [4499],
  ])("reconnects after %i", (code) => {
    // A hub restart, an expired token or a dropped link never leaves the user offline.
    expect(decideAfterClose(code, "", true, true)).toEqual({ action: "reconnect" });
  });

  it.each([
    [CloseCode.NORMAL_CLOSURE, "normal_closure"],
    [CloseCode.UNAUTHORIZED, "unauthorized"],
    [CloseCode.CONNECTION_REVOKED, "connection_revoked"],
    [CloseCode.POLICY_VIOLATION, "policy_violation"],
    [4500, "unauthorized"],
    [4999, "close code 4999"],
  ])("stops after %i, named %s", (code, reason) => {
    // Codes the hub uses to say "do not come back" are obeyed.
    expect(decideAfterClose(code, "", true, true)).toEqual({ action: "stop", reason });
  });

  it("prefers the hub's own reason", () => {
    expect(decideAfterClose(CloseCode.CONNECTION_REVOKED, "logged out elsewhere", true, true)).toEqual({
      action: "stop",
      reason: "logged out elsewhere",
    });
  });

  it("asks the auth-check after a handshake that never opened", () => {
    // A browser cannot see a 401; the client must find out before retrying blindly.
    expect(decideAfterClose(1006, "", false, true)).toEqual({ action: "check-auth" });
    expect(decideAfterClose(1006, "", false, false)).toEqual({ action: "reconnect" });
  });

  it("passes on the hub's retry_after hint with a reconnect", () => {
    // An overloaded hub says when to come back; the client listens.
    expect(decideAfterClose(CloseCode.TRY_AGAIN_LATER, "backend unavailable; retry_after=2.5", true, true)).toEqual({
      action: "reconnect",
      retryAfter: 2500,
    });
    expect(decideAfterClose(CloseCode.TRY_AGAIN_LATER, "backend unavailable", true, true)).toEqual({ action: "reconnect" });
  });

  it("names codes after the generated constants", () => {
    expect(closeCodeName(4001)).toBe("token_expired");
    expect(closeCodeName(1006)).toBeUndefined();
  });
});

describe("parseRetryAfter", () => {
  it.each([
    ["retry_after=2", 2000],
    ["retry_after=0", 0],
    ["backend unavailable; retry_after=2.5", 2500],
    ["busy (retry_after=0.25)", 250],
    ["retry_after=1.0005 then more", 1001],
    ["retry_after=3, then retry_after=9", 3000],
    ["retry_after=2.", 2000],
  ])("reads %j as %i ms", (reason, ms) => {
    // Integer and fractional seconds, wherever the hub puts the hint in its reason.
    expect(parseRetryAfter(reason)).toBe(ms);
  });

  it.each([
    [""],
    ["backend unavailable"],
    ["retry_after="],
    ["retry_after=-1"],
    ["retry_after=soon"],
    ["retry_after=.5"],
    ["no_retry_after=5"],
    ["RETRY_AFTER=5"],
  ])("finds no hint in %j", (reason) => {
    // A malformed hint is ignored: the client falls back to plain backoff rather than guessing.
    expect(parseRetryAfter(reason)).toBeUndefined();
  });
});

describe("decideAfterAuthCheck", () => {
  it.each([["authorized" as const], ["unknown" as const]])("reconnects without counting when the answer is %s", (result) => {
    // A fine token or an unreachable hub is a transient failure, however often it happens.
    expect(decideAfterAuthCheck(result, 0, 5)).toEqual({ action: "reconnect", refused: false });
    expect(decideAfterAuthCheck(result, 0, 0)).toEqual({ action: "reconnect", refused: false });
  });

  it("allows one more attempt with a fresh token after the first refusal, then stops as unauthorized", () => {
    // An expired token is cured by getToken; bad credentials do not hammer the hub.
    expect(decideAfterAuthCheck("unauthorized", 1, 5)).toEqual({ action: "reconnect", refused: true });
    expect(decideAfterAuthCheck("unauthorized", 2, 5)).toEqual({ action: "stop", reason: "unauthorized" });
    expect(decideAfterAuthCheck("unauthorized", 2, Infinity)).toEqual({ action: "stop", reason: "unauthorized" });
  });

  it("stops at once when the hub speaks another protocol version, whatever the counts", () => {
    // No token or retry cures a version mismatch: only a new build of the app does.
    expect(decideAfterAuthCheck("unsupported_protocol", 0, 5)).toEqual({ action: "stop", reason: "unsupported_protocol" });
    expect(decideAfterAuthCheck("unsupported_protocol", 0, Infinity)).toEqual({ action: "stop", reason: "unsupported_protocol" });
  });

  it("gives up once refusals exceed maxReconnectAttempts", () => {
    expect(decideAfterAuthCheck("unauthorized", 1, 0)).toEqual({ action: "stop", reason: "reconnect_attempts_exhausted" });
  });
});
