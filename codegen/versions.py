"""The protocol's version: `x-protocol-version` in schemas/notifyhub.json, and what follows from it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

VERSION_KEY = "x-protocol-version"
SUBPROTOCOL_KEY = "x-subprotocol"
_SEMVER = re.compile(r"(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)")


@dataclass(frozen=True, order=True)
class Version:
    """A protocol version, major.minor.patch; a new major is a new subprotocol."""

    major: int
    minor: int
    patch: int

    @classmethod
    def parse(cls, text: str) -> Version:
        """Raises ValueError unless text is `major.minor.patch` in plain decimal."""
        match = _SEMVER.fullmatch(text)
        if match is None:
            raise ValueError(f"{text!r} is not a protocol version (major.minor.patch)")
        return cls(*(int(part) for part in match.groups()))

    def __str__(self) -> str:
        return f"{self.major}.{self.minor}.{self.patch}"

    def next_major(self) -> Version:
        return Version(self.major + 1, 0, 0)

    def next_minor(self) -> Version:
        return Version(self.major, self.minor + 1, 0)

    def next_patch(self) -> Version:
        return Version(self.major, self.minor, self.patch + 1)


def declared_version(entry: dict[str, Any]) -> Version:
    """The version schemas/ declare. Raises KeyError or ValueError when it is missing or malformed."""
    return Version.parse(entry[VERSION_KEY])


def subprotocol_of(entry: dict[str, Any], version: Version | None = None) -> str:
    """The WebSocket subprotocol of version (by default the declared one): `x-subprotocol` with
    `{major}` filled in.

    Only the major version appears, so compatible releases keep the subprotocol deployed clients offer.
    Raises KeyError or ValueError when either key is missing or malformed.
    """
    return entry[SUBPROTOCOL_KEY].format(major=(version or declared_version(entry)).major)
