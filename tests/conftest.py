from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"
SEED = DATA / "scienmag-neuroimaging-in-psychiatry.rss"
MUTATED = DATA / "scienmag-mutated.rss"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden", action="store_true", help="rewrite golden graphs from the current output"
    )


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


def require_tool(name: str) -> str:
    """Path of an external checker; CI installs it, so there its absence fails."""
    path = shutil.which(name)
    if path is None:
        if os.environ.get("CI"):
            pytest.fail(f"{name} is not installed; .ci/run must install it")
        pytest.skip(f"{name} is not installed here (Debian package; CI installs it)")
    return path
