"""Self-configuration: the comparisons and blocking rules a file calls for, from its columns and
from pair counts computed before anything is compared."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from matchers import blocking as blocking_module
from matchers import configure as configure_module
from matchers.blocking import identical_rows, rule_codes, rule_keys
from matchers.configure import (
    COMPANY_COMPARISONS,
    PERSON_COMPARISONS,
    applicable,
    block_pairs,
    configure,
    plan_blocking,
)
from matchers.features import record_features
from matchers.settings import BlockingRule
from tests.matchers.helpers import features, generated_rows


def people(n: int, **columns: str) -> list[dict[str, str]]:
    return [{"fn": f"f{i}", "ln": f"l{i}", **columns} for i in range(n)]


def test_comparisons_follow_the_columns_a_file_fills() -> None:
    names_only = features(*people(50))
    assert applicable(names_only, PERSON_COMPARISONS) == ("person_name",)
    with_email = features(*people(48), *people(2, email="a@b.com"))
    assert "email" not in applicable(with_email, PERSON_COMPARISONS)  # two records: too few
    with_email = features(*people(40), *people(10, email="a@b.com"))
    assert "email" in applicable(with_email, PERSON_COMPARISONS)
    small = features(*people(3), *people(2, email="a@b.com"))  # scored with shipped parameters
    assert "email" in applicable(small, PERSON_COMPARISONS)
    assert applicable(features(*people(1, email="a@b.com")), PERSON_COMPARISONS) == ()


def test_home_address_comparisons_need_private_records() -> None:
    at_work = features(*people(20, company="acme", postal="02139", city="cambridge"))
    kinds = applicable(at_work, PERSON_COMPARISONS)
    assert "employer" in kinds
    assert not any(kind.startswith("home_") for kind in kinds)
    at_home = features(*people(20, private="1", postal="02139", city="cambridge"))
    kinds = applicable(at_home, PERSON_COMPARISONS)
    assert {"home_street", "home_postcode"} & set(kinds) == {"home_postcode"}  # no street
    assert "home_city" in kinds and "work_city" not in kinds  # between two homes: home_city
    assert "employer" not in kinds  # no company, no web domain
    assert "work_city" in applicable(at_work, PERSON_COMPARISONS)  # the town at work too


def test_a_company_file_gets_company_comparisons() -> None:
    listings = features(*[{"company": f"firm {i}", "domain": f"firm{i}.com",
                           "postal": "02139"} for i in range(20)])  # fmt: skip
    model, _ = configure(listings, "companies")
    kinds = [c.kind for c in model.comparisons]
    assert set(kinds) <= set(COMPANY_COMPARISONS)
    assert {"company_name", "web_domain", "postcode"} <= set(kinds)
    assert not model.fitted and model.prior is None


def string_block_pairs(keys: np.ndarray, max_block: int) -> int:
    """Pairs counted from the string keys, independently of ``block_pairs``."""
    sizes = pd.Series(keys[keys != ""]).value_counts()
    return int(sum(s * (s - 1) // 2 for s in sizes if s <= max_block))


def test_block_pairs_counts_without_making_pairs(monkeypatch: pytest.MonkeyPatch) -> None:
    codes = np.asarray([0, 0, 0, 1, -1, 2, 2])
    assert block_pairs(codes, max_block=400) == 4
    # a block over max_block is still compared while its pairs fit the oversize budget...
    assert block_pairs(codes, max_block=2) == 4
    monkeypatch.setattr(configure_module, "OVERSIZE_PAIRS", 2)
    monkeypatch.setattr(blocking_module, "OVERSIZE_PAIRS", 2)
    assert block_pairs(codes, max_block=2) == 1  # ...and skipped beyond it
    assert block_pairs(np.asarray([-1, -1]), max_block=400) == 0


def test_the_plan_counts_the_big_blocks_blocking_compares() -> None:
    """A company list whose names come from a few words: first-word blocks of hundreds. The
    plan counts what blocking will compare in them, so the rule is tightened, not kept at a
    count of the small blocks only."""
    words = ("summit", "first", "global", "national", "atlantic")
    rows = [{"company": f"{words[i % 5]} {i} group", "postal": f"{i % 60:05d}"}
            for i in range(3000)]  # fmt: skip
    frame = features(*rows)
    codes = rule_codes(frame, ("company_word",), {})
    sizes = np.bincount(codes[codes >= 0])
    assert (sizes > 400).all()  # every first-word block is over max_block
    assert block_pairs(codes, 400, identical_rows(frame)) > 100_000
    (planned,) = plan_blocking(frame, (("company_word",),), max_block=400)
    assert planned.rule is not None and "postal" in planned.rule.columns


@pytest.mark.parametrize(
    "columns",
    [("ln",), ("ln", "fn_initial"), ("fn", "company"), ("street", "postal", "fn_initial"),
     ("name_sorted",), ("email_local", "fn_initial"), ("city", "ln_initial")],
)  # fmt: skip
def test_rule_codes_make_the_blocks_of_the_string_keys(columns: tuple[str, ...]) -> None:
    frame = record_features(generated_rows(400))
    cache: dict[str, np.ndarray] = {}
    keys = rule_keys(frame, BlockingRule(columns), cache)
    codes = rule_codes(frame, columns, cache)
    assert ((keys == "") == (codes < 0)).all()
    present = keys != ""
    pairs = set(zip(keys[present].tolist(), codes[present].tolist(), strict=True))
    assert len(pairs) == len(set(keys[present].tolist())) == len(set(codes[present].tolist()))
    assert block_pairs(codes, 400) == string_block_pairs(keys, 400)


def test_all_rules_together_keep_to_one_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(configure_module, "MIN_PAIRS_IN_ALL", 0)
    monkeypatch.setattr(configure_module, "PAIRS_PER_RECORD_IN_ALL", 1)
    rows = [{"fn": f"f{i % 100}", "ln": f"l{i % 300}", "postal": f"{i % 7:05d}"}
            for i in range(600)]  # fmt: skip
    frame = features(*rows)
    plan = plan_blocking(frame, (("ln",), ("fn",), ("postal",)), max_block=10_000)
    assert sum(p.pairs for p in plan if p.rule is not None) <= len(frame)
    first, *later = plan
    assert first.note == "kept"  # the first rule fits; what it spends, the later ones lack
    assert all(p.note != "kept" for p in later)


@pytest.fixture
def small_budget(monkeypatch):
    """A budget of PAIRS_PER_RECORD pairs per record, whatever the file's size."""
    monkeypatch.setattr(configure_module, "MIN_RULE_PAIRS", 0)


