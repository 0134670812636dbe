"""Web-form submissions: the untrusted shape (pydantic, size-limited), flattening to raw columns,
and an adapter for JSON Lines exports of that shape.

A browser posts a :class:`SubmissionBody` (fields, consent answer, optional id); the server adds
what it observed itself (form id, time, IP, user agent) to make a :class:`Submission`, the shape
exports hold one per line. :func:`flatten` turns either into the raw string columns the column
mapping reads with :data:`DEFAULT_PROFILE`.
"""

from __future__ import annotations

import ipaddress
import re
import secrets
from collections.abc import Iterator, Sequence
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

import pandas as pd
from pydantic import (
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    field_validator,
    model_validator,
)

from ingest.errors import LeadflowValueError, SourceFormatError
from ingest.files import file_mtime_utc, file_sha256
from ingest.profiles import SourceProfile, column_target
from ingest.reasons import describe
from ingest.records import ROW_COLUMN, BrokenRow, Provenance, RawBatch, SourceKind
from ingest.store.forms import CONFIRMED_AT_COLUMN
from sources._text_files import (
    UNDECODABLE,
    LongLine,
    detect_encoding,
    iter_lines,
    open_text,
    read_sample,
    truncate,
)

MAX_SUBMISSION_BYTES = 64 * 1024
"""Largest accepted submission: the HTTP body limit, and the longest export line (in chars)."""
MAX_FIELDS = 40
MAX_VALUE_CHARS = 4000
MAX_WORDING_CHARS = 2000
MAX_USER_AGENT_CHARS = 512
MAX_EXTRA_COLUMNS = 200
"""Distinct non-standard field names one export may add as columns."""

FORM_ID_PATTERN = r"^[a-z0-9](?:[a-z0-9_-]{0,62}[a-z0-9])?$"
SUBMISSION_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,99}$"
FIELD_NAME_PATTERN = r"^[A-Za-z][A-Za-z0-9_.-]{0,63}$"
ACTIVITY_KIND = "form_submitted"

FormId = Annotated[str, StringConstraints(pattern=FORM_ID_PATTERN)]
SubmissionId = Annotated[str, StringConstraints(pattern=SUBMISSION_ID_PATTERN)]
FieldName = Annotated[str, StringConstraints(pattern=FIELD_NAME_PATTERN)]
FieldValue = Annotated[str, StringConstraints(max_length=MAX_VALUE_CHARS)] | None
Wording = Annotated[str, StringConstraints(min_length=1, max_length=MAX_WORDING_CHARS)]
Version = Annotated[str, StringConstraints(min_length=1, max_length=50)]

FORM_FIELDS = ("name", "email", "phone", "company", "job_title", "country", "message")
"""Field names every flattened row has a column for (None when the form lacks them)."""
OWN_COLUMNS = (
    "submission_id", "form_id", "activity_kind", "submitted_at", "consent_email_marketing",
    "consent_wording", "consent_version", "ip", "user_agent", CONFIRMED_AT_COLUMN,
)  # fmt: skip
"""Columns made from the submission itself; a form field of the same name gets ``field_``."""
COLUMNS = (*OWN_COLUMNS[:4], *FORM_FIELDS, *OWN_COLUMNS[4:])

DEFAULT_PROFILE = SourceProfile(
    name="web_forms",
    kind=SourceKind.WEB_FORM,
    columns={
        "submission_id": "source_record_id",
        "form_id": "activity_subject",
        "activity_kind": "activity_kind",
        "submitted_at": "captured_at",
        "name": "full_name",
        "email": "email",
        "phone": "phone",
        "company": "company_name",
        "job_title": "job_title",
        "country": "country",
        "message": "custom:message",
        "consent_email_marketing": "email_opt_in",
        "consent_wording": "consent_text",
        "consent_version": "consent_version",
        "ip": "consent_ip",
        "user_agent": "custom:user_agent",
        CONFIRMED_AT_COLUMN: f"custom:{CONFIRMED_AT_COLUMN}",
    },
)
"""How flattened submissions map; unknown form fields are left to synonyms or kept custom."""


