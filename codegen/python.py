"""Python output: pydantic models (datamodel-codegen) plus the registry, constructors and codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from .delivery import DURABLE, Delivery
from .python_formats import check_models, render_formats, type_overrides
from .schemas import ENTRY_SCHEMA, MessageType, Protocol
from .versions import declared_version

PACKAGE = "notifyhub_protocol"
HEADER = '"""{doc}\n\nGenerated from schemas/ by `make codegen`. Do not edit by hand.\n"""\n'


def generate_python(protocol: Protocol, out_dir: Path, project_root: Path) -> None:
    """Write the importable package `notifyhub_protocol` into out_dir."""
    package = out_dir / PACKAGE
    package.mkdir(parents=True, exist_ok=True)
    _run_datamodel_codegen(protocol.root / ENTRY_SCHEMA, package / "models.py", project_root,
                           type_overrides(protocol))
    (package / "formats.py").write_text(render_formats(HEADER), encoding="utf-8")
    (package / "registry.py").write_text(render_registry(protocol), encoding="utf-8")
    (package / "constructors.py").write_text(render_constructors(protocol), encoding="utf-8")
    (package / "codes.py").write_text(render_codes(protocol), encoding="utf-8")
    (package / "__init__.py").write_text(render_init(protocol), encoding="utf-8")


def _run_datamodel_codegen(entry: Path, output: Path, project_root: Path,
                           overrides: dict[str, str]) -> None:
    # Options live in pyproject.toml's [tool.datamodel-codegen]; only the paths and the format
    # fields' types (computed from the schemas, see python_formats.py) vary.
    command = [sys.executable, "-m", "datamodel_code_generator", "--input", str(entry),
               "--output", str(output), "--type-overrides", json.dumps(overrides)]
    result = subprocess.run(command, cwd=project_root, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"datamodel-codegen failed:\n{result.stderr}")
    # The header names the input file; keep it relative so output does not depend on paths.
    text = output.read_text(encoding="utf-8")
    check_models(text)
    output.write_text(text.replace(str(entry), ENTRY_SCHEMA), encoding="utf-8")


def service_types(protocol: Protocol) -> list[MessageType]:
    """Types a service may send; the hub alone sends those marked `x-origin: hub`."""
    return [t for t in protocol.server_types if t.sent_by_services]


def draft_class(message_type: MessageType) -> str:
    return message_type.message_class.removesuffix("Message") + "Draft"


def render_registry(protocol: Protocol) -> str:
    services = service_types(protocol)
    names = sorted(
        {t.message_class for t in protocol.server_types}
        | {t.payload_class for t in protocol.server_types if t.payload_class}
        | {t.message_class for t in protocol.client_types}
        | {"ServerMessage", "ClientFrame"}
    )
    lines = [HEADER.format(doc="The type registry: wire names to models, and the drafts services submit."),
             "from __future__ import annotations", "",
             "from dataclasses import dataclass", "from typing import Annotated, Literal", "",
             "from pydantic import BaseModel, ConfigDict, Field, TypeAdapter", "",
             "from .models import (", *[f"    {name}," for name in names], ")", "", "",
             *DELIVERY_CLASSES,
             "@dataclass(frozen=True, slots=True)",
             "class MessageType:",
             '    """A server message type: its wire name, the models that describe it, and how it is delivered."""', "",
             "    name: str",
             "    message_model: type[BaseModel]",
             "    payload_model: type[BaseModel]",
             "    sent_by_services: bool",
             "    delivery: DeliveryPolicy = DURABLE", "", ""]
    lines.append("SERVER_MESSAGE_TYPES: dict[str, MessageType] = {")
    for t in protocol.server_types:
        lines.append(f'    "{t.name}": MessageType("{t.name}", {t.message_class}, {t.payload_class}, '
                     f"{t.sent_by_services}, {_delivery_value(t.delivery)}),")
    lines += ["}", '"""Every type the hub sends, by its `type` string."""', ""]
    lines.append("CLIENT_FRAME_TYPES: dict[str, type[BaseModel]] = {")
    lines += [f'    "{t.name}": {t.message_class},' for t in protocol.client_types]
    lines += ["}", '"""Every frame type a client may send, by its `type` string."""', "", ""]
    for t in services:
        lines += [f"class {draft_class(t)}(BaseModel):",
                  f'    """A `{t.name}` message as a service submits it; the hub adds `id` and `timestamp`."""',
                  "",
                  '    model_config = ConfigDict(extra="forbid")', "",
                  f'    type: Literal["{t.name}"]',
                  f"    payload: {t.payload_class}", "", ""]
    union = " | ".join(draft_class(t) for t in services)
    lines += [f'OutgoingMessage = Annotated[{union}, Field(discriminator="type")]',
              '"""Any message a service may submit, told apart by `type`."""', "",
              "SERVER_MESSAGE_ADAPTER: TypeAdapter[ServerMessage] = TypeAdapter(ServerMessage)",
              "CLIENT_FRAME_ADAPTER: TypeAdapter[ClientFrame] = TypeAdapter(ClientFrame)",
              "OUTGOING_MESSAGE_ADAPTER: TypeAdapter[OutgoingMessage] = TypeAdapter(OutgoingMessage)", ""]
    return "\n".join(lines)


DELIVERY_CLASSES = [
    "@dataclass(frozen=True, slots=True)",
    "class Fallback:",
    '    """After `after_seconds` without an acknowledgement from any device of the user, the message also',
    '    goes out through `channels` (`push`, `webhook`)."""', "",
    "    after_seconds: int",
    "    channels: tuple[str, ...]", "", "",
    "@dataclass(frozen=True, slots=True)",
    "class DeliveryPolicy:",
    '    """How the hub delivers a type, as its schema\'s `x-delivery` states (docs/delivery.md).', "",
    "    `durable`: a seq, kept in history, replayed. `live`: only to the connections open at the time.",
    "    `conflate_by`: a payload field; a replay skips a message when a later one of its type has the",
    '    same value there."""', "",
    '    mode: Literal["durable", "live"] = "durable"',
    "    conflate_by: str | None = None",
    "    fallback: Fallback | None = None", "",
    "    @property",
    "    def live(self) -> bool:",
    '        return self.mode == "live"', "", "",
    "DURABLE = DeliveryPolicy()",
    '"""The policy of a type whose schema states none."""', "", "",
]
"""The generated classes that describe a type's delivery policy."""


