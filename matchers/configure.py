"""Self-configuration: the model a file calls for, from the columns it has and a profile.

Which comparisons apply follows from which feature columns are filled; blocking rules come from
a list of candidates, each kept only if its columns are filled, with its pair count computed
from the data before anything is compared: a rule that would explode is tightened (another
column added) or dropped. The plan says what was chosen and why (counts only, never values).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from matchers.attributes import is_attribute, personal_rules
from matchers.blocking import (
    DEFAULT_MAX_BLOCK,
    OVERSIZE_PAIRS,
    column_codes,
    compared_blocks,
    distinct_in_blocks,
    identical_rows,
    joined_cost,
    rule_codes,
)
from matchers.priors import MIN_FIT_RECORDS
from matchers.settings import BlockingRule, ComparisonSettings, EntityModel

MIN_FILLED = 0.01
"""A comparison applies when its columns are filled in at least this share of records..."""
MIN_FILLED_RECORDS = 3
"""...and in at least this many records when it is fitted to them; a file too small to fit
(scored with the shipped parameters) needs only two records to compare."""
PAIRS_PER_RECORD = 5
"""A blocking rule may bring at most this many pairs per record (or ``MIN_RULE_PAIRS``)."""
MIN_RULE_PAIRS = 200_000
PAIRS_PER_RECORD_IN_ALL = 12
"""All rules together may bring at most this many pairs per record (or ``MIN_PAIRS_IN_ALL``):
the rules are spent in order, so on a big file the last, broadest ones are tightened or
dropped instead of adding tens of millions of pairs that are nearly all non-matches."""
MIN_PAIRS_IN_ALL = 2_000_000
TIGHTEN = ("fn_initial", "ln_initial", "postal", "city")

PERSON_COMPARISONS = (
    "person_name",
    "middle_name",
    "email",
    "phone",
    "employer",
    "title",
    "birth_date",
    "linkedin",
    "home_street",
    "home_postcode",
    "home_city",
    "work_city",
)
COMPANY_COMPARISONS = ("company_name", "web_domain", "phone", "email", "street", "postcode", "city")
PERSON_RULES: tuple[tuple[str, ...], ...] = (
    ("linkedin",),
    ("email",),
    ("phone",),
    ("mobile",),
    ("number", "ln_phon"),
    ("email_local", "fn_initial"),
    ("name_sorted",),
    ("fn_phon", "ln_phon", "dob_year"),
    ("ln_phon", "fn_nick_initial", "postal"),
    ("ln", "company"),
    ("fn", "company"),
    ("ln", "city", "fn_initial"),
    ("dob",),
    ("dob", "ln_initial"),
    ("fn", "dob_year"),
    ("ln", "dob_year"),
    ("fn_initial", "ln_initial", "dob_month_day"),
    ("street", "postal"),
    ("street", "ln_initial"),
    ("fn", "postal"),
    ("ln", "postal"),
    ("fn", "ln_phon"),
    ("fn_phon", "ln"),
    ("sound_sorted",),
    ("fn", "city"),
    ("ln_phon", "city"),
    ("street_number", "street_word", "postal"),
    ("street_number", "street_word", "city"),
    ("street_number", "postal", "fn_initial"),
    ("email_local",),
    ("title", "ln_initial"),
    ("title", "company_word"),
    ("postal", "fn_initial"),
    ("postal", "ln_initial"),
    ("city", "fn_initial"),
    ("city", "ln_initial"),
    ("street_number", "fn_initial", "ln_initial"),
)
COMPANY_RULES: tuple[tuple[str, ...], ...] = (
    ("phone",),
    ("domain",),
    ("email",),
    ("company",),
    ("company_word",),
    ("company_last_word",),
    ("company_acronym",),
    ("company_word_sound",),
    ("street_number", "street_word"),
    ("company_word", "postal"),
    ("company_word", "street_number"),
    ("company_word", "city"),
    ("phone_7",),
    ("street", "postal"),
)


@dataclass(frozen=True, slots=True)
class PlannedRule:
    """A candidate rule and what became of it: kept (possibly tightened) or dropped."""

    asked: tuple[str, ...]
    rule: BlockingRule | None
    pairs: int
    note: str


def filled(features: pd.DataFrame, column: str) -> int:
    return int((features[column].to_numpy(dtype=object) != "").sum())


def applicable(features: pd.DataFrame, kinds: tuple[str, ...]) -> tuple[str, ...]:
    """The comparison kinds whose columns are filled often enough in these records."""
    from matchers.comparisons import comparison

    n = max(len(features), 1)
    least = MIN_FILLED_RECORDS if len(features) >= MIN_FIT_RECORDS else 2
    private = filled(features, "private")
    out = []
    for kind in kinds:
        count = max(filled(features, c) for c in comparison(kind).columns)
        if kind.startswith("home_"):
            count = min(count, private)
        elif kind == "work_city":  # between two homes it is home_city
            count = min(count, len(features) - private)
        if count >= least and count / n >= MIN_FILLED:
            out.append(kind)
    return tuple(out)


def block_pairs(codes: np.ndarray, max_block: int, same: np.ndarray | None = None) -> int:
    """Pairs a rule's key codes (``rule_codes``, -1 = missing) make, without making them: the
    blocks ``candidate_pairs`` compares (up to ``max_block`` records, then bigger ones while
    their pairs fit ``OVERSIZE_PAIRS``) and the big blocks it joins through their distinct
    records (cheapest first, within ``OVERSIZE_PAIRS`` too). With ``same``
    (``identical_rows``) a block's identical records count as one, plus one pair for each
    copy (what joining a block through its distinct records costs): one person on a thousand
    identical rows of a patent list does not make a rule explode, as they do not make a name
    common or a cluster too big. Counting the big blocks matters: a company list whose names
    come from a few words ("Summit Group", "First Group") makes first-word blocks of 600."""
    keyed = codes >= 0
    present = codes[keyed]
    if len(present) == 0:
        return 0
    sizes = np.bincount(present)
    distinct = sizes if same is None else distinct_in_blocks(present, same[keyed], len(sizes))
    cost = joined_cost(sizes, distinct)
    compared = compared_blocks(sizes, max_block)
    pairs = int(cost[compared].sum())
    big = np.flatnonzero((sizes > max_block) & ~compared)
    if same is not None and len(big):
        joined = np.sort(cost[big])
        pairs += int(joined[np.cumsum(joined) <= OVERSIZE_PAIRS].sum())
    return pairs


def plan_blocking(
    features: pd.DataFrame,
    candidates: tuple[tuple[str, ...], ...],
    *,
    max_block: int = DEFAULT_MAX_BLOCK,
    cache: dict[str, np.ndarray] | None = None,
) -> list[PlannedRule]:
    """Each candidate rule kept, tightened or dropped by the pairs it would make here, within
    one rule's budget and what is left of all rules' budget (``cache``: keys of this very
    frame, shared with ``candidate_pairs``)."""
    rule_budget = max(PAIRS_PER_RECORD * len(features), MIN_RULE_PAIRS)
    left = max(PAIRS_PER_RECORD_IN_ALL * len(features), MIN_PAIRS_IN_ALL)
    cache = {} if cache is None else cache
    same = identical_rows(features, cache)
    plan: list[PlannedRule] = []
    for asked in candidates:
        budget = min(rule_budget, left)
        if any(_empty(features, c, cache) for c in asked):
            plan.append(PlannedRule(asked, None, 0, "a column is empty"))
            continue
        columns = asked
        pairs = block_pairs(rule_codes(features, columns, cache), max_block, same)
        extra = iter(c for c in TIGHTEN if c not in columns and not _empty(features, c, cache))
        while pairs > budget:
            more = next(extra, None)
            if more is None:
                break
            columns = (*columns, more)
            pairs = block_pairs(rule_codes(features, columns, cache), max_block, same)
        if pairs > budget:
            plan.append(PlannedRule(asked, None, pairs, f"dropped: over {budget:,} pairs"))
        elif pairs == 0 and not _shared(rule_codes(features, columns, cache)):
            plan.append(PlannedRule(asked, None, 0, "no two records share a key"))
        else:
            note = "kept" if columns == asked else "tightened"
            plan.append(PlannedRule(asked, BlockingRule(columns), pairs, note))
            left -= pairs
    return plan


def _shared(codes: np.ndarray) -> bool:
    """Some two records share a key (in a block of any size: one over ``max_block`` is not
    counted in the plan, but blocking still joins it within its budgets)."""
    present = codes[codes >= 0]
    return bool(len(present)) and bool((np.bincount(present) > 1).any())


def _empty(features: pd.DataFrame, column: str, cache: dict[str, np.ndarray]) -> bool:
    """No record has a key in this column (its codes are all -1)."""
    return not (column_codes(features, column, cache) >= 0).any()


def candidate_rules(features: pd.DataFrame, entity: str) -> tuple[tuple[str, ...], ...]:
    """The rules the planner tries for ``entity`` (``people`` or ``companies``): the file's own
    identifiers first (``personal_rules``), then the library's rules."""
    library = PERSON_RULES if entity == "people" else COMPANY_RULES
    return (*personal_rules(features.columns), *library)


def configure(
    features: pd.DataFrame,
    entity: str,
    *,
    max_block: int = DEFAULT_MAX_BLOCK,
    cache: dict[str, np.ndarray] | None = None,
) -> tuple[EntityModel, list[PlannedRule]]:
    """An unfitted model for these records (``entity``: ``people`` or ``companies``;
    ``cache``: blocking keys of this very frame, see ``plan_blocking``)."""
    people = entity == "people"
    attributes = tuple(c for c in features.columns if is_attribute(c))
    kinds = applicable(
        features, (*(PERSON_COMPARISONS if people else COMPANY_COMPARISONS), *attributes)
    )
    plan = plan_blocking(
        features, candidate_rules(features, entity), max_block=max_block, cache=cache
    )
    rules = tuple(dict.fromkeys(p.rule for p in plan if p.rule is not None))
    model = EntityModel(
        entity=entity,
        comparisons=tuple(ComparisonSettings.of(kind) for kind in kinds),
        blocking=rules,
        max_block=max_block,
    )
    return model, plan
