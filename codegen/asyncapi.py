"""AsyncAPI 3.0 output: one document describing the WebSocket API, bundled from schemas/."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .schemas import CLOSE_CODES_SCHEMA, ERROR_CODES_SCHEMA, MessageType, Protocol, load_json

DROPPED_KEYWORDS = {"$schema", "$defs"}


def generate_asyncapi(protocol: Protocol, out_dir: Path, version: str) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    document = build_document(protocol, version)
    text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    (out_dir / "asyncapi.json").write_text(text, encoding="utf-8")


def _bundle(protocol: Protocol) -> dict[str, Any]:
    """Every named schema under components.schemas, with refs rewritten to point there."""
    files = [t.path for t in protocol.server_types + protocol.client_types]
    files += [ERROR_CODES_SCHEMA, CLOSE_CODES_SCHEMA]
    titles = {path: load_json(protocol.root / path)["title"] for path in files}
    schemas: dict[str, Any] = {}
    for path in files:
        schema = load_json(protocol.root / path)
        for definition in schema.get("$defs", {}).values():
            schemas[definition["title"]] = _rewrite(definition, path, titles, schema)
        schemas[schema["title"]] = _rewrite(schema, path, titles, schema)
    return schemas


def _rewrite(node: Any, path: str, titles: dict[str, str], document: dict[str, Any]) -> Any:
    if isinstance(node, list):
        return [_rewrite(item, path, titles, document) for item in node]
    if not isinstance(node, dict):
        return node
    result = {}
    for key, value in node.items():
        if key in DROPPED_KEYWORDS:
            continue
        if key == "$ref":
            result[key] = "#/components/schemas/" + _ref_title(value, path, titles, document)
        else:
            result[key] = _rewrite(value, path, titles, document)
    return result


def _ref_title(ref: str, path: str, titles: dict[str, str], document: dict[str, Any]) -> str:
    if ref.startswith("#/$defs/"):
        return document["$defs"][ref.removeprefix("#/$defs/")]["title"]
    target = (Path(path).parent / ref).as_posix()
    parts = []
    for part in target.split("/"):
        if part == ".." and parts:
            parts.pop()
        else:
            parts.append(part)
    return titles["/".join(parts)]


def _message(t: MessageType, protocol: Protocol) -> dict[str, Any]:
    schema = load_json(protocol.root / t.path)
    return {
        "name": t.name,
        "title": t.message_class,
        "summary": t.description,
        "contentType": "application/json",
        "payload": {"$ref": f"#/components/schemas/{t.message_class}"},
        **_delivery(t, protocol),
        "examples": [{"name": f"{t.name}-{i}", "payload": e} for i, e in enumerate(schema["examples"], 1)],
    }


def _delivery(t: MessageType, protocol: Protocol) -> dict[str, Any]:
    """A published type's delivery policy, for people (`description`) and for tools (`x-delivery`);
    nothing for the hub's own messages and the client's frames, which it does not apply to."""
    if not t.sent_by_services or t not in protocol.server_types:
        return {}
    return {"description": t.delivery.summary(), "x-delivery": t.delivery.as_json()}


def build_document(protocol: Protocol, version: str) -> dict[str, Any]:
    server_refs = {t.name: {"$ref": f"#/components/messages/{t.name}"} for t in protocol.server_types}
    client_refs = {t.name: {"$ref": f"#/components/messages/{t.name}"} for t in protocol.client_types}
    close_codes = "\n".join(
        f"- `{c.code}` {c.name}: {c.description} ({'reconnect' if c.reconnect else 'stop'})"
        for c in protocol.close_codes
    )
    refusals = "\n".join(f"- {r.status} `{r.reason}`: {r.description}" for r in protocol.refusal_reasons)
    return {
        "asyncapi": "3.0.0",
        "info": {
            "title": "notifyhub",
            "version": version,
            "description": "Real-time notifications for HaiLanGo users over one WebSocket per tab.\n\n"
                           f"Close codes:\n{close_codes}\n\nHTTP refusal reasons:\n{refusals}",
        },
        "defaultContentType": "application/json",
        "servers": {
            "local": {"host": "localhost:8080", "protocol": "ws", "description": "`make run`"},
        },
        "channels": {
            "userStream": {
                "address": "/api/v1/ws",
                "title": "A user's notification stream",
                "description": "Authenticate with a JWT as `?token=`, an `Authorization: Bearer` header, "
                               f"or the subprotocol `{protocol.bearer_prefix}<jwt>` offered beside "
                               f"`{protocol.subprotocol}`. A refused handshake is an HTTP response "
                               "before the upgrade, with a JSON body `{\"error\": <reason>, \"detail\": ...}`.",
                "messages": {**server_refs, **client_refs},
            }
        },
        "operations": {
            "sendServerMessage": {
                "action": "send",
                "channel": {"$ref": "#/channels/userStream"},
                "summary": "The hub sends messages to the user's connections.",
                "messages": [{"$ref": f"#/channels/userStream/messages/{name}"} for name in server_refs],
            },
            "receiveClientFrame": {
                "action": "receive",
                "channel": {"$ref": "#/channels/userStream"},
                "summary": "The hub receives frames from a client.",
                "messages": [{"$ref": f"#/channels/userStream/messages/{name}"} for name in client_refs],
            },
        },
        "components": {
            "schemas": _bundle(protocol),
            "messages": {t.name: _message(t, protocol)
                         for t in protocol.server_types + protocol.client_types},
        },
    }