class SubmissionError(LeadflowValueError):
    """A submission is malformed; ``problems`` name the place and the rule, never a value."""

    def __init__(self, problems: Sequence[str], *, malformed: bool = False) -> None:
        self.problems = tuple(problems)
        self.malformed = malformed  # not JSON / not an object at all, rather than a wrong field
        super().__init__("; ".join(self.problems) or "the submission is invalid")

    @classmethod
    def from_validation(cls, error: ValidationError) -> SubmissionError:
        details = error.errors(include_input=False, include_url=False, include_context=False)
        problems = [f"{'.'.join(map(str, d['loc'])) or 'body'}: {d['msg']}" for d in details]
        malformed = any(d["type"] == "json_invalid" or not d["loc"] for d in details)
        return cls(problems, malformed=malformed)


class ConsentAnswer(BaseModel):
    """The marketing checkbox as shown: the answer, and the wording and version it answered."""

    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)
    email_marketing: bool
    wording: Wording | None = None
    version: Version | None = None

    @model_validator(mode="after")
    def _opt_in_has_evidence(self) -> ConsentAnswer:
        if self.email_marketing and not (self.wording and self.version):
            raise ValueError("an email-marketing opt-in needs the checkbox wording and version")
        return self


class SubmissionBody(BaseModel):
    """What a browser or client posts to ``/forms/{form_id}``."""

    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)
    submission_id: SubmissionId | None = None
    fields: Annotated[dict[FieldName, FieldValue], Field(max_length=MAX_FIELDS)]
    consent: ConsentAnswer | None = None


class Submission(SubmissionBody):
    """A submission with what the server observed: the shape of one JSON Lines export line."""

    form_id: FormId
    submitted_at: AwareDatetime
    ip: str | None = None
    user_agent: Annotated[str, StringConstraints(max_length=MAX_USER_AGENT_CHARS)] | None = None
    double_opt_in_confirmed_at: AwareDatetime | None = None

    @field_validator("ip")
    @classmethod
    def _is_ip(cls, value: str | None) -> str | None:
        return None if value is None else str(ipaddress.ip_address(value))

    @classmethod
    def received(
        cls,
        body: SubmissionBody,
        *,
        form_id: str,
        received_at: datetime,
        ip: str | None,
        user_agent: str | None,
    ) -> Submission:
        """Add the server's own observations to a posted body: an id when it has none, and an
        unusable IP (a test client's "testclient") becomes None."""
        try:
            ip = str(ipaddress.ip_address(ip)) if ip else None
        except ValueError:
            ip = None
        try:
            return cls.model_validate(
                {
                    **body.model_dump(exclude_none=True),
                    "fields": dict(body.fields),
                    "submission_id": body.submission_id or secrets.token_hex(16),
                    "form_id": form_id,
                    "submitted_at": received_at,
                    "ip": ip,
                    "user_agent": user_agent[:MAX_USER_AGENT_CHARS] if user_agent else None,
                }
            )
        except ValidationError as exc:
            raise SubmissionError.from_validation(exc) from None

    @property
    def needs_confirmation(self) -> bool:
        """An email-marketing opt-in with an email address: a double opt-in mail is due."""
        return bool(self.consent and self.consent.email_marketing and self.fields.get("email"))

    def evidence(self) -> dict[str, str | bool | None]:
        """What the server keeps as consent evidence beside the payload."""
        consent = self.consent
        return {
            "received_at": self.submitted_at.isoformat(),
            "ip": self.ip,
            "user_agent": self.user_agent,
            "consent_email_marketing": consent.email_marketing if consent else None,
            "consent_wording": consent.wording if consent else None,
            "consent_version": consent.version if consent else None,
        }


