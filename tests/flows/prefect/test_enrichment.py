"""The enrichment flow: census figures by postal code, company from email domain, phone facts;
nothing a user or a source entered is changed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from pydantic import SecretStr
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from flows.census_import import import_census
from flows.enrichment import enrichment_flow
from flows.importing import import_file
from ingest.config import Settings
from ingest.records import SourceKind
from ingest.store.models import Enrichment
from tests.conftest import REPO

pytestmark = pytest.mark.slow  # starts a temporary Prefect server (conftest)

DATA = Path(__file__).parent / "data"
LEADS = DATA / "enrich_leads.csv"
CENSUS = REPO / "sample_data" / "census" / "ACSDP5Y2023.DP03-zcta_sample.csv"


def rows(engine: Engine, sql: str) -> list[tuple[Any, ...]]:
    """The rows of a raw SQL query (its columns are untyped)."""
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(sa.text(sql))]


def enrichments(engine: Engine) -> dict[tuple[str, int, str], tuple[str, str]]:
    found = rows(engine, "SELECT entity, entity_id, field, value, source FROM enrichments")
    return {(e, i, f): (v, s) for e, i, f, v, s in found}


def test_enrichment_adds_figures_and_touches_nothing_user_entered(
    engine: Engine, settings: Settings
) -> None:
    import_file(engine, SourceKind.PURCHASED_LIST, LEADS, settings=settings, orchestrate=False)
    import_census(engine, CENSUS)
    people = dict(rows(engine, "SELECT first_name, id FROM people"))
    with Session(engine) as session, session.begin():
        session.add(
            Enrichment(
                entity="person",
                entity_id=people["Avery"],
                field="census.DP03_0062E",
                value="99999",
                source="user:steward",
            )
        )
    people_before = rows(engine, "SELECT * FROM people ORDER BY id")
    points_before = rows(engine, "SELECT * FROM contact_points ORDER BY id")
    url = SecretStr(engine.url.render_as_string(hide_password=False))

    result = enrichment_flow(db_url=url, people_per_task=2)

    found = enrichments(engine)
    # census figures for everyone with a postal code in the census table
    for name, code_income in (("Blake", "72349"), ("Casey", "112586")):
        assert found[("person", people[name], "census.DP03_0062E")] == (
            code_income,
            "enrichment:census:ACSDP5Y2023.DP03",
        )
    assert found[("person", people["Avery"], "census.DP03_0001E")][0] == "55436"
    assert ("person", people["Devon"], "census.DP03_0001E") not in found  # no postal code
    # the user's value is kept, not replaced
    assert found[("person", people["Avery"], "census.DP03_0062E")] == ("99999", "user:steward")
    assert result["kept"] == 1
    # company guessed from a company domain (free-mail excluded), linked where one matches
    assert found[("person", people["Avery"], "company_domain")][0] == "northwind-traders.com"
    assert ("person", people["Blake"], "company_domain") not in found  # gmail.com
    assert found[("person", people["Emery"], "company_id")][0] == str(
        rows(engine, "SELECT id FROM companies WHERE domain = 'contoso-labs.com'")[0][0]
    )
    assert result["companies_linked"] == 1
    # phone facts on the contact point
    assert sorted(v for (e, _, f), (v, _) in found.items() if f == "phone.region") == [
        "GB",
        "US",
        "US",
    ]
    # nothing user- or source-entered changed: contact points identical, people only gained
    # the missing company link
    assert rows(engine, "SELECT * FROM contact_points ORDER BY id") == points_before
    after = rows(engine, "SELECT * FROM people ORDER BY id")
    changed = [(b, a) for b, a in zip(people_before, after, strict=True) if a != b]
    assert len(changed) == 1 and changed[0][0][0] == people["Emery"]
    assert all(v is not None for v in found.values())

    again = enrichment_flow(db_url=url, people_per_task=2)
    assert again["written"] == 0 and again["refreshed"] == 0
    assert enrichments(engine) == found
