import { describe, expect, it } from "vitest";
import { closeCodeName, decideAfterClose } from "../../src/closePolicy.js";
import { CloseCode } from "../../src/types.js";

describe("decideAfterClose", () => {
  it.each([
    [CloseCode.SERVICE_RESTART],
    [CloseCode.TOKEN_EXPIRED],
    [CloseCode.SLOW_CONSUMER],
    [CloseCode.HEARTBEAT_TIMEOUT],
    [CloseCode.RESYNC],
    [1006],
    [4321],
  ])("reconnects after %i", (code) => {
    // A hub restart, an expired token or a dropped link never leaves the user offline.
    expect(decideAfterClose(code, "", true, true)).toEqual({ action: "reconnect" });
  });

  it.each([
    [CloseCode.NORMAL_CLOSURE, "normal_closure"],
    [CloseCode.UNAUTHORIZED, "unauthorized"],
    [CloseCode.CONNECTION_REVOKED, "connection_revoked"],
    [CloseCode.POLICY_VIOLATION, "policy_violation"],
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

  it("names codes after the generated constants", () => {
    expect(closeCodeName(4001)).toBe("token_expired");
    expect(closeCodeName(1006)).toBeUndefined();
  });
});