def test_an_exploding_rule_is_tightened_until_it_fits(small_budget) -> None:
    rows = [{"fn": f"f{i % 300}", "ln": "smith" if i < 500 else f"l{i}",
             "postal": f"{i % 40:05d}"} for i in range(600)]  # fmt: skip
    frame = features(*rows)
    plan = plan_blocking(frame, (("ln",), ("fn",)), max_block=10_000)
    tightened, kept = plan
    assert tightened.note == "tightened" and tightened.rule is not None
    assert tightened.rule.columns[0] == "ln" and "postal" in tightened.rule.columns
    budget = configure_module.PAIRS_PER_RECORD * len(frame)
    assert 0 < tightened.pairs <= budget
    keys = rule_keys(frame, tightened.rule, {})
    assert tightened.pairs == string_block_pairs(keys, 10_000)  # the rule's real count
    assert (kept.note, kept.rule) == ("kept", BlockingRule(("fn",)))


def test_a_rule_that_cannot_be_tightened_enough_is_dropped(small_budget) -> None:
    frame = features(*[{"fn": f"f{i}", "ln": "smith"} for i in range(600)])
    (planned,) = plan_blocking(frame, (("ln",),), max_block=10_000)
    assert planned.rule is None and planned.note.startswith("dropped")
    assert planned.pairs > configure_module.PAIRS_PER_RECORD * 600


def test_rules_on_empty_columns_are_dropped_and_every_candidate_is_accounted_for() -> None:
    frame = record_features(generated_rows(800))
    model, plan = configure(frame, "people")
    assert [p.asked for p in plan] == list(configure_module.PERSON_RULES)
    notes = {p.asked: p.note for p in plan}
    assert notes[("dob",)] == "a column is empty"  # the generated leads have no birth dates
    used = [p.rule for p in plan if p.rule is not None]
    assert model.blocking == tuple(dict.fromkeys(used))
    assert ("email",) in [rule.columns for rule in model.blocking]
    assert all(p.pairs > 0 for p in plan if p.rule is not None)
    kinds = [c.kind for c in model.comparisons]
    assert {"person_name", "email", "phone", "employer", "title"} <= set(kinds)
    assert "birth_date" not in kinds


def test_one_person_on_many_identical_rows_does_not_make_a_rule_explode() -> None:
    """A patent list where one inventor fills 700 identical rows of a block: as all pairs the
    name rule is 244,650 pairs, over its 200,000 budget; counted by distinct records it is
    699 and kept, while 800 different people of one surname still count in full. Over
    ``max_block`` the block is joined through its distinct records, and counted so."""
    inventor = [{"fn": "junyi", "ln": "li", "company": "qualcomm"} for _ in range(700)]
    others = [{"fn": f"p{i}", "ln": f"x{i}"} for i in range(50)]
    plan = plan_blocking(features(*inventor, *others), (("name_sorted",),), max_block=1000)
    assert plan[0].rule is not None and plan[0].pairs == 699
    plan = plan_blocking(features(*inventor, *others), (("name_sorted",),), max_block=400)
    assert plan[0].rule is not None and plan[0].pairs == 699  # joined through one record
    namesakes = [{"fn": f"p{i}", "ln": "li"} for i in range(800)]
    assert (
        block_pairs(
            rule_codes(features(*namesakes), ("ln",), {}),
            1000,
            identical_rows(features(*namesakes)),
        )
        == 800 * 799 // 2
    )
