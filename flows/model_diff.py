"""Comparing two match models: level weights (bits), settings, and parts only one has."""

from __future__ import annotations

from dataclasses import dataclass

from matchers.settings import ENTITIES, EntityModel, MatchModel

WEIGHT_TOLERANCE = 0.005
"""Weights closer than this (bits) count as equal."""


@dataclass(frozen=True, slots=True)
class WeightChange:
    entity: str
    comparison: str
    level: str
    a: float | None
    b: float | None

    @property
    def change(self) -> float | None:
        return None if self.a is None or self.b is None else self.b - self.a


@dataclass(frozen=True, slots=True)
class SettingChange:
    entity: str
    setting: str
    a: str
    b: str


@dataclass(frozen=True, slots=True)
class OnlyIn:
    entity: str
    what: str
    name: str
    side: str
    """``A`` or ``B``."""


@dataclass(frozen=True, slots=True)
class ModelDiff:
    """What differs between model A and model B."""

    weights: list[WeightChange]
    settings: list[SettingChange]
    only_in: list[OnlyIn]

    @property
    def empty(self) -> bool:
        return not (self.weights or self.settings or self.only_in)


def diff_models(a: MatchModel, b: MatchModel) -> ModelDiff:
    """Level weights (bits) that differ, setting changes, and parts only one model has."""
    weights: list[WeightChange] = []
    settings: list[SettingChange] = []
    only_in: list[OnlyIn] = []
    for name in ENTITIES:
        left, right = a.entity(name), b.entity(name)
        if left is None and right is None:
            continue
        if left is None or right is None:
            only_in.append(OnlyIn(name, "entity model", name, "A" if right is None else "B"))
            continue
        weights += _weight_changes(left, right)
        settings += _setting_changes(left, right)
        only_in += _only_in(left, right)
    return ModelDiff(weights, settings, only_in)


def _weight_changes(a: EntityModel, b: EntityModel) -> list[WeightChange]:
    out = []
    for left in a.comparisons:
        right = b.comparison(left.kind)
        if right is None:
            continue
        wa, wb = left.weights(), right.weights()
        for i, level in enumerate(left.levels):
            va = float(wa[i]) if left.fitted else None
            vb = float(wb[i]) if right.fitted else None
            if va is None and vb is None:
                continue
            if va is None or vb is None or abs(va - vb) > WEIGHT_TOLERANCE:
                out.append(WeightChange(a.entity, left.kind, level.label, va, vb))
    return out


def _setting_changes(a: EntityModel, b: EntityModel) -> list[SettingChange]:
    pairs = {
        "prior": (_number(a.prior), _number(b.prior)),
        "link threshold": (str(a.link_threshold), str(b.link_threshold)),
        "review threshold": (str(a.review_threshold), str(b.review_threshold)),
        "max block": (str(a.max_block), str(b.max_block)),
        "max cluster": (str(a.max_cluster), str(b.max_cluster)),
    }
    for left in a.comparisons:
        right = b.comparison(left.kind)
        if right is not None:
            pairs[f"{left.kind} term frequencies"] = (
                _yes(left.term_frequency),
                _yes(right.term_frequency),
            )
    return [SettingChange(a.entity, key, x, y) for key, (x, y) in pairs.items() if x != y]


def _only_in(a: EntityModel, b: EntityModel) -> list[OnlyIn]:
    out = []
    kinds_a = [c.kind for c in a.comparisons]
    kinds_b = [c.kind for c in b.comparisons]
    out += [OnlyIn(a.entity, "comparison", k, "A") for k in kinds_a if k not in kinds_b]
    out += [OnlyIn(a.entity, "comparison", k, "B") for k in kinds_b if k not in kinds_a]
    rules_a = [r.name for r in a.blocking]
    rules_b = [r.name for r in b.blocking]
    out += [OnlyIn(a.entity, "blocking rule", r, "A") for r in rules_a if r not in rules_b]
    out += [OnlyIn(a.entity, "blocking rule", r, "B") for r in rules_b if r not in rules_a]
    return out


def _number(value: float | None) -> str:
    return "unfitted" if value is None else f"{value:.4g}"


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"