def parse_json_body(raw: bytes | str) -> SubmissionBody:
    """Validate a JSON request body; raise SubmissionError."""
    try:
        return SubmissionBody.model_validate_json(raw)
    except ValidationError as exc:
        raise SubmissionError.from_validation(exc) from None


CONSENT_KEYS = ("consent_email_marketing", "consent_wording", "consent_version")
_CHECKED = frozenset({"on", "yes", "true", "1", "checked"})


def body_from_form(pairs: Sequence[tuple[str, str]]) -> SubmissionBody:
    """Build a body from HTML form pairs: ``submission_id`` and ``consent_*`` are special, an
    absent ``consent_email_marketing`` checkbox means no, every other pair is a form field."""
    seen: dict[str, str] = {}
    for key, value in pairs:
        if key in seen:
            problem = "a field is sent more than once"
            raise SubmissionError([f"{key}: {problem}" if _is_field_name(key) else problem])
        seen[key] = value
    data: dict[str, Any] = {
        "fields": {k: v for k, v in seen.items() if k not in CONSENT_KEYS and k != "submission_id"}
    }
    if "submission_id" in seen:
        data["submission_id"] = seen["submission_id"]
    if any(key in seen for key in CONSENT_KEYS):
        data["consent"] = {
            "email_marketing": seen.get(CONSENT_KEYS[0], "").strip().lower() in _CHECKED,
            "wording": seen.get("consent_wording") or None,
            "version": seen.get("consent_version") or None,
        }
    try:
        return SubmissionBody.model_validate(data)
    except ValidationError as exc:
        raise SubmissionError.from_validation(exc) from None


def flatten(submission: SubmissionBody) -> dict[str, str | None]:
    """Raw string columns for one submission (see COLUMNS; extra form fields follow them)."""
    row: dict[str, str | None] = dict.fromkeys(COLUMNS)
    row["submission_id"] = submission.submission_id
    row["activity_kind"] = ACTIVITY_KIND
    if isinstance(submission, Submission):
        row["form_id"] = submission.form_id
        row["submitted_at"] = submission.submitted_at.isoformat()
        row["ip"] = submission.ip
        row["user_agent"] = submission.user_agent
        confirmed = submission.double_opt_in_confirmed_at
        row[CONFIRMED_AT_COLUMN] = confirmed.isoformat() if confirmed else None
    if submission.consent is not None:
        row["consent_email_marketing"] = "yes" if submission.consent.email_marketing else "no"
        row["consent_wording"] = submission.consent.wording
        row["consent_version"] = submission.consent.version
    for key, value in submission.fields.items():
        row[field_column(key)] = value or None
    return row


def field_column(name: str) -> str:
    """The column of a form field: its name, or ``field_<name>`` when that is taken (so a field
    called ``ip`` or ``consent_email_marketing`` can never pose as evidence)."""
    if name in OWN_COLUMNS or name.startswith("field_"):
        return f"field_{name}"
    return name


def resolve_profile(
    path: Path | None = None, profile: SourceProfile | None = None
) -> SourceProfile:
    """``profile`` completed by DEFAULT_PROFILE (its columns win); DEFAULT_PROFILE without one."""
    if profile is None:
        return DEFAULT_PROFILE
    taken = {column_target(t) for t in profile.columns.values()}
    columns = {
        header: target
        for header, target in DEFAULT_PROFILE.columns.items()
        if header not in profile.columns and column_target(target) not in taken
    }
    data = {**profile.to_dict(), "kind": SourceKind.WEB_FORM.value}
    data["columns"] = {**columns, **profile.columns}
    return SourceProfile.from_dict(data)


