"""Reads schemas/ into the facts the generators need."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .delivery import Delivery, DeliveryError, parse_delivery
from .versions import subprotocol_of

ENTRY_SCHEMA = "notifyhub.json"
CLOSE_CODES_SCHEMA = "protocol/close_codes.json"
ERROR_CODES_SCHEMA = "protocol/error_codes.json"
REFUSAL_REASONS_SCHEMA = "protocol/refusal_reasons.json"
UNION_FOLDERS = {"ServerMessage": "server", "ClientFrame": "client"}
"""Each union of the entry schema and the folder whose files are its members: one file, one type."""


class SchemaError(SystemExit):
    """schemas/ contradicts itself; the message names the file and what to do."""


@dataclass(frozen=True)
class MessageType:
    """One message type: its wire name, schema file and generated class names."""

    name: str
    path: str
    message_class: str
    payload_class: str | None
    description: str
    payload_schema: dict[str, Any] | None
    hook_name: str | None
    sent_by_services: bool
    delivery: Delivery


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


def pascal_case(name: str) -> str:
    """`book_ready` -> `BookReady`."""
    return "".join(part.capitalize() for part in name.split("_"))


def _message_type(root: Path, ref: str) -> MessageType:
    schema = load_json(root / ref)
    name = schema["properties"]["type"]["const"]
    payload_ref = schema["properties"].get("payload", {}).get("$ref")
    payload_schema = None
    payload_class = None
    if payload_ref:
        payload_schema = schema["$defs"][payload_ref.rsplit("/", 1)[1]]
        payload_class = payload_schema["title"]
    sent_by_services = schema.get("x-origin") != "hub"
    # A type services send gets a React hook; one the hub sends by itself only if it names one.
    hook_name = schema.get("x-hook-name", f"use{pascal_case(name)}" if sent_by_services else None)
    try:
        delivery = parse_delivery(schema, payload_schema, sent_by_services)
    except DeliveryError as refusal:
        raise SchemaError(f"schemas/{ref}: {refusal}") from refusal
    return MessageType(
        name=name,
        path=ref,
        message_class=schema["title"],
        payload_class=payload_class,
        description=schema["description"],
        payload_schema=payload_schema,
        hook_name=hook_name,
        sent_by_services=sent_by_services,
        delivery=delivery,
    )


def member_files(root: Path, folder: str) -> list[str]:
    """The schema files of a union's folder, relative to root, in the canonical order (by name)."""
    return sorted(path.relative_to(root).as_posix() for path in (root / folder).glob("*.json"))


def derived_union(root: Path, folder: str) -> dict[str, Any]:
    """A union's `oneOf` and discriminator mapping, as the files of its folder make them."""
    files = member_files(root, folder)
    mapping = {load_json(root / ref)["properties"]["type"]["const"]: ref for ref in files}
    return {"oneOf": [{"$ref": ref} for ref in files],
            "discriminator": {"propertyName": "type", "mapping": mapping}}


def union_mismatches(root: Path, entry: dict[str, Any]) -> list[str]:
    """Each way the entry schema's unions differ from the files they must list, naming the file."""
    problems: list[str] = []
    for union, folder in UNION_FOLDERS.items():
        want = derived_union(root, folder)
        have = {key: entry["$defs"][union].get(key) for key in want}
        listed = [option.get("$ref") for option in have["oneOf"] or []]
        wanted = [option["$ref"] for option in want["oneOf"]]
        mapping = (have["discriminator"] or {}).get("mapping") or {}
        where = f"{ENTRY_SCHEMA} $defs.{union}"
        problems += [f"{where}.oneOf does not list {ref}" for ref in wanted if ref not in listed]
        problems += [f"{where}.oneOf lists {ref}, which is not a file of {folder}/" for ref in listed
                     if ref not in wanted]
        problems += [f"{where}.discriminator.mapping lacks {name!r}: {ref}"
                     for name, ref in want["discriminator"]["mapping"].items() if mapping.get(name) != ref]
        problems += [f"{where}.discriminator.mapping names {name!r}, which no file of {folder}/ declares"
                     for name in mapping if name not in want["discriminator"]["mapping"]]
        if not problems:
            problems += _misordered(f"{where}.oneOf", listed, wanted)
            problems += _misordered(f"{where}.discriminator.mapping", list(mapping.values()), wanted)
        if not problems and have != want:
            problems.append(f"{where} differs from {json.dumps(want)}")
    return problems


def _misordered(where: str, listed: list[str], wanted: list[str]) -> list[str]:
    for have, want in zip(listed, wanted, strict=True):
        if have != want:
            return [f"{where} lists {have} where {want} belongs (the order is by file name)"]
    return []


def write_unions(root: Path) -> bool:
    """Rewrite the entry schema's unions from the files; whether anything changed."""
    path = root / ENTRY_SCHEMA
    entry = load_json(path)
    for union, folder in UNION_FOLDERS.items():
        entry["$defs"][union].update(derived_union(root, folder))
    text = json.dumps(entry, indent=2, ensure_ascii=False) + "\n"
    if text == path.read_text(encoding="utf-8"):
        return False
    path.write_text(text, encoding="utf-8")
    return True


def load_protocol(root: Path) -> Protocol:
    """Load the entry schema and every schema file of its unions' folders, in file-name order.

    Raises SchemaError when the entry schema's unions do not list exactly those files in that
    order (`make codegen` writes them; see write_unions).
    """
    entry = load_json(root / ENTRY_SCHEMA)
    problems = union_mismatches(root, entry)
    if problems:
        listed = "; ".join(f"schemas/{problem}" for problem in problems)
        raise SchemaError(f"{listed}. Run `make codegen` to derive the unions.")
    close = load_json(root / CLOSE_CODES_SCHEMA)
    errors = load_json(root / ERROR_CODES_SCHEMA)
    refusals = load_json(root / REFUSAL_REASONS_SCHEMA)
    return Protocol(
        root=root,
        entry=entry,
        server_types=tuple(_message_type(root, ref) for ref in member_files(root, "server")),
        client_types=tuple(_message_type(root, ref) for ref in member_files(root, "client")),
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
