"""Small normalized-looking rows and feature frames for matcher tests."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from matchers.coded import Coded, encode
from matchers.comparisons import comparison
from matchers.features import FEATURE_COLUMNS, record_features
from matchers.generic import PERSON_RULES, GenericRule, generic_values

COLUMNS = (
    "first_name_key",
    "last_name_key",
    "email_key",
    "email_domain",
    "email_is_free",
    "phone",
    "mobile",
    "company_key",
    "company_domain",
    "postal_code",
    "street",
    "city",
    "job_title",
    "birth_date",
)


def rows(*records: Mapping[str, object]) -> pd.DataFrame:
    """A frame of normalized-looking rows with every matcher column (None where a record does
    not say); extra keys of a record become extra columns."""
    extra = [k for r in records for k in r if k not in COLUMNS]
    columns = [*COLUMNS, *dict.fromkeys(extra)]
    frame = pd.DataFrame([{c: r.get(c) for c in columns} for r in records], columns=columns)
    email = frame["email_key"].fillna("").astype(str)
    frame["email_domain"] = frame["email_domain"].fillna(email.str.partition("@")[2])
    return frame


def features(*records: dict[str, str]) -> pd.DataFrame:
    """A feature frame (``FEATURE_COLUMNS``, ``""`` where a record does not say)."""
    return pd.DataFrame(
        [{c: r.get(c, "") for c in FEATURE_COLUMNS} for r in records],
        columns=list(FEATURE_COLUMNS),
        dtype=object,
    )


def coded(frame: pd.DataFrame, rules: tuple[GenericRule, ...] = PERSON_RULES) -> Coded:
    """The coded records of a feature frame, with the generic values found in it."""
    return encode(frame, generic_values(frame, rules))


def level_labels(kind: str, c: Coded, pairs: list[tuple[int, int]]) -> list[str]:
    """The level label comparison ``kind`` gives each (left, right) pair ("missing" for -1)."""
    spec = comparison(kind)
    left = np.asarray([a for a, _ in pairs], dtype=np.int64)
    right = np.asarray([b for _, b in pairs], dtype=np.int64)
    return [spec.levels[g] if g >= 0 else "missing" for g in spec.compare(c, left, right)]


def label_of_rows(kind: str, left: dict[str, object], right: dict[str, object]) -> str:
    """The level label of one pair of normalized rows (features built as the engine does)."""
    frame = record_features(rows(left, right))
    return level_labels(kind, coded(frame), [(0, 1)])[0]


def label_of_features(kind: str, left: dict[str, str], right: dict[str, str]) -> str:
    """The level label of one pair given directly as feature values."""
    return level_labels(kind, coded(features(left, right)), [(0, 1)])[0]


def generated_rows(n_rows: int, *, seed: int = 7) -> pd.DataFrame:
    """Normalized, validated rows of generated B2B leads (duplicates, colleagues, namesakes)."""
    return generated_with_truth(n_rows, seed=seed)[0]


def generated_with_truth(n_rows: int, *, seed: int = 7) -> tuple[pd.DataFrame, pd.Series]:
    """Generated B2B leads, normalized and validated, and the true person id of each row."""
    from ingest.mapping import apply_mapping, propose_mapping
    from ingest.normalize import normalize_batch
    from ingest.validate import validate_batch
    from sample_data.generate import generate_b2b_leads

    raw = generate_b2b_leads(n_rows, seed=seed)
    truth = raw.pop("true_person_id")
    canonical = apply_mapping(raw, propose_mapping(list(raw.columns)))
    return validate_batch(normalize_batch(canonical)), truth


def precision_recall(clusters: pd.Series | np.ndarray, truth: pd.Series) -> tuple[float, float]:
    """Pairwise precision and recall of a clustering against the true ids."""

    def pairs(labels: pd.Series) -> int:
        sizes = labels.value_counts()
        return int((sizes * (sizes - 1) // 2).sum())

    found = pd.Series(np.asarray(clusters, dtype=object)).astype(str)
    true = pd.Series(np.asarray(truth, dtype=object)).astype(str)
    joint = pairs(true + "|" + found)
    return joint / max(pairs(found), 1), joint / max(pairs(true), 1)


def f1_score(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def exact_key_clusters(frame: pd.DataFrame, columns: tuple[str, ...]) -> np.ndarray:
    """The clusters of the naive rule "same values in all ``columns``" (a row missing one is
    alone): the baseline a fitted model must beat on the same data, whatever its numbers."""
    keys = frame[list(columns)].fillna("").astype(str)
    known = (keys != "").all(axis=1).to_numpy()
    joined = keys.agg("|".join, axis=1).to_numpy(dtype=object)
    alone = np.asarray([f"row {i}" for i in range(len(frame))], dtype=object)
    return np.where(known, joined, alone)


def best_rule_f1(frame: pd.DataFrame, truth: pd.Series, rules: list[tuple[str, ...]]) -> float:
    """The best pairwise F1 any of the exact-key ``rules`` reaches against ``truth``."""
    return max(f1_score(*precision_recall(exact_key_clusters(frame, r), truth)) for r in rules)
