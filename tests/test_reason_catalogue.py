"""Every reason code the code can record is in the catalogue (``ingest.reasons.REASONS``).

The scan reads every string of ``ingest``, ``sources``, ``matchers`` and ``flows`` that is
shaped like a code of a catalogued area (``consent.opt_in_required``, ``value.too_long``), and
every place that builds one (``f"suppressed.{reason}"``, a ``phone.`` prefix swapped for
``mobile.``). A built code must come from a set this test knows how to expand.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Iterable
from pathlib import Path

import pytest

from ingest.consent_policy import load_policy
from ingest.reasons import REASONS
from ingest.suppressions import REASONS as SUPPRESSION_REASONS
from ingest.validate import RULES

REPO = Path(__file__).resolve().parent.parent
PACKAGES = ("ingest", "sources", "matchers", "flows")
AREAS = sorted({code.partition(".")[0] for code in REASONS})
CODE = re.compile(rf"^(?:{'|'.join(AREAS)})\.[a-z][a-z0-9_]*$")
PREFIX = re.compile(rf"^(?:{'|'.join(AREAS)})\.$")

NOT_REASON_CODES = {
    "consent.given": "an audit-log action",
    "consent.withdrawn": "an audit-log action",
    "phone.line_type": "an enrichment field",
    "phone.region": "an enrichment field",
    "email.com": "a mail domain",
    "email.mx": "a mail domain",
}
"""Strings shaped like a code that are something else."""


def _phone_twins() -> set[str]:
    """The mobile column's codes are the phone codes with the prefix swapped (and back)."""
    phone = {c.removeprefix("phone.") for c in REASONS if c.startswith("phone.")}
    mobile = {c.removeprefix("mobile.") for c in REASONS if c.startswith("mobile.")}
    return {f"{area}.{what}" for what in phone | mobile for area in ("phone", "mobile")}


def _validate_codes() -> set[str]:
    return {c for rule in RULES for c in (rule.code, *rule.explained_by)}


BUILT: dict[str, Callable[[], set[str]]] = {
    "f'suppressed.{…}'": lambda: {f"suppressed.{r}" for r in SUPPRESSION_REASONS},
    "f'phone.{…}'": _validate_codes,
    "f'mobile.{…}'": _validate_codes,
    "replace('phone.', …)": _phone_twins,
}
"""How each kind of place that builds a code expands to the codes it can build."""


def scan(paths: Iterable[Path]) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """(code-shaped strings, places that build a code), each with its ``file:line`` places."""
    literals: dict[str, list[str]] = {}
    built: dict[str, list[str]] = {}
    for path in paths:
        where = path.relative_to(REPO) if path.is_relative_to(REPO) else path
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.expr):
                continue
            place = f"{where}:{node.lineno}"
            kind = _building(node)
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                if CODE.match(node.value):
                    literals.setdefault(node.value, []).append(place)
            elif kind is not None:
                built.setdefault(kind, []).append(place)
    return literals, built


def _building(node: ast.expr) -> str | None:
    """The kind of place ``node`` is if it builds a code from a literal area prefix."""
    if isinstance(node, ast.JoinedStr) and node.values:
        head = node.values[0]
        if isinstance(head, ast.Constant) and PREFIX.match(str(head.value)):
            return f"f'{head.value!s}{{…}}'"
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "replace"
        and node.args
        and isinstance(node.args[0], ast.Constant)
        and PREFIX.match(str(node.args[0].value))
    ):
        return f"replace('{node.args[0].value!s}', …)"
    return None


def project_files() -> list[Path]:
    return [path for name in PACKAGES for path in sorted((REPO / name).rglob("*.py"))]


@pytest.fixture(scope="module")
def scanned() -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    return scan(project_files())


def test_every_code_written_in_the_code_is_catalogued(
    scanned: tuple[dict[str, list[str]], dict[str, list[str]]],
) -> None:
    literals, _ = scanned
    missing = {
        code: places
        for code, places in literals.items()
        if code not in REASONS and code not in NOT_REASON_CODES
    }
    assert missing == {}, "add these codes (with a sentence) to ingest/reasons.py"


def test_every_place_that_builds_a_code_is_known(
    scanned: tuple[dict[str, list[str]], dict[str, list[str]]],
) -> None:
    _, built = scanned
    unknown = {kind: places for kind, places in built.items() if kind not in BUILT}
    assert unknown == {}, "teach BUILT which codes these places can build"


@pytest.mark.parametrize("kind", sorted(BUILT))
def test_every_code_a_place_can_build_is_catalogued(kind: str) -> None:
    codes = BUILT[kind]()
    assert codes
    assert codes - REASONS.keys() == set()


def test_the_shipped_policy_names_only_known_suppression_reasons() -> None:
    policy = load_policy(None)
    named = {*policy.record_reasons, *policy.channel_reasons}
    assert named <= SUPPRESSION_REASONS


def test_the_exceptions_are_still_there_and_not_codes(
    scanned: tuple[dict[str, list[str]], dict[str, list[str]]],
) -> None:
    literals, _ = scanned
    assert set(NOT_REASON_CODES) <= set(literals)  # else drop the stale entry
    assert set(NOT_REASON_CODES).isdisjoint(REASONS)


def test_the_scan_finds_a_missing_code_and_a_new_way_to_build_one(tmp_path: Path) -> None:
    module = tmp_path / "stage.py"
    module.write_text(
        'ISSUE = "consent.made_up"\n'
        'NOTE = "not.a_code"\n'
        "def code(field):\n"
        '    return f"value.{field}", "x".replace("row.", "")\n',
        encoding="utf-8",
    )
    literals, built = scan([module])
    assert set(literals) == {"consent.made_up"}
    assert set(built) == {"f'value.{…}'", "replace('row.', …)"}
