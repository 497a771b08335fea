"""Rules the JSON Schema cannot state: checks across two fields of one payload."""

from __future__ import annotations

from collections.abc import Callable

from pydantic import BaseModel

from .errors import InvalidMessageError

Rule = Callable[[BaseModel], list[dict[str, str]]]


def _processed_within_total(payload: BaseModel) -> list[dict[str, str]]:
    if payload.processed_pages > payload.total_pages:
        return [{"pointer": "/payload/processed_pages", "type": "less_than_equal",
                 "message": "processed_pages must not exceed total_pages"}]
    return []


RULES: dict[str, Rule] = {"ocr_progress": _processed_within_total}


def check_rules(message_type: str, payload: BaseModel, pointer_prefix: str = "") -> None:
    """Raise InvalidMessageError naming each field that breaks a cross-field rule."""
    rule = RULES.get(message_type)
    errors = rule(payload) if rule else []
    if errors:
        raise InvalidMessageError([{**e, "pointer": pointer_prefix + e["pointer"]} for e in errors])
