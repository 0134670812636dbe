"""docs/architecture.md's import graph is the one the source code has."""

from __future__ import annotations

from pathlib import Path

from docs.tools.generated import read_block
from docs.tools.import_graph import BLOCK, PAGE, import_edges, render


def test_the_page_shows_the_imports_the_code_has() -> None:
    assert read_block(PAGE, BLOCK) == render(), (
        "docs/architecture.md is stale: run .venv/bin/python docs/tools/import_graph.py"
    )


def _module(root: Path, relative: str, text: str = "") -> None:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_absolute_relative_and_lazy_imports_become_edges(tmp_path: Path) -> None:
    _module(tmp_path, "ingest/__init__.py", '"""Core."""\n')
    _module(tmp_path, "ingest/store/__init__.py", '"""Store."""\nfrom .. import records\n')
    _module(tmp_path, "ingest/records.py")
    _module(tmp_path, "sources/__init__.py", '"""Sources."""\n')
    _module(tmp_path, "matchers/__init__.py", '"""Matchers."""\n')
    _module(tmp_path, "matchers/loading.py", "def f():\n    from ingest.store import models\n")
    _module(tmp_path, "flows/__init__.py", '"""Flows."""\nimport sources\nimport pandas\n')
    assert import_edges(tmp_path) == {
        ("ingest.store", "ingest"),
        ("matchers", "ingest.store"),
        ("flows", "sources"),
    }
    assert "ingest_store --> ingest" in render(tmp_path)
