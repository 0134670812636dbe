"""Draw the import graph of leadflow's packages for docs/architecture.md.

    .venv/bin/python docs/tools/import_graph.py          # rewrite the diagram
    .venv/bin/python docs/tools/import_graph.py --check  # exit 1 if the page is stale

A node is a package (its top-level modules) or one of its subpackages (``ingest.store``,
``flows.web``, ...); an edge A → B says some module of A imports a module of B. Every import the
source names counts (also those inside functions and under ``TYPE_CHECKING``), read with
``ast`` as ``tests/test_layering.py`` reads them. ``tests/docs/test_architecture.py`` fails when
the diagram in the page differs from what this script draws.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from docs.tools.generated import REPO, first_sentence, main

PACKAGES = ("sources", "ingest", "matchers", "flows")
PAGE = REPO / "docs" / "architecture.md"
BLOCK = "import-graph"

Edge = tuple[str, str]


def node_of(module: str, root: Path = REPO) -> str | None:
    """The node a dotted module name belongs to, or None outside leadflow's packages."""
    parts = module.split(".")
    if parts[0] not in PACKAGES:
        return None
    if len(parts) > 1 and (root / parts[0] / parts[1]).is_dir():
        return f"{parts[0]}.{parts[1]}"
    return parts[0]


def module_name(path: Path, root: Path = REPO) -> str:
    """``ingest/store/load.py`` → ``ingest.store.load``; an ``__init__`` is its package."""
    parts = path.relative_to(root).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(path: Path, root: Path = REPO) -> set[str]:
    """Every module ``path`` imports, relative imports resolved (``from x import y`` names both
    ``x`` and ``x.y``: y may be a module)."""
    package = module_name(path, root).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            module = ".".join([*base, *([node.module] if node.module else [])])
            found.add(module)
            found.update(f"{module}.{alias.name}" for alias in node.names)
    return found


def import_edges(root: Path = REPO) -> set[Edge]:
    """(importer, imported) node pairs over every module of the packages."""
    edges: set[Edge] = set()
    for package in PACKAGES:
        for path in sorted((root / package).rglob("*.py")):
            source = node_of(module_name(path, root), root)
            for module in imported_modules(path, root):
                target = node_of(module, root)
                if source is not None and target not in (None, source):
                    edges.add((source, target))
    return edges


def nodes(root: Path = REPO) -> list[str]:
    """Each package, then its subpackages (folders holding an ``__init__.py``), sorted."""
    found: list[str] = []
    for package in PACKAGES:
        found.append(package)
        found.extend(
            f"{package}.{init.parent.name}"
            for init in sorted((root / package).glob("*/__init__.py"))
        )
    return found


def summary(node: str, root: Path = REPO) -> str:
    """The first sentence of the node's package docstring."""
    init = root.joinpath(*node.split("."), "__init__.py")
    doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8")))
    return first_sentence(doc)


def _id(node: str) -> str:
    return node.replace(".", "_")


def render(root: Path = REPO) -> str:
    """The Mermaid diagram (one box per package holding its subpackages, an arrow per edge),
    then the same edges as a table with what each node holds (its docstring's first sentence)."""
    edges = sorted(import_edges(root))
    lines = ["```mermaid", "flowchart LR"]
    for package in PACKAGES:
        lines.append(f"  subgraph {package}_pkg [{package}]")
        for node in nodes(root):
            if node.split(".")[0] == package:
                label = f"{package} (top-level modules)" if node == package else node
                lines.append(f'    {_id(node)}["{label}"]')
        lines.append("  end")
    lines.extend(f"  {_id(a)} --> {_id(b)}" for a, b in edges)
    lines.extend(["```", "", "| node | what it holds | imports |", "|---|---|---|"])
    for node in nodes(root):
        targets = ", ".join(f"`{b}`" for a, b in edges if a == node) or "nothing"
        lines.append(f"| `{node}` | {summary(node, root)} | {targets} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main(__file__, PAGE, {BLOCK: render}))