def _delivery_value(delivery: Delivery) -> str:
    """The registry's Python expression for a policy: `DURABLE` when it is the default."""
    if delivery == DURABLE:
        return "DURABLE"
    arguments = [f'"{delivery.mode}"']
    if delivery.conflate_by is not None:
        arguments.append(f'conflate_by="{delivery.conflate_by}"')
    if delivery.fallback is not None:
        channels = repr(delivery.fallback.channels).replace("'", '"')
        arguments.append(f"fallback=Fallback({delivery.fallback.after_seconds}, {channels})")
    return f"DeliveryPolicy({', '.join(arguments)})"


_SIMPLE_TYPES = {"integer": "int", "number": "float", "boolean": "bool"}
_STRING_FORMATS = {"uuid": "UUID | str", "date-time": "datetime", "uri": "str"}


def python_annotation(schema: dict[str, Any]) -> str:
    """The annotation a constructor parameter gets for a property schema."""
    if "enum" in schema:
        return "Literal[" + ", ".join(repr(v) for v in schema["enum"]) + "]"
    if schema.get("type") == "object":
        return "dict[str, Any]"
    kind = schema.get("type")
    if kind == "string":
        return _STRING_FORMATS.get(schema.get("format", ""), "str")
    return _SIMPLE_TYPES[kind]


def _payload_parameters(protocol: Protocol, t: MessageType) -> list[str]:
    """The keyword parameters of a type's constructor and draft builder: its payload's fields."""
    from .schemas import load_json

    payload = t.payload_schema or {"properties": {}, "required": []}
    required = set(payload.get("required", []))
    params = []
    for name, prop in payload["properties"].items():
        if "$ref" in prop:
            prop = load_json((protocol.root / t.path).parent / prop["$ref"])
        annotation = python_annotation(prop)
        params.append(f"    {name}: {annotation}," if name in required
                      else f"    {name}: {annotation} | MISSING = MISSING,")
    return params


def _constructor(protocol: Protocol, t: MessageType) -> list[str]:
    function = f"new_{t.name}_message"
    return [f"def {function}(", "    *,", *_payload_parameters(protocol, t), f") -> {t.message_class}:",
            f'    """{t.description}',
            "",
            "    Validates the payload strictly (as the schema would) and stamps a new `id` and `timestamp`.",
            "    Raises pydantic.ValidationError when a field is invalid.",
            '    """',
            f'    return _stamp("{t.name}", {t.message_class}, {t.payload_class}, locals())', "", ""]


