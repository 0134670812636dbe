"""The CRM relational store as SQLAlchemy 2 models (normalized; see docs/store.md).

Every table the pipeline looks things up in has an index for that lookup. Personal values live
only in ``people``, ``companies``, ``contact_points``, ``raw_records``, ``quarantine`` (by
reference), ``custom_values`` and ``match_candidates``; erasure touches exactly those.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Numeric,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

Id = BigInteger().with_variant(Integer, "sqlite")
Json = JSON().with_variant(JSONB(), "postgresql")
Timestamp = DateTime(timezone=True)


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    if TYPE_CHECKING:  # every model here maps one table (DeclarativeBase allows any FromClause)
        __table__: ClassVar[Table]

    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        dict[str, Any]: Json,
        list[Any]: Json,
        datetime: Timestamp,
    }


def _pk() -> Mapped[int]:
    return mapped_column(Id, primary_key=True, autoincrement=True)


def _fk(
    target: str, *, nullable: bool = True, ondelete: str | None = None, index: bool = True
) -> Mapped[Any]:
    """A foreign key, indexed unless (``index=False``) a composite index or unique constraint
    that starts with it already serves its lookups (one index fewer to write on every insert)."""
    return mapped_column(Id, ForeignKey(target, ondelete=ondelete), nullable=nullable, index=index)


class StoreMeta(Base):
    """Key/value facts about the store itself (e.g. the generated hash salt)."""

    __tablename__ = "store_meta"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class Source(Base):
    """A registered lead source with its profile (vendor facts, mapping)."""

    __tablename__ = "sources"
    id: Mapped[int] = _pk()
    kind: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(Text, unique=True)
    profile: Mapped[dict[str, Any] | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ImportRun(Base):
    """One import of one file; re-importing the same file finds this row and does nothing."""

    __tablename__ = "import_runs"
    __table_args__ = (UniqueConstraint("source_id", "file_hash"),)
    id: Mapped[int] = _pk()
    source_id: Mapped[int] = _fk("sources.id", nullable=False)
    location: Mapped[str] = mapped_column(Text)
    file_hash: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16), default="running")
    mapping: Mapped[dict[str, Any] | None]
    manifest: Mapped[dict[str, Any] | None]
    timings: Mapped[dict[str, Any] | None]
    fitted_model: Mapped[dict[str, Any] | None]
    """The match model the run fitted to its first batch (``matchers``' JSON), used for every
    later batch and on resume; None while nothing was fitted (an activated model is used as
    it is)."""
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]
    rows_in: Mapped[int] = mapped_column(Integer, default=0)
    loaded_new: Mapped[int] = mapped_column(Integer, default=0)
    merged: Mapped[int] = mapped_column(Integer, default=0)
    suppressed: Mapped[int] = mapped_column(Integer, default=0)
    quarantined: Mapped[int] = mapped_column(Integer, default=0)
    review_pending: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(Text)
    """Why the run ended ``failed`` (one line, no personal data); cleared when it resumes."""


class Company(Base):
    """An account: display name, matching key (legal suffixes removed), domain and address."""

    __tablename__ = "companies"
    id: Mapped[int] = _pk()
    name: Mapped[str] = mapped_column(Text)
    match_key: Mapped[str] = mapped_column(Text, index=True)
    domain: Mapped[str | None] = mapped_column(Text, index=True)
    website: Mapped[str | None] = mapped_column(Text)
    phone: Mapped[str | None] = mapped_column(Text, index=True)
    industry: Mapped[str | None] = mapped_column(Text)
    size: Mapped[str | None] = mapped_column(Text)
    street: Mapped[str | None] = mapped_column(Text)
    city: Mapped[str | None] = mapped_column(Text)
    region: Mapped[str | None] = mapped_column(Text)
    postal_code: Mapped[str | None] = mapped_column(Text)
    country: Mapped[str | None] = mapped_column(String(2))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Person(Base):
    """The golden person record built by survivorship; ``merged_into_id`` marks a merged loser."""

    __tablename__ = "people"
    __table_args__ = (Index(None, "last_name_key", "first_name_key"),)
    id: Mapped[int] = _pk()
    honorific: Mapped[str | None] = mapped_column(Text)
    first_name: Mapped[str | None] = mapped_column(Text)
    middle_name: Mapped[str | None] = mapped_column(Text)
    last_name: Mapped[str | None] = mapped_column(Text)
    suffix: Mapped[str | None] = mapped_column(Text)
    full_name: Mapped[str | None] = mapped_column(Text)
    first_name_key: Mapped[str | None] = mapped_column(Text)
    last_name_key: Mapped[str | None] = mapped_column(Text)
    job_title: Mapped[str | None] = mapped_column(Text)
    company_id: Mapped[int | None] = _fk("companies.id")
    lifecycle_stage: Mapped[str] = mapped_column(String(20), default="lead")
    lead_source: Mapped[str | None] = mapped_column(Text)
    owner: Mapped[str | None] = mapped_column(Text)
    merged_into_id: Mapped[int | None] = _fk("people.id")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class ContactPoint(Base):
    """An email, phone or postal address of a person; ``match_key`` is what blocking looks up."""

    __tablename__ = "contact_points"
    __table_args__ = (
        UniqueConstraint("person_id", "kind", "value"),
        Index(None, "kind", "match_key"),
    )
    id: Mapped[int] = _pk()
    person_id: Mapped[int] = _fk("people.id", nullable=False, ondelete="CASCADE", index=False)
    kind: Mapped[str] = mapped_column(String(16))
    value: Mapped[str] = mapped_column(Text)
    match_key: Mapped[str | None] = mapped_column(Text)
    original: Mapped[str | None] = mapped_column(Text)
    subtype: Mapped[str | None] = mapped_column(Text)
    is_valid: Mapped[bool] = mapped_column(Boolean, default=True)
    is_primary: Mapped[bool] = mapped_column(Boolean, default=False)
    street: Mapped[str | None] = mapped_column(Text)
    city: Mapped[str | None] = mapped_column(Text)
    region: Mapped[str | None] = mapped_column(Text)
    postal_code: Mapped[str | None] = mapped_column(Text, index=True)
    country: Mapped[str | None] = mapped_column(String(2))
    raw_record_id: Mapped[int | None] = _fk("raw_records.id")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Consent(Base):
    """Consent per person and channel (optionally per contact point) with its evidence."""

    __tablename__ = "consents"
    __table_args__ = (Index(None, "person_id", "channel"),)
    id: Mapped[int] = _pk()
    person_id: Mapped[int] = _fk("people.id", nullable=False, ondelete="CASCADE", index=False)
    channel: Mapped[str] = mapped_column(String(16))
    contact_point_id: Mapped[int | None] = _fk("contact_points.id", ondelete="SET NULL")
    status: Mapped[str] = mapped_column(String(16))
    lawful_basis: Mapped[str | None] = mapped_column(String(32))
    captured_at: Mapped[datetime | None]
    source_id: Mapped[int | None] = _fk("sources.id")
    raw_record_id: Mapped[int | None] = _fk("raw_records.id")
    evidence: Mapped[dict[str, Any] | None]
    expires_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Suppression(Base):
    """A salted hash of an email or phone that must never be loaded or contacted."""

    __tablename__ = "suppressions"
    __table_args__ = (UniqueConstraint("kind", "value_hash"),)
    id: Mapped[int] = _pk()
    kind: Mapped[str] = mapped_column(String(16))
    value_hash: Mapped[str] = mapped_column(String(64))
    algorithm: Mapped[str] = mapped_column(String(16), default="salted_sha256")
    reason: Mapped[str] = mapped_column(String(32))
    source: Mapped[str | None] = mapped_column(Text)
    added_at: Mapped[datetime] = mapped_column(default=utcnow)


class Activity(Base):
    """Interaction history: form submissions, event registrations and attendance, calls."""

    __tablename__ = "activities"
    __table_args__ = (UniqueConstraint("raw_record_id", "kind"),)
    id: Mapped[int] = _pk()
    person_id: Mapped[int] = _fk("people.id", nullable=False, ondelete="CASCADE")
    kind: Mapped[str] = mapped_column(String(32))
    subject: Mapped[str | None] = mapped_column(Text)
    occurred_at: Mapped[datetime | None]
    source_id: Mapped[int | None] = _fk("sources.id")
    raw_record_id: Mapped[int | None] = _fk("raw_records.id")
    details: Mapped[dict[str, Any] | None]


class Opportunity(Base):
    """A sales opportunity on a company and/or person."""

    __tablename__ = "opportunities"
    id: Mapped[int] = _pk()
    name: Mapped[str] = mapped_column(Text)
    stage: Mapped[str] = mapped_column(String(50), default="prospecting")
    amount: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    currency: Mapped[str | None] = mapped_column(String(3))
    expected_close: Mapped[date | None] = mapped_column(Date)
    probability: Mapped[float | None] = mapped_column(Float)
    company_id: Mapped[int | None] = _fk("companies.id")
    person_id: Mapped[int | None] = _fk("people.id", ondelete="SET NULL")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class CustomField(Base):
    """A user-defined attribute of people or companies (vendor columns land here)."""

    __tablename__ = "custom_fields"
    __table_args__ = (UniqueConstraint("entity", "name"),)
    id: Mapped[int] = _pk()
    entity: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(Text)
    data_type: Mapped[str] = mapped_column(String(16), default="text")


class CustomValue(Base):
    """The value of a custom field for one entity, with the raw record it came from."""

    __tablename__ = "custom_values"
    __table_args__ = (UniqueConstraint("field_id", "entity_id"),)
    id: Mapped[int] = _pk()
    field_id: Mapped[int] = _fk("custom_fields.id", nullable=False, index=False)
    entity_id: Mapped[int] = mapped_column(Id, index=True)
    value: Mapped[str | None] = mapped_column(Text)
    raw_record_id: Mapped[int | None] = _fk("raw_records.id")


class RawRecord(Base):
    """Every input row as received, its run and row number, where it ended, and the reason codes
    the stages found (an invalid value is nulled on the record; its code is kept here)."""

    __tablename__ = "raw_records"
    __table_args__ = (UniqueConstraint("run_id", "row_number"), Index(None, "run_id", "outcome"))
    id: Mapped[int] = _pk()
    run_id: Mapped[int] = mapped_column(Id, ForeignKey("import_runs.id"))
    row_number: Mapped[int] = mapped_column(Integer)
    payload: Mapped[dict[str, Any] | None]
    outcome: Mapped[str] = mapped_column(String(16))
    outcome_reason: Mapped[str | None] = mapped_column(String(64))
    issues: Mapped[list[Any] | None]
    person_id: Mapped[int | None] = _fk("people.id", ondelete="SET NULL")
    company_id: Mapped[int | None] = _fk("companies.id", ondelete="SET NULL")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class RecordLink(Base):
    """Raw record → person (or → company for company-only records such as directory listings),
    with the match probability and how the link was decided."""

    __tablename__ = "record_links"
    __table_args__ = (
        CheckConstraint("(person_id IS NULL) <> (company_id IS NULL)", name="one_target"),
    )
    id: Mapped[int] = _pk()
    raw_record_id: Mapped[int] = mapped_column(Id, ForeignKey("raw_records.id"), unique=True)
    person_id: Mapped[int | None] = _fk("people.id", ondelete="CASCADE")
    company_id: Mapped[int | None] = _fk("companies.id", ondelete="CASCADE")
    probability: Mapped[float | None] = mapped_column(Float)
    decided_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class MatchCandidate(Base):
    """The review queue: an uncertain pair, its probability and per-field comparison detail."""

    __tablename__ = "match_candidates"
    __table_args__ = (UniqueConstraint("person_a_id", "person_b_id"), Index(None, "status"))
    id: Mapped[int] = _pk()
    person_a_id: Mapped[int] = _fk("people.id", nullable=False, ondelete="CASCADE")
    person_b_id: Mapped[int] = _fk("people.id", nullable=False, ondelete="CASCADE")
    run_id: Mapped[int | None] = _fk("import_runs.id")
    probability: Mapped[float] = mapped_column(Float)
    detail: Mapped[dict[str, Any] | None]
    status: Mapped[str] = mapped_column(String(16), default="pending")
    decided_by: Mapped[str | None] = mapped_column(String(100))
    decided_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Quarantine(Base):
    """A raw record that could not be loaded, with its reason codes."""

    __tablename__ = "quarantine"
    id: Mapped[int] = _pk()
    raw_record_id: Mapped[int] = mapped_column(Id, ForeignKey("raw_records.id"), unique=True)
    run_id: Mapped[int] = _fk("import_runs.id", nullable=False)
    reason_codes: Mapped[list[Any]]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    released_at: Mapped[datetime | None]


class Enrichment(Base):
    """A value added by an enrichment job; never overwrites user data silently."""

    __tablename__ = "enrichments"
    __table_args__ = (Index(None, "entity", "entity_id"),)
    id: Mapped[int] = _pk()
    entity: Mapped[str] = mapped_column(String(16))
    entity_id: Mapped[int] = mapped_column(Id)
    field: Mapped[str] = mapped_column(Text)
    value: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str] = mapped_column(Text)
    fetched_at: Mapped[datetime] = mapped_column(default=utcnow)


class ValueProvenance(Base):
    """Which raw record (and so which source and run) a golden-record value came from."""

    __tablename__ = "value_provenance"
    __table_args__ = (UniqueConstraint("person_id", "field"),)
    id: Mapped[int] = _pk()
    person_id: Mapped[int] = _fk("people.id", nullable=False, ondelete="CASCADE", index=False)
    field: Mapped[str] = mapped_column(String(64))
    raw_record_id: Mapped[int] = _fk("raw_records.id", nullable=False)
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)


class FieldPin(Base):
    """A steward's choice of one field's value for a person: survivorship keeps it until the
    steward changes it, whatever later imports bring."""

    __tablename__ = "field_pins"
    __table_args__ = (UniqueConstraint("person_id", "field"),)
    id: Mapped[int] = _pk()
    person_id: Mapped[int] = _fk("people.id", nullable=False, ondelete="CASCADE")
    field: Mapped[str] = mapped_column(String(64))
    value: Mapped[str | None] = mapped_column(Text)
    pinned_by: Mapped[str] = mapped_column(String(100))
    pinned_at: Mapped[datetime] = mapped_column(default=utcnow)


class RunReport(Base):
    """Quality figures of one completed import run, computed once when it completes (or on
    first view, for runs older than this table), so the source report never rescans rows."""

    __tablename__ = "run_reports"
    run_id: Mapped[int] = mapped_column(
        Id, ForeignKey("import_runs.id", ondelete="CASCADE"), primary_key=True
    )
    invalid_email_rows: Mapped[int] = mapped_column(Integer, default=0)
    invalid_phone_rows: Mapped[int] = mapped_column(Integer, default=0)
    duplicates_within_file: Mapped[int] = mapped_column(Integer, default=0)
    duplicates_against_store: Mapped[int] = mapped_column(Integer, default=0)
    consent_opt_in: Mapped[dict[str, Any]]
    computed_at: Mapped[datetime] = mapped_column(default=utcnow)


class RateLimitHit(Base):
    """Requests counted per limit, client and time window, shared by every web worker process.
    ``client`` is a keyed hash of the address, never the address itself."""

    __tablename__ = "rate_limit_hits"
    window: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    """The window's number (Unix time // window length): first, so old windows go by range."""
    bucket: Mapped[str] = mapped_column(String(16), primary_key=True)
    client: Mapped[str] = mapped_column(String(64), primary_key=True)
    hits: Mapped[int] = mapped_column(Integer, default=0)


class AuditEntry(Base):
    """Who changed what and when; holds ids and codes, never personal data."""

    __tablename__ = "audit_log"
    id: Mapped[int] = _pk()
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(50))
    entity: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[int | None] = mapped_column(Id)
    details: Mapped[dict[str, Any] | None]


