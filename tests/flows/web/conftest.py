"""Browser fixtures: one demo store per session, a fresh copy served per test, Chromium.

Skipped with a reason when Debian's chromium is missing, unless LEADFLOW_REQUIRE_BROWSER is set
(CI), then they fail."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import required
from tests.flows.web.browser import CHROMIUM, Server, build_demo_store, chromium, serve


def browser_or_skip() -> None:
    if CHROMIUM.exists():
        return
    reason = f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
    if required("browser"):
        pytest.fail(f"LEADFLOW_REQUIRE_BROWSER is set but {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    browser_or_skip()
    return build_demo_store(tmp_path_factory.mktemp("demo") / "demo.db")


@pytest.fixture
def server(template_db: Path, tmp_path: Path) -> Iterator[Server]:
    with serve(template_db, tmp_path) as running:
        yield running


@pytest.fixture
def browser() -> Iterator[Any]:
    browser_or_skip()
    with chromium() as launched:
        yield launched
