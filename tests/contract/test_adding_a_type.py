"""Adding a message type is one new schema file: in a copy of the repository, nothing else is edited."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import httpx
import pytest

from codegen.__main__ import PROJECT_ROOT
from tests.support.hubs import SERVICE_KEY, serve_subprocess

pytestmark = pytest.mark.slow

STEP_TIMEOUT = 120
"""Seconds each step in the copy (codegen, a pytest run) may take before the test fails."""

ACHIEVEMENT_ID = "3f2b8c1a-5d6e-4f70-8a9b-0c1d2e3f4a5b"
PAYLOAD = {"achievement_id": ACHIEVEMENT_ID, "name": "Seven-day streak", "points": 50}
NEW_TYPE = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "AchievementUnlockedMessage",
    "description": "The user unlocked an achievement.",
    "type": "object",
    "properties": {
        "type": {"const": "achievement_unlocked", "description": "The message type; selects the payload schema."},
        "id": {"type": "string", "format": "uuid", "description": "Unique id of this message, stamped by the hub."},
        "timestamp": {"type": "string", "format": "date-time",
                      "description": "When the hub accepted the message (UTC)."},
        "seq": {"type": "integer", "minimum": 1, "maximum": 9007199254740991,
                "description": "Position of this message in the user's stream."},
        "payload": {"$ref": "#/$defs/AchievementUnlockedPayload"},
    },
    "required": ["type", "id", "timestamp", "payload"],
    "additionalProperties": False,
    "examples": [{"type": "achievement_unlocked", "id": "6f1d2c3b-4a59-4e8f-9b7a-1c2d3e4f5a6b",
                  "timestamp": "2026-11-28T19:34:26.123456Z", "payload": PAYLOAD}],
    "$defs": {"AchievementUnlockedPayload": {
        "title": "AchievementUnlockedPayload",
        "description": "The payload of an `achievement_unlocked` message.",
        "type": "object",
        "properties": {
            "achievement_id": {"type": "string", "format": "uuid", "description": "The achievement."},
            "name": {"type": "string", "maxLength": 80, "description": "Its name, as shown to the user."},
            "points": {"type": "integer", "minimum": 0, "maximum": 9007199254740991,
                       "description": "Points it is worth."},
        },
        "required": ["achievement_id", "name", "points"],
        "additionalProperties": False,
        "examples": [PAYLOAD],
    }},
}


@pytest.fixture(scope="module")
def copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """This repository's files (tracked and new, not ignored) plus one new schema file, regenerated
    and released as a user would (`make codegen`, `make protocol-release`), and passing the check."""
    root = tmp_path_factory.mktemp("repository")
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                            cwd=PROJECT_ROOT, capture_output=True, check=True).stdout.decode().split("\0")
    for name in filter(None, listed):
        if (PROJECT_ROOT / name).is_file():
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(PROJECT_ROOT / name, root / name)
    # Nothing is installed in the copy: it borrows this worktree's node_modules and interpreter.
    (root / "node_modules").symlink_to(PROJECT_ROOT / "node_modules")
    (root / "schemas" / "server" / "achievement_unlocked.json").write_text(json.dumps(NEW_TYPE, indent=2))
    run(root, "-m", "codegen")
    run(root, "-m", "codegen", "--release")  # a new type is a compatible change: the next minor
    run(root, "-m", "codegen", "--check")
    return root


def copy_environment(root: Path) -> dict[str, str]:
    """The copy's packages ahead of this worktree's editable install."""
    paths = [root, root / "backend", root / "generated" / "python"]
    return {**os.environ, "PYTHONPATH": os.pathsep.join(map(str, paths))}


def run(root: Path, *args: str) -> str:
    result = subprocess.run([sys.executable, *args], cwd=root, env=copy_environment(root),
                            capture_output=True, text=True, timeout=STEP_TIMEOUT)
    assert result.returncode == 0, f"python {' '.join(args)} failed:\n{result.stdout[-4000:]}\n{result.stderr[-4000:]}"
    return result.stdout


def test_codegen_derives_everything_that_lists_the_types(copy: Path) -> None:
    """`make codegen` alone adds the type to the union, the registry, the constructors, the types and the hooks."""
    mapping = json.loads((copy / "schemas" / "notifyhub.json").read_text())["$defs"]["ServerMessage"]
    assert mapping["discriminator"]["mapping"]["achievement_unlocked"] == "server/achievement_unlocked.json"
    generated = copy / "generated"
    assert '"achievement_unlocked": MessageType(' in (generated / "python/notifyhub_protocol/registry.py").read_text()
    assert "def new_achievement_unlocked_message(" in (
        generated / "python/notifyhub_protocol/constructors.py").read_text()
    assert "achievement_unlocked: AchievementUnlockedMessage;" in (generated / "typescript/protocol.ts").read_text()
    assert "export function useAchievementUnlocked(" in (generated / "typescript/hooks.ts").read_text()
    assert '"achievement_unlocked"' in (generated / "asyncapi/asyncapi.json").read_text()


def test_contract_and_delivery_tests_pass_with_the_new_type(copy: Path) -> None:
    """The copy's own contract and delivery tests cover the new type, unedited, and pass."""
    # test_release.py checks this repository's own release history (1.0.0), which the copy moved on.
    output = run(copy, "-m", "pytest", "-p", "no:cacheprovider", "-m", "not slow and not redis", "-rA", "-q",
                 "--ignore=tests/contract/test_release.py", "tests/contract", "tests/integration/test_delivery.py")
    assert "PASSED tests/integration/test_delivery.py::test_every_service_message_type_is_delivered_as_sent" \
           "[memory-achievement_unlocked]" in output
    assert "PASSED tests/contract/test_schemas.py::test_example_validates[server/achievement_unlocked.json[0]]" \
           in output


async def test_the_copys_hub_refuses_negative_points_naming_the_field(copy: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """The copy's hub delivers the new type and answers `points: -1` with a 422 pointing at `points`."""
    monkeypatch.setenv("PYTHONPATH", copy_environment(copy)["PYTHONPATH"])
    async with serve_subprocess() as hub, httpx.AsyncClient(base_url=hub.base_url) as http:
        def publish(points: int):
            body = {"user_ids": [str(uuid.uuid4())],
                    "message": {"type": "achievement_unlocked", "payload": {**PAYLOAD, "points": points}}}
            return http.post("/api/v1/messages", json=body, headers={"Authorization": f"Bearer {SERVICE_KEY}"})

        assert (await publish(0)).status_code == 202
        refused = await publish(-1)
    assert refused.status_code == 422
    assert "/message/payload/points" in [error["pointer"] for error in refused.json()["errors"]]
