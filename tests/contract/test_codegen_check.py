"""`python -m codegen --check` itself, run in a copy of the repository that is then broken on purpose."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from codegen.__main__ import PROJECT_ROOT

pytestmark = pytest.mark.slow

BOOK_READY = "schemas/server/book_ready.json"


@pytest.fixture
def repository(tmp_path: Path) -> Path:
    """The tracked files of this repository, as they are now, with its node_modules linked in."""
    copy = tmp_path / "repository"
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=PROJECT_ROOT, capture_output=True, check=True)
    for name in filter(None, listed.stdout.decode().split("\0")):
        source = PROJECT_ROOT / name
        if source.is_file():
            (copy / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, copy / name)
    (copy / "node_modules").symlink_to(PROJECT_ROOT / "node_modules")
    return copy


def codegen(repository: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "codegen", *arguments], cwd=repository,
                          capture_output=True, text=True, timeout=120)


def rename_book_title(repository: Path) -> None:
    path = repository / BOOK_READY
    schema = json.loads(path.read_text())
    body = schema["$defs"]["BookReadyPayload"]
    body["properties"]["book_title"] = body["properties"].pop("title")
    body["required"] = ["book_id", "book_title", "total_pages"]
    for example in (body["examples"][0], schema["examples"][0]["payload"]):
        example["book_title"] = example.pop("title")
    path.write_text(json.dumps(schema, indent=2) + "\n")


def test_check_names_a_generated_file_that_drifted(repository: Path) -> None:
    """A hand edit to generated/ fails the check, and the diff names the file."""
    protocol_ts = repository / "generated" / "typescript" / "protocol.ts"
    protocol_ts.write_text(protocol_ts.read_text().replace('"notifyhub.v1"', '"notifyhub.v9"'))
    result = codegen(repository, "--check")
    assert result.returncode == 1, result.stdout[-2000:]
    assert "--- generated/typescript/protocol.ts" in result.stdout
    assert '-export const SUBPROTOCOL = "notifyhub.v9";' in result.stdout
    assert "generated/ is out of date" in result.stderr


def test_check_refuses_a_renamed_field(repository: Path) -> None:
    """With generated/ regenerated, renaming `book_ready.title` still fails, naming each break."""
    rename_book_title(repository)
    assert codegen(repository).returncode == 0
    result = codegen(repository, "--check")
    assert result.returncode == 1, result.stdout[-2000:]
    assert "generated/ is out of date" not in result.stderr
    pointer = "server/book_ready.json#/$defs/BookReadyPayload/properties"
    assert f"breaking for receivers:\n    {pointer}/title: field `title` renamed to `book_title`" in result.stdout
    assert f"    {pointer}/book_title: new required field `book_title`" in result.stdout
    assert "refused: 3 breaking change(s) need a new major version" in result.stderr


def test_check_refuses_an_npm_package_version_of_another_protocol(repository: Path) -> None:
    """The client package stated as 2.0.0 for protocol 1.x fails the check, saying which versions fit."""
    protocol = json.loads((repository / "protocol.lock.json").read_text())["version"]
    fitting = ".".join(protocol.split(".")[:2]) + ".x"
    package = repository / "frontend" / "package.json"
    stated = json.loads(package.read_text())["version"]
    package.write_text(package.read_text().replace(f'"version": "{stated}"', '"version": "2.0.0"', 1))
    result = codegen(repository, "--check")
    assert result.returncode == 1, result.stdout[-2000:]
    assert (f"refused: frontend/package.json: version 2.0.0 is not a release of protocol {protocol} "
            f"(the package's major.minor are the protocol's: {fitting})") in result.stderr
    assert (f"refused: package-lock.json: frontend is at version {stated}, frontend/package.json says 2.0.0"
            in result.stderr)


def test_a_new_major_version_passes_and_is_stated_everywhere(repository: Path) -> None:
    """After `--release --major` the check passes and every place the version is stated says 2."""
    rename_book_title(repository)
    released = codegen(repository, "--release", "--major")
    assert released.returncode == 0, released.stderr
    result = codegen(repository, "--check")
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr
    generated = repository / "generated"
    asyncapi = json.loads((generated / "asyncapi" / "asyncapi.json").read_text())
    assert asyncapi["info"]["version"] == "2.0.0"
    codes = (generated / "python" / "notifyhub_protocol" / "codes.py").read_text()
    assert 'SUBPROTOCOL = "notifyhub.v2"' in codes and 'PROTOCOL_VERSION = "2.0.0"' in codes
    protocol_ts = (generated / "typescript" / "protocol.ts").read_text()
    assert 'SUBPROTOCOL = "notifyhub.v2"' in protocol_ts and 'PROTOCOL_VERSION = "2.0.0"' in protocol_ts
    changelog = (generated / "protocol-changelog.md").read_text()
    assert "## 2.0.0 (subprotocol `notifyhub.v2`)" in changelog and "renamed to `book_title`" in changelog
    assert json.loads((repository / "protocol.lock.json").read_text())["version"] == "2.0.0"
    assert json.loads((repository / "frontend" / "package.json").read_text())["version"] == "2.0.0"
    assert json.loads((repository / "package-lock.json").read_text())["packages"]["frontend"]["version"] == "2.0.0"
