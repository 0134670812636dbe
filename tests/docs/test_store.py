"""docs/store.md lists the tables the models define and the modules ``ingest/store/`` has."""

from __future__ import annotations

from docs.tools.generated import read_block
from docs.tools.store_tables import BLOCKS, PAGE
from ingest.store.models import Base


def test_the_page_lists_every_table_and_module() -> None:
    stale = [name for name, render in BLOCKS.items() if read_block(PAGE, name) != render()]
    assert stale == [], "docs/store.md is stale: run .venv/bin/python docs/tools/store_tables.py"


def test_every_table_has_a_row() -> None:
    listed = read_block(PAGE, "store-tables")
    assert all(f"| `{name}` |" in listed for name in Base.metadata.tables)
