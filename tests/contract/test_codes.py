"""Close codes, error codes and refusal reasons: the schema's lists agree with themselves, with the
generated constants and with docs/protocol.md."""

from __future__ import annotations

import re
from http import HTTPStatus
from typing import Any

import pytest
from notifyhub_protocol import REFUSAL_STATUS, CloseCode, ErrorCode, RefusalReason, refusal_status, should_reconnect

from tests.contract.schema_files import load
from tests.support.hubs import PROJECT_ROOT
from tests.support.schemas import SCHEMAS

CLOSE_CODES = load(SCHEMAS / "protocol" / "close_codes.json")
ERROR_CODES = load(SCHEMAS / "protocol" / "error_codes.json")
REFUSAL_REASONS = load(SCHEMAS / "protocol" / "refusal_reasons.json")
DOCUMENTED_STATUS = {spec["reason"]: spec["status"] for spec in REFUSAL_REASONS["x-reasons"]}
PROTOCOL_DOC_REFUSAL_ROW = re.compile(r"^\| (\d{3}) \| `([a-z_]+)` \|", re.MULTILINE)
RECONNECT_FIRST, RECONNECT_LAST = CLOSE_CODES["x-reconnect-range"]
STOP_FIRST, STOP_LAST = CLOSE_CODES["x-stop-range"]
CUSTOM_CLOSE_CODES = [spec for spec in CLOSE_CODES["x-codes"] if spec["code"] >= 4000]


def close_code_ids(spec: dict[str, Any]) -> str:
    return f"{spec['code']}-{spec['name']}"


def test_close_code_enum_lists_exactly_the_documented_codes() -> None:
    """Every close code a client may see is documented, once."""
    documented = [spec["code"] for spec in CLOSE_CODES["x-codes"]]
    assert len(documented) == len(set(documented)), "a code is documented twice"
    assert CLOSE_CODES["enum"] == documented


def test_close_code_ranges_are_custom_and_disjoint() -> None:
    """A code cannot mean both "reconnect" and "stop", and standard codes keep their meaning."""
    assert 4000 <= RECONNECT_FIRST <= RECONNECT_LAST < STOP_FIRST <= STOP_LAST <= 4999


@pytest.mark.parametrize("spec", CUSTOM_CLOSE_CODES, ids=close_code_ids)
def test_custom_close_code_agrees_with_its_range(spec: dict[str, Any]) -> None:
    """A client that knows only the ranges makes the same choice as one that knows the code."""
    assert RECONNECT_FIRST <= spec["code"] <= STOP_LAST, f"{spec['code']} is in neither range"
    assert spec["reconnect"] == (spec["code"] <= RECONNECT_LAST)


def test_generated_close_codes_match_the_schema() -> None:
    """Server and clients use the generated names, so each must carry the schema's number."""
    assert {code.name: code.value for code in CloseCode} == {s["name"]: s["code"] for s in CLOSE_CODES["x-codes"]}


@pytest.mark.parametrize("spec", CLOSE_CODES["x-codes"], ids=close_code_ids)
def test_should_reconnect_follows_the_schema(spec: dict[str, Any]) -> None:
    """The generated reconnect decision is the one the schema documents for each code."""
    assert should_reconnect(spec["code"]) is spec["reconnect"]


@pytest.mark.parametrize(("code", "reconnect"), [
    (RECONNECT_FIRST + 50, True), (RECONNECT_LAST, True), (STOP_FIRST + 50, False), (STOP_LAST, False),
])
def test_should_reconnect_treats_unknown_custom_codes_by_range(code: int, reconnect: bool) -> None:
    """An older client still does the right thing after the hub gains a new close code."""
    assert code not in set(CLOSE_CODES["enum"])
    assert should_reconnect(code) is reconnect


def test_should_reconnect_after_an_abnormal_drop() -> None:
    """A connection lost without a close frame (1006, a network drop) is retried."""
    assert should_reconnect(1006) is True


def test_error_code_enum_lists_exactly_the_described_codes() -> None:
    """Every error code a client may see has a description, and no description is orphaned."""
    assert ERROR_CODES["enum"] == list(ERROR_CODES["x-descriptions"])


def test_generated_error_codes_match_the_schema() -> None:
    """Code that compares against ErrorCode members sees exactly the schema's codes."""
    assert [code.value for code in ErrorCode] == ERROR_CODES["enum"]
    assert all(code.name == code.value.upper() for code in ErrorCode)


def test_refusal_reason_enum_lists_exactly_the_documented_reasons() -> None:
    """Every refusal reason a client may read is documented with its status, once."""
    documented = [spec["reason"] for spec in REFUSAL_REASONS["x-reasons"]]
    assert len(documented) == len(set(documented)), "a reason is documented twice"
    assert REFUSAL_REASONS["enum"] == documented


@pytest.mark.parametrize("spec", REFUSAL_REASONS["x-reasons"], ids=lambda spec: spec["reason"])
def test_refusal_status_is_an_http_error_status(spec: dict[str, Any]) -> None:
    """A refusal is a 4xx or 5xx a client and a proxy understand, never a success."""
    assert 400 <= HTTPStatus(spec["status"]) <= 599


def test_generated_refusal_reasons_match_the_schema() -> None:
    """The hub and its clients compare against RefusalReason, so it must hold the schema's reasons and statuses."""
    assert [reason.value for reason in RefusalReason] == REFUSAL_REASONS["enum"]
    assert all(reason.name == reason.value.upper() for reason in RefusalReason)
    assert {reason.value: status for reason, status in REFUSAL_STATUS.items()} == DOCUMENTED_STATUS
    assert {reason: refusal_status(reason) for reason in DOCUMENTED_STATUS} == DOCUMENTED_STATUS


def test_refusal_status_refuses_an_unknown_reason() -> None:
    """A reason outside the protocol is a programming error, not a silent default status."""
    with pytest.raises(ValueError):
        refusal_status("invalid_token")


def test_the_protocol_page_lists_every_refusal_reason_with_its_status() -> None:
    """docs/protocol.md's refusal table is the schema's list: no reason missing, none extra, no status wrong."""
    readme = (PROJECT_ROOT / "docs" / "protocol.md").read_text(encoding="utf-8")
    listed = {reason: int(status) for status, reason in PROTOCOL_DOC_REFUSAL_ROW.findall(readme)}
    assert listed == DOCUMENTED_STATUS
