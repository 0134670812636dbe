"""Loading census figures: upsert, idempotent re-load, one transaction, enrichment reads."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from flows.census_import import import_census
from ingest.store.census import census_for_postal_codes, load_census
from ingest.store.models import CensusFigure
from sources.census import read_census

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "sample_data" / "census" / "ACSDP5Y2023.DP03-zcta_sample.csv"


def figures(engine: Engine) -> list[tuple]:
    with Session(engine) as session:
        return [
            tuple(row)
            for row in session.execute(
                sa.select(
                    CensusFigure.geo_id, CensusFigure.variable, CensusFigure.estimate,
                    CensusFigure.annotation, CensusFigure.loaded_at,
                ).order_by(CensusFigure.geo_id, CensusFigure.variable)
            )
        ]  # fmt: skip


def test_sample_loads_and_reloading_changes_nothing(engine: Engine) -> None:
    first = import_census(engine, SAMPLE)
    assert (first.rows_in, first.figures, first.inserted, first.updated) == (38, 190, 190, 0)
    assert first.null_with_annotation == 4  # 250,000+, -666666666, "-" and "N" estimates
    before = figures(engine)
    again = import_census(engine, SAMPLE)
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 190)
    assert figures(engine) == before  # loaded_at included: untouched rows are not rewritten


def test_a_changed_value_updates_only_that_figure(engine: Engine, tmp_path: Path) -> None:
    import_census(engine, SAMPLE)
    changed = tmp_path / SAMPLE.name
    changed.write_text(
        SAMPLE.read_text(encoding="utf-8").replace('"189502"', '"190000"'), encoding="utf-8"
    )
    report = import_census(engine, changed)
    assert (report.inserted, report.updated, report.unchanged) == (0, 1, 189)
    with Session(engine) as session:
        value = session.scalar(
            sa.select(CensusFigure.estimate).where(
                CensusFigure.postal_code == "02139", CensusFigure.variable == "DP03_0062E"
            )
        )
    assert value == 190000.0


def test_a_failing_load_leaves_nothing_behind(engine: Engine) -> None:
    table = read_census(SAMPLE)
    broken = table.figures.copy()
    broken.loc[len(broken) - 1, "geo_id"] = None  # NOT NULL: the last batch fails
    with pytest.raises(sa.exc.IntegrityError):
        load_census(engine, replace(table, figures=broken))
    assert figures(engine) == []


def test_census_for_postal_codes(engine: Engine) -> None:
    import_census(engine, SAMPLE)
    with Session(engine) as session:
        frame = census_for_postal_codes(session, ["02139", " 02110 ", "99999"])
        none = census_for_postal_codes(session, ["02139"], dataset="OTHER.SET")
    assert sorted(set(frame["postal_code"])) == ["02110", "02139"]
    assert len(frame) == 10 and none.empty
    income = frame.query("postal_code == '02139' and variable == 'DP03_0062E'").iloc[0]
    assert (income.estimate, income.margin, income.dataset) == (189502.0, 19467.0, SAMPLE.name[:16])
