"""Every third-party module the product imports comes from a dependency pyproject declares
(directly, or as the declared package's own requirement, e.g. scrapy's twisted), so a fresh
install never misses one that only happens to be in a developer's venv."""

from __future__ import annotations

import re
import sys
import tomllib
from importlib import metadata
from pathlib import Path

from tests.source_imports import top_level_imports

REPO = Path(__file__).resolve().parent.parent
PRODUCT = ("ingest", "sources", "matchers", "flows")
OWN = {*PRODUCT, "sample_data"}
TYPE_CHECKING_ONLY = {"_typeshed"}
"""The standard library's stub-only module: imported for annotations, never at run time."""


def _name(requirement: str) -> str:
    return re.split(r"[\s\[<>=!~;]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def _closure(names: set[str]) -> set[str]:
    """The declared distributions plus everything they require, recursively."""
    seen: set[str] = set()
    todo = list(names)
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        try:
            requires = metadata.requires(name) or []
        except metadata.PackageNotFoundError:
            continue
        todo.extend(_name(r) for r in requires if "extra ==" not in r)
    return seen


def test_every_imported_module_is_a_declared_dependency() -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    declared = _closure({_name(r) for r in project["dependencies"]})
    owners = metadata.packages_distributions()
    modules = {m for p in PRODUCT for f in (REPO / p).rglob("*.py") for m in top_level_imports(f)}
    third_party = modules - OWN - TYPE_CHECKING_ONLY - set(sys.stdlib_module_names)
    undeclared = {
        module: owners.get(module, ["?"])
        for module in sorted(third_party)
        if not {d.lower().replace("_", "-") for d in owners.get(module, [])} & declared
    }
    assert undeclared == {}