def read(
    path: Path,
    *,
    profile: SourceProfile | None = None,
    chunk_rows: int = 50_000,
    source_name: str | None = None,
) -> Iterator[RawBatch]:
    """Read a JSON Lines export of submissions (``_row`` = line number; blank lines skipped).

    A line that is not JSON, not a submission or over MAX_SUBMISSION_BYTES becomes a BrokenRow.
    Always yields at least one batch; every batch has the same columns.
    """
    path = Path(path)
    if not path.is_file():
        raise SourceFormatError(path, "no such file", "check the path")
    if chunk_rows < 1:
        raise ValueError("chunk_rows must be at least 1")
    provenance = Provenance(
        source_kind=SourceKind.WEB_FORM,
        source_name=(profile.name if profile else None) or source_name or path.stem,
        location=str(path),
        file_hash=file_sha256(path),
        fetched_at=file_mtime_utc(path),
    )
    encoding = (profile.encoding if profile else None) or detect_encoding(read_sample(path))
    columns = list(COLUMNS)
    for _, _, parsed in _parsed_lines(path, encoding):
        if isinstance(parsed, dict) and len(columns) < len(COLUMNS) + MAX_EXTRA_COLUMNS:
            columns.extend(k for k in parsed if k not in columns)
    columns = columns[: len(COLUMNS) + MAX_EXTRA_COLUMNS]
    known = set(columns)
    rows: list[dict[str, str | None]] = []
    numbers: list[int] = []
    broken: list[BrokenRow] = []
    yielded = False
    for line, raw, parsed in _parsed_lines(path, encoding):
        if isinstance(parsed, dict) and not known.issuperset(parsed):
            detail = "too many distinct field names in the file"
            parsed = _broken(line, raw, "row.invalid_submission", detail)
        if isinstance(parsed, BrokenRow):
            broken.append(parsed)
            continue
        rows.append(parsed)
        numbers.append(line)
        if len(rows) >= chunk_rows:
            yield RawBatch(_frame(columns, rows, numbers), provenance, tuple(broken))
            yielded = True
            rows, numbers, broken = [], [], []
    if rows or broken or not yielded:
        yield RawBatch(_frame(columns, rows, numbers), provenance, tuple(broken))


def _parsed_lines(
    path: Path, encoding: str
) -> Iterator[tuple[int, str, dict[str, str | None] | BrokenRow]]:
    """(line number, raw text, flattened row or BrokenRow) per non-blank line."""
    with open_text(path, encoding) as text:
        for number, line in enumerate(iter_lines(text, MAX_SUBMISSION_BYTES), 1):
            if isinstance(line, LongLine):
                detail = f"{line.length} characters"
                yield number, line.head, _broken(number, line.head, "row.too_long", detail)
            elif not line.strip():
                continue
            elif UNDECODABLE in line:
                yield number, line, _broken(number, line, "row.undecodable")
            else:
                try:
                    submission = Submission.model_validate_json(line)
                except ValidationError as exc:
                    error = SubmissionError.from_validation(exc)
                    code = "row.invalid_json" if error.malformed else "row.invalid_submission"
                    yield number, line, _broken(number, line, code, error.problems[0])
                else:
                    yield number, line, flatten(submission)


def _broken(line: int, raw: str, code: str, detail: str = "") -> BrokenRow:
    message = describe(code)
    if detail:
        message = f"{message.removesuffix('.')} ({detail})."
    text = truncate(raw.rstrip("\r\n").replace(UNDECODABLE, "\ufffd"))
    return BrokenRow(row_number=line, raw_text=text, reason_code=code, message=message)


def _frame(
    columns: list[str], rows: list[dict[str, str | None]], numbers: list[int]
) -> pd.DataFrame:
    frame = pd.DataFrame.from_records(rows, columns=columns) if rows else pd.DataFrame()
    frame = frame.reindex(columns=columns).astype(object)
    frame = frame.where(frame.notna(), None)
    frame[ROW_COLUMN] = pd.Series(numbers, dtype="int64", index=frame.index)
    return frame


def _is_field_name(key: str) -> bool:
    return re.fullmatch(FIELD_NAME_PATTERN, key) is not None
