"""The purchased-list adapter against real files: encodings, delimiters, broken lines, chunking."""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from ingest.errors import SourceFormatError
from ingest.profiles import SourceProfile
from ingest.records import ROW_COLUMN, BrokenRow, RawBatch, SourceKind
from sources.purchased_lists import read

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "purchased_lists"
REPO = Path(__file__).resolve().parents[2]

ACCENTED = [
    {"Lead ID": "1", "First Name": "Zoë", "Last Name": "Ångström",
     "E-mail Address": "zoe@example.com", "Zip": "02134"},
    {"Lead ID": "2", "First Name": "José", "Last Name": "Núñez",
     "E-mail Address": "jose@example.com", "Zip": "NA"},
]  # fmt: skip


def read_all(path: Path, **options) -> tuple[list[RawBatch], pd.DataFrame, list[BrokenRow]]:
    batches = list(read(path, **options))
    rows = pd.concat([b.rows for b in batches], ignore_index=True)
    return batches, rows, [br for b in batches for br in b.broken]


def records(rows: pd.DataFrame) -> list[dict]:
    return rows.drop(columns=[ROW_COLUMN]).to_dict("records")


@pytest.mark.parametrize(
    "name",
    ["utf8.csv", "utf8_bom.csv", "excel_unicode_text.txt", "utf16_be.csv"],
)
def test_encodings_and_delimiters_read_the_same_rows(name: str) -> None:
    _, rows, broken = read_all(FIXTURES / name)
    assert list(rows.columns) == [*ACCENTED[0], ROW_COLUMN]  # no BOM left in the first header
    assert records(rows) == ACCENTED  # "NA" stays text, "02134" keeps its zero
    assert rows[ROW_COLUMN].tolist() == [2, 3]
    assert broken == []


def test_cp1252_semicolon_with_accents_and_commas_in_values() -> None:
    _, rows, broken = read_all(FIXTURES / "cp1252_semicolon.csv")
    assert broken == []
    assert rows["Name"].tolist() == ["Jürgen Müller", "Françoise Crème"]  # è, not cp1250's č
    assert rows["Firma"].tolist() == ["Bäckerei Groß GmbH", "Société Générale, Paris"]
    assert rows["Straße"].tolist() == ["Hauptstraße 5", "Rue de l'Église 3"]


@pytest.mark.parametrize(
    ("name", "column", "values"),
    [
        ("tab.tsv", "city", ["Boston, MA", "Paris"]),
        ("pipe.csv", "company", ["Acme, Inc.", "Beta; Gamma"]),
        ("multiline_field.csv", "address", ["12 Main St\nSuite 4", "1 Elm St"]),
    ],
)
def test_sniffed_delimiters(name: str, column: str, values: list[str]) -> None:
    _, rows, broken = read_all(FIXTURES / name)
    assert rows[column].tolist() == values
    assert broken == []


def test_multiline_field_keeps_physical_line_numbers() -> None:
    _, rows, _ = read_all(FIXTURES / "multiline_field.csv")
    assert rows[ROW_COLUMN].tolist() == [2, 4]


# (fixture, ids that load with their _row, broken (line, reason code))
BROKEN_CASES = [
    (
        "broken_quoting.csv",
        [("1", 2), ("2", 3), ("4", 5), ("5", 6), ("6", 7)],
        [(4, "row.bad_quoting")],
    ),
    (
        "wrong_field_count.csv",
        [("1", 2), ("4", 5), ("5", 6)],
        [(3, "row.wrong_field_count"), (4, "row.wrong_field_count")],
    ),
    ("nul_bytes.csv", [("1", 2), ("3", 4)], [(3, "row.nul_bytes")]),
    ("undecodable_utf8.csv", [("1", 2), ("3", 4)], [(3, "row.undecodable")]),
    (
        "mixed_line_endings.csv",
        [("1", 2), ("2", 3), ("3", 4), ("4", 5), ("5", 7)],
        [],
    ),
    ("blank_lines.csv", [("1", 4), ("2", 7)], []),
]


