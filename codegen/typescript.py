"""TypeScript output: message types (json-schema-to-typescript) plus protocol constants."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from .delivery import Delivery
from .schemas import ENTRY_SCHEMA, MessageType, Protocol
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
    (out_dir / "catalog.ts").write_text(render_catalog(protocol), encoding="utf-8")
    (out_dir / "subscription.ts").write_text(render_subscription(), encoding="utf-8")
    (out_dir / "hooks.ts").write_text(render_hooks(protocol), encoding="utf-8")
    # The hooks stay out of the index: the React bindings re-export them, the plain client does not.
    (out_dir / "index.ts").write_text(
        HEADER + 'export * from "./catalog.js";\nexport * from "./messages.js";\nexport * from "./protocol.js";\n',
        encoding="utf-8",
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


def _field_descriptions(message_type: MessageType) -> list[str]:
    payload = message_type.payload_schema or {"properties": {}}
    required = set(payload.get("required", []))
    return [f"      {{ name: {json.dumps(name)}, description: {json.dumps(prop.get('description', ''))}, "
            f"required: {json.dumps(name in required)} }},"
            for name, prop in payload["properties"].items()]


def _delivery(delivery: Delivery) -> str:
    conflate = json.dumps(delivery.conflate_by) if delivery.conflate_by is not None else "undefined"
    fallback = "undefined"
    if delivery.fallback is not None:
        fallback = (f"{{ afterSeconds: {delivery.fallback.after_seconds}, "
                    f"channels: {json.dumps(list(delivery.fallback.channels))} }}")
    return f"{{ mode: {json.dumps(delivery.mode)}, conflateBy: {conflate}, fallback: {fallback} }}"


def render_catalog(protocol: Protocol) -> str:
    lines = [HEADER,
             'import type { ServerMessageType } from "./protocol.js";', "",
             "/** A payload field as its schema describes it. */",
             "export interface FieldDescription {",
             "  readonly name: string;", "  readonly description: string;", "  readonly required: boolean;", "}", "",
             "/** After `afterSeconds` without an acknowledgement from any device of the user, the message also goes out through `channels`. */",
             "export interface Fallback {",
             "  readonly afterSeconds: number;",
             '  readonly channels: readonly ("push" | "webhook")[];', "}", "",
             "/**",
             " * How the hub delivers a type. `durable`: a `seq`, kept in history, replayed on resume. `live`: only",
             " * to the connections open at the time, without `seq`. `conflateBy`: a payload field; a replay skips",
             " * a message when a later one of the same type has the same value there (its `seq` is then skipped).",
             " */",
             "export interface DeliveryPolicy {",
             '  readonly mode: "durable" | "live";',
             "  readonly conflateBy: string | undefined;",
             "  readonly fallback: Fallback | undefined;", "}", "",
             "/** A server message type as its schema file describes it. */",
             "export interface MessageTypeDescription<T extends ServerMessageType = ServerMessageType> {",
             "  readonly type: T;",
             "  /** The schema's title (the generated type's name). */",
             "  readonly title: string;",
             "  readonly description: string;",
             "  /** The schema file under schemas/, such as `server/book_ready.json`. */",
             "  readonly schema: string;",
             "  /** False for the hub's own messages (`x-origin: hub`), which services cannot publish. */",
             "  readonly sentByServices: boolean;",
             "  /** The React hook for this type, if it has one. */",
             "  readonly hookName: string | undefined;",
             "  /** How the hub delivers this type (its schema's `x-delivery`). */",
             "  readonly delivery: DeliveryPolicy;",
             "  readonly fields: readonly FieldDescription[];", "}", "",
             "/** Every server message type, described by its schema, so a page can show a type it has no view for. */",
             "export const SERVER_MESSAGE_CATALOG: {",
             "  readonly [T in ServerMessageType]: MessageTypeDescription<T>;",
             "} = {"]
    for t in protocol.server_types:
        hook = json.dumps(t.hook_name) if t.hook_name else "undefined"
        lines += [f"  {t.name}: {{",
                  f"    type: {json.dumps(t.name)},",
                  f"    title: {json.dumps(t.message_class)},",
                  f"    description: {json.dumps(t.description)},",
                  f"    schema: {json.dumps(t.path)},",
                  f"    sentByServices: {json.dumps(t.sent_by_services)},",
                  f"    hookName: {hook},",
                  f"    delivery: {_delivery(t.delivery)},",
                  "    fields: [", *_field_descriptions(t), "    ],",
                  "  },"]
    lines += ["};", ""]
    return "\n".join(lines)


def render_subscription() -> str:
    return "\n".join([
        HEADER,
        'import type { PayloadOf, ServerMessageMap, ServerMessageType } from "./protocol.js";', "",
        "/** Receives each message of type T: its payload, and the whole message (`id`, `timestamp`, `seq`). */",
        "export type TypedMessageHandler<T extends ServerMessageType> = (",
        "  payload: PayloadOf<T>,", "  message: ServerMessageMap[T],", ") => void;", "",
        "/** A React hook that calls `handler` for every message of `type` while the component is mounted. */",
        "export type SubscriptionHook = <T extends ServerMessageType>(",
        "  type: T,", "  handler: TypedMessageHandler<T>,", ") => void;",
        "",
        "let provided: SubscriptionHook = () => {",
        '  throw new Error("notifyhub hooks must be used inside <WebSocketProvider>");', "};", "",
        "/**",
        " * Makes every generated hook (hooks.ts) subscribe through `hook`. The React bindings call it",
        " * when the provider's module loads, so this code needs neither React nor the client.",
        " */",
        "export function provideSubscriptionHook(hook: SubscriptionHook): void {",
        "  provided = hook;", "}", "",
        "/** Subscribes through the provided hook; what every generated hook calls. */",
        "export function useProvidedSubscription<T extends ServerMessageType>(",
        "  type: T,", "  handler: TypedMessageHandler<T>,", "): void {",
        "  provided(type, handler);", "}", ""])


def render_hooks(protocol: Protocol) -> str:
    hooked = [t for t in protocol.server_types if t.hook_name]
    lines = [HEADER,
             "/*",
             " * One React hook per message type that services send, and per hub message whose schema",
             " * names one; the name is the schema's `x-hook-name`, else `use` and the type in PascalCase.",
             " */",
             'import type { ServerMessageType } from "./protocol.js";',
             'import { useProvidedSubscription, type TypedMessageHandler } from "./subscription.js";', "",
             "/** The hook of each message type that has one. */",
             "export const SUBSCRIPTION_HOOK_NAMES = {"]
    lines += [f"  {t.name}: {json.dumps(t.hook_name)}," for t in hooked]
    lines += ["} as const satisfies Partial<Record<ServerMessageType, string>>;", ""]
    for t in hooked:
        lines += [f"/** `{t.name}`: {t.description} */",
                  f"export function {t.hook_name}(handler: TypedMessageHandler<{json.dumps(t.name)}>): void {{",
                  f"  useProvidedSubscription({json.dumps(t.name)}, handler);", "}", ""]
    return "\n".join(lines)
