"""The released protocol (protocol.lock.json), how schemas/ differ from it, and recording a release."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from .compat import Change, Files, Kind, Schema, compare
from .schemas import ENTRY_SCHEMA
from .versions import VERSION_KEY, Version, declared_version

LOCK_FILE = "protocol.lock.json"
RELEASE_COMMAND = "python -m codegen --release"


@dataclass(frozen=True)
class Release:
    """One released version and the changes it made to the one before."""

    version: Version
    changes: tuple[Change, ...]


@dataclass(frozen=True)
class Lock:
    """The released protocol: its version, every schema file as released, and the release history."""

    version: Version
    schemas: Files
    history: tuple[Release, ...]


@dataclass(frozen=True)
class Review:
    """schemas/ compared with the released protocol."""

    released: Version
    declared: Version
    changes: tuple[Change, ...]

    @property
    def breaking(self) -> list[Change]:
        return [c for c in self.changes if c.kind.breaking]

    @property
    def major_raised(self) -> bool:
        return self.declared.major > self.released.major

    def problems(self) -> list[str]:
        """Why schemas/ may not be released as they stand; empty when they may."""
        if self.declared < self.released:
            return [f"schemas/ declare {self.declared}, older than the released {self.released}"]
        if self.breaking and not self.major_raised:
            return [f"{len(self.breaking)} breaking change(s) need a new major version: "
                    f"run `{RELEASE_COMMAND} --major` (protocol {self.released.next_major()})"]
        return []

    def next_version(self, major: bool) -> Version | None:
        """The version a release records, or None when there is nothing to release.

        Raises ValueError when the changes are breaking and `major` is not asked for.
        """
        if major:
            return self.declared if self.major_raised else self.released.next_major()
        if self.problems():
            raise ValueError("; ".join(self.problems()))
        if self.declared > self.released:
            return self.declared
        return self.released.next_minor() if self.changes else None


def read_schemas(schemas_dir: Path) -> dict[str, Schema]:
    """Every schema file under schemas_dir, by its path relative to it."""
    return {path.relative_to(schemas_dir).as_posix(): json.loads(path.read_text(encoding="utf-8"))
            for path in sorted(schemas_dir.rglob("*.json"))}


def read_lock(lock_path: Path) -> Lock | None:
    """The released protocol, or None when none has been recorded."""
    if not lock_path.exists():
        return None
    data = json.loads(lock_path.read_text(encoding="utf-8"))
    history = tuple(Release(Version.parse(r["version"]), tuple(Change.from_json(c) for c in r["changes"]))
                    for r in data["history"])
    return Lock(Version.parse(data["version"]), data["schemas"], history)


def write_lock(lock_path: Path, lock: Lock) -> None:
    data = {
        "version": str(lock.version),
        "history": [{"version": str(r.version), "changes": [c.as_json() for c in r.changes]}
                    for r in lock.history],
        "schemas": dict(lock.schemas),
    }
    lock_path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def review(schemas_dir: Path, lock: Lock) -> Review:
    """schemas_dir compared with the released protocol. Raises KeyError or ValueError on a bad version."""
    current = read_schemas(schemas_dir)
    declared = declared_version(current[ENTRY_SCHEMA])
    return Review(lock.version, declared, tuple(compare(lock.schemas, current)))


def record_release(schemas_dir: Path, lock_path: Path, major: bool = False) -> Release | None:
    """Declare the next version in schemas/ and record schemas/ as released under it.

    The first release records schemas/ at the version they declare. Returns the release, or None
    when schemas/ equal the released protocol. Raises ValueError when a change is breaking and
    `major` is not asked for.
    """
    lock = read_lock(lock_path)
    if lock is None:
        version, changes, history = declared_version(read_schemas(schemas_dir)[ENTRY_SCHEMA]), (), ()
    else:
        found = review(schemas_dir, lock)
        version, changes, history = found.next_version(major), found.changes, lock.history
        if version is None:
            return None
    declare_version(schemas_dir / ENTRY_SCHEMA, version)
    release = Release(version, changes)
    write_lock(lock_path, Lock(version, read_schemas(schemas_dir), (*history, release)))
    return release


def declare_version(entry_path: Path, version: Version) -> None:
    """Rewrite only the version line of the entry schema, so the rest of it keeps its form.

    Raises ValueError when the entry schema has no `x-protocol-version`.
    """
    text = entry_path.read_text(encoding="utf-8")
    pattern = re.compile(rf'("{VERSION_KEY}":\s*)"[^"]*"')
    updated, count = pattern.subn(lambda m: f'{m.group(1)}"{version}"', text, count=1)
    if count != 1:
        raise ValueError(f"{entry_path} has no {VERSION_KEY!r}")
    entry_path.write_text(updated, encoding="utf-8")


def summary(changes: tuple[Change, ...] | list[Change]) -> dict[Kind, list[Change]]:
    """The changes grouped by kind, breaking ones first; kinds without changes are left out."""
    order = (Kind.BREAKS_SENDERS, Kind.BREAKS_RECEIVERS, Kind.COMPATIBLE)
    grouped = {kind: [c for c in changes if c.kind is kind] for kind in order}
    return {kind: listed for kind, listed in grouped.items() if listed}
