"""`x-delivery` in a schema reaches the registries and AsyncAPI; a policy the hub cannot honour is
refused by codegen, naming the file; a change of it is classified for old peers."""

from __future__ import annotations

import copy
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from notifyhub_protocol import DURABLE, SERVER_MESSAGE_TYPES, DeliveryPolicy, Fallback

from codegen.__main__ import GENERATED, SCHEMAS
from codegen.compat import Kind, compare
from codegen.delivery import DeliveryError, parse_delivery
from codegen.schemas import SchemaError, load_protocol
from tests.contract.schema_files import load

OCR = SCHEMAS / "server" / "ocr_progress.json"
FALLBACK = DeliveryPolicy("durable", fallback=Fallback(300, ("push", "webhook")))


def test_the_registry_carries_each_types_policy() -> None:
    """The hub reads the policy from the generated registry: ocr_progress conflated by book, the
    book and review messages with a fallback, the rest durable."""
    policies = {name: t.delivery for name, t in SERVER_MESSAGE_TYPES.items()}
    assert policies["ocr_progress"] == DeliveryPolicy("durable", conflate_by="book_id")
    assert policies["book_ready"] == policies["review_reminder"] == FALLBACK
    assert policies["notification"] == policies["learning_update"] == DURABLE
    assert not any(policy.live for policy in policies.values())


def test_asyncapi_states_the_policy_of_each_published_type() -> None:
    """Tools read `x-delivery` on each message, people its description; the hub's own messages have none."""
    document = json.loads((GENERATED / "asyncapi" / "asyncapi.json").read_text())
    messages = document["components"]["messages"]
    assert messages["ocr_progress"]["x-delivery"] == {"mode": "durable", "conflate-by": "book_id"}
    assert messages["book_ready"]["x-delivery"] == {
        "mode": "durable", "fallback": {"after-seconds": 300, "channels": ["push", "webhook"]}}
    assert messages["notification"]["x-delivery"] == {"mode": "durable"}
    assert "300 s" in messages["review_reminder"]["description"]
    assert "x-delivery" not in messages["pong"] and "x-delivery" not in messages["ack"]


PAYLOAD = load(OCR)["$defs"]["OcrProgressPayload"]
REFUSED = [
    ("not an object", "live", "must be an object"),
    ("unknown mode", {"mode": "eventual"}, "mode 'eventual' is not one of durable, live"),
    ("unknown key", {"mode": "durable", "priority": 1}, "unknown key(s) priority"),
    ("conflation on live", {"mode": "live", "conflate-by": "book_id"}, "a live type keeps no history"),
    ("fallback on live", {"mode": "live", "fallback": {"after-seconds": 60, "channels": ["push"]}},
     "a live type has no seq and is never acknowledged"),
    ("key not a field", {"conflate-by": "isbn"}, "'isbn' is not a payload field"),
    ("optional key", {"conflate-by": "message"}, "'message' must be a required payload field"),
    ("key of a number", {"conflate-by": "progress"}, "must be a string or integer field, not 'number'"),
    ("no wait", {"fallback": {"channels": ["push"]}}, "after-seconds must be a whole number"),
    ("zero wait", {"fallback": {"after-seconds": 0, "channels": ["push"]}}, "from 1 to 86400, not 0"),
    ("too long a wait", {"fallback": {"after-seconds": 86401, "channels": ["push"]}}, "not 86401"),
    ("fractional wait", {"fallback": {"after-seconds": 1.5, "channels": ["push"]}}, "not 1.5"),
    ("no channel", {"fallback": {"after-seconds": 60, "channels": []}}, "one or more of push, webhook"),
    ("unknown channel", {"fallback": {"after-seconds": 60, "channels": ["sms"]}}, "not ['sms']"),
    ("repeated channel", {"fallback": {"after-seconds": 60, "channels": ["push", "push"]}}, "each once"),
]


@pytest.mark.parametrize(("keyword", "says"), [(k, s) for _, k, s in REFUSED], ids=[n for n, _, _ in REFUSED])
def test_a_policy_the_hub_cannot_honour_is_refused(keyword: Any, says: str) -> None:
    """A typo or a contradiction in x-delivery stops codegen with what is wrong, never a silent default."""
    with pytest.raises(DeliveryError) as refused:
        parse_delivery({"x-delivery": keyword}, PAYLOAD, sent_by_services=True)
    assert says in str(refused.value)


def test_a_policy_on_a_hub_message_is_refused() -> None:
    """The hub's own messages go to one connection; a policy there would promise nothing."""
    with pytest.raises(DeliveryError, match="for types services send"):
        parse_delivery({"x-delivery": {"mode": "live"}}, {}, sent_by_services=False)


def test_codegen_names_the_file_of_a_refused_policy(tmp_path: Path) -> None:
    """`make codegen` fails on the schema file that states the bad policy, saying why."""
    schemas = tmp_path / "schemas"
    shutil.copytree(SCHEMAS, schemas)
    edited = load(OCR)
    edited["x-delivery"] = {"mode": "live", "fallback": {"after-seconds": 300, "channels": ["push"]}}
    (schemas / "server" / "ocr_progress.json").write_text(json.dumps(edited))
    with pytest.raises(SchemaError, match=r"^schemas/server/ocr_progress.json: x-delivery: a live type"):
        load_protocol(schemas)


FILE = "server/ocr_progress.json"


def classified(before: Any, after: Any) -> set[tuple[str, Kind]]:
    old, new = {FILE: copy.deepcopy(load(OCR))}, {FILE: copy.deepcopy(load(OCR))}
    for files, keyword in ((old, before), (new, after)):
        files[FILE].pop("x-delivery", None)
        if keyword is not None:
            files[FILE]["x-delivery"] = keyword
    return {(c.pointer.removeprefix(f"{FILE}#"), c.kind) for c in compare(old, new)}


C, RECEIVERS = Kind.COMPATIBLE, Kind.BREAKS_RECEIVERS
CHANGES = [
    ("stating the default", None, {"mode": "durable"}, set()),
    ("durable made live", None, {"mode": "live"}, {("/x-delivery/mode", RECEIVERS)}),
    ("live made durable", {"mode": "live"}, {"mode": "durable"}, {("/x-delivery/mode", C)}),
    ("conflation added", None, {"conflate-by": "book_id"}, {("/x-delivery/conflate-by", C)}),
    ("conflation removed", {"conflate-by": "book_id"}, None, {("/x-delivery/conflate-by", C)}),
    ("fallback added", None, {"fallback": {"after-seconds": 300, "channels": ["push"]}},
     {("/x-delivery/fallback", C)}),
    ("fallback changed", {"fallback": {"after-seconds": 300, "channels": ["push"]}},
     {"fallback": {"after-seconds": 60, "channels": ["webhook"]}}, {("/x-delivery/fallback", C)}),
]


@pytest.mark.parametrize(("before", "after", "expected"), [c[1:] for c in CHANGES], ids=[c[0] for c in CHANGES])
def test_a_policy_change_is_classified(before: Any, after: Any, expected: set[tuple[str, Kind]]) -> None:
    """Only a durable type made live breaks old receivers (an offline tab would lose it); conflation
    and fallbacks keep every promise a client relies on, so they are released as a minor version."""
    assert classified(before, after) == expected
