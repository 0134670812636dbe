"""Render the store's tables and modules for docs/store.md.

    .venv/bin/python docs/tools/store_tables.py          # rewrite both lists
    .venv/bin/python docs/tools/store_tables.py --check  # exit 1 if the page is stale

``store-tables`` lists every table of ``ingest.store.models`` (its model's docstring and the
tables it refers to); ``store-modules`` lists the modules of ``ingest/store/`` with the first
sentence of their docstrings. ``tests/docs/test_store.py`` fails when the page is stale.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from docs.tools.generated import REPO, first_sentence, main
from ingest.store.models import Base

PAGE = REPO / "docs" / "store.md"
STORE = REPO / "ingest" / "store"


def tables() -> str:
    """One row per table, by name: model, what it holds, tables it refers to."""
    lines = ["| table | model | holds | refers to |", "|---|---|---|---|"]
    models = {mapper.class_.__tablename__: mapper.class_ for mapper in Base.registry.mappers}
    for table in sorted(Base.metadata.tables.values(), key=lambda t: t.name):
        targets = sorted({key.column.table.name for key in table.foreign_keys} - {table.name})
        refers = ", ".join(f"`{name}`" for name in targets)
        model = models[table.name]
        holds = first_sentence(model.__doc__)
        lines.append(f"| `{table.name}` | `{model.__name__}` | {holds} | {refers} |")
    return "\n".join(lines) + "\n"


def modules() -> str:
    """One row per module of ``ingest/store/`` (migrations aside), with its docstring."""
    lines = ["| module | what it does |", "|---|---|"]
    for path in sorted(STORE.glob("*.py")):
        if path.name == "__init__.py":
            continue
        doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8")))
        lines.append(f"| `{path.relative_to(REPO).as_posix()}` | {first_sentence(doc)} |")
    return "\n".join(lines) + "\n"


BLOCKS = {"store-tables": tables, "store-modules": modules}

if __name__ == "__main__":
    sys.exit(main(__file__, PAGE, BLOCKS))