@pytest.mark.parametrize(("name", "loaded", "broken"), BROKEN_CASES)
def test_broken_lines_are_quarantined_and_the_rest_loads(
    name: str, loaded: list[tuple[str, int]], broken: list[tuple[int, str]]
) -> None:
    batches, rows, found = read_all(FIXTURES / name)
    assert len(batches) == 1
    assert list(zip(rows["id"], rows[ROW_COLUMN], strict=True)) == loaded
    assert [(b.row_number, b.reason_code) for b in found] == broken


def test_broken_rows_carry_raw_text_and_a_sentence_without_values() -> None:
    _, _, broken = read_all(FIXTURES / "broken_quoting.csv")
    (row,) = broken
    assert row.raw_text == '3,Carol,"Gamma,carol@example.com'
    assert "quote" in row.message and "carol" not in row.message.lower()
    _, _, broken = read_all(FIXTURES / "wrong_field_count.csv")
    assert broken[0].message.endswith("(expected 4 fields, found 5).")
    _, _, broken = read_all(FIXTURES / "undecodable_utf8.csv")
    assert broken[0].raw_text == "2,Jos\ufffd"


def test_mixed_line_endings_inside_a_quoted_field() -> None:
    _, rows, _ = read_all(FIXTURES / "mixed_line_endings.csv")
    # every line ending ends a record; inside quotes the ending is kept as written
    assert rows["name"].tolist() == ["Ann", "Bob", "Carol", "Multi\r\nline", "Eve"]


def test_a_carriage_return_inside_a_quoted_field_is_kept(tmp_path: Path) -> None:
    path = tmp_path / "cr.csv"
    path.write_bytes(b'id,name,notes\r\n1,Ann,"line one\rline two"\r\n2,Bob,plain\r\n')
    _, rows, broken = read_all(path)
    assert rows["notes"].tolist() == ["line one\rline two", "plain"] and not broken


def test_a_field_over_the_csv_field_limit_is_a_too_long_row(tmp_path: Path) -> None:
    path = tmp_path / "huge.csv"
    huge = "y" * 200_000
    path.write_text(f'id,name,notes\n1,Ann,"{huge}"\n2,Bob,ok\n3,Cy,{huge}\n', encoding="utf-8")
    _, rows, broken = read_all(path)
    assert rows["name"].tolist() == ["Bob"]
    assert [(b.row_number, b.reason_code) for b in broken] == [
        (2, "row.too_long"),
        (4, "row.too_long"),
    ]


def test_a_cp1252_accent_after_the_detection_sample_is_read_as_the_accent(
    tmp_path: Path,
) -> None:
    path = tmp_path / "late.csv"
    plain = "".join(f"{n},Plain Person {n}\n" for n in range(40_000))  # over 1 MiB of ASCII
    path.write_bytes(("id,name\n" + plain).encode() + "99999,José Müller\n".encode("cp1252"))
    _, rows, broken = read_all(path)
    assert rows["name"].iloc[-1] == "José Müller" and not broken


def test_profile_encoding_and_delimiter_win_over_detection() -> None:
    profile = SourceProfile(name="p", encoding="latin-1", delimiter="|")
    _, rows, broken = read_all(FIXTURES / "utf8.csv", profile=profile)
    assert list(rows.columns) == ["Lead ID,First Name,Last Name,E-mail Address,Zip", ROW_COLUMN]
    assert rows.iloc[0, 0] == "1,ZoÃ«,Ã\x85ngstrÃ¶m,zoe@example.com,02134"
    assert broken == []


def test_formula_strings_are_plain_text() -> None:
    _, rows, _ = read_all(FIXTURES / "formulas.csv")
    assert records(rows) == [
        {"id": "1", "link": '=HYPERLINK("http://x","y")', "phone": "+49 30 1234567",
         "note": "@SUM(A1)"},
        {"id": "2", "link": "-2+3", "phone": "=1+1", "note": "NA"},
    ]  # fmt: skip