def _draft_builder(protocol: Protocol, t: MessageType) -> list[str]:
    draft = draft_class(t)
    return [f"def new_{t.name}_draft(", "    *,", *_payload_parameters(protocol, t), f") -> {draft}:",
            f'    """A `{t.name}` message as a service submits it: {t.description[0].lower()}{t.description[1:]}',
            "",
            "    Validates the payload strictly (as the schema would); the hub adds `id` and `timestamp`.",
            "    Raises pydantic.ValidationError when a field is invalid.",
            '    """',
            f'    return _draft("{t.name}", {draft}, {t.payload_class}, locals())', "", ""]


MESSAGE_IDS = """class _MessageIds:
    \"\"\"Random version-4 UUIDs (RFC 4122), as `uuid.uuid4()` makes them, from `os.urandom` read
    for many ids at once: one system call per batch instead of one per message.\"\"\"

    BATCH = 256
    _VARIANT_AND_VERSION = (0x8000 << 48) | (4 << 76)
    _CLEAR = ~((0xC000 << 48) | (0xF000 << 64))

    __slots__ = ("_random", "_offset")

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        \"\"\"Forget the buffered bytes (after a fork, so that no two processes share ids).\"\"\"
        self._random = b""
        self._offset = 0

    def __call__(self) -> UUID:
        if self._offset >= len(self._random):
            self._random, self._offset = os.urandom(16 * self.BATCH), 0
        value = int.from_bytes(self._random[self._offset:self._offset + 16])
        self._offset += 16
        uuid = object.__new__(UUID)
        object.__setattr__(uuid, "int", value & self._CLEAR | self._VARIANT_AND_VERSION)
        object.__setattr__(uuid, "is_safe", SafeUUID.unknown)
        return uuid


new_message_id = _MessageIds()
\"\"\"A new random message id (a version-4 UUID).\"\"\"
os.register_at_fork(after_in_child=new_message_id.reset)

""".split("\n")
"""The generated message-id source: `_stamp` gives every message one."""


def render_constructors(protocol: Protocol) -> str:
    classes = sorted({t.message_class for t in protocol.server_types}
                     | {t.payload_class for t in protocol.server_types if t.payload_class})
    drafts = sorted(draft_class(t) for t in service_types(protocol))
    lines = [HEADER.format(doc="Typed constructors for every server message type, and builders of the drafts "
                               "services submit."),
             "from __future__ import annotations", "",
             "import os",
             "from datetime import UTC, datetime",
             "from typing import Any, Literal, TypeVar",
             "from uuid import UUID, SafeUUID", "",
             "from pydantic import MISSING, BaseModel", "",
             "from .models import (", *[f"    {name}," for name in classes], ")",
             "from .registry import (", *[f"    {name}," for name in drafts], ")", "",
             'MessageT = TypeVar("MessageT", bound=BaseModel)', "", "",
             *MESSAGE_IDS,
             "def _stamp(message_type: str, message_model: type[MessageT], payload_model: type[BaseModel],",
             "           fields: dict[str, Any]) -> MessageT:",
             "    payload = payload_model.model_validate(",
             "        {name: value for name, value in fields.items() if value is not MISSING}, strict=True",
             "    )",
             "    return message_model.model_construct(",
             "        type=message_type, id=new_message_id(), timestamp=datetime.now(UTC), payload=payload",
             "    )", "", "",
             "def _draft(message_type: str, draft_model: type[MessageT], payload_model: type[BaseModel],",
             "           fields: dict[str, Any]) -> MessageT:",
             "    payload = payload_model.model_validate(",
             "        {name: value for name, value in fields.items() if value is not MISSING}, strict=True",
             "    )",
             "    return draft_model.model_construct(type=message_type, payload=payload)", "", ""]
    for t in protocol.server_types:
        lines += _constructor(protocol, t)
    for t in service_types(protocol):
        lines += _draft_builder(protocol, t)
    lines[-1:] = []
    return "\n".join(lines) + "\n"


