"""Every file the docs name exists: a newcomer who follows a path or a link finds it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from docs.tools.generated import REPO, BlockNotFoundError, read_block, write_block
from tests.docs.walkthrough import steps

PAGES = sorted([REPO / "README.md", *(REPO / "docs").rglob("*.md")])
TOP = "ingest|sources|matchers|flows|tests|benchmarks|docs|sample_data"
REPO_PATH = re.compile(rf"`((?:{TOP})/[\w./-]*)`")
LINK = re.compile(r"\]\(([^)#:\s]+)(?:#[^)]*)?\)")
CODE = re.compile(r"^```.*?^```|`[^`\n]*`", re.MULTILINE | re.DOTALL)


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(REPO)))
def test_named_paths_and_links_exist(page: Path) -> None:
    """Paths in backticks from the repository root, and relative links; a guide may name the
    files its own steps create."""
    text = page.read_text(encoding="utf-8")
    created = {step.options["file"] for step in steps(page) if "file" in step.options}
    missing = [p for p in REPO_PATH.findall(text) if not (REPO / p).exists() and p not in created]
    prose = CODE.sub("", text)
    missing += [link for link in LINK.findall(prose) if not (page.parent / link).exists()]
    assert missing == []


def test_a_generated_block_is_replaced_between_its_markers(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text("intro\n<!-- generated: t -->\nold\n<!-- end generated: t -->\nend\n")
    assert write_block(page, "t", "new\n") is True
    assert page.read_text() == "intro\n<!-- generated: t -->\nnew\n<!-- end generated: t -->\nend\n"
    assert write_block(page, "t", "new\n") is False
    with pytest.raises(BlockNotFoundError):
        read_block(page, "other")
