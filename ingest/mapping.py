"""Column mapping: which source header feeds which canonical field, and how that was decided.

Order of precedence per header: the source profile's explicit mapping, then an exact match on the
canonical field name, then the synonym table (real vendor, event and CRM export headers in English,
German, French, Dutch and Spanish), then fuzzy matching against the synonyms. Each canonical field
is fed by one header at most; every other header is kept as a custom field, never dropped.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal

import numpy as np
import pandas as pd
from rapidfuzz import process
from rapidfuzz.distance import DamerauLevenshtein

from ingest.errors import MappingError
from ingest.profiles import SourceProfile, column_target
from ingest.records import CANONICAL_FIELDS, CUSTOM_COLUMN, ROW_COLUMN

Method = Literal["profile", "exact", "synonym", "fuzzy", "custom"]
_RANK: dict[str, int] = {"profile": 0, "exact": 1, "synonym": 2, "fuzzy": 3}

FUZZY_CUTOFF = 0.8
"""Damerau-Levenshtein normalized similarity needed for a fuzzy match: at most one edit (a
transposition counts as one) per five characters. "Emial" (0.8) and "Frist Name" (0.89) match;
two edits in a short header do not. One-edit look-alikes that are real, different CRM headers
("Stage" vs "State") are listed in KNOWN_CUSTOM instead of raising the cutoff for everyone."""

FUZZY_MIN_LENGTH = 5
"""Headers and synonyms shorter than this are never fuzzy-matched: "Ort" and "Port" are one edit
apart but unrelated."""

NO_FUZZY_FIELDS = frozenset(
    {"email_opt_in", "phone_opt_in", "sms_opt_in", "post_opt_in", "consent_text", "consent_version"}
)
"""Consent fields decide what may be loaded and sent; a near-miss such as "Email Opt Out" must never
be read as an opt-in, so these map only by profile, exact name or synonym."""

KNOWN_CUSTOM = frozenset(
    {"stage", "leadstage", "leadstatus", "leadsource", "leadscore", "score", "rating", "owner",
     "notes", "comments", "description", "source", "status", "tags", "segment", "revenue",
     "annualrevenue", "emailoptout", "optout", "unsubscribed", "donotcall", "donotemail",
     "lastname2", "surname2", "secondlastname", "secondsurname", "apellido2", "segundoapellido"}
)  # fmt: skip
"""Common CRM headers with no canonical field; they stay custom instead of fuzzy-matching. A
second surname column ("last_name_2", "Segundo apellido") stays custom on purpose: appending it
to ``last_name`` would change the surname key that other records of the person match on."""


def normalize_header(header: str) -> str:
    """Compact comparison form: accents and case folded, '#' read as 'no', separators dropped."""
    text = unicodedata.normalize("NFKD", header)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    return re.sub(r"[\W_]+", "", text.replace("#", "no"))


@cache
def _lookups() -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    """(exact, synonym, fuzzy-choice) tables: normalized header -> canonical field."""
    exact = {normalize_header(name): name for name in CANONICAL_FIELDS}
    synonyms: dict[str, str] = {}
    for canonical, names in HEADER_SYNONYMS.items():
        for name in names:
            key = normalize_header(name)
            if synonyms.get(key, canonical) != canonical:
                raise RuntimeError(f"synonym {name!r} maps to both {synonyms[key]} and {canonical}")
            synonyms[key] = canonical
    fuzzy = {
        key: canonical
        for key, canonical in {**synonyms, **exact}.items()
        if canonical not in NO_FUZZY_FIELDS and len(key) >= FUZZY_MIN_LENGTH
    }
    return exact, synonyms, fuzzy


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
        return {c.field: c.header for c in self.columns if c.field is not None}

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

    def describe(self) -> str:
        """A human table of the mapping, one header per line, for printing before an import."""
        width = max((len(c.header) for c in self.columns), default=0)
        lines = []
        for c in self.columns:
            if c.field is not None:
                target = f"{c.field:<18} {c.method} {c.score:.0f}"
            else:
                target = f"custom:{c.custom_name or c.header}"
                if c.contested:
                    target += f" ({c.contested} taken by a better header)"
            lines.append(f"{c.header:<{width}}  ->  {target}")
        lines.extend(f"{h:<{width}}  ->  (in profile, missing from source)" for h in self.missing)
        return "\n".join(lines)


def propose_mapping(
    headers: Sequence[str], *, profile: SourceProfile | None = None
) -> ColumnMapping:
    """Map source headers to canonical fields; raise MappingError when headers repeat."""
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
            found = _match(header)
        if found is not None:
            canonical, method, score = found
            candidates.append((_RANK[method], -score, index, header, canonical, method))

    winners: dict[str, ColumnChoice] = {}
    taken: set[str] = set()
    lost: dict[str, str] = {}
    for _, neg_score, _, header, canonical, method in sorted(candidates):
        if canonical in taken:
            lost[header] = canonical
            continue
        taken.add(canonical)
        winners[header] = ColumnChoice(header, canonical, method, -neg_score)
    choices = tuple(
        winners.get(h)
        or ColumnChoice(
            h,
            None,
            "profile" if h in custom_names else "custom",
            0.0,
            custom_names.get(h),
            lost.get(h),
        )
        for h in headers
    )
    _check_custom_names(choices)
    return ColumnMapping(columns=choices, missing=missing)


def apply_mapping(rows: pd.DataFrame, mapping: ColumnMapping) -> pd.DataFrame:
    """Return ``_row``, every canonical field (str or None) and ``custom`` (dict of non-empty
    unmapped values) for the batch's rows, keeping its index."""
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
            canonical: _as_optional_str(rows[by_field[canonical]])
            if canonical in by_field
            else empty
            for canonical in CANONICAL_FIELDS
        },
    }
    columns[CUSTOM_COLUMN] = pd.Series(_custom_records(rows, mapping.custom), index=rows.index)
    out = pd.DataFrame(columns, index=rows.index)
    return out


