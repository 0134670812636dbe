"""Generated blocks inside hand-written Markdown pages, and the command line that refreshes them.

A block sits between ``<!-- generated: NAME -->`` and ``<!-- end generated: NAME -->``; only the
text between the two markers is rewritten. ``python docs/tools/<tool>.py`` writes the block,
``--check`` exits 1 when the page differs from what the tool renders (the tests do the same).
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable, Mapping
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def first_sentence(doc: str | None) -> str:
    """The first sentence of a docstring's first paragraph, on one line, without its stop, and
    with ``|`` escaped for a Markdown table cell."""
    text = " ".join((doc or "").split("\n\n")[0].split())
    sentence = re.split(r"(?<!e\.g)(?<!i\.e)\.\s+(?=[A-Z`])", text, maxsplit=1)[0].rstrip(".")
    return sentence.replace("|", "\\|")  # a table cell


class BlockNotFoundError(LookupError):
    """The page has no generated block of that name."""


def _pattern(name: str) -> re.Pattern[str]:
    start, end = f"<!-- generated: {name} -->", f"<!-- end generated: {name} -->"
    return re.compile(f"({re.escape(start)}\n)(.*?)({re.escape(end)})", re.DOTALL)


def read_block(page: Path, name: str) -> str:
    """The text between the markers of block ``name`` in ``page``."""
    found = _pattern(name).search(page.read_text(encoding="utf-8"))
    if found is None:
        raise BlockNotFoundError(f"{page.name} has no block '<!-- generated: {name} -->'")
    return found.group(2)


def write_block(page: Path, name: str, content: str) -> bool:
    """Replace block ``name`` in ``page`` with ``content``; True when the page changed."""
    text = page.read_text(encoding="utf-8")
    if read_block(page, name) == content:
        return False
    page.write_text(
        _pattern(name).sub(lambda m: m.group(1) + content + m.group(3), text, count=1),
        encoding="utf-8",
    )
    return True


def main(
    tool: str,
    page: Path,
    blocks: Mapping[str, Callable[[], str]],
    argv: list[str] | None = None,
) -> int:
    """Write (or with ``--check``, compare) each named block of ``page`` with what its function
    renders; ``tool`` is the calling script, named in the hint when a block is stale."""
    parser = argparse.ArgumentParser(description=f"Refresh the generated blocks of {page.name}.")
    parser.add_argument("--check", action="store_true", help="exit 1 if the page is stale")
    args = parser.parse_args(argv)
    where = page.relative_to(REPO)
    stale = 0
    for name, render in blocks.items():
        content = render()
        if not args.check:
            changed = write_block(page, name, content)
            print(f"{where} [{name}]: {'updated' if changed else 'unchanged'}")
        elif read_block(page, name) != content:
            print(f"{where} [{name}] is stale; run python {stale_hint(tool)}", file=sys.stderr)
            stale = 1
    return stale


def stale_hint(tool: str) -> str:
    """How to refresh a block: the tool's path from the repository root."""
    return str(Path(tool).resolve().relative_to(REPO))
