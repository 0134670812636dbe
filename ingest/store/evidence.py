"""A candidate's comparison detail read for people: per-field weights and levels, and the few
comparisons that most pulled the pair together ("matched on")."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

NOT_EVIDENCE = frozenset({"prior"})
"""Weights that are not a comparison of the two records."""


@dataclass(frozen=True, slots=True)
class FieldRow:
    """One compared field: both values, whether they differ, and the model's weight if given."""

    name: str
    left: str
    right: str
    state: str
    weight: float | None = None
    level: str | None = None


def field_weights(detail: dict[str, Any] | None) -> list[FieldRow]:
    """Per-field weights from a candidate's ``detail``, whatever shape the matcher wrote.

    Understood: ``{"fields": {name: {"weight": w, "level": label, "left": x, "right": y}}}``
    (also ``bf``/``match_weight`` for the weight, ``label``/``comparison`` for the level, or a
    bare number), ``{"fields": [{"name": ..., ...}]}``, and ``{"weights": {name: w}}`` with the
    levels beside it in ``{"levels": {name: label}}`` (the match model's explanation).
    """
    if not detail:
        return []
    fields: Any = detail.get("fields", detail.get("weights"))
    if isinstance(fields, list):
        fields = {str(f.get("name", i)): f for i, f in enumerate(fields) if isinstance(f, dict)}
    if not isinstance(fields, dict):
        return []
    given = detail.get("levels")
    levels = given if isinstance(given, dict) else {}
    out = []
    for name, value in fields.items():
        spec = value if isinstance(value, dict) else {"weight": value}
        weight = next((spec[k] for k in ("weight", "match_weight", "bf") if k in spec), None)
        level = next((spec[k] for k in ("level", "label", "comparison") if k in spec), None)
        level = levels.get(name) if level is None else level
        left, right = text(spec.get("left")), text(spec.get("right"))
        out.append(
            FieldRow(str(name), left, right, state(left, right),
                     float(weight) if isinstance(weight, int | float) else None,
                     None if level is None else str(level))
        )  # fmt: skip
    return out


def matched_on(detail: dict[str, Any] | None, *, most: int = 3) -> list[str]:
    """The comparisons that weighed most for a match, strongest first, as
    ``"email: exact"``; empty when nothing spoke for it."""
    rows = [
        r
        for r in field_weights(detail)
        if r.weight is not None and r.weight > 0 and r.name not in NOT_EVIDENCE
    ]
    rows.sort(key=lambda r: -(r.weight or 0.0))
    return [
        f"{_shown_name(r.name)}: {(r.level or 'agrees').replace('_', ' ')}" for r in rows[:most]
    ]


CUSTOM_COMPARISONS = ("attribute", "attribute_list")
"""Comparisons of a custom field, named ``KIND:HEADER`` (``matchers.attributes``); a place
reads two headers, ``LAT+LNG``."""


def custom_field(name: str) -> str:
    """The header a comparison of a custom field compares (``attribute:SSN`` → ``SSN``),
    ``""`` for the other comparisons."""
    kind, _, header = name.partition(":")
    return header if kind in CUSTOM_COMPARISONS else ""


def _shown_name(name: str) -> str:
    """A comparison's name for people: a custom field's by its header (``attribute:SSN`` is
    ``SSN``), the others with spaces (``person name``)."""
    return custom_field(name) or name.replace("_", " ")


def text(value: Any) -> str:
    return "" if value is None else str(value)


def state(left: str, right: str) -> str:
    """``empty``, ``missing`` (one side), ``same`` (ignoring case) or ``differs``."""
    if not left and not right:
        return "empty"
    if not left or not right:
        return "missing"
    return "same" if left.casefold() == right.casefold() else "differs"
