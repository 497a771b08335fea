"""The schema's string formats (`uuid`, `date-time`, `uri`) as pydantic types that accept exactly what
the schema accepts, and send on what they accepted.

pydantic's own `UUID`, `AwareDatetime` and `AnyUrl` are laxer than the schema (a uuid without
hyphens, a date-time with a space for `T` or without seconds, a digit string read as unix time) and
`AnyUrl` rewrites the link it was given and drops `maxLength`. Each type here first checks the text
against the format's grammar, then parses it as before. For `uuid` and `uri`, which services send,
pydantic-core runs the check (no Python per field when JSON is parsed). Errors carry one stable type
(`uuid_format`, `date_time_format`, `uri_format`) and a short message.

`python -m codegen` copies this file into the generated package and points the models' fields at
these types (datamodel-codegen's `--type-overrides`).
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

from pydantic import AwareDatetime, BeforeValidator, GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import PydanticCustomError, core_schema

__all__ = ["DATE_TIME_PATTERN", "URI_PATTERN", "UUID_PATTERN", "Timestamp", "Uri", "Uuid"]

UUID_PATTERN = r"^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$"
"""`format: uuid` (RFC 9562): 32 hex digits in 8-4-4-4-12 groups, either case; no braces, no `urn:`."""

_DAY_OF_ANY_YEAR = (r"[0-9]{4}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])"
                    r"|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)|02-(?:0[1-9]|1[0-9]|2[0-8]))")
_LEAP_DAY = r"(?:[0-9]{2}(?:0[48]|[2468][048]|[13579][26])|(?:[02468][048]|[13579][26])00)-02-29"
DATE_TIME_PATTERN = (rf"^(?!0000)(?:{_DAY_OF_ANY_YEAR}|{_LEAP_DAY})[Tt](?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]"
                     r"(?:\.[0-9]+)?(?:[Zz]|[+-](?:[01][0-9]|2[0-3]):[0-5][0-9])$")
"""`format: date-time` (RFC 3339 `date-time`), either case: `T`, seconds and an offset or `Z` required.
The date is checked against the calendar (no 30 February, 29 February in leap years only; no year 0,
which a Python `datetime` cannot hold), so every language that runs the pattern decides alike. A
leap second (`:60`) is refused, as JSON Schema's usual checkers refuse it and a `datetime` cannot
hold it."""


def _uri_pattern() -> str:
    """`format: uri`: RFC 3986 `URI` (scheme, `:`, hier-part, optional query and fragment), ASCII only."""
    hex_digit = "[0-9A-Fa-f]"
    pct = f"%{hex_digit}{hex_digit}"
    unreserved = r"A-Za-z0-9\-._~"
    sub_delims = r"!$&'()*+,;="
    pchar = f"(?:[{unreserved}{sub_delims}:@]|{pct})"
    dec_octet = "(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])"
    ipv4 = rf"{dec_octet}\.{dec_octet}\.{dec_octet}\.{dec_octet}"
    h16 = f"{hex_digit}{{1,4}}"
    ls32 = f"(?:{h16}:{h16}|{ipv4})"
    ipv6 = "(?:" + "|".join([
        f"(?:{h16}:){{6}}{ls32}",
        f"::(?:{h16}:){{5}}{ls32}",
        f"(?:{h16})?::(?:{h16}:){{4}}{ls32}",
        f"(?:(?:{h16}:){{0,1}}{h16})?::(?:{h16}:){{3}}{ls32}",
        f"(?:(?:{h16}:){{0,2}}{h16})?::(?:{h16}:){{2}}{ls32}",
        f"(?:(?:{h16}:){{0,3}}{h16})?::{h16}:{ls32}",
        f"(?:(?:{h16}:){{0,4}}{h16})?::{ls32}",
        f"(?:(?:{h16}:){{0,5}}{h16})?::{h16}",
        f"(?:(?:{h16}:){{0,6}}{h16})?::",
    ]) + ")"
    ip_future = rf"v{hex_digit}+\.[{unreserved}{sub_delims}:]+"
    host = rf"(?:\[(?:{ipv6}|{ip_future})\]|(?:[{unreserved}{sub_delims}]|{pct})*)"
    userinfo = f"(?:[{unreserved}{sub_delims}:]|{pct})*"
    authority = f"(?:{userinfo}@)?{host}(?::[0-9]*)?"
    hier_part = f"(?://{authority}(?:/{pchar}*)*|/(?:{pchar}+(?:/{pchar}*)*)?|{pchar}+(?:/{pchar}*)*|)"
    query = f"(?:{pchar}|[/?])*"
    return rf"^[A-Za-z][A-Za-z0-9+\-.]*:{hier_part}(?:\?{query})?(?:#{query})?$"


URI_PATTERN = _uri_pattern()
"""`format: uri`: an absolute URI by RFC 3986's grammar. A link is sent on as it was given: no
case folding, no trailing slash, no punycode; the port's range is not the grammar's business."""


def _text(pattern: str, error_type: str, message: str) -> core_schema.CoreSchema:
    """A string matching pattern; any other input fails with one error of error_type."""
    return core_schema.custom_error_schema(core_schema.str_schema(pattern=pattern), error_type,
                                           custom_error_message=message)


class _JsonSchema:
    """Describes the field in JSON Schema as the schema does: a string with a format."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __get_pydantic_json_schema__(self, schema: core_schema.CoreSchema,
                                     handler: GetJsonSchemaHandler) -> JsonSchemaValue:
        return {"type": "string", "format": self.name}


