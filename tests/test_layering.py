"""The layering rule: ingest imports none of the others; sources and matchers import only ingest."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.source_imports import top_level_imports

REPO = Path(__file__).resolve().parent.parent
PROJECT_PACKAGES = {"ingest", "sources", "matchers", "flows", "sample_data", "benchmarks"}
ALLOWED = {
    "ingest": {"ingest"},
    "sources": {"ingest", "sources"},
    "matchers": {"ingest", "matchers"},
    "flows": {"ingest", "sources", "matchers", "flows"},
}


def imported_packages(path: Path) -> set[str]:
    return top_level_imports(path) & PROJECT_PACKAGES


@pytest.mark.parametrize("package", sorted(ALLOWED))
def test_package_imports_only_what_its_layer_allows(package: str) -> None:
    files = sorted((REPO / package).rglob("*.py"))
    assert files, f"{package}/ has no modules"
    violations = {
        str(path.relative_to(REPO)): sorted(imported_packages(path) - ALLOWED[package])
        for path in files
        if imported_packages(path) - ALLOWED[package]
    }
    assert violations == {}


def test_the_checker_sees_a_violation(tmp_path: Path) -> None:
    module = tmp_path / "bad.py"
    module.write_text(
        "from matchers.rules import RuleMatcher\nimport flows.cli\n", encoding="utf-8"
    )
    assert imported_packages(module) == {"matchers", "flows"}


STORE = REPO / "ingest" / "store"
NOT_QUERIES = {"sqlalchemy.Engine", "sqlalchemy.Connection", "sqlalchemy.exc",
               "sqlalchemy.engine.make_url"}  # fmt: skip
"""What code outside the store may take from SQLAlchemy: engine types, errors, URL parsing."""


def database_imports(path: Path) -> set[str]:
    """The store models and SQLAlchemy query tools (sessions, select, text, ...) a file imports."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return {
        name
        for name in names
        if name.startswith("ingest.store.models")
        or (
            name.split(".")[0] == "sqlalchemy"
            and name not in NOT_QUERIES
            and not name.startswith("sqlalchemy.exc.")
        )
    }


def test_only_the_store_touches_the_database() -> None:
    files = [
        path
        for package in ALLOWED
        for path in sorted((REPO / package).rglob("*.py"))
        if STORE not in path.parents
    ]
    violations = {
        str(path.relative_to(REPO)): sorted(found)
        for path in files
        if (found := database_imports(path))
    }
    assert violations == {}


def test_the_database_checker_sees_a_query(tmp_path: Path) -> None:
    module = tmp_path / "bad.py"
    module.write_text(
        "from sqlalchemy import Engine, select\nfrom ingest.store.models import Person\n"
        "import sqlalchemy as sa\n",
        encoding="utf-8",
    )
    assert database_imports(module) == {"sqlalchemy.select", "ingest.store.models.Person",
                                        "sqlalchemy"}  # fmt: skip
