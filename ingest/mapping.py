"""Column mapping: which source header feeds which canonical field, and how that was decided.

Order of precedence per header: the source profile's explicit mapping, then an exact match on the
canonical field name, then the synonym table (real vendor, event and CRM export headers in English,
German, French, Dutch and Spanish), then fuzzy matching against the synonyms. Each canonical field
is fed by one header at most; every other header is kept as a custom field, never dropped.

The fields and their synonyms are a ``Vocabulary``: lead files map to ``LEADS`` (the default);
other kinds of file (suppression lists, ``ingest.suppressions``) bring their own.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Literal

import numpy as np
import pandas as pd
from rapidfuzz import process
from rapidfuzz.distance import DamerauLevenshtein

from ingest.errors import MappingError
from ingest.mapping_content import field_by_content, names_organisations
from ingest.normalize.subscription import flag_set
from ingest.profiles import SourceProfile, column_target
from ingest.records import CANONICAL_FIELDS, CUSTOM_COLUMN, ROW_COLUMN

Method = Literal["profile", "exact", "synonym", "fuzzy", "content", "custom"]
_RANK: dict[str, int] = {"profile": 0, "exact": 1, "synonym": 2, "fuzzy": 3}
"""How a header won its field, best first (content choices are made after, for the rest)."""

FUZZY_CUTOFF = 0.8
"""Damerau-Levenshtein normalized similarity needed for a fuzzy match: at most one edit (a
transposition counts as one) per five characters. "Emial" (0.8) and "Frist Name" (0.89) match;
two edits in a short header do not. One-edit look-alikes that are real, different CRM headers
("Stage" vs "State") are listed in KNOWN_CUSTOM instead of raising the cutoff for everyone."""

FUZZY_MIN_LENGTH = 5
"""Headers and synonyms shorter than this are never fuzzy-matched: "Ort" and "Port" are one edit
apart but unrelated."""

NO_FUZZY_FIELDS = frozenset(
    {"email_opt_in", "phone_opt_in", "sms_opt_in", "post_opt_in", "consent_text",
     "consent_version", "email_opt_out", "phone_opt_out", "sms_opt_out", "post_opt_out",
     "email_bounced", "email_status"}
)  # fmt: skip
"""Consent fields decide what may be loaded and sent; a near-miss such as "Email Opt Out" must never
be read as an opt-in, so these map only by profile, exact name or synonym."""

COMBINED_FIELDS = frozenset(
    {"email_opt_out", "phone_opt_out", "sms_opt_out", "post_opt_out", "email_bounced"}
)
"""Flags several headers may feed at once (Pardot's "Opted Out" and "Do Not Email", Marketo's
"Unsubscribed" and "Black Listed"): any one of them set withdraws the channel."""

KNOWN_CUSTOM = frozenset(
    {"stage", "leadstage", "leadstatus", "leadsource", "leadscore", "score", "rating", "owner",
     "notes", "comments", "description", "source", "status", "tags", "segment", "revenue",
     "annualrevenue", "lastname2", "surname2", "secondlastname", "secondsurname",
     "apellido2", "segundoapellido"}
)  # fmt: skip
"""Common CRM headers with no canonical field; they stay custom instead of fuzzy-matching. A
second surname column ("last_name_2", "Segundo apellido") stays custom on purpose: appending it
to ``last_name`` would change the surname key that other records of the person match on."""


def normalize_header(header: str) -> str:
    """Compact comparison form: accents and case folded, '#' read as 'no', separators dropped."""
    return re.sub(r"[\W_]+", "", normalize_header_text(header).replace("#", "no"))


@cache
def _custom_lookup() -> dict[str, str]:
    """Normalized header -> standard custom field name (``CUSTOM_SYNONYMS``)."""
    return {
        normalize_header(header): name
        for name, headers in CUSTOM_SYNONYMS.items()
        for header in headers
    }


@dataclass(frozen=True, eq=False)
class Vocabulary:
    """The canonical fields one kind of file maps to, and the headers known for each field.

    ``no_fuzzy`` fields map only by profile, exact name or synonym; ``combined`` fields (flags)
    may be fed by several headers at once.
    """

    fields: tuple[str, ...]
    synonyms: Mapping[str, tuple[str, ...]] = field(repr=False)
    no_fuzzy: frozenset[str] = frozenset()
    combined: frozenset[str] = frozenset()


@cache
def _lookups(vocabulary: Vocabulary) -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    """(exact, synonym, fuzzy-choice) tables: normalized header -> canonical field."""
    exact = {normalize_header(name): name for name in vocabulary.fields}
    synonyms: dict[str, str] = {}
    for canonical, names in vocabulary.synonyms.items():
        for name in names:
            key = normalize_header(name)
            if synonyms.get(key, canonical) != canonical:
                raise RuntimeError(f"synonym {name!r} maps to both {synonyms[key]} and {canonical}")
            synonyms[key] = canonical
    fuzzy = {
        key: canonical
        for key, canonical in {**synonyms, **exact}.items()
        if canonical not in vocabulary.no_fuzzy and len(key) >= FUZZY_MIN_LENGTH
    }
    return exact, synonyms, fuzzy


CONFIDENCE = {"profile": "profile", "exact": "exact", "synonym": "known header",
              "custom": "kept as custom"}  # fmt: skip
"""How sure the mapping is, per method, in the printed table (the others show their score)."""
_SCORED = {"fuzzy": "fuzzy", "content": "by its values"}


@dataclass(frozen=True, slots=True)
class ColumnChoice:
    """The decision for one source header.

    ``field`` is the canonical field, or None when the column is kept as a custom field under
    ``custom_name``. ``contested`` names the field a custom column lost to a better header.
    """

    header: str
    field: str | None
    method: Method
    score: float
    custom_name: str | None = None
    contested: str | None = None
    combined: bool = False
    """True for a second (third, ...) header feeding a flag in ``COMBINED_FIELDS``."""


@dataclass(frozen=True, slots=True)
class ColumnMapping:
    """The mapping used for one import: one choice per source header, in source order.

    ``missing`` lists headers the profile maps that the source does not have.
    """

    columns: tuple[ColumnChoice, ...]
    missing: tuple[str, ...] = ()

    @property
    def fields(self) -> dict[str, str]:
        """Canonical field -> source header."""
        return {c.field: c.header for c in self.columns if c.field is not None and not c.combined}

    @property
    def combined(self) -> dict[str, list[str]]:
        """Flag field -> every header feeding it, for flags fed by more than one header."""
        flags = {c.field for c in self.columns if c.combined}
        out: dict[str, list[str]] = {}
        for c in self.columns:
            if c.field is not None and c.field in flags:
                out.setdefault(c.field, []).append(c.header)
        return out

    @property
    def identity_fields(self) -> set[str]:
        """The name and contact fields the mapping feeds (empty: nothing to load)."""
        return set(self.fields) & IDENTITY_FIELDS

    @property
    def custom(self) -> dict[str, str]:
        """Source header -> custom field name, for every column kept as a custom field."""
        return {c.header: c.custom_name or c.header for c in self.columns if c.field is None}

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form, stored on the import run."""
        return {
            "columns": [
                {
                    "header": c.header,
                    "field": c.field,
                    "method": c.method,
                    "score": c.score,
                    "custom_name": c.custom_name,
                    "contested": c.contested,
                    "combined": c.combined,
                }
                for c in self.columns
            ],
            "missing": list(self.missing),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ColumnMapping:
        """Read back what ``to_dict`` wrote."""
        return cls(
            columns=tuple(ColumnChoice(**c) for c in data["columns"]),
            missing=tuple(data.get("missing", ())),
        )

    def rows(self) -> list[tuple[str, str, str, str]]:
        """(column, field, confidence, note) per source header, for the mapping table."""
        out = []
        for c in self.columns:
            if c.field is not None:
                field = c.field
                note = "combined with another column" if c.combined else ""
            else:
                field = f"custom:{c.custom_name or c.header}"
                note = f"{c.contested} taken by a better header" if c.contested else ""
            confidence = CONFIDENCE.get(c.method) or f"{_SCORED[c.method]} {c.score:.0f}%"
            out.append((c.header, field, confidence, note))
        out.extend((h, "(missing from source)", "profile", "") for h in self.missing)
        return out

    def describe(self) -> str:
        """A human table of the mapping, one header per line, for printing before an import."""
        rows = self.rows()
        width = max((len(r[0]) for r in rows), default=0)
        fwidth = max((len(r[1]) for r in rows), default=0)
        return "\n".join(
            f"{column:<{width}}  ->  {field:<{fwidth}}  {confidence}{f' ({note})' if note else ''}"
            for column, field, confidence, note in rows
        )


def propose_mapping(
    headers: Sequence[str],
    *,
    profile: SourceProfile | None = None,
    vocabulary: Vocabulary | None = None,
    sample: pd.DataFrame | None = None,
    exclude: Collection[str] = (),
) -> ColumnMapping:
    """Map source headers to the fields of ``vocabulary`` (default ``LEADS``); raise
    MappingError when headers repeat.

    With ``sample`` (the first rows), a header known by no name is mapped by what its values
    show, and a "Name" column of organisations feeds the company name (``mapping_content``);
    ``exclude`` names columns never read that way (an id column).
    """
    vocabulary = vocabulary or LEADS
    headers = list(headers)
    repeated = sorted({h for h in headers if headers.count(h) > 1})
    if repeated:
        raise MappingError(
            "source headers must be unique", headers=repeated, hint="rename the repeated columns"
        )
    explicit, missing = _profile_targets(headers, profile)
    candidates: list[tuple[int, float, int, str, str, Method]] = []
    custom_names: dict[str, str | None] = {}
    for index, header in enumerate(headers):
        if header in explicit:
            canonical, custom_name = column_target(explicit[header])
            if canonical is None:
                custom_names[header] = custom_name
                continue
            found: tuple[str, Method, float] | None = (canonical, "profile", 100.0)
        else:
            found = _match(header, vocabulary)
        if found is not None:
            canonical, method, score = found
            candidates.append((_RANK[method], -score, index, header, canonical, method))

    winners: dict[str, ColumnChoice] = {}
    taken: set[str] = set()
    lost: dict[str, str] = {}
    for _, neg_score, _, header, canonical, method in sorted(candidates):
        if canonical in taken:
            if canonical in vocabulary.combined:
                winners[header] = ColumnChoice(header, canonical, method, -neg_score, combined=True)
            else:
                lost[header] = canonical
            continue
        taken.add(canonical)
        winners[header] = ColumnChoice(header, canonical, method, -neg_score)
    if "street" not in taken:
        winners.update(_street_parts(headers, winners, custom_names, exclude))
        taken.update(c.field for c in winners.values() if c.field is not None)
    standard = _custom_lookup()
    if sample is not None:
        unknown = [
            h for h in headers
            if h not in winners and h not in custom_names and h not in exclude
            and h not in lost and standard.get(normalize_header(h)) is None
            and normalize_header(h) not in KNOWN_CUSTOM
        ]  # fmt: skip
        winners.update(_by_content(sample, winners, unknown, set(vocabulary.fields) - taken))
    choices = tuple(
        winners.get(h)
        or (
            ColumnChoice(h, None, "profile", 0.0, custom_names.get(h), lost.get(h))
            if h in custom_names
            else _custom_choice(h, standard.get(normalize_header(h)), lost.get(h))
        )
        for h in headers
    )
    _check_custom_names(choices)
    return ColumnMapping(columns=choices, missing=missing)


def apply_mapping(
    rows: pd.DataFrame, mapping: ColumnMapping, *, vocabulary: Vocabulary | None = None
) -> pd.DataFrame:
    """Return ``_row``, every field of ``vocabulary`` (default ``LEADS``; str or None) and
    ``custom`` (dict of non-empty unmapped values) for the batch's rows, keeping its index."""
    vocabulary = vocabulary or LEADS
    absent = [c.header for c in mapping.columns if c.header not in rows.columns]
    if absent:
        raise MappingError(
            "the batch lacks columns the mapping names",
            headers=absent,
            hint="propose the mapping from this source's own headers",
        )
    empty = pd.Series([None] * len(rows), index=rows.index, dtype=object)
    by_field = mapping.fields
    columns: dict[str, pd.Series] = {
        ROW_COLUMN: rows[ROW_COLUMN] if ROW_COLUMN in rows.columns else empty,
        **{
            canonical: as_optional_str(rows[by_field[canonical]])
            if canonical in by_field
            else empty
            for canonical in vocabulary.fields
        },
    }
    for canonical, headers in mapping.combined.items():
        parts = [as_optional_str(rows[h]) for h in headers]
        columns[canonical] = _joined(parts) if canonical == "street" else _combine_flags(parts)
    columns[CUSTOM_COLUMN] = pd.Series(_custom_records(rows, mapping.custom), index=rows.index)
    out = pd.DataFrame(columns, index=rows.index)
    return out


STREET_PARTS: dict[str, tuple[str, ...]] = {
    "number": ("House Number", "House No", "Street Number", "Street No", "Building Number",
               "Hausnummer", "Hausnr", "Huisnummer", "Numéro de rue", "Número"),
    "name": ("Street Name", "Straßenname", "Strassenname", "Straatnaam", "Nom de rue",
             "Nom de la voie", "Nombre de la calle", "Nombre de calle"),
    "unit": ("Unit", "Unit Number", "Unit No", "Apartment", "Apartment Number", "Apt", "Suite",
             "Flat", "Wohnung", "Appartement"),
}  # fmt: skip
"""Headers of the parts of a street line kept in columns of their own (census, tax and
government exports): joined into ``street`` in the source's column order when no header feeds
the street whole. A street name is needed; a house number or a unit alone is no street."""


@cache
def _part_of() -> dict[str, str]:
    """Normalized header -> street part."""
    return {normalize_header(name): part for part, names in STREET_PARTS.items() for name in names}


def _street_part(header: str) -> str | None:
    """The street part a header names ("mailing_address_street_number" -> "number")."""
    found = _part_of().get(normalize_header(header))
    if found is None:
        words = [w for w in header_words(header) if w not in ROLE_WORDS and w != "address"]
        found = _part_of().get(normalize_header("".join(words)))
    return found


def _street_parts(
    headers: list[str],
    winners: dict[str, ColumnChoice],
    custom_names: dict[str, str | None],
    exclude: Collection[str],
) -> dict[str, ColumnChoice]:
    """The headers of a street line's parts, feeding ``street`` together (the first header
    of each part, in source order); none without a street name."""
    parts: dict[str, str] = {}
    for header in headers:
        if header in winners or header in custom_names or header in exclude:
            continue
        part = _street_part(header)
        if part is not None and part not in parts:
            parts[part] = header
    if "name" not in parts:
        return {}
    ordered = [h for h in headers if h in parts.values()]
    return {
        header: ColumnChoice(header, "street", "synonym", 100.0, combined=k > 0)
        for k, header in enumerate(ordered)
    }


def _joined(columns: list[pd.Series]) -> pd.Series:
    """Per row, the non-empty values joined by a space (None when all are empty)."""
    parts = [c.fillna("").astype(str).str.strip().to_numpy(dtype=object) for c in columns]
    joined = [" ".join(v for v in row if v) or None for row in zip(*parts, strict=True)]
    return pd.Series(joined, index=columns[0].index, dtype=object)


def _combine_flags(columns: list[pd.Series]) -> pd.Series:
    """Per row, the first value that sets the flag, else the first non-empty value."""
    out = columns[0].copy()
    for column in columns[1:]:
        current = out.map(_sets_flag, na_action="ignore").fillna(False).astype(bool)
        offered = column.map(_sets_flag, na_action="ignore").fillna(False).astype(bool)
        take = column.notna() & ~current & (offered | out.isna())
        out = out.where(~take, column)
    return out


def _sets_flag(value: str) -> bool:
    return flag_set(value) is True


def _custom_records(rows: pd.DataFrame, custom: dict[str, str]) -> np.ndarray:
    """Per row, a dict of its non-empty custom values by custom name (later names win)."""
    names = list(custom.values())
    values = [as_optional_str(rows[header]).to_numpy() for header in custom]
    records = np.empty(len(rows), dtype=object)
    records[:] = [
        {name: value for name, value in zip(names, row, strict=True) if value is not None}
        for row in (zip(*values, strict=True) if values else [()] * len(rows))
    ]
    return records


def is_known_header(header: str) -> bool:
    """Whether a text is a canonical field name or a known export header (no fuzzy guess)."""
    key = normalize_header(header)
    exact, synonyms, _ = _lookups(LEADS)
    return bool(key) and (key in exact or key in synonyms or key in _custom_lookup())


def _custom_choice(header: str, standard: str | None, contested: str | None) -> ColumnChoice:
    """A custom column, marked as a known CRM header when it is one (its name is kept)."""
    if standard is not None and contested is None:
        return ColumnChoice(header, None, "synonym", 100.0)
    return ColumnChoice(header, None, "custom", 0.0, None, contested)


ROLE_WORDS = frozenset(
    {"inventor", "contact", "lead", "customer", "client", "person", "primary", "attendee",
     "registrant", "member", "applicant", "author", "user", "raw", "disambig", "prospect",
     "participant", "subscriber", "donor", "patient", "employee", "recipient", "main",
     "pat", "holder", "policyholder", "insured", "student", "residential", "residence",
     "mailing"}
)  # fmt: skip
"""Words naming whose field a header holds ("Inventor City", "contact_email"): dropped to find
the field ("City", "email") when the whole header is not known. Only words for the person the
row is about, or for where they live ("residential_city", "mailing_postal_code"; "pat_" is
how hospital systems abbreviate the patient): a buyer, an owner or an assistant is someone
else ("Buyer Email" stays custom)."""


def header_words(header: str) -> list[str]:
    """The header's words, camelCase and separators split, accents and case folded."""
    spaced = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", header)
    return [w for w in re.split(r"[\W_]+", normalize_header_text(spaced)) if w]


def normalize_header_text(text: str) -> str:
    """Accents and case folded, separators kept."""
    text = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()


def _by_words(header: str, vocabulary: Vocabulary) -> str | None:
    """The field of the header without its role words, in either order of two words
    ("inventor_name_first" -> "first name"); never a field that maps by name only."""
    words = [w for w in header_words(header) if w not in ROLE_WORDS]
    exact, synonyms, _ = _lookups(vocabulary)
    orders = [words]
    if len(words) == 2 and min(map(len, words)) >= 3:  # "E-Post" is not "Poste"
        orders.append(words[::-1])
    within = [w for w in words if w != "address"]  # "mailing_address_city": a part of one
    if within and len(within) < len(words):
        orders.append(within)
    for order in orders:
        key = normalize_header("".join(order))
        found = exact.get(key) or synonyms.get(key)
        if found is not None and found not in vocabulary.no_fuzzy:
            return found
    return None


def _match(header: str, vocabulary: Vocabulary) -> tuple[str, Method, float] | None:
    key = normalize_header(header)
    exact, synonyms, fuzzy = _lookups(vocabulary)
    if key in exact:
        return exact[key], "exact", 100.0
    if key in synonyms:
        return synonyms[key], "synonym", 100.0
    by_words = _by_words(header, vocabulary)
    if by_words is not None:
        return by_words, "synonym", 99.0
    if len(key) < FUZZY_MIN_LENGTH or key in KNOWN_CUSTOM:
        return None
    # No score_cutoff: rapidfuzz turns it into a distance bound that misses an exact 0.8.
    best = process.extractOne(key, list(fuzzy), scorer=DamerauLevenshtein.normalized_similarity)
    if best is None or best[1] < FUZZY_CUTOFF - 1e-9:
        return None
    choice, similarity, _ = best
    return fuzzy[choice], "fuzzy", round(similarity * 100, 1)


def _by_content(
    sample: pd.DataFrame,
    winners: dict[str, ColumnChoice],
    unknown: list[str],
    free: set[str],
) -> dict[str, ColumnChoice]:
    """Choices read from the values: a person-name column by synonym that holds organisations
    becomes the company name; unknown headers take the free field their values show."""
    found: dict[str, ColumnChoice] = {}
    for header, choice in winners.items():
        if (
            choice.field == "full_name" and choice.method in ("synonym", "fuzzy")
            and "company_name" in free and header in sample
            and names_organisations(sample[header])
        ):  # fmt: skip
            found[header] = ColumnChoice(header, "company_name", "content", 100.0)
            free = (free - {"company_name"}) | {"full_name"}
    for header in unknown:
        guess = field_by_content(sample[header], frozenset(free)) if header in sample else None
        if guess is not None:
            found[header] = ColumnChoice(header, guess[0], "content", round(guess[1] * 100, 1))
            free.discard(guess[0])
    return found


def _profile_targets(
    headers: list[str], profile: SourceProfile | None
) -> tuple[dict[str, str], tuple[str, ...]]:
    """Match the profile's headers to the source's: exactly, else by normalized form."""
    if profile is None or not profile.columns:
        return {}, ()
    by_key: dict[str, list[str]] = {}
    for header in headers:
        by_key.setdefault(normalize_header(header), []).append(header)
    explicit: dict[str, str] = {}
    missing: list[str] = []
    for wanted, target in profile.columns.items():
        if wanted in headers:
            explicit[wanted] = target
        elif len(by_key.get(normalize_header(wanted), [])) == 1:
            explicit[by_key[normalize_header(wanted)][0]] = target
        else:
            missing.append(wanted)
    return explicit, tuple(missing)


def _check_custom_names(choices: tuple[ColumnChoice, ...]) -> None:
    """Keys of the custom dict must be distinct; only a profile's 'custom:<name>' can clash."""
    seen: dict[str, str] = {}
    for c in choices:
        if c.field is not None:
            continue
        name = c.custom_name or c.header
        if name in seen:
            raise MappingError(
                f"custom field name {name!r} is used by two columns",
                headers=[seen[name], c.header],
                hint="give each 'custom:<name>' target in the profile a distinct name",
            )
        seen[name] = c.header


def as_optional_str(values: pd.Series) -> pd.Series:
    """Object dtype with None for missing and empty values; strings untouched."""
    values = values.astype(object)
    return values.where(values.notna() & (values != ""), None)


# Headers seen in real vendor lists, event-ticketing and CRM exports (EN, DE, FR, NL, ES).
# Compared after normalize_header, so case, accents, spaces, dashes and dots do not matter.
HEADER_SYNONYMS: dict[str, tuple[str, ...]] = {
    "source_record_id": (
        "Prospect Id", "Confirmation Number", "Registrant ID", "Salesforce ID",
        "ID", "Record ID", "Lead ID", "Contact ID", "Customer ID", "External ID", "Listing ID",
        "Order #", "Order ID", "Order Number", "Attendee #", "Attendee ID", "Attendee Number",
        "Registration ID", "Ticket #", "Ticket Number", "Ticket ID", "Kontakt-Nr", "Kontakt-ID",
        "Kontaktnummer", "Kunden-Nr", "Kundennummer", "Bestellnummer", "Datensatz-ID",
        "ID contact", "Numéro de contact", "N° de commande", "Identifiant", "Klantnummer",
        "Relatienummer", "Contactnummer", "Bestelnummer", "ID de contacto", "Número de pedido",
    ),
    "full_name": (
        "Lead Name", "Prospect Name", "Invitee Name",
        "Name", "Full Name", "Contact Name", "Contact", "Attendee Name", "Your Name",
        "Vollständiger Name", "Ansprechpartner", "Kontaktperson", "Nom complet", "Nom et prénom",
        "Naam", "Volledige naam", "Contactpersoon", "Nombre completo", "Nombre y apellidos",
    ),
    "honorific": (
        "Salutation", "Prefix", "Honorific", "Mr/Ms", "Courtesy Title", "Anrede", "Titel",
        "Akademischer Titel", "Civilité", "Aanhef", "Tratamiento", "Saludo",
    ),
    "first_name": (
        "Prospect First Name",
        "First Name", "Firstname", "First", "Given Name", "Forename", "FName", "Vorname",
        "Prénom", "Voornaam", "Roepnaam", "Nombre", "Nombre de pila",
    ),
    "middle_name": ("Middle Name", "Middle Initial", "MI", "Zweiter Vorname", "Segundo nombre"),
    "last_name": (
        "Prospect Last Name",
        "Last Name", "Lastname", "Surname", "Family Name", "LName", "Nachname", "Familienname",
        "Nom", "Nom de famille", "Achternaam", "Apellido", "Apellidos",
    ),
    "suffix": ("Suffix", "Name Suffix", "Namenszusatz", "Suffixe", "Sufijo"),
    "birth_date": (
        "Birth Date", "Date of Birth", "DOB", "D.O.B.", "Birthdate", "Birthday", "Born",
        "Born On", "Geburtsdatum", "Geburtstag", "Geb.-Datum", "Date de naissance",
        "Date naissance", "Né le", "Née le", "Geboortedatum", "Fecha de nacimiento",
        "Fecha nacimiento", "F. nacimiento",
    ),
    "job_title": (
        "Current Title", "Prospect Title", "Current Job Title",
        "Title", "Job Title", "Position", "Role", "Job Role", "Designation", "Jobtitel",
        "Berufsbezeichnung", "Funktion", "Stellung", "Poste", "Fonction", "Titre", "Functie",
        "Functietitel", "Cargo", "Puesto",
    ),
    "email": (
        "Prospect Email", "Email Address 1", "Primary Email Address", "E-mail 1",
        "E-mail Address", "Email Address", "E-Mail", "Mail", "Work Email", "Business Email",
        "Email 1", "Primary Email", "E-Mail-Adresse", "Mailadresse", "Courriel",
        "Adresse e-mail", "Adresse électronique", "Adresse mail", "Mél", "E-mailadres",
        "Correo", "Correo electrónico", "Dirección de correo",
    ),
    "phone": (
        "Home Phone", "Business Phone Number", "Corporate Phone", "Work Direct Phone",
        "Phone Number 1",
        "Phone", "Phone #", "Phone Number", "Telephone", "Telephone Number", "Tel.",
        "Work Phone", "Business Phone", "Office Phone", "Direct Phone", "Direct Dial",
        "Main Phone", "Phone 1", "Telefon", "Telefonnummer", "Tel.-Nr.", "Festnetz",
        "Téléphone", "Téléphone fixe", "Numéro de téléphone", "Telefoon", "Telefoonnummer",
        "Teléfono", "Número de teléfono",
    ),
    "mobile": (
        "Mobile Phone Number", "Cell Phone Number", "Mobile Phone #", "Mobiltelefonnummer",
        "Mobile", "Mobile Phone", "Mobile Number", "Mobile #", "Cell", "Cell Phone", "Cell #",
        "Handy", "Mobil", "Mobilnummer", "Mobiltelefon", "Portable", "Téléphone portable",
        "Mobiel", "Mobiel nummer", "GSM", "Móvil", "Celular", "Teléfono móvil",
    ),
    "company_name": (
        "Company / Account", "Current Company", "Prospect Company", "Company Name for Emails",
        "Account Name (Company)",
        "Company", "Company Name", "Organization", "Organisation", "Organization Name",
        "Account", "Account Name", "Employer", "Business Name", "Firma", "Firmenname",
        "Unternehmen", "Société", "Entreprise", "Raison sociale", "Organisme", "Bedrijf",
        "Bedrijfsnaam", "Organisatie", "Empresa", "Compañía", "Nombre de la empresa",
        "Organización", "Assignee", "Assignee Organization", "Affiliation", "Institution",
        "Company Legal Name", "Legal Name", "Firm", "Firm Name", "Employer Name",
        "Business", "Trade Name", "Doing Business As", "DBA", "Site Name", "Location Name",
        "Facility", "Facility Name", "Provider Name", "Store Name", "Shop Name", "Branch Name",
        "Practice Name", "Clinic Name", "School Name", "Restaurant", "Restaurant Name",
        "Venue", "Venue Name", "Merchant", "Merchant Name", "Vendor", "Vendor Name",
        "Supplier", "Supplier Name", "Center Name", "Centre Name",
    ),
    "website": (
        "Website URL", "Company Website URL", "Company URL", "Company Domain Name",
        "Corporate Website",
        "Website", "Web Site", "URL", "Web", "Homepage", "Company Website", "Domain",
        "Webseite", "Internetseite", "Internet", "Site web", "Site internet", "Sitio web",
        "Página web",
    ),
    "industry": (
        "Industry", "Sector", "Vertical", "Branche", "Industrie", "Secteur",
        "Secteur d'activité", "Bedrijfstak", "Industria",
    ),
    "company_size": (
        "Company Headcount", "Employee Range",
        "Employees", "# Employees", "Employee Count", "Number of Employees", "No. of Employees",
        "Company Size", "Headcount", "Size", "Mitarbeiter", "Mitarbeiterzahl",
        "Anzahl Mitarbeiter", "Unternehmensgröße", "Effectif", "Taille de l'entreprise",
        "Nombre d'employés", "Aantal medewerkers", "Empleados", "Número de empleados",
        "Tamaño de la empresa",
    ),
    "street": (
        "Street Address", "Address One", "Home Address 1", "Work Address 1", "Address 1: Street 1",
        "Billing Street", "Address Line", "Registered Address", "Registered Address Line 1",
        "Registered Office Address", "Business Address", "Office Address",
        "Address", "Street", "Street Address", "Address 1", "Address Line 1", "Mailing Street",
        "Adresse", "Straße", "Str.", "Anschrift", "Rue", "Adresse postale", "Straat", "Adres",
        "Dirección", "Calle", "Domicilio",
    ),
    "city": (
        "Home City", "Work City", "Address 1: City", "Billing City", "Mailing City/Town",
        "Registered City", "Business City",
        "City", "Town", "Locality", "Mailing City", "Ort", "Stadt", "Wohnort", "Ville",
        "Localité", "Commune", "Plaats", "Woonplaats", "Stad", "Ciudad", "Localidad",
        "Población", "Municipio",
    ),
    "region": (
        "State/Region", "Mailing State/Province", "Home State", "Work State", "Work State Code",
        "State Code", "State/Province Code", "Address 1: State/Province", "Billing State/Province",
        "State", "Province", "Region", "State/Province", "Mailing State", "Bundesland",
        "Kanton", "État", "Département", "Région", "Provincie", "Provincia", "Estado",
        "Comunidad autónoma",
    ),
    "postal_code": (
        "Home Zip", "Work Zip", "Work Postal Code", "Mailing Zip/Postal Code",
        "Address 1: ZIP/Postal Code", "Billing Zip/Postal Code", "Zip/Postal", "Home Postal Code",
        "Registered Postal Code", "Registered Postcode", "Registered Zip",
        "Zip", "Zip Code", "Postal Code", "Postcode", "Zip/Postal Code", "Mailing Zip",
        "Postleitzahl", "PLZ", "Code postal", "CP", "Código postal",
    ),
    "country": (
        "Home Country", "Work Country", "Work Country Code", "Mailing Country",
        "Address 1: Country/Region", "Billing Country", "CC", "Registered Country",
        "Country", "Country Code", "Country/Region", "Nation", "Land", "Landcode", "Pays",
        "País",
    ),
    "email_opt_in": (
        "Opt-In Email", "Email Opt-In", "Email Opt In", "Email Consent", "Marketing Consent",
        "I agree to receive marketing emails", "Newsletter", "Newsletter Opt-In",
        "Email Permission", "Einwilligung E-Mail", "Newsletter-Einwilligung",
        "Consentement email", "Opt-in e-mail", "Toestemming e-mail", "Consentimiento email",
    ),
    "phone_opt_in": (
        "Phone Opt-In", "Opt-In Phone", "Call Consent", "Telephone Consent",
        "Einwilligung Telefon", "Consentement téléphone", "Toestemming telefoon",
    ),
    "sms_opt_in": (
        "SMS Opt-In", "Opt-In SMS", "Text Opt-In", "SMS Consent", "Einwilligung SMS",
        "Consentement SMS", "Toestemming SMS",
    ),
    "post_opt_in": (
        "Post Opt-In", "Opt-In Post", "Mail Opt-In", "Direct Mail Opt-In", "Postal Opt-In",
        "Einwilligung Post", "Consentement courrier",
    ),
    "location": (
        "Location", "Geography", "Person Location", "Prospect Location", "Lead Location",
        "Standort", "Lieu", "Locatie", "Ubicación",
    ),
    "linkedin_url": (
        "LinkedIn", "LinkedIn Profile", "LinkedIn Profile URL", "Prospect LinkedIn URL",
        "Person LinkedIn URL", "LinkedIn Member Profile URL", "LinkedIn Bio", "Profile URL",
        "LinkedIn-Profil", "Profil LinkedIn", "Perfil de LinkedIn",
    ),
    "email_opt_out": (
        "Unsubscribed from all email", "Opted out of all email", "Email Opt Out",
        "Has Opted Out of Email", "HasOptedOutOfEmail", "Do Not Email", "Do not allow Emails",
        "Do not allow Bulk Emails", "Opted Out", "Opt Out", "Opt-Out", "Unsubscribed",
        "Unsubscribe", "Global Unsubscribe", "UNSUB_TIME", "Unsubscribed At", "Unsubscribe Date",
        "Black Listed", "Blacklisted", "Email Opt-Out Date", "Newsletter abgemeldet",
        "Abgemeldet", "Werbewiderspruch", "Widerspruch E-Mail", "Désabonné", "Désinscrit",
        "Afgemeld", "Dado de baja",
    ),
    "phone_opt_out": (
        "Do Not Call", "DoNotCall", "Do not allow Phone Calls", "Phone Opt Out", "Call Opt Out",
        "DNC", "Widerspruch Telefon", "Kein Anruf", "Ne pas appeler", "Niet bellen",
    ),
    "sms_opt_out": (
        "SMS Opt Out", "SMS Opt-Out", "Text Opt Out", "Do Not Text", "Do not allow SMS",
        "SMS Unsubscribed",
    ),
    "post_opt_out": (
        "Do Not Mail", "Do not allow Mails", "Post Opt Out", "Mail Opt Out", "Direct Mail Opt Out",
        "Widerspruch Post",
    ),
    "email_bounced": (
        "Email Bounced", "Email Bounced Reason", "Email Bounced Date", "Is Email Hard Bounced",
        "Hard Bounced", "Hard Bounce", "Email hard bounce reason", "Marketing emails bounced",
        "Email Invalid", "Invalid Email", "Bounced", "CLEAN_TIME", "Cleaned At",
    ),
    "email_status": (
        "Email Status", "Subscription Status", "Email Subscription Status",
        "Email Marketing Status", "Subscriber Status", "Member Status", "Newsletter Status",
        "Email Permission Status",
    ),
    "consent_text": (
        "Consent Text", "Consent Wording", "Consent Statement", "Einwilligungstext",
        "Texte de consentement",
    ),
    "consent_version": ("Consent Version", "Privacy Policy Version", "Einwilligungsversion"),
    "consent_ip": (
        "OPTIN_IP", "Opt-In IP", "CONFIRM_IP",
        "IP", "IP Address", "Consent IP", "IP-Adresse", "Adresse IP", "IP-adres", "Dirección IP",
    ),
    "captured_at": (
        "Create Date", "Created Time", "Created On", "Date Added", "OPTIN_TIME", "Opt-In Date",
        "Created", "Created At", "Created Date", "Date Created", "Registration Date",
        "Registered At", "Order Date", "Submitted At", "Submission Date", "Timestamp",
        "Erstellt am", "Erfassungsdatum", "Anmeldedatum", "Date de création",
        "Date d'inscription", "Aangemaakt op", "Inschrijfdatum", "Fecha de registro",
        "Fecha de creación",
    ),
    "activity_kind": (
        "Attendee Status", "Registration Status", "Invitee Status",
        "Activity Type", "Activity Kind", "Event Type", "Interaction Type", "Aktivitätstyp",
        "Type d'activité",
    ),
    "activity_subject": (
        "Event", "Event Name", "Ticket Type", "Form Name", "Campaign Name", "Veranstaltung",
        "Événement", "Evenement", "Evento",
    ),
    "checked_in": ("Checked In", "Attended", "Check-In Status"),
}  # fmt: skip

# Standard CRM and export headers with no canonical field: kept as custom fields under their own
# header, shown as "known header" in the mapping table and exempt from the consent-like check.
CUSTOM_SYNONYMS: dict[str, tuple[str, ...]] = {
    "lifecycle_stage": ("Lifecycle Stage", "Lebenszyklusphase"),
    "lead_status": ("Lead Status", "HubSpot Lead Status", "Prospect Status"),
    "lead_source": ("Lead Source", "Original Source", "Prospect Source"),
    "owner": ("Contact owner", "Lead Owner", "Owner", "Record Owner", "Assigned User"),
    "rating": ("Rating", "Grade"),
    "score": ("Lead Score", "HubSpot Score", "Score", "MEMBER_RATING"),
    "annual_revenue": ("Annual Revenue", "Revenue"),
    "department": ("Department", "Abteilung"),
    "fax": ("Fax", "Fax Number", "Faxnummer"),
    "secondary_email": ("Secondary Email", "Additional email addresses", "Email 2"),
    "street_2": ("Address 2", "Address Line 2", "Address Two", "Home Address 2",
                 "Work Address 2", "Street Address 2", "Address 1: Street 2"),
    "double_opt_in_confirmed_at": ("CONFIRM_TIME", "Double Opt-In Confirmed At",
                                   "DOI Confirmed At", "Double Opt-In Date"),
    "unsubscribe_reason": ("UNSUB_REASON", "Unsubscribe Reason", "Unsubscribed Reason",
                           "UNSUB_REASON_OTHER", "UNSUB_CAMPAIGN_TITLE"),
    "buyer_first_name": ("Buyer First Name",),
    "buyer_last_name": ("Buyer Last Name",),
    "buyer_email": ("Buyer Email",),
    "quantity": ("Quantity",),
    "company_linkedin_url": ("Company LinkedIn URL", "Company Linkedin Url"),
    "last_activity": ("Last Activity Date", "Last Activity", "LAST_CHANGED", "Last Modified Date"),
    "tags": ("Tags", "Segment"),
    "notes": ("Notes", "Comments", "Description"),
    "fax_opt_out": ("Fax Opt Out", "Do not allow Faxes"),
    "latitude": ("LATITUDE",),
    "longitude": ("LONGITUDE",),
    "timezone": ("TIMEZONE", "Time Zone", "GMTOFF", "DSTOFF"),
    "mailchimp_id": ("LEID", "EUID"),
}  # fmt: skip

IDENTITY_FIELDS = frozenset(
    {"full_name", "first_name", "last_name", "company_name", "website", "email", "phone",
     "mobile", "linkedin_url", "street"}
)  # fmt: skip
"""A mapping feeding none of these would load nothing: the import stops with the table."""

LEADS = Vocabulary(
    fields=tuple(CANONICAL_FIELDS),
    synonyms=HEADER_SYNONYMS,
    no_fuzzy=NO_FUZZY_FIELDS,
    combined=COMBINED_FIELDS,
)
"""The lead fields (``ingest.records.CANONICAL_FIELDS``) and their export headers."""