def test_duplicate_and_empty_headers_are_made_unique() -> None:
    _, rows, _ = read_all(FIXTURES / "duplicate_headers.csv")
    assert list(rows.columns) == ["Phone", "Phone_3", "Email", "column_4", "Phone_2", ROW_COLUMN]
    assert records(rows) == [
        {"Phone": "1", "Phone_3": "2", "Email": "a@x", "column_4": "z", "Phone_2": "3"}
    ]


def test_header_only_file_yields_one_empty_batch_with_the_headers() -> None:
    batches = list(read(FIXTURES / "header_only.csv"))
    assert len(batches) == 1
    assert list(batches[0].rows.columns) == ["id", "name", "email", ROW_COLUMN]
    assert len(batches[0].rows) == 0 and batches[0].broken == ()


@pytest.mark.parametrize(
    ("name", "in_message"),
    [
        ("empty.csv", "the file is empty"),
        ("only_blank_lines.csv", "no header row"),
        ("notes.json", "unsupported file type '.json'"),
        ("missing.csv", "no such file"),
    ],
)
def test_unreadable_files_raise_a_clear_error(name: str, in_message: str) -> None:
    with pytest.raises(SourceFormatError, match=in_message) as caught:
        list(read(FIXTURES / name))
    assert caught.value.path == str(FIXTURES / name)
    assert name in str(caught.value)


def test_broken_header_is_a_format_error(tmp_path: Path) -> None:
    path = tmp_path / "bad_header.csv"
    path.write_bytes(b"id,na\x00me\n1,Ann\n")
    with pytest.raises(SourceFormatError, match="header row cannot be read") as caught:
        list(read(path))
    assert caught.value.line == 1


def test_chunking_keeps_row_numbers_continuous() -> None:
    batches = list(read(FIXTURES / "five_rows.csv", chunk_rows=2))
    assert [len(b.rows) for b in batches] == [2, 2, 1]
    assert [b.rows[ROW_COLUMN].tolist() for b in batches] == [[2, 3], [4, 5], [6]]
    assert pd.concat([b.rows for b in batches])["name"].tolist() == ["A", "B", "C", "D", "E"]


def test_chunk_of_exact_size_does_not_add_an_empty_batch() -> None:
    batches = list(read(FIXTURES / "five_rows.csv", chunk_rows=5))
    assert [len(b.rows) for b in batches] == [5]


def test_provenance(tmp_path: Path) -> None:
    path = FIXTURES / "five_rows.csv"
    (batch,) = read(path)
    p = batch.provenance
    assert p.source_kind is SourceKind.PURCHASED_LIST
    assert p.source_name == "five_rows"
    assert p.location == str(path)
    assert p.file_hash == hashlib.sha256(path.read_bytes()).hexdigest()
    assert p.fetched_at == datetime.fromtimestamp(path.stat().st_mtime, tz=UTC)
    (batch,) = read(path, source_name="given")
    assert batch.provenance.source_name == "given"
    (batch,) = read(path, source_name="given", profile=SourceProfile(name="profiled"))
    assert batch.provenance.source_name == "profiled"


def test_ten_megabyte_field_is_quarantined_truncated(tmp_path: Path) -> None:
    path = tmp_path / "huge_field.csv"
    with open(path, "w", encoding="utf-8") as handle:
        handle.write("id,note\n1,short\n")
        handle.write('2,"' + "x" * 10_000_000 + '"\n')
        handle.write("3,after\n")
    _, rows, broken = read_all(path)
    assert list(zip(rows["id"], rows[ROW_COLUMN], strict=True)) == [("1", 2), ("3", 4)]
    (row,) = broken
    assert (row.row_number, row.reason_code) == (3, "row.too_long")
    assert len(row.raw_text) < 70_000
    assert row.raw_text.startswith('2,"xxx') and "10000005 characters in total" in row.raw_text


