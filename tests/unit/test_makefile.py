"""`make help` is the map of the Makefile: it names every target, and how to pick the address."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from tests.support.hubs import PROJECT_ROOT

MAKEFILE = PROJECT_ROOT / "Makefile"


def phony_targets() -> list[str]:
    text = MAKEFILE.read_text().replace("\\\n", " ")
    return [name for line in re.findall(r"^\.PHONY:(.*)$", text, re.MULTILINE) for name in line.split()]


def rule_targets() -> list[str]:
    """Targets a rule defines by name (not files such as $(PY_STAMP))."""
    return re.findall(r"^([a-z][a-z0-9-]*):", MAKEFILE.read_text(), re.MULTILINE)


@pytest.fixture(scope="module")
def make_help() -> str:
    if shutil.which("make") is None:
        pytest.skip("make is not on PATH")
    done = subprocess.run(["make", "--no-print-directory", "help"], cwd=PROJECT_ROOT, capture_output=True,
                          text=True, check=True, timeout=30)
    return done.stdout


def test_every_target_is_phony() -> None:
    """Each named target is in .PHONY, so a file of that name never stops it from running."""
    assert sorted(rule_targets()) == sorted(phony_targets())


def test_make_help_names_every_target(make_help: str) -> None:
    """`make help` has a line for each target of the Makefile."""
    listed = set(re.findall(r"^make ([a-z][a-z0-9-]*)", make_help, re.MULTILINE))
    assert listed == set(phony_targets()) - {"help"}


def test_make_help_shows_how_to_choose_the_address(make_help: str) -> None:
    """`make help` shows `make run PORT=... HOST=...` and the Python version it needs."""
    assert re.search(r"make run PORT=\d+ HOST=\S+", make_help)
    assert "Python >= 3.11" in make_help
