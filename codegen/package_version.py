"""The npm package's version follows the protocol's.

The client is generated for one protocol version, so `@hailango/notifyhub-client` states it in
its own: the package's major.minor are the protocol's, and its patch counts releases of the
client for that protocol version. A protocol release sets the package to `<major>.<minor>.0`;
`--check` fails when frontend/package.json, or its entry in package-lock.json, says otherwise.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from .versions import Version

PACKAGE_JSON = "frontend/package.json"
PACKAGE_LOCK = "package-lock.json"
WORKSPACE = "frontend"
"""The package's key in package-lock.json's `packages`."""


def _package_version(project_root: Path) -> str:
    return json.loads((project_root / PACKAGE_JSON).read_text(encoding="utf-8"))["version"]


def _locked_version(project_root: Path) -> str | None:
    lock = json.loads((project_root / PACKAGE_LOCK).read_text(encoding="utf-8"))
    return lock["packages"].get(WORKSPACE, {}).get("version")


def package_version_problems(project_root: Path, protocol: Version) -> list[str]:
    """Why the package's stated version does not follow `protocol`; empty when it does."""
    stated = _package_version(project_root)
    try:
        version = Version.parse(stated)
    except ValueError:
        return [f"{PACKAGE_JSON}: version {stated!r} is not major.minor.patch"]
    problems = []
    if (version.major, version.minor) != (protocol.major, protocol.minor):
        problems.append(f"{PACKAGE_JSON}: version {stated} is not a release of protocol {protocol} "
                        f"(the package's major.minor are the protocol's: {protocol.major}.{protocol.minor}.x)")
    locked = _locked_version(project_root)
    if locked != stated:
        problems.append(f"{PACKAGE_LOCK}: {WORKSPACE} is at version {locked}, {PACKAGE_JSON} says {stated}: "
                        "run `npm install`")
    return problems


def set_package_version(project_root: Path, protocol: Version) -> str:
    """Set the package to the first release for `protocol` in package.json and package-lock.json.

    Returns the version written. Only the version is rewritten: the files keep their form.
    """
    version = f"{protocol.major}.{protocol.minor}.0"
    package = project_root / PACKAGE_JSON
    text, count = re.subn(r'^(  "version":\s*)"[^"]*"', rf'\g<1>"{version}"', package.read_text(encoding="utf-8"),
                          count=1, flags=re.MULTILINE)
    if count != 1:
        raise ValueError(f"{PACKAGE_JSON} has no top-level version")
    package.write_text(text, encoding="utf-8")
    lock_path = project_root / PACKAGE_LOCK
    lock = json.loads(lock_path.read_text(encoding="utf-8"))
    lock["packages"][WORKSPACE]["version"] = version
    lock_path.write_text(json.dumps(lock, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return version
