"""Reads schemas/ into the facts the generators need."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .versions import subprotocol_of

ENTRY_SCHEMA = "notifyhub.json"
CLOSE_CODES_SCHEMA = "protocol/close_codes.json"
ERROR_CODES_SCHEMA = "protocol/error_codes.json"
REFUSAL_REASONS_SCHEMA = "protocol/refusal_reasons.json"


@dataclass(frozen=True)
class MessageType:
    """One message type: its wire name, schema file and generated class names."""

    name: str
    path: str
    message_class: str
    payload_class: str | None
    description: str
    payload_schema: dict[str, Any] | None


@dataclass(frozen=True)
class CloseCodeSpec:
    code: int
    name: str
    reconnect: bool
    description: str


@dataclass(frozen=True)
class RefusalReasonSpec:
    """An `error` the hub may put in an HTTP refusal body, and the status it always comes with."""

    reason: str
    status: int
    description: str


@dataclass(frozen=True)
class Protocol:
    """Everything the generators read from schemas/."""

    root: Path
    entry: dict[str, Any]
    server_types: tuple[MessageType, ...]
    client_types: tuple[MessageType, ...]
    close_codes: tuple[CloseCodeSpec, ...]
    reconnect_range: tuple[int, int]
    stop_range: tuple[int, int]
    error_codes: dict[str, str]
    refusal_reasons: tuple[RefusalReasonSpec, ...]
    subprotocol: str
    bearer_prefix: str


def load_json(path: Path) -> dict[str, Any]:
    with path.open(encoding="utf-8") as handle:
        return json.load(handle)


def _message_type(root: Path, ref: str) -> MessageType:
    schema = load_json(root / ref)
    name = schema["properties"]["type"]["const"]
    payload_ref = schema["properties"].get("payload", {}).get("$ref")
    payload_schema = None
    payload_class = None
    if payload_ref:
        payload_schema = schema["$defs"][payload_ref.rsplit("/", 1)[1]]
        payload_class = payload_schema["title"]
    return MessageType(
        name=name,
        path=ref,
        message_class=schema["title"],
        payload_class=payload_class,
        description=schema["description"],
        payload_schema=payload_schema,
    )


def _union_refs(entry: dict[str, Any], name: str) -> list[str]:
    return [option["$ref"] for option in entry["$defs"][name]["oneOf"]]


def load_protocol(root: Path) -> Protocol:
    """Load the entry schema and every schema it names.

    The order of types is the order of the entry schema's unions, so output is stable.
    """
    entry = load_json(root / ENTRY_SCHEMA)
    close = load_json(root / CLOSE_CODES_SCHEMA)
    errors = load_json(root / ERROR_CODES_SCHEMA)
    refusals = load_json(root / REFUSAL_REASONS_SCHEMA)
    return Protocol(
        root=root,
        entry=entry,
        server_types=tuple(_message_type(root, ref) for ref in _union_refs(entry, "ServerMessage")),
        client_types=tuple(_message_type(root, ref) for ref in _union_refs(entry, "ClientFrame")),
        close_codes=tuple(
            CloseCodeSpec(c["code"], c["name"], c["reconnect"], c["description"])
            for c in close["x-codes"]
        ),
        reconnect_range=tuple(close["x-reconnect-range"]),
        stop_range=tuple(close["x-stop-range"]),
        error_codes=dict(errors["x-descriptions"]),
        refusal_reasons=tuple(
            RefusalReasonSpec(r["reason"], r["status"], r["description"]) for r in refusals["x-reasons"]
        ),
        subprotocol=subprotocol_of(entry),
        bearer_prefix=entry["x-bearer-subprotocol-prefix"],
    )
