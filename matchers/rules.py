"""A deterministic first matcher: exact person-level keys, union-find clustering.

It links rows that share a person-level key (a normalized email key, or the same first and last
name together with the same company or phone). Evidence that only identifies a company (company
name, office address, switchboard number alone) never links two people. Same name and postcode
without any other shared key goes to the review queue. The probabilistic engine replaces this.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable

import pandas as pd

from ingest.contracts import REVIEW_COLUMNS, MatchResult

REVIEW_PROBABILITY = 0.6
PERSON_KEYS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("email", ("email_key",)),
    ("name+company", ("first_name_key", "last_name_key", "company_key")),
    ("name+phone", ("first_name_key", "last_name_key", "phone")),
    ("name+mobile", ("first_name_key", "last_name_key", "mobile")),
)


class UnionFind:
    """Disjoint sets over hashable nodes, with path halving."""

    def __init__(self) -> None:
        self.parent: dict[Hashable, Hashable] = {}

    def find(self, node: Hashable) -> Hashable:
        parent = self.parent.setdefault(node, node)
        while parent != node:
            grand = self.parent.setdefault(parent, parent)
            self.parent[node] = grand
            node, parent = parent, grand
        return node

    def union(self, nodes: Iterable[Hashable]) -> None:
        iterator = iter(nodes)
        first = next(iterator, None)
        if first is None:
            return
        root = self.find(first)
        for node in iterator:
            other = self.find(node)
            if other != root:
                self.parent[other] = root


def _nodes(batch: pd.DataFrame, existing: pd.DataFrame) -> pd.DataFrame:
    """One frame of batch rows (``("row", label)``) and stored people (``("person", id)``)."""
    columns = ["first_name_key", "last_name_key", "company_key", "postal_code"]
    rows = pd.DataFrame(
        {c: batch.get(c) for c in [*columns, "email_key", "phone", "mobile"]},
        index=batch.index,
    )
    rows["node"] = [("row", int(r)) for r in batch.index]
    if existing.empty:
        return rows.reset_index(drop=True)
    people = existing.assign(node=[("person", int(p)) for p in existing["person_id"]])
    emails = people[["node", *columns, "email_keys"]].explode("email_keys")
    emails = emails.rename(columns={"email_keys": "email_key"})
    phones = (
        people[["node", *columns, "phones"]].explode("phones").rename(columns={"phones": "phone"})
    )
    mobiles = phones.rename(columns={"phone": "mobile"})
    return pd.concat([rows, emails, phones, mobiles], ignore_index=True)


class RuleMatcher:
    """Exact person-level keys within the batch and against stored people."""

    def match(self, batch: pd.DataFrame, existing: pd.DataFrame) -> MatchResult:
        nodes = _nodes(batch, existing)
        sets = UnionFind()
        rule_of: dict[Hashable, str] = {}
        for node in nodes["node"]:
            sets.find(node)
        for rule, keys in PERSON_KEYS:
            usable = nodes.dropna(subset=list(keys))
            usable = usable[(usable[list(keys)] != "").all(axis=1)]
            for _, group in usable.groupby(list(keys), sort=False)["node"]:
                members = list(dict.fromkeys(group))
                if len(members) > 1:
                    sets.union(members)
                    for member in members:
                        rule_of.setdefault(member, rule)
        assignments = self._assign(batch, sets, rule_of)
        reviews = pd.concat(
            [self._reviews(nodes, sets), self._bridged_people(assignments, sets)],
            ignore_index=True,
        )
        return MatchResult(assignments, reviews)

    @staticmethod
    def _bridged_people(assignments: pd.DataFrame, sets: UnionFind) -> pd.DataFrame:
        """Stored people that the batch links together are not merged automatically (one
        batch row must not chain two existing records); the pair goes to review instead."""
        people_by_root: dict[Hashable, list[int]] = {}
        for node in list(sets.parent):
            if node[0] == "person":
                people_by_root.setdefault(sets.find(node), []).append(node[1])
        pairs = []
        for row, cluster, person_id in zip(
            assignments.index, assignments["cluster"], assignments["person_id"], strict=True
        ):
            if pd.isna(person_id):
                continue
            kind, _, root_id = cluster.partition(":")
            root = (kind, int(root_id))
            for other in sorted(set(people_by_root.get(root, ())) - {int(person_id)}):
                pairs.append(
                    {
                        "row": int(row),
                        "other_row": pd.NA,
                        "person_id": other,
                        "probability": REVIEW_PROBABILITY,
                        "detail": {"rule": "linked through rows of one batch"},
                    }
                )
        return pd.DataFrame(pairs, columns=list(REVIEW_COLUMNS))

    @staticmethod
    def _assign(batch: pd.DataFrame, sets: UnionFind, rule_of: dict[Hashable, str]) -> pd.DataFrame:
        people_in: dict[Hashable, int] = {}
        for node in list(sets.parent):
            if node[0] == "person":
                root = sets.find(node)
                people_in[root] = min(people_in.get(root, node[1]), node[1])
        clusters, person_ids, probabilities, decided = [], [], [], []
        for label in batch.index:
            node = ("row", int(label))
            root = sets.find(node)
            clusters.append(f"{root[0]}:{root[1]}")
            person_ids.append(people_in.get(root, pd.NA))
            linked = node in rule_of
            probabilities.append(1.0 if linked else float("nan"))
            decided.append(f"rule:{rule_of[node]}" if linked else "new")
        return pd.DataFrame(
            {
                "cluster": clusters,
                "person_id": pd.array(person_ids, dtype="Int64"),
                "probability": probabilities,
                "decided_by": decided,
            },
            index=batch.index,
        )

    @staticmethod
    def _reviews(nodes: pd.DataFrame, sets: UnionFind) -> pd.DataFrame:
        keys = ["first_name_key", "last_name_key", "postal_code"]
        usable = nodes.dropna(subset=keys).drop_duplicates(subset=[*keys, "node"])
        pairs = []
        for _, group in usable.groupby(keys, sort=False)["node"]:
            by_root: dict[Hashable, Hashable] = {}
            for node in group:
                by_root.setdefault(sets.find(node), node)
            anchors = list(by_root.values())
            row_anchors = [n for n in anchors if n[0] == "row"]
            for other in anchors:
                for row in row_anchors:
                    if other == row or (other[0] == "row" and other[1] < row[1]):
                        continue
                    pairs.append(
                        {
                            "row": row[1],
                            "other_row": other[1] if other[0] == "row" else pd.NA,
                            "person_id": other[1] if other[0] == "person" else pd.NA,
                            "probability": REVIEW_PROBABILITY,
                            "detail": {"rule": "same name and postal code"},
                        }
                    )
        return pd.DataFrame(pairs, columns=list(REVIEW_COLUMNS))
