"""Census (ACS) tables: typed values, ZCTA geographies and the figures frame loaded into the store.

Pure functions only. A data.census.gov table has one column per variable and kind: ``…E``
estimates and ``…M`` margins of error (``…PE``/``…PM`` for percentages). Cells hold numbers
with thousands separators, open-ended bands (``250,000+``, ``2,500-``) or annotation codes
(``-666666666``, ``(X)``, ``N``, ``**``…) that stand for a missing or special value; those
become a null estimate with the code kept, so nothing is silently turned into a number.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from ingest.errors import LeadflowValueError

ANNOTATIONS: dict[str, str] = {
    "-666666666": "Estimate not computed: too few sample observations.",
    "-999999999": "Margin of error not computed: too few sample observations.",
    "-888888888": "Not applicable or not available.",
    "-222222222": "Margin of error not computed: too few sample cases in the geography.",
    "-333333333": "Margin of error not computed: the median is in an open-ended interval.",
    "-555555555": "Estimate is controlled; no sampling error, no margin of error.",
    "(X)": "Not applicable.",
    "N": "Not displayed: too few sample cases.",
    "-": "Not computed: too few sample observations, or the median is in an open interval.",
    "**": "Margin of error not computed: too few sample observations.",
    "***": "Margin of error not appropriate: the median is in an open-ended interval.",
    "*****": "Estimate is controlled; no sampling error, no margin of error.",
}
"""Annotation codes of the ACS tables, each with the Census Bureau's meaning in one sentence."""

FIGURE_COLUMNS = (
    "dataset",
    "geo_id",
    "country",
    "postal_code",
    "variable",
    "label",
    "estimate",
    "margin",
    "lower_bound",
    "upper_bound",
    "annotation",
)

"""Columns of a figures frame, as in the ``census_figures`` table."""

_NUMBER = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?%?$")
_BAND = re.compile(r"^(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?([+-])$")
_GEO_ID = re.compile(r"^860[0-9A-Z]{4}US(\d{5})$")
_GEO_NAME = re.compile(r"^ZCTA5\s+(\d{5})$")
_COLUMN = re.compile(r"^(?P<var>[A-Z][A-Z0-9]*_\d+)(?P<pct>P?)(?P<kind>[EM])$")


class CensusValueError(LeadflowValueError):
    """A cell is neither a number, a band nor a known annotation (the message names no value)."""


@dataclass(frozen=True, slots=True)
class CensusValue:
    """One parsed cell: a number, a bound of an open-ended band, or an annotation code."""

    estimate: float | None = None
    lower_bound: float | None = None
    upper_bound: float | None = None
    annotation: str | None = None


@dataclass(frozen=True, slots=True)
class CensusColumn:
    """A column code split up: ``DP03_0009PE`` is variable ``DP03_0009PE``, kind ``E``, percent."""

    code: str
    variable: str
    kind: str
    percent: bool

    @property
    def margin_code(self) -> str:
        """The code of the margin column that pairs with this estimate column."""
        return self.code[:-1] + "M"


@dataclass(frozen=True, slots=True)
class CensusTable:
    """A census table read from a file: its dataset name, row counts and figures frame."""

    dataset: str
    location: str
    file_hash: str
    rows_in: int
    rows_skipped: int
    figures: pd.DataFrame


def parse_value(text: str | None) -> CensusValue:
    """Parse one cell; empty means no value, an annotation code keeps the code.

    Raises CensusValueError when the cell is none of these.
    """
    raw = "" if text is None else text.strip()
    if raw == "":
        return CensusValue()
    if raw in ANNOTATIONS:
        return CensusValue(annotation=raw)
    if _NUMBER.match(raw):
        return CensusValue(estimate=float(raw.rstrip("%").replace(",", "")))
    band = _BAND.match(raw)
    if band:
        bound = float((band.group(1) + (band.group(2) or "")).replace(",", ""))
        if band.group(3) == "+":
            return CensusValue(lower_bound=bound, annotation=raw)
        return CensusValue(upper_bound=bound, annotation=raw)
    raise CensusValueError("the cell is not a number, an open-ended band or an ACS annotation")


def zcta_from_geo_id(geo_id: str) -> str | None:
    """The 5-digit ZCTA (leading zeros kept) of ``860Z200US02139`` or ``8600000US02139``."""
    match = _GEO_ID.match(geo_id.strip())
    return match.group(1) if match else None


