"""Rich renderings of runs, import reports and golden records for the terminal."""

from __future__ import annotations

import json
import shutil
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.console import Group
from rich.markup import escape
from rich.table import Table

from ingest.reasons import describe
from ingest.store.runs import COUNT_FIELDS, RunCounts

if TYPE_CHECKING:
    from flows.suppressions import SuppressionReport
    from ingest.importer import ImportReport
    from ingest.store.census import CensusLoadReport
    from ingest.store.preview import Preview
    from ingest.store.queries import PersonDetail, RunSummary


def leadflow_command() -> str:
    """How to call ``leadflow`` from this shell: the bare name when it is on PATH, else the
    script beside this Python (e.g. ``.venv/bin/leadflow``)."""
    if shutil.which("leadflow"):
        return "leadflow"
    script = Path(sys.executable).with_name("leadflow")
    if not script.exists():
        return "python -m flows"
    try:
        return str(script.relative_to(Path.cwd()))
    except ValueError:
        return str(script)


def prefect_line(api: str | None) -> str:
    """What the user is told when an import runs as Prefect tasks (``api``: the configured
    Prefect API URL, if any)."""
    if api:
        return f"running the import as a Prefect flow (API at {api})"
    return (
        "running the import as a Prefect flow: starting a temporary Prefect server "
        "(set PREFECT_API_URL to use a running one)"
    )


COUNT_HEADERS = ("rows in", "new", "merged", "suppressed", "quarantined", "review")


def _counts_cells(counts: Any) -> list[str]:
    return [
        str(v)
        for v in (
            counts.rows_in,
            counts.loaded_new,
            counts.merged,
            counts.suppressed,
            counts.quarantined,
            counts.review_pending,
        )
    ]


def report_table(report: ImportReport) -> Table:
    """One import: the counts of its run, titled with the source and file."""
    file_name = report.location.rsplit("/", 1)[-1]
    title = f"{report.source_name} ({file_name})"
    if report.already_imported:
        title += ": already imported, nothing changed"
    elif report.resumed:
        title += ": resumed"
    table = Table(title=title, title_justify="left")
    for header in COUNT_HEADERS:
        table.add_column(header, justify="right")
    table.add_row(*_counts_cells(report.counts))
    return table


def runs_table(runs: Iterable[RunSummary]) -> Table:
    table = Table(title="Import runs")
    for header in ("run", "source", "status", "started"):
        table.add_column(header)
    for header in COUNT_HEADERS:
        table.add_column(header, justify="right")
    for run in runs:
        table.add_row(
            str(run.run_id),
            run.source_name,
            run.status,
            run.started_at.strftime("%Y-%m-%d %H:%M"),
            *_counts_cells(run.counts),
        )
    return table


def _record_table(title: str, rows: list[dict[str, Any]], columns: list[str]) -> Table:
    table = Table(title=title, title_justify="left")
    for column in columns:
        table.add_column(column)
    for row in rows:
        table.add_row(*(_cell(row.get(c)) for c in columns))
    return table


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.3f}"
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, default=str)
    return str(value)


_EVIDENCE_LABELS = {
    "source_answer": "opt-in answer in the source",
    "source_email_opt_out": "unsubscribe flag in the source",
    "source_phone_opt_out": "do-not-call flag in the source",
    "source_sms_opt_out": "SMS opt-out flag in the source",
    "source_post_opt_out": "do-not-mail flag in the source",
    "source_email_bounced": "bounce flag in the source",
    "source_email_status": "email status in the source",
    "jurisdiction": "jurisdiction",
    "policy_version": "consent policy version",
    "vendor": "list vendor",
    "vendor_declaration": "vendor's declared basis",
    "consent_text": "wording shown",
    "consent_ip": "IP address",
    "double_opt_in_confirmed_at": "double opt-in confirmed",
}


def consent_evidence(evidence: dict[str, Any]) -> str:
    """A consent row's evidence as sentences: permitted or why not, then what it rests on."""
    reason = evidence.get("reason")
    head = "Permitted." if evidence.get("permitted") else (
        describe(reason) if reason else "Not permitted.")  # fmt: skip
    facts = [
        f"{label}: {_yes_no(evidence[key])}"
        for key, label in _EVIDENCE_LABELS.items()
        if evidence.get(key) is not None
    ]
    return " ".join([head, *(f"{f};" for f in facts)]).rstrip(";")


def _yes_no(value: Any) -> str:
    return (
        {True: "yes", False: "no"}.get(value, str(value)) if isinstance(value, bool) else str(value)
    )


