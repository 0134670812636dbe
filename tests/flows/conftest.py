"""Flow tests outside ``tests/flows/prefect/`` import plainly, so they never start Prefect.

The Prefect flows are tested in ``tests/flows/prefect/``, whose conftest starts one
``prefect_test_harness`` per session and switches imports back to the flow.
"""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _plain_imports(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LEADFLOW_ORCHESTRATOR", "plain")