class CensusFigure(Base):
    """One census estimate for one geography (a ZIP code tabulation area), typed.

    Annotation values of the census tables (``-666666666``, ``(X)``, ``N``, ``-``) are kept in
    ``annotation`` with ``estimate`` null; open-ended bands (``250,000+``) set ``lower_bound``.
    """

    __tablename__ = "census_figures"
    __table_args__ = (UniqueConstraint("dataset", "geo_id", "variable"),)
    id: Mapped[int] = _pk()
    dataset: Mapped[str] = mapped_column(Text)
    geo_id: Mapped[str] = mapped_column(Text)
    country: Mapped[str] = mapped_column(String(2), default="US")
    postal_code: Mapped[str] = mapped_column(Text, index=True)
    variable: Mapped[str] = mapped_column(Text)
    label: Mapped[str | None] = mapped_column(Text)
    estimate: Mapped[float | None] = mapped_column(Float)
    margin: Mapped[float | None] = mapped_column(Float)
    lower_bound: Mapped[float | None] = mapped_column(Float)
    upper_bound: Mapped[float | None] = mapped_column(Float)
    annotation: Mapped[str | None] = mapped_column(Text)
    loaded_at: Mapped[datetime] = mapped_column(default=utcnow)


class FormSubmission(Base):
    """A web-form submission staged durably before the HTTP response, then imported in batches.

    ``confirm_token_hash`` is the SHA-256 of the double opt-in token (the token itself is only
    ever sent to the submitter); ``confirmed_at`` is set when it is presented.
    """

    __tablename__ = "form_submissions"
    __table_args__ = (Index(None, "status", "id"),)
    id: Mapped[int] = _pk()
    form_id: Mapped[str] = mapped_column(Text, index=True)
    submission_key: Mapped[str | None] = mapped_column(Text, unique=True)
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    payload: Mapped[dict[str, Any]]
    evidence: Mapped[dict[str, Any] | None]
    confirm_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    confirmed_at: Mapped[datetime | None]
    status: Mapped[str] = mapped_column(String(16), default="staged")
    run_id: Mapped[int | None] = _fk("import_runs.id")


