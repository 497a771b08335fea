"""The TypeScript client's generated validators (`validateFrames`) decide as the hub's models do,
on every edge input the Python models are tried on, and on the calendar."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.contract.test_models import EDGE_INPUTS, INVALID_SERVER_MESSAGES, VALID_VARIANTS, changed, python_accepts_server

PROJECT_ROOT = Path(__file__).resolve().parents[2]
VALIDATORS = PROJECT_ROOT / "generated" / "typescript" / "validators.ts"

# Compiles validators.ts with the workspace's TypeScript and runs each frame of stdin through the
# validator of its type (a frame of an unknown type is refused, as the client refuses it).
RUNNER = """
import { readFileSync, writeFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import ts from "typescript";

const source = readFileSync(process.argv[1], "utf8");
const { outputText } = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } });
const file = join(mkdtempSync(join(tmpdir(), "validators-")), "validators.mjs");
writeFileSync(file, outputText);
const { SERVER_MESSAGE_VALIDATORS } = await import(pathToFileURL(file).href);
const frames = JSON.parse(readFileSync(0, "utf8"));
const decide = (frame) => Boolean(SERVER_MESSAGE_VALIDATORS[frame?.type]?.(frame));
process.stdout.write(JSON.stringify(frames.map(decide)));
"""

CALENDAR = ["2026-02-28T00:00:00Z", "2026-02-29T00:00:00Z", "2028-02-29T00:00:00Z", "2100-02-29T00:00:00Z",
            "2000-02-29T00:00:00Z", "2026-04-30T12:00:00Z", "2026-04-31T12:00:00Z", "2026-12-31T23:59:59Z",
            "2026-12-32T00:00:00Z", "2026-00-10T00:00:00Z", "0000-01-01T00:00:00Z", "0001-01-01T00:00:00Z",
            "9999-12-31T23:59:59.999999+23:59"]


def _frames() -> list[tuple[str, dict[str, Any]]]:
    cases = [(param.id, param.values[0]) for param in (*EDGE_INPUTS, *INVALID_SERVER_MESSAGES, *VALID_VARIANTS)]
    cases += [(f"timestamp {text}", changed("ocr_progress", "timestamp", text)) for text in CALENDAR]
    return cases


def _typescript_decisions(frames: list[dict[str, Any]]) -> list[bool]:
    result = subprocess.run(["node", "--input-type=module", "-e", RUNNER, str(VALIDATORS)], cwd=PROJECT_ROOT,
                            input=json.dumps(frames), capture_output=True, text=True, timeout=120, check=True)
    return json.loads(result.stdout)


# The one known difference: JSON Schema (and so ajv) counts 120.0 as an integer; the hub's strict
# models do not, so the hub never sends it (see test_models).
KNOWN_DIFFERENCES = {"integer written as 120.0"}


def test_typescript_validators_decide_as_the_hub() -> None:
    cases = _frames()
    decisions = _typescript_decisions([frame for _, frame in cases])
    differing = [(label, typescript) for (label, frame), typescript in zip(cases, decisions, strict=True)
                 if typescript != python_accepts_server(frame) and label not in KNOWN_DIFFERENCES]
    assert not differing, f"(case, the TypeScript validator accepts): {differing}"


@pytest.mark.parametrize(("text", "valid"), [("2026-02-30T00:00:00Z", False), ("2024-02-29T00:00:00Z", True)])
def test_the_calendar_is_checked_on_both_sides(text: str, valid: bool) -> None:
    frame = changed("ocr_progress", "timestamp", text)
    assert python_accepts_server(frame) is valid
    assert _typescript_decisions([frame]) == [valid]
