"""TypeScript output: message types (json-schema-to-typescript) plus protocol constants."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from .schemas import ENTRY_SCHEMA, Protocol
from .versions import declared_version

HEADER = "/* Generated from schemas/ by `make codegen`. Do not edit by hand. */\n"


def generate_typescript(protocol: Protocol, out_dir: Path, project_root: Path) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    command = ["node", str(project_root / "codegen" / "typescript.mjs"),
               str(protocol.root / ENTRY_SCHEMA), str(out_dir / "messages.ts")]
    result = subprocess.run(command, cwd=project_root, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"json-schema-to-typescript failed:\n{result.stderr}")
    (out_dir / "protocol.ts").write_text(render_protocol(protocol), encoding="utf-8")
    (out_dir / "index.ts").write_text(
        HEADER + 'export * from "./messages.js";\nexport * from "./protocol.js";\n', encoding="utf-8"
    )


def _camel(name: str) -> str:
    return "".join(part.capitalize() for part in name.lower().split("_"))


def _refusal_reasons(protocol: Protocol) -> list[str]:
    lines = ["/** Why the hub refused an HTTP request (the `error` of the refusal's JSON body). */",
             "export const RefusalReason = {"]
    for r in protocol.refusal_reasons:
        lines += [f"  /** {r.status}: {r.description} */", f"  {r.reason.upper()}: {json.dumps(r.reason)},"]
    lines += ["} as const;",
              "export type RefusalReason = (typeof RefusalReason)[keyof typeof RefusalReason];", "",
              "/** The HTTP status each refusal reason always comes with. */",
              "export const REFUSAL_STATUS: Readonly<Record<RefusalReason, number>> = {"]
    lines += [f"  [RefusalReason.{r.reason.upper()}]: {r.status}," for r in protocol.refusal_reasons]
    lines += ["};", "",
              "const KNOWN_REFUSAL_REASONS: ReadonlySet<string> = new Set(Object.values(RefusalReason));", "",
              "/** Whether `error` (from a refusal body) is a reason this protocol version knows. */",
              "export function isRefusalReason(error: unknown): error is RefusalReason {",
              '  return typeof error === "string" && KNOWN_REFUSAL_REASONS.has(error);', "}", ""]
    return lines


def render_protocol(protocol: Protocol) -> str:
    low, high = protocol.reconnect_range
    stop_low, stop_high = protocol.stop_range
    server = protocol.server_types
    imports = sorted({t.message_class for t in server} | {"ServerMessage"})
    lines = [HEADER,
             "import type {", *[f"  {name}," for name in imports], '} from "./messages.js";', "",
             "/** The WebSocket subprotocol the hub speaks: `notifyhub.v` and the major protocol version. */",
             f"export const SUBPROTOCOL = {json.dumps(protocol.subprotocol)};", "",
             "/** The protocol version these types describe (major.minor.patch). */",
             f"export const PROTOCOL_VERSION = {json.dumps(str(declared_version(protocol.entry)))};", "",
             "/** A browser offers `bearer.<jwt>` beside SUBPROTOCOL to pass its token. */",
             f"export const BEARER_SUBPROTOCOL_PREFIX = {json.dumps(protocol.bearer_prefix)};", "",
             "/** WebSocket close codes the hub uses. */",
             "export const CloseCode = {"]
    for c in protocol.close_codes:
        lines += [f"  /** {c.description} */", f"  {c.name}: {c.code},"]
    lines += ["} as const;",
              "export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode];", "",
              "/** Known close codes after which a client reconnects with backoff. */",
              "export const RECONNECT_CLOSE_CODES: ReadonlySet<number> = new Set([",
              *[f"  CloseCode.{c.name}," for c in protocol.close_codes if c.reconnect], "]);", "",
              "const KNOWN_CLOSE_CODES: ReadonlySet<number> = new Set(Object.values(CloseCode));", "",
              "/** Whether a client should reconnect after the socket closed with `code`. */",
              "export function shouldReconnect(code: number): boolean {",
              f"  if (RECONNECT_CLOSE_CODES.has(code) || (code >= {low} && code <= {high})) return true;",
              f"  if ((code >= {stop_low} && code <= {stop_high}) || KNOWN_CLOSE_CODES.has(code)) return false;",
              "  return true;", "}", "",
              "/** Why the hub could not act on a frame a client sent. */",
              "export const ErrorCodes = ["]
    lines += [f"  {json.dumps(code)}," for code in protocol.error_codes]
    lines += ["] as const;", "", *_refusal_reasons(protocol),
              "/** Every `type` the hub sends. */",
              "export const SERVER_MESSAGE_TYPES = ["]
    lines += [f"  {json.dumps(t.name)}," for t in server]
    lines += ["] as const;", "",
              "/** Each server message type by its `type` string. */",
              "export interface ServerMessageMap {"]
    lines += [f"  {t.name}: {t.message_class};" for t in server]
    lines += ["}", "",
              'export type ServerMessageType = ServerMessage["type"];',
              "/** The payload type of the message whose `type` is T. */",
              'export type PayloadOf<T extends ServerMessageType> = ServerMessageMap[T]["payload"];', ""]
    return "\n".join(lines)