def _custom_records(rows: pd.DataFrame, custom: dict[str, str]) -> np.ndarray:
    """Per row, a dict of its non-empty custom values by custom name (later names win)."""
    names = list(custom.values())
    values = [_as_optional_str(rows[header]).to_numpy() for header in custom]
    records = np.empty(len(rows), dtype=object)
    records[:] = [
        {name: value for name, value in zip(names, row, strict=True) if value is not None}
        for row in (zip(*values, strict=True) if values else [()] * len(rows))
    ]
    return records


def _match(header: str) -> tuple[str, Method, float] | None:
    key = normalize_header(header)
    exact, synonyms, fuzzy = _lookups()
    if key in exact:
        return exact[key], "exact", 100.0
    if key in synonyms:
        return synonyms[key], "synonym", 100.0
    if len(key) < FUZZY_MIN_LENGTH or key in KNOWN_CUSTOM:
        return None
    # No score_cutoff: rapidfuzz turns it into a distance bound that misses an exact 0.8.
    best = process.extractOne(key, list(fuzzy), scorer=DamerauLevenshtein.normalized_similarity)
    if best is None or best[1] < FUZZY_CUTOFF - 1e-9:
        return None
    choice, similarity, _ = best
    return fuzzy[choice], "fuzzy", round(similarity * 100, 1)


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


def _as_optional_str(values: pd.Series | pd.DataFrame) -> Any:
    """Object dtype with None for missing and empty values; strings untouched."""
    values = values.astype(object)
    return values.where(values.notna() & (values != ""), None)