def zcta_from_name(name: str) -> str | None:
    """The 5-digit ZCTA of a geographic area name such as ``ZCTA5 02139``."""
    match = _GEO_NAME.match(name.strip())
    return match.group(1) if match else None


def parse_column(code: str) -> CensusColumn | None:
    """Split an estimate or margin column code; None for other columns (GEO_ID, NAME, ``…EA``)."""
    match = _COLUMN.match(code.strip())
    if not match:
        return None
    kind = match.group("kind")
    return CensusColumn(
        code=code.strip(),
        variable=code.strip()[:-1] + "E",
        kind=kind,
        percent=bool(match.group("pct")),
    )


def parse_cells(cells: pd.Series) -> pd.DataFrame:
    """Parse a column of cells into estimate/lower/upper/annotation columns (same index).

    Plain numbers take a vectorized path; only the rest is parsed one distinct value at a time.
    A cell that cannot be parsed keeps its text (cut to 40 characters) as its annotation.
    """
    text = cells.astype("string").fillna("").str.strip()
    plain = text.str.fullmatch(_NUMBER.pattern) & ~text.isin(list(ANNOTATIONS))
    out = pd.DataFrame(
        {
            "estimate": pd.to_numeric(
                text.where(plain).str.replace(",", "").str.rstrip("%"), errors="coerce"
            ).astype("float64"),
            "lower_bound": pd.Series(float("nan"), index=cells.index),
            "upper_bound": pd.Series(float("nan"), index=cells.index),
            "annotation": pd.Series(None, index=cells.index, dtype=object),
        }
    )
    rest = text[~plain & (text != "")]
    for raw in rest.unique():
        try:
            value = parse_value(raw)
        except CensusValueError:
            value = CensusValue(annotation=raw[:40])
        where = rest.index[rest == raw]
        out.loc[where, "lower_bound"] = value.lower_bound
        out.loc[where, "upper_bound"] = value.upper_bound
        out.loc[where, "annotation"] = value.annotation
    return out


def figures_frame(
    rows: pd.DataFrame, *, dataset: str, codes: Sequence[str], labels: Sequence[str]
) -> tuple[pd.DataFrame, int]:
    """Turn the data rows of a table (string cells, header ``codes``) into a figures frame.

    Returns (figures, rows skipped): rows whose geography is not a ZCTA are skipped. The
    annotation of a figure is its estimate's; when the estimate is a plain number and the margin
    carries a code, the annotation is ``margin <code>``.
    """
    label_of = dict(zip(codes, labels, strict=False))
    geo = rows["GEO_ID"].astype("string").fillna("") if "GEO_ID" in rows else None
    name = rows["NAME"].astype("string").fillna("") if "NAME" in rows else None
    if geo is not None:
        zcta = geo.map(zcta_from_geo_id)
        if name is not None:
            zcta = zcta.fillna(name.map(zcta_from_name))
    elif name is not None:
        zcta = name.map(zcta_from_name)
    else:
        raise CensusValueError("the table has neither a GEO_ID nor a NAME column")
    keep = zcta.notna()
    rows, zcta = rows[keep], zcta[keep]
    geo_ids = geo[keep] if geo is not None else "ZCTA5 " + zcta
    frames: list[pd.DataFrame] = []
    for code in codes:
        column = parse_column(code)
        if column is None or column.kind != "E":
            continue
        est = parse_cells(rows[code])
        moe = parse_cells(rows[column.margin_code]) if column.margin_code in rows else None
        annotation = est["annotation"]
        if moe is not None:
            margin_code = moe["annotation"].where(
                moe["annotation"].isna(), "margin " + moe["annotation"]
            )
            annotation = annotation.where(annotation.notna() | est["estimate"].isna(), margin_code)
        frames.append(
            pd.DataFrame(
                {
                    "dataset": dataset,
                    "geo_id": geo_ids.astype(object),
                    "country": "US",
                    "postal_code": zcta.astype(object),
                    "variable": column.variable,
                    "label": label_of.get(code),
                    "estimate": est["estimate"],
                    "margin": moe["estimate"] if moe is not None else float("nan"),
                    "lower_bound": est["lower_bound"],
                    "upper_bound": est["upper_bound"],
                    "annotation": annotation,
                }
            )
        )
    if not frames:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in FIGURE_COLUMNS}), int(
            (~keep).sum()
        )
    return pd.concat(frames, ignore_index=True), int((~keep).sum())