class BlockingKey(Base):
    """A blocking key of a stored person (e.g. ``("surname_phonetic+postcode", "KRS|02139")``).

    The matcher decides which rules exist; incremental matching looks candidates up here through
    the ``(rule, key)`` index instead of rescoring the store.
    """

    __tablename__ = "blocking_keys"
    __table_args__ = (UniqueConstraint("person_id", "rule", "key"), Index(None, "rule", "key"))
    id: Mapped[int] = _pk()
    person_id: Mapped[int] = _fk("people.id", nullable=False, ondelete="CASCADE", index=False)
    rule: Mapped[str] = mapped_column(String(64))
    key: Mapped[str] = mapped_column(Text)


class MatchModel(Base):
    """A trained match model (settings with m/u per comparison level, thresholds), versioned."""

    __tablename__ = "match_models"
    id: Mapped[int] = _pk()
    version: Mapped[int] = mapped_column(Integer, unique=True)
    settings: Mapped[dict[str, Any]]
    trained_on: Mapped[dict[str, Any] | None]
    is_active: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Merge(Base):
    """One merge of ``loser_id`` into ``winner_id``, with what is needed to undo it.

    ``moved`` records the ids moved from the loser to the winner (contact points, consents,
    activities, links, ...) and ``winner_before`` the winner's golden values before the merge.
    """

    __tablename__ = "merges"
    id: Mapped[int] = _pk()
    winner_id: Mapped[int] = _fk("people.id", nullable=False, ondelete="CASCADE")
    loser_id: Mapped[int] = _fk("people.id", nullable=False, ondelete="CASCADE")
    candidate_id: Mapped[int | None] = _fk("match_candidates.id", ondelete="SET NULL")
    decided_by: Mapped[str] = mapped_column(String(100))
    moved: Mapped[dict[str, Any] | None]
    winner_before: Mapped[dict[str, Any] | None]
    merged_at: Mapped[datetime] = mapped_column(default=utcnow)
    undone_at: Mapped[datetime | None]