def test_unterminated_quote_spanning_many_lines_quarantines_one_line(tmp_path: Path) -> None:
    path = tmp_path / "long_open_quote.csv"
    lines = ["id,note", '1,"never closed'] + [f"{i},fine" for i in range(2, 302)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    _, rows, broken = read_all(path)
    assert [(b.row_number, b.reason_code) for b in broken] == [(2, "row.bad_quoting")]
    assert len(rows) == 300 and rows[ROW_COLUMN].tolist() == list(range(3, 303))


@pytest.fixture
def workbook(tmp_path: Path) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Summary"
    sheet.append(["not the data"])
    leads = book.create_sheet("Leads")
    leads.append(["Name", "Zip", "Signed up", "Opt-In", "Employees", "Link"])
    leads.append(["Zoë Ångström", "02134", date(2026, 1, 2), True, 250, None])
    leads.append([None, 2134, datetime(2026, 1, 3, 9, 30), False, 12.5, None])
    leads.append([None, None, None, None, None, None])  # blank row: skipped
    leads.append(["NA", "x", None, None, None, None])
    formula = leads.cell(row=2, column=6, value='=HYPERLINK("http://x","y")')
    formula.data_type = "s"  # stored as text, as a vendor export holding the formula's text
    path = tmp_path / "leads.xlsx"
    book.save(path)
    return path


def test_xlsx_cells_become_strings(workbook: Path) -> None:
    _, rows, broken = read_all(workbook, profile=SourceProfile(name="x", sheet="Leads"))
    assert broken == []
    assert records(rows) == [
        {"Name": "Zoë Ångström", "Zip": "02134", "Signed up": "2026-01-02", "Opt-In": "TRUE",
         "Employees": "250", "Link": '=HYPERLINK("http://x","y")'},
        {"Name": None, "Zip": "2134", "Signed up": "2026-01-03 09:30:00", "Opt-In": "FALSE",
         "Employees": "12.5", "Link": None},
        {"Name": "NA", "Zip": "x", "Signed up": None, "Opt-In": None, "Employees": None,
         "Link": None},
    ]  # fmt: skip
    assert rows[ROW_COLUMN].tolist() == [2, 3, 5]


def test_xlsx_every_sheet_by_default_and_unknown_sheet_named(workbook: Path) -> None:
    _, rows, _ = read_all(workbook)
    assert list(rows.columns)[:3] == ["not the data", "Name", "Zip"]
    assert rows["Zip"].tolist() == ["02134", "2134", "x"]
    assert rows[ROW_COLUMN].tolist() == [3, 4, 6]  # numbering goes on after sheet 1's one row
    with pytest.raises(SourceFormatError, match="no sheet named 'Nope'; the sheets are Summary"):
        list(read(workbook, profile=SourceProfile(name="x", sheet="Nope")))


def test_workbook_saved_with_a_csv_name_is_read_as_a_workbook(workbook: Path) -> None:
    disguised = workbook.with_suffix(".csv")
    disguised.write_bytes(workbook.read_bytes())
    _, rows, _ = read_all(disguised, profile=SourceProfile(name="x", sheet="Leads"))
    assert rows["Zip"].tolist() == ["02134", "2134", "x"]


def test_corrupt_workbook_is_a_format_error(tmp_path: Path) -> None:
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(SourceFormatError, match="cannot be opened"):
        list(read(path))


@pytest.mark.slow  # a 120,000-line file
def test_large_file_streams_in_chunks(tmp_path: Path) -> None:
    path = tmp_path / "large.csv"
    with open(path, "w", encoding="utf-8") as handle:
        handle.write("id,first,last,email,phone,city\n")
        for i in range(120_000):
            handle.write(f"{i},Ann,Lee,ann{i}@example.com,+1 617 555 {i % 10_000:04d},Boston\n")
    sizes, last_row = [], 1
    for batch in read(path, chunk_rows=50_000):
        sizes.append(len(batch.rows))
        assert batch.rows[ROW_COLUMN].iloc[0] == last_row + 1
        last_row = int(batch.rows[ROW_COLUMN].iloc[-1])
    assert sizes == [50_000, 50_000, 20_000] and last_row == 120_001


@pytest.mark.parametrize(
    ("data_file", "profile_file", "expected_columns"),
    [
        ("acme_b2b_2026q3.csv", "acme_b2b_2026q3.yaml", 18),
        ("eurodata_contacts.csv", "eurodata_contacts.yaml", 13),
    ],
)
def test_sample_lists_read_with_their_profiles(
    data_file: str, profile_file: str, expected_columns: int
) -> None:
    path = REPO / "sample_data" / "purchased_lists" / data_file
    if not path.exists():
        pytest.skip(f"{data_file} not generated yet")
    profile = SourceProfile.from_path(REPO / "sample_data" / "profiles" / profile_file)
    batch = next(read(path, profile=profile))
    assert len(batch.rows.columns) == expected_columns + 1
    assert set(profile.columns) == set(batch.rows.columns) - {ROW_COLUMN}


def test_xlsx_hidden_and_unnamed_sheets_are_skipped_with_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    book = openpyxl.Workbook()
    lookup = book.active
    lookup.title = "Lookup"
    lookup.append(["code", "label"])
    lookup.append(["X", "hidden list"])
    lookup.sheet_state = "hidden"
    for title, name in (("January", "Ann"), ("February", "Bob")):
        sheet = book.create_sheet(title)
        sheet.append(["Name", "Email"])
        sheet.append([name, f"{name.lower()}@example.com"])
    book.active = 1
    path = tmp_path / "months.xlsx"
    book.save(path)
    with caplog.at_level("WARNING"):
        _, rows, _ = read_all(path)
    assert rows["Name"].tolist() == ["Ann", "Bob"] and "code" not in rows.columns
    assert "Lookup (hidden)" in caplog.text
    caplog.clear()
    with caplog.at_level("WARNING"):
        _, rows, _ = read_all(path, profile=SourceProfile(name="x", sheet="February"))
    assert rows["Name"].tolist() == ["Bob"]
    assert "January (not the profile's sheet)" in caplog.text


def test_a_header_less_file_is_detected_and_no_row_becomes_the_header(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "noheader.csv"
    path.write_text("Ann,Lee,ann@example.com\nBob,Ray,bob@example.com\n", encoding="utf-8")
    with caplog.at_level("WARNING"):
        _, rows, broken = read_all(path)
    assert list(rows.columns) == ["column_1", "column_2", "column_3", ROW_COLUMN]
    assert rows["column_1"].tolist() == ["Ann", "Bob"] and rows[ROW_COLUMN].tolist() == [1, 2]
    assert "holds data, not headers" in caplog.text and not broken


def test_the_profile_declares_a_file_without_a_header(tmp_path: Path) -> None:
    path = tmp_path / "noheader.csv"
    path.write_text("Ann,Lee\nBob,Ray\n", encoding="utf-8")  # nothing to detect it by
    _, rows, _ = read_all(path, profile=SourceProfile.from_dict({"name": "x", "has_header": False}))
    assert rows["column_2"].tolist() == ["Lee", "Ray"]
    _, rows, _ = read_all(path)
    assert list(rows.columns)[:2] == ["Ann", "Lee"]  # without the profile: a header, as written


def test_a_formula_without_a_cached_value_is_a_reason_not_an_empty_cell(tmp_path: Path) -> None:
    book = openpyxl.Workbook()  # openpyxl stores formulas without computing them
    sheet = book.active
    sheet.append(["Name", "Email", "Score"])
    sheet.append(["Ann", "ann@example.com", 5])
    sheet.append(["Bob", "bob@example.com", "=B3*2"])
    path = tmp_path / "formulas.xlsx"
    book.save(path)
    _, rows, broken = read_all(path)
    assert rows["Name"].tolist() == ["Ann"]
    assert [(b.row_number, b.reason_code) for b in broken] == [(3, "row.formula_without_value")]
    assert "C3" in broken[0].message