def person_view(detail: PersonDetail) -> Group:
    p = detail.person
    golden = Table(title=f"Person {p['id']}", show_header=False, title_justify="left")
    golden.add_column("field", style="bold")
    golden.add_column("value")
    for field in ("honorific", "first_name", "middle_name", "last_name", "suffix", "job_title",
                  "lifecycle_stage", "lead_source", "merged_into_id", "created_at"):  # fmt: skip
        golden.add_row(field, _cell(p.get(field)))
    if detail.company:
        golden.add_row("company", f"{detail.company['name']} (id {detail.company['id']})")
    custom = Table(title="Custom fields", show_header=False, title_justify="left")
    custom.add_column("field", style="bold")
    custom.add_column("value")
    for name, value in detail.custom.items():
        custom.add_row(escape(name), escape(_cell(value)))
    consents = [{**c, "evidence": consent_evidence(c.get("evidence") or {})}
                for c in detail.consents]  # fmt: skip
    return Group(
        golden,
        _record_table("Contact points", detail.contact_points,
                      ["kind", "value", "original", "subtype", "is_primary"]),
        custom,
        _record_table("Enrichments", detail.enrichments, ["field", "value", "source"]),
        _record_table("Consents", consents,
                      ["channel", "status", "lawful_basis", "captured_at", "evidence"]),
        _record_table("Activities", detail.activities, ["kind", "subject", "occurred_at"]),
        _record_table("Raw records", detail.raw_records,
                      ["source", "run_id", "row_number", "outcome", "decided_by", "payload"]),
    )  # fmt: skip


def suppression_line(report: SuppressionReport) -> str:
    name = report.location.rsplit("/", 1)[-1]
    return (
        f"suppression list [cyan]{name}[/]: {report.rows_in} rows, {report.added} added, "
        f"{report.already_known} already known, {report.rejected} unusable, "
        f"{report.broken} broken lines"
    )


def totals_line(reports: Iterable[ImportReport]) -> str:
    reports = list(reports)
    total = sum((r.counts for r in reports), RunCounts())
    check = "adds up" if total.adds_up else "[red]DOES NOT ADD UP[/]"
    return (
        f"[bold]all sources:[/] {total.rows_in} rows in = {total.loaded_new} new + "
        f"{total.merged} merged + {total.suppressed} suppressed + {total.quarantined} "
        f"quarantined ({check}); {total.review_pending} pairs await review"
    )


def census_line(report: CensusLoadReport) -> str:
    return (
        f"census table: {report.rows_in} geographies, {report.figures} figures "
        f"({report.inserted} new, {report.updated} updated, {report.unchanged} unchanged, "
        f"{report.null_with_annotation} annotated nulls)"
    )


PREVIEW_SECTIONS: tuple[tuple[str, str, list[str]], ...] = (
    ("new_people", "New people (sample)", ["person_id", "name", "job_title"]),
    ("new_companies", "New companies (sample)", ["company_id", "name"]),
    ("field_updates", "Field updates (sample per field)", ["person_id", "field", "old", "new"]),
    ("merges", "Merges (sample)", ["row", "into_person_id", "probability", "decided_by"]),
    ("review_items", "Review items (sample)", ["person_a_id", "person_b_id", "probability"]),
    ("suppressions", "Suppressed rows (sample)", ["row", "reason"]),
    ("quarantined", "Quarantined rows (sample)", ["row", "reason_codes"]),
)


def mapping_table(mapping: dict[str, Any] | None) -> Table:
    """The column mapping of an import: source column, field, confidence, note."""
    table = Table(title="Column mapping", title_justify="left")
    for header in ("column", "field", "confidence", "note"):
        table.add_column(header)
    if mapping:
        from ingest.mapping import ColumnMapping

        for row in ColumnMapping.from_dict(mapping).rows():
            table.add_row(*(escape(cell) for cell in row))
    return table


def preview_view(preview: Preview, source: str) -> Group:
    """A dry run: the counts it would give, then a sample table per kind of change."""
    counts = preview.counts
    title = f"Dry run of {source}: nothing was written"
    if counts.get("already_imported"):
        title += " (this file is already imported; applying would change nothing)"
    table = Table(title=title, title_justify="left")
    for header in COUNT_HEADERS:
        table.add_column(header, justify="right")
    table.add_row(*(str(counts.get(k, 0)) for k in COUNT_FIELDS))
    parts: list[Any] = [table]
    if preview.field_update_counts:
        per_field = ", ".join(f"{k}: {v}" for k, v in preview.field_update_counts.items())
        parts.append(f"field updates: {per_field}")
    for attribute, heading, columns in PREVIEW_SECTIONS:
        rows = getattr(preview, attribute)
        if rows:
            parts.append(_record_table(heading, rows, columns))
    return Group(*parts)


def due_diligence_warning(gaps: list[str]) -> str:
    """Why a purchased list's opt-ins will not count in opt-in jurisdictions."""
    return (
        f"[yellow]due diligence incomplete[/] (profile lacks {', '.join(gaps)}): this list's "
        "opt-ins grant no email permission in opt-in jurisdictions "
        "(reason consent.due_diligence_incomplete)"
    )
