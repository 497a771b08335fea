"""Contract tests: schemas/ against itself and against the generated code."""

from __future__ import annotations

import pytest


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "slow: runs the code generator (seconds); deselect with -m 'not slow'")