# Headers seen in real vendor lists, event-ticketing and CRM exports (EN, DE, FR, NL, ES).
# Compared after normalize_header, so case, accents, spaces, dashes and dots do not matter.
HEADER_SYNONYMS: dict[str, tuple[str, ...]] = {
    "source_record_id": (
        "ID", "Record ID", "Lead ID", "Contact ID", "Customer ID", "External ID", "Listing ID",
        "Order #", "Order ID", "Order Number", "Attendee #", "Attendee ID", "Attendee Number",
        "Registration ID", "Ticket #", "Ticket Number", "Ticket ID", "Kontakt-Nr", "Kontakt-ID",
        "Kontaktnummer", "Kunden-Nr", "Kundennummer", "Bestellnummer", "Datensatz-ID",
        "ID contact", "Numéro de contact", "N° de commande", "Identifiant", "Klantnummer",
        "Relatienummer", "Contactnummer", "Bestelnummer", "ID de contacto", "Número de pedido",
    ),
    "full_name": (
        "Name", "Full Name", "Contact Name", "Contact", "Attendee Name", "Your Name",
        "Vollständiger Name", "Ansprechpartner", "Kontaktperson", "Nom complet", "Nom et prénom",
        "Naam", "Volledige naam", "Contactpersoon", "Nombre completo", "Nombre y apellidos",
    ),
    "honorific": (
        "Salutation", "Prefix", "Honorific", "Mr/Ms", "Courtesy Title", "Anrede", "Titel",
        "Akademischer Titel", "Civilité", "Aanhef", "Tratamiento", "Saludo",
    ),
    "first_name": (
        "First Name", "Firstname", "First", "Given Name", "Forename", "FName", "Vorname",
        "Prénom", "Voornaam", "Roepnaam", "Nombre", "Nombre de pila",
    ),
    "middle_name": ("Middle Name", "Middle Initial", "MI", "Zweiter Vorname", "Segundo nombre"),
    "last_name": (
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
        "Title", "Job Title", "Position", "Role", "Job Role", "Designation", "Jobtitel",
        "Berufsbezeichnung", "Funktion", "Stellung", "Poste", "Fonction", "Titre", "Functie",
        "Functietitel", "Cargo", "Puesto",
    ),
    "email": (
        "E-mail Address", "Email Address", "E-Mail", "Mail", "Work Email", "Business Email",
        "Email 1", "Primary Email", "E-Mail-Adresse", "Mailadresse", "Courriel",
        "Adresse e-mail", "Adresse électronique", "Adresse mail", "Mél", "E-mailadres",
        "Correo", "Correo electrónico", "Dirección de correo",
    ),
    "phone": (
        "Phone", "Phone #", "Phone Number", "Telephone", "Telephone Number", "Tel.",
        "Work Phone", "Business Phone", "Office Phone", "Direct Phone", "Direct Dial",
        "Main Phone", "Phone 1", "Telefon", "Telefonnummer", "Tel.-Nr.", "Festnetz",
        "Téléphone", "Téléphone fixe", "Numéro de téléphone", "Telefoon", "Telefoonnummer",
        "Teléfono", "Número de teléfono",
    ),
    "mobile": (
        "Mobile", "Mobile Phone", "Mobile Number", "Mobile #", "Cell", "Cell Phone", "Cell #",
        "Handy", "Mobil", "Mobilnummer", "Mobiltelefon", "Portable", "Téléphone portable",
        "Mobiel", "Mobiel nummer", "GSM", "Móvil", "Celular", "Teléfono móvil",
    ),
    "company_name": (
        "Company", "Company Name", "Organization", "Organisation", "Organization Name",
        "Account", "Account Name", "Employer", "Business Name", "Firma", "Firmenname",
        "Unternehmen", "Société", "Entreprise", "Raison sociale", "Organisme", "Bedrijf",
        "Bedrijfsnaam", "Organisatie", "Empresa", "Compañía", "Nombre de la empresa",
        "Organización",
    ),
    "website": (
        "Website", "Web Site", "URL", "Web", "Homepage", "Company Website", "Domain",
        "Webseite", "Internetseite", "Internet", "Site web", "Site internet", "Sitio web",
        "Página web",
    ),
    "industry": (
        "Industry", "Sector", "Vertical", "Branche", "Industrie", "Secteur",
        "Secteur d'activité", "Bedrijfstak", "Industria",
    ),
    "company_size": (
        "Employees", "# Employees", "Employee Count", "Number of Employees", "No. of Employees",
        "Company Size", "Headcount", "Size", "Mitarbeiter", "Mitarbeiterzahl",
        "Anzahl Mitarbeiter", "Unternehmensgröße", "Effectif", "Taille de l'entreprise",
        "Nombre d'employés", "Aantal medewerkers", "Empleados", "Número de empleados",
        "Tamaño de la empresa",
    ),
    "street": (
        "Address", "Street", "Street Address", "Address 1", "Address Line 1", "Mailing Street",
        "Adresse", "Straße", "Str.", "Anschrift", "Rue", "Adresse postale", "Straat", "Adres",
        "Dirección", "Calle", "Domicilio",
    ),
    "city": (
        "City", "Town", "Locality", "Mailing City", "Ort", "Stadt", "Wohnort", "Ville",
        "Localité", "Commune", "Plaats", "Woonplaats", "Stad", "Ciudad", "Localidad",
        "Población", "Municipio",
    ),
    "region": (
        "State", "Province", "Region", "State/Province", "Mailing State", "Bundesland",
        "Kanton", "État", "Département", "Région", "Provincie", "Provincia", "Estado",
        "Comunidad autónoma",
    ),
    "postal_code": (
        "Zip", "Zip Code", "Postal Code", "Postcode", "Zip/Postal Code", "Mailing Zip",
        "Postleitzahl", "PLZ", "Code postal", "CP", "Código postal",
    ),
    "country": (
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
    "consent_text": (
        "Consent Text", "Consent Wording", "Consent Statement", "Einwilligungstext",
        "Texte de consentement",
    ),
    "consent_version": ("Consent Version", "Privacy Policy Version", "Einwilligungsversion"),
    "consent_ip": (
        "IP", "IP Address", "Consent IP", "IP-Adresse", "Adresse IP", "IP-adres", "Dirección IP",
    ),
    "captured_at": (
        "Created", "Created At", "Created Date", "Date Created", "Registration Date",
        "Registered At", "Order Date", "Submitted At", "Submission Date", "Timestamp",
        "Erstellt am", "Erfassungsdatum", "Anmeldedatum", "Date de création",
        "Date d'inscription", "Aangemaakt op", "Inschrijfdatum", "Fecha de registro",
        "Fecha de creación",
    ),
    "activity_kind": (
        "Activity Type", "Activity Kind", "Event Type", "Interaction Type", "Aktivitätstyp",
        "Type d'activité",
    ),
    "activity_subject": (
        "Event", "Event Name", "Ticket Type", "Form Name", "Campaign Name", "Veranstaltung",
        "Événement", "Evenement", "Evento",
    ),
    "checked_in": ("Checked In", "Attended", "Check-In Status"),
}  # fmt: skip