class User(Base):
    """A person who signs in to the review pages; passwords are stored as argon2/bcrypt hashes."""

    __tablename__ = "users"
    id: Mapped[int] = _pk()
    name: Mapped[str] = mapped_column(String(100), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class CompanyAffiliation(Base):
    """A person's employment at a company over time (job changes keep the history)."""

    __tablename__ = "company_affiliations"
    __table_args__ = (UniqueConstraint("person_id", "company_id", "valid_from"),)
    id: Mapped[int] = _pk()
    person_id: Mapped[int] = _fk("people.id", nullable=False, ondelete="CASCADE", index=False)
    company_id: Mapped[int] = _fk("companies.id", nullable=False, ondelete="CASCADE")
    job_title: Mapped[str | None] = mapped_column(Text)
    valid_from: Mapped[datetime | None]
    valid_to: Mapped[datetime | None]
    is_current: Mapped[bool] = mapped_column(Boolean, default=True)
    source_id: Mapped[int | None] = _fk("sources.id")
    raw_record_id: Mapped[int | None] = _fk("raw_records.id", ondelete="SET NULL")


class UserSession(Base):
    """A signed-in review session, kept server-side so that logout and a password change end it.

    Only the SHA-256 of the session token is stored; the token itself lives in the cookie.
    """

    __tablename__ = "user_sessions"
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = _fk("users.id", nullable=False, ondelete="CASCADE")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
