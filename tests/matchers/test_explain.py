"""``explain_pair`` says what happened to one pair, including a link the guard refused."""

from __future__ import annotations

from dataclasses import replace

from matchers import dedupe_frame, default_model
from matchers.explain import explain_pair
from tests.matchers.helpers import rows

ANN = {"first_name_key": "ann", "last_name_key": "miller", "email_key": "ann.miller@acme.com",
       "company_key": "acme", "postal_code": "10001"}  # fmt: skip


def test_a_link_refused_by_the_chaining_guard_says_so() -> None:
    frame = rows(ANN, ANN, ANN)  # one person three times; clusters may hold two rows
    result = dedupe_frame(frame, model=replace(default_model(), max_cluster=2), fit=False)
    assert result.clusters.nunique() == 2
    split = [
        (i, j) for i, j in ((0, 1), (0, 2), (1, 2)) if result.clusters[i] != result.clusters[j]
    ]
    explanation = explain_pair(result, *split[0])
    assert explanation.decision == "link refused by the chaining guard (sent to review)"
    together = next(p for p in ((0, 1), (0, 2), (1, 2)) if p not in split)
    assert explain_pair(result, *together).decision == "link"
    assert explanation.table["field"].tolist()[:2] == ["prior", "name"]
