"""The match model as one declarative, versioned object that saves as readable JSON.

A model holds, per entity kind (people; companies), its comparisons with labelled levels and
their fitted m and u, whether term frequencies adjust a comparison, the blocking rules, the
prior (the chance that two random records match) and the thresholds. ``to_dict`` /
``from_dict`` round-trip it; loading checks the format version, every comparison's kind and
level labels against the library (``matchers.comparisons.LIBRARY``), that m and u are
probabilities, and a fitted model's checksum, and refuses a mismatch with ``ModelError``.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from ingest.errors import LeadflowError
from matchers.comparisons import LIBRARY, Comparison, comparison
from matchers.pooling import pooled

FORMAT = "leadflow-match-model"
FORMAT_VERSION = 2
ENTITIES = ("people", "companies")
PROBABILITY_FLOOR = 1e-300
"""m or u of 0 (a hand-made model) is read as this, so its level weighs the extreme bits."""
WEIGHT_BITS = (-20.0, 18.0)
"""No level weighs more than these bits: one field can never be certainty. A disagreement may
weigh a little more than any agreement: where the fitted m says duplicates of this file never
differ on a field (dupehell's contacts keep their phone), a pair that does is most likely two
people, and at -14 bits such a pair still linked on name, address and employer alone. Where
duplicates do differ (real files: a new phone, a new job), m of "different" is far from 0 and
the cap never binds."""
SIGNIFICANT_DIGITS = 10
"""m and u are stored to this many significant digits: a tiny m or u keeps its ratio."""


class ModelError(LeadflowError):
    """A match model file cannot be used as it is; the message says what to do."""


@dataclass(frozen=True, slots=True)
class Level:
    """One comparison level: its label and fitted m and u (None before fitting); ``u_within``
    is u among pairs of one employer (colleagues), where it is known."""

    label: str
    m: float | None = None
    u: float | None = None
    u_within: float | None = None


@dataclass(frozen=True, slots=True)
class ComparisonSettings:
    """A comparison of the model: a library kind, its levels, and term-frequency use."""

    kind: str
    levels: tuple[Level, ...]
    term_frequency: bool = False

    @property
    def spec(self) -> Comparison:
        return comparison(self.kind)

    @property
    def fitted(self) -> bool:
        return all(level.m is not None and level.u is not None for level in self.levels)

    @property
    def has_within(self) -> bool:
        return all(level.u_within is not None for level in self.levels)

    def weights(self, *, within: bool = False) -> np.ndarray:
        """log2(m/u) per level (0 where unfitted); with ``within``, u among colleagues.

        Within ``WEIGHT_BITS`` and never rising from a closer level to a looser one (adjacent
        violators pooled, weighted by m), whatever m and u a file or a refit holds."""
        if not self.fitted:
            return np.zeros(len(self.levels))
        use_within = within and self.has_within
        m = np.asarray([level.m for level in self.levels], dtype=float)
        u = np.asarray(
            [level.u_within if use_within else level.u for level in self.levels], dtype=float
        )
        m, u = np.maximum(m, PROBABILITY_FLOOR), np.maximum(u, PROBABILITY_FLOOR)
        return pooled(np.clip(np.log2(m / u), *WEIGHT_BITS), m)

    def with_parameters(
        self, m: np.ndarray, u: np.ndarray, u_within: np.ndarray | None = None
    ) -> ComparisonSettings:
        within = [None] * len(self.levels) if u_within is None else list(u_within)
        levels = tuple(
            Level(level.label, _stored(mi), _stored(ui), None if wi is None else _stored(wi))
            for level, mi, ui, wi in zip(self.levels, m, u, within, strict=True)
        )
        return replace(self, levels=levels)

    @classmethod
    def of(cls, kind: str, *, term_frequency: bool | None = None) -> ComparisonSettings:
        """Unfitted settings of a library comparison (term frequencies where it has them)."""
        spec = comparison(kind)
        tf = bool(spec.tf_levels) if term_frequency is None else term_frequency
        return cls(kind, tuple(Level(label) for label in spec.levels), tf)


@dataclass(frozen=True, slots=True)
class BlockingRule:
    """Records sharing the values of all ``columns`` are compared."""

    columns: tuple[str, ...]

    @property
    def name(self) -> str:
        return "+".join(self.columns)


@dataclass(frozen=True, slots=True)
class EntityModel:
    """The model of one entity kind."""

    entity: str
    comparisons: tuple[ComparisonSettings, ...]
    blocking: tuple[BlockingRule, ...]
    prior: float | None = None
    link_threshold: float = 0.9
    review_threshold: float = 0.4
    max_block: int = 400
    max_cluster: int = 60
    trained_on: dict[str, Any] = field(default_factory=dict)

    @property
    def fitted(self) -> bool:
        return self.prior is not None and all(c.fitted for c in self.comparisons)

    def comparison(self, kind: str) -> ComparisonSettings | None:
        return next((c for c in self.comparisons if c.kind == kind), None)


@dataclass(frozen=True, slots=True)
class MatchModel:
    """People's and companies' models (either may be absent: no such rows were seen)."""

    people: EntityModel | None = None
    companies: EntityModel | None = None
    source: str = ""
    """Where the model came from: ``configured from data``, a file, a stored version."""

    @property
    def fitted(self) -> bool:
        parts = [m for m in (self.people, self.companies) if m is not None]
        return bool(parts) and all(m.fitted for m in parts)

    def entity(self, name: str) -> EntityModel | None:
        return self.people if name == "people" else self.companies

    def to_dict(self) -> dict[str, Any]:
        body: dict[str, Any] = {"format": FORMAT, "format_version": FORMAT_VERSION}
        for name in ENTITIES:
            model = self.entity(name)
            if model is not None:
                body[name] = _entity_dict(model)
        if self.fitted:
            body["checksum"] = checksum(body)
        return body

    @classmethod
    def from_dict(cls, data: dict[str, Any], *, source: str = "") -> MatchModel:
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise ModelError(f"{source or 'the data'} is not a leadflow match model")
        version = data.get("format_version")
        if version != FORMAT_VERSION:
            raise ModelError(
                f"match model format version {version!r} is not {FORMAT_VERSION}: fit a new "
                "model with `leadflow model fit FILE --out MODEL`"
            )
        parts = {name: _entity(name, data[name]) for name in ENTITIES if name in data}
        model = cls(parts.get("people"), parts.get("companies"), source)
        if "checksum" in data:
            body = {k: v for k, v in data.items() if k != "checksum"}
            if data["checksum"] != checksum(body):
                raise ModelError(
                    f"{source or 'the match model'} was changed after it was fitted (checksum "
                    "mismatch): refit it with `leadflow model fit`, or remove the checksum to "
                    "load it as unfitted settings"
                )
        elif model.fitted:
            raise ModelError(
                f"{source or 'the match model'} has fitted parameters but no checksum: refit "
                "it with `leadflow model fit`"
            )
        return model

    def save(self, path: Path) -> None:
        path.write_text(json.dumps(self.to_dict(), indent=2, ensure_ascii=False) + "\n", "utf-8")

    @classmethod
    def load(cls, path: Path) -> MatchModel:
        try:
            data = json.loads(path.read_text("utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
            raise ModelError(f"cannot read match model {path.name}: {error}") from None
        return cls.from_dict(data, source=path.name)


def _stored(value: float) -> float:
    return float(f"{float(value):.{SIGNIFICANT_DIGITS}g}")


def checksum(body: dict[str, Any]) -> str:
    """sha256 of the canonical JSON of the model body (without its checksum)."""
    text = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return "sha256:" + hashlib.sha256(text.encode()).hexdigest()


def _entity_dict(model: EntityModel) -> dict[str, Any]:
    return {
        "comparisons": [
            {
                "kind": c.kind,
                "term_frequency": c.term_frequency,
                "levels": [_level_dict(level) for level in c.levels],
            }
            for c in model.comparisons
        ],
        "blocking_rules": [list(rule.columns) for rule in model.blocking],
        "prior": model.prior,
        "thresholds": {"link": model.link_threshold, "review": model.review_threshold},
        "max_block": model.max_block,
        "max_cluster": model.max_cluster,
        "trained_on": model.trained_on,
    }


def _level_dict(level: Level) -> dict[str, Any]:
    out: dict[str, Any] = {"label": level.label, "m": level.m, "u": level.u}
    if level.u_within is not None:
        out["u_within"] = level.u_within
    return out


def _entity(name: str, data: dict[str, Any]) -> EntityModel:
    try:
        comparisons = tuple(_comparison(name, c) for c in data["comparisons"])
        blocking = tuple(BlockingRule(tuple(map(str, r))) for r in data["blocking_rules"])
        thresholds = data["thresholds"]
        prior = data.get("prior")
        model = EntityModel(
            entity=name,
            comparisons=comparisons,
            blocking=blocking,
            prior=None if prior is None else float(prior),
            link_threshold=float(thresholds["link"]),
            review_threshold=float(thresholds["review"]),
            max_block=int(data.get("max_block", 400)),
            max_cluster=int(data.get("max_cluster", 60)),
            trained_on=dict(data.get("trained_on") or {}),
        )
    except (KeyError, TypeError, ValueError) as error:
        raise ModelError(f"the {name} model is incomplete or malformed ({error})") from None
    if model.prior is not None and not 0 < model.prior < 1:
        raise ModelError(f"the {name} model's prior must be between 0 and 1")
    if not 0 <= model.review_threshold <= model.link_threshold <= 1:
        raise ModelError(f"the {name} model's thresholds must satisfy 0 ≤ review ≤ link ≤ 1")
    return model


def _comparison(entity: str, data: dict[str, Any]) -> ComparisonSettings:
    kind = data["kind"]
    try:
        expected = comparison(kind).levels
    except KeyError:
        raise ModelError(
            f"the {entity} model uses comparison {kind!r}, which this leadflow does not have "
            f"(known: {', '.join(sorted(LIBRARY))}, attribute:COLUMN, attribute_list:COLUMN): "
            "it was saved by another version; refit it with `leadflow model fit`"
        ) from None
    labels = tuple(str(level["label"]) for level in data["levels"])
    if labels != expected:
        raise ModelError(
            f"the {entity} model's comparison {kind!r} has levels {list(labels)}, but this "
            f"leadflow grades it into {list(expected)}: the model was saved by another version; "
            "refit it with `leadflow model fit`"
        )
    levels = []
    for level in data["levels"]:
        values = [level.get(key) for key in ("m", "u", "u_within")]
        for value in values:
            if value is not None and not 0 <= float(value) <= 1:
                raise ModelError(
                    f"comparison {kind!r}: m and u must be probabilities; the file was changed: "
                    "refit it with `leadflow model fit`"
                )
        m, u, within = (None if v is None else float(v) for v in values)
        levels.append(Level(level["label"], m, u, within))
    for key in ("m", "u", "u_within"):
        values = [getattr(level, key) for level in levels]
        if all(v is not None for v in values) and abs(sum(values) - 1) > 1e-3:
            raise ModelError(
                f"comparison {kind!r}: its {key} values must sum to 1; the file was changed: "
                "refit it with `leadflow model fit`"
            )
    return ComparisonSettings(kind, tuple(levels), bool(data.get("term_frequency", False)))