def render_codes(protocol: Protocol) -> str:
    low, high = protocol.reconnect_range
    stop_low, stop_high = protocol.stop_range
    lines = [HEADER.format(doc="Close codes and error codes of the protocol."),
             "from __future__ import annotations", "",
             "from collections.abc import Mapping",
             "from enum import IntEnum, StrEnum",
             "from types import MappingProxyType", "",
             f'SUBPROTOCOL = "{protocol.subprotocol}"',
             '"""The WebSocket subprotocol the hub speaks: `notifyhub.v` and the major protocol version."""', "",
             f'PROTOCOL_VERSION = "{declared_version(protocol.entry)}"',
             '"""The protocol version these models describe (major.minor.patch)."""', "",
             f'BEARER_SUBPROTOCOL_PREFIX = "{protocol.bearer_prefix}"',
             '"""A browser offers `bearer.<jwt>` beside SUBPROTOCOL to pass its token."""', "", "",
             "class CloseCode(IntEnum):",
             '    """WebSocket close codes the hub uses."""', ""]
    for c in protocol.close_codes:
        lines += [f"    {c.name} = {c.code}", f'    """{c.description}"""', ""]
    reconnecting = ", ".join(f"CloseCode.{c.name}" for c in protocol.close_codes if c.reconnect)
    lines += ["",
              f"RECONNECT_CLOSE_CODES = frozenset({{{reconnecting}}})",
              '"""Known codes after which a client reconnects with backoff."""', "",
              f"RECONNECT_RANGE = range({low}, {high + 1})",
              f"STOP_RANGE = range({stop_low}, {stop_high + 1})", "", "",
              "def should_reconnect(code: int) -> bool:",
              '    """Whether a client should reconnect after the hub closed with `code`."""',
              "    if code in RECONNECT_CLOSE_CODES or code in RECONNECT_RANGE:",
              "        return True",
              "    if code in STOP_RANGE or code in CloseCode.__members__.values():",
              "        return False",
              "    return True", "", "",
              "class ErrorCode(StrEnum):",
              '    """Why the hub could not act on a frame a client sent (the `error` message\'s `code`)."""', ""]
    for code, description in protocol.error_codes.items():
        lines += [f'    {code.upper()} = "{code}"', f'    """{description}"""', ""]
    lines += ["", *_refusal_reasons(protocol)]
    return "\n".join(lines) + "\n"


def _refusal_reasons(protocol: Protocol) -> list[str]:
    lines = ["class RefusalReason(StrEnum):",
             '    """Why the hub refused an HTTP request (the `error` of the refusal\'s JSON body)."""', ""]
    for r in protocol.refusal_reasons:
        lines += [f'    {r.reason.upper()} = "{r.reason}"', f'    """{r.status}: {r.description}"""', ""]
    lines += ["", "REFUSAL_STATUS: Mapping[RefusalReason, int] = MappingProxyType({"]
    lines += [f"    RefusalReason.{r.reason.upper()}: {r.status}," for r in protocol.refusal_reasons]
    lines += ["})", '"""The HTTP status each refusal reason always comes with."""', "", "",
              "def refusal_status(reason: str) -> int:",
              '    """The HTTP status the hub answers with for `reason`.', "",
              "    Raises ValueError when `reason` is not a RefusalReason.",
              '    """',
              "    return REFUSAL_STATUS[RefusalReason(reason)]"]
    return lines


def render_init(protocol: Protocol) -> str:
    constructors = ([f"new_{t.name}_message" for t in protocol.server_types]
                    + [f"new_{t.name}_draft" for t in service_types(protocol)])
    drafts = [draft_class(t) for t in service_types(protocol)]
    models = sorted({t.message_class for t in protocol.server_types}
                    | {t.payload_class for t in protocol.server_types if t.payload_class}
                    | {t.message_class for t in protocol.client_types}
                    | {"ServerMessage", "ClientFrame"})
    registry = ["CLIENT_FRAME_ADAPTER", "CLIENT_FRAME_TYPES", "DURABLE", "DeliveryPolicy", "Fallback",
                "MessageType", "OUTGOING_MESSAGE_ADAPTER",
                "OutgoingMessage", "SERVER_MESSAGE_ADAPTER", "SERVER_MESSAGE_TYPES", *sorted(drafts)]
    codes = ["BEARER_SUBPROTOCOL_PREFIX", "CloseCode", "ErrorCode", "PROTOCOL_VERSION",
             "RECONNECT_CLOSE_CODES", "REFUSAL_STATUS", "RefusalReason", "SUBPROTOCOL", "refusal_status",
             "should_reconnect"]
    lines = [HEADER.format(doc="notifyhub's protocol: message models, registry, constructors and codes."),
             "from .codes import (", *[f"    {n}," for n in codes], ")",
             "from .constructors import (", *[f"    {n}," for n in constructors], ")",
             "from .models import (", *[f"    {n}," for n in models], ")",
             "from .registry import (", *[f"    {n}," for n in registry], ")", "",
             "__all__ = [", *[f'    "{n}",' for n in sorted(codes + constructors + models + registry)], "]", ""]
    return "\n".join(lines)
