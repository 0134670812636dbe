"""The layering rule: ingest imports none of the others; sources and matchers import only ingest."""

from __future__ import annotations

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
