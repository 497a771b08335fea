"""generated/ is what the generator makes of schemas/ today, and the generator is deterministic."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from codegen.__main__ import PROJECT_ROOT, generate

pytestmark = pytest.mark.slow


def test_generated_code_is_up_to_date() -> None:
    """The committed models, constants and TypeScript match the schemas (`python -m codegen --check`)."""
    result = subprocess.run([sys.executable, "-m", "codegen", "--check"], cwd=PROJECT_ROOT,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, f"{result.stderr}\n{result.stdout[-3000:]}"


def test_generator_output_is_deterministic(tmp_path: Path) -> None:
    """Two runs write identical bytes, so `--check` never reports drift that nobody caused."""
    first, second = tmp_path / "first", tmp_path / "second"
    generate(first)
    generate(second)
    once, twice = tree_bytes(first), tree_bytes(second)
    assert once, "the generator wrote nothing"
    assert sorted(name for name in once.keys() | twice.keys() if once.get(name) != twice.get(name)) == []


def tree_bytes(root: Path) -> dict[str, bytes]:
    return {path.relative_to(root).as_posix(): path.read_bytes()
            for path in sorted(root.rglob("*")) if path.is_file() and "__pycache__" not in path.parts}