class _UuidFormat(_JsonSchema):
    ERROR = ("uuid_format", "Input should be a UUID written as 8-4-4-4-12 hex digits")

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        text = _text(UUID_PATTERN, *self.ERROR)
        # Strict mode takes text for a UUID from JSON only: from Python, UUID() converts it.
        from_python_text = core_schema.chain_schema([text, core_schema.no_info_plain_validator_function(UUID)])
        either = core_schema.union_schema([core_schema.is_instance_schema(UUID), from_python_text])
        return core_schema.json_or_python_schema(
            json_schema=core_schema.chain_schema([text, core_schema.uuid_schema()]),
            python_schema=core_schema.custom_error_schema(either, self.ERROR[0], custom_error_message=self.ERROR[1]),
            serialization=core_schema.simple_ser_schema("uuid"),
        )


_DATE_TIME = re.compile(DATE_TIME_PATTERN)


def _date_time(value: Any) -> Any:
    # pydantic's strict datetime from JSON also takes `2026-11-28 19:34Z` and `"1764358466"`; the
    # text is checked here and parsed by Python, which reads every RFC 3339 date-time (3.11+).
    if isinstance(value, datetime):
        return value
    if isinstance(value, str) and _DATE_TIME.fullmatch(value):
        try:
            return datetime.fromisoformat(value.upper())
        except ValueError:  # the pattern admits nothing Python cannot read; kept as a last guard
            pass
    raise PydanticCustomError("date_time_format", "Input should be an RFC 3339 date-time with seconds and "
                              "an offset, like 2026-11-28T19:34:26Z")


class _Uri(_JsonSchema):
    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        return _text(URI_PATTERN, "uri_format", "Input should be an absolute URI (RFC 3986)")


Uuid = Annotated[UUID, _UuidFormat("uuid")]
"""A `format: uuid` string; a `uuid.UUID` in Python, which may also be given as such a string."""

Timestamp = Annotated[AwareDatetime, BeforeValidator(_date_time), _JsonSchema("date-time")]
"""A `format: date-time` string; an aware `datetime` in Python. Not on any path the hub parses per
message (it stamps its own), so a Python check is cheap enough here."""

Uri = Annotated[str, _Uri("uri")]
"""A `format: uri` string, kept exactly as given; `maxLength` comes from the field."""
