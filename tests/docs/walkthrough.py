"""Follow a guide of docs/guides/ literally, in a copy of the repository.

A fenced block is a step when its info string says so (renderers show only the language):

* ```` ```python file=PATH ```` creates PATH with the block;
* ``file=PATH after='TEXT'`` inserts the block after the one line of PATH containing TEXT;
* ``file=PATH replace='TEXT'`` puts the block in place of that line;
* ``file=PATH append`` adds the block at the end of PATH;
* ```` ```sh run ```` runs the block with bash in the copy (``.venv`` is this checkout's).

Any other block is an illustration and is left alone.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from docs.tools.generated import REPO

FENCE = re.compile(r"^```(\w+)([^\n]*)\n(.*?)^```\s*$", re.MULTILINE | re.DOTALL)
COPY_IGNORES = shutil.ignore_patterns(
    ".git", ".venv", "__pycache__", ".pytest_cache", ".ruff_cache", ".mypy_cache", "*.db"
)


class GuideStepError(AssertionError):
    """A step of a guide could not be followed as written."""


@dataclass(frozen=True, slots=True)
class Step:
    language: str
    options: dict[str, str]
    body: str


def steps(guide: Path) -> list[Step]:
    """The blocks of ``guide`` that are steps, in order."""
    found = []
    for language, info, body in FENCE.findall(guide.read_text(encoding="utf-8")):
        options = dict(
            (word.split("=", 1)[0], word.split("=", 1)[1]) if "=" in word else (word, "")
            for word in shlex.split(info)
        )
        if "file" in options or "run" in options:
            found.append(Step(language, options, body))
    return found


def copy_repository(destination: Path) -> Path:
    """A copy of the checkout as git sees it (tracked files and new ones it does not ignore, as
    they are in the working tree), using this checkout's ``.venv``."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=REPO, capture_output=True, check=False,
    )  # fmt: skip
    if listed.returncode != 0:  # not a git checkout: everything but caches and databases
        shutil.copytree(REPO, destination, ignore=COPY_IGNORES)
    for name in filter(None, listed.stdout.decode().split("\0")):
        source = REPO / name
        if source.is_file():
            target = destination / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    (destination / ".venv").symlink_to(REPO / ".venv")
    return destination


def _one_line(path: Path, lines: list[str], anchor: str) -> int:
    hits = [i for i, line in enumerate(lines) if anchor in line]
    if len(hits) != 1:
        raise GuideStepError(f"{path.name}: {len(hits)} lines contain {anchor!r}, expected 1")
    return hits[0]


def apply(step: Step, root: Path) -> None:
    """Write one file step into the copy at ``root``."""
    path = root / step.options["file"]
    if not {"after", "replace", "append"} & set(step.options):
        if path.exists():
            raise GuideStepError(f"{step.options['file']} exists already")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(step.body, encoding="utf-8")
        return
    text = path.read_text(encoding="utf-8")
    if "append" in step.options:
        path.write_text(text.rstrip("\n") + "\n\n\n" + step.body, encoding="utf-8")
        return
    lines = text.splitlines(keepends=True)
    anchor = step.options.get("after") or step.options["replace"]
    at = _one_line(path, lines, anchor)
    if "after" in step.options:
        lines.insert(at + 1, step.body)
    else:
        lines[at] = step.body
    path.write_text("".join(lines), encoding="utf-8")


def environment(root: Path) -> dict[str, str]:
    """This process's environment with the copy's packages first and no configured store."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    env.pop("LEADFLOW_DATABASE_URL", None)
    env["PYTHONPATH"] = str(root)
    env["LEADFLOW_ORCHESTRATOR"] = "plain"
    return env


def follow(guide: Path, root: Path) -> list[str]:
    """Take every step of ``guide`` in the copy at ``root``; the output of each command block."""
    outputs = []
    for step in steps(guide):
        if "run" not in step.options:
            apply(step, root)
            continue
        done = subprocess.run(
            ["bash", "-euo", "pipefail", "-c", step.body],
            cwd=root,
            env=environment(root),
            capture_output=True,
            text=True,
            timeout=300,
        )
        if done.returncode != 0:
            raise GuideStepError(f"{step.body!r} failed:\n{done.stdout}\n{done.stderr}")
        outputs.append(done.stdout)
    return outputs
