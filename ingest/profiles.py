"""Source profiles: what we know about one lead source, loaded from a YAML or TOML file.

A profile names the source, pins how to read it (delimiter, encoding, sheet), maps vendor headers
to canonical fields, records the vendor facts that consent and audit need (who sold the list,
when, for how much, on which consent basis and licence), and may rank the source for
survivorship (``source_rank``, see ``ingest.source_rank``).
"""

from __future__ import annotations

import codecs
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml

from ingest.errors import ProfileError
from ingest.records import CANONICAL_FIELDS, SourceKind
from ingest.source_rank import PROFILE_KEY, rank_for, valid_rank

CUSTOM_TARGET = "custom"
"""Column target: keep as a custom field under its own header (``custom:<name>`` renames it)."""

_ISO2 = re.compile(r"^[A-Z]{2}$")
_CURRENCY = re.compile(r"^[A-Z]{3}$")
_DELIMITER_NAMES = {"tab": "\t", "\\t": "\t", "comma": ",", "semicolon": ";", "pipe": "|"}


@dataclass(frozen=True, slots=True)
class SourceProfile:
    """How to read and map one source, plus the vendor facts recorded with every import."""

    name: str
    kind: SourceKind = SourceKind.PURCHASED_LIST
    columns: dict[str, str] = field(default_factory=dict)
    default_region: str | None = None
    delimiter: str | None = None
    encoding: str | None = None
    sheet: str | None = None
    has_header: bool | None = None
    """False: the file has no header row (columns are ``column_1``...); None: detect it."""
    vendor: str | None = None
    list_name: str | None = None
    purchase_date: date | None = None
    cost: Decimal | None = None
    currency: str | None = None
    declared_consent_basis: str | None = None
    licence_terms: str | None = None
    compile_date: date | None = None
    consent_wording: str | None = None
    named_organisations: tuple[str, ...] = ()
    suppression_screened_at: date | None = None
    source_rank: int | None = None
    """Survivorship priority of this source's values (1 beats 2); None: the kind's default."""

    @property
    def rank(self) -> int | None:
        """The rank survivorship uses for this source: ``source_rank``, else the kind's."""
        return rank_for(self.kind, self.source_rank)

    def due_diligence_gaps(self) -> list[str]:
        """What a purchased list's manifest lacks before its opt-ins can be trusted.

        A bought list's "opted in" is only worth something when we know who collected it, when,
        with which wording, for which organisations, and that it was screened against
        suppression lists. Empty for other source kinds.
        """
        if self.kind is not SourceKind.PURCHASED_LIST:
            return []
        required = {
            "vendor": self.vendor,
            "compile_date": self.compile_date,
            "consent_wording": self.consent_wording,
            "named_organisations": self.named_organisations,
            "suppression_screened_at": self.suppression_screened_at,
        }
        return [name for name, value in required.items() if not value]

    def manifest(self) -> dict[str, Any]:
        """The vendor facts kept with every import run of this source (no column mapping)."""
        keep = ("vendor", "list_name", "purchase_date", "cost", "currency",
                "declared_consent_basis", "licence_terms", "compile_date", "consent_wording",
                "named_organisations", "suppression_screened_at")  # fmt: skip
        data = self.to_dict()
        return {key: data[key] for key in keep if key in data}

    @classmethod
    def from_path(cls, path: str | Path) -> SourceProfile:
        """Load a profile from ``.yaml``/``.yml`` or ``.toml``; raise ProfileError when invalid."""
        path = Path(path)
        suffix = path.suffix.lower()
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise ProfileError(f"cannot read the profile file ({exc.strerror})", path=path) from exc
        try:
            if suffix in (".yaml", ".yml"):
                data = yaml.safe_load(text)
            elif suffix == ".toml":
                data = tomllib.loads(text)
            else:
                raise ProfileError(
                    f"unsupported profile file type {suffix or '(none)'!r}",
                    path=path,
                    valid=(".yaml", ".yml", ".toml"),
                )
        except (yaml.YAMLError, tomllib.TOMLDecodeError) as exc:
            raise ProfileError(
                f"the file is not valid {suffix[1:].upper()}: {exc}", path=path
            ) from exc
        return cls.from_dict(data, path=path)

    @classmethod
    def from_dict(cls, data: Any, *, path: str | Path | None = None) -> SourceProfile:
        """Build a profile from plain data (as loaded from a file), checking every key."""
        if not isinstance(data, Mapping):
            raise ProfileError("the profile must be a mapping of keys to values", path=path)
        valid = [f.name for f in fields(cls)]
        for key in data:
            if key not in valid:
                raise ProfileError("unknown key", path=path, key=str(key), valid=valid)
        if not data.get("name") or not isinstance(data["name"], str):
            raise ProfileError("is required and must be a non-empty string", path=path, key="name")

        def text(key: str) -> str | None:
            value = data.get(key)
            if value is None:
                return None
            if not isinstance(value, str):
                raise ProfileError("must be a string", path=path, key=key)
            return value

        return cls(
            name=data["name"],
            kind=_kind(data.get("kind", SourceKind.PURCHASED_LIST.value), path),
            columns=_columns(data.get("columns") or {}, path),
            default_region=_upper_code(text("default_region"), _ISO2, "default_region", path),
            delimiter=_delimiter(text("delimiter"), path),
            encoding=_encoding(text("encoding"), path),
            sheet=text("sheet"),
            has_header=_flag(data, "has_header", path),
            vendor=text("vendor"),
            list_name=text("list_name"),
            purchase_date=_date(data, "purchase_date", path),
            cost=_decimal(data.get("cost"), path),
            currency=_upper_code(text("currency"), _CURRENCY, "currency", path),
            declared_consent_basis=text("declared_consent_basis"),
            licence_terms=text("licence_terms"),
            compile_date=_date(data, "compile_date", path),
            consent_wording=text("consent_wording"),
            named_organisations=_names(data.get("named_organisations"), path),
            suppression_screened_at=_date(data, "suppression_screened_at", path),
            source_rank=_rank(data.get(PROFILE_KEY), path),
        )

    def to_dict(self) -> dict[str, Any]:
        """Plain data that ``from_dict`` reads back to an equal profile (None values left out)."""
        out: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if value is None:
                continue
            if isinstance(value, SourceKind):
                value = value.value
            elif isinstance(value, date):
                value = value.isoformat()
            elif isinstance(value, Decimal):
                value = str(value)
            elif isinstance(value, Mapping):
                value = dict(value)
            elif isinstance(value, tuple):
                if not value:
                    continue
                value = list(value)
            out[f.name] = value
        return out

    def to_yaml(self) -> str:
        """The profile as YAML text, loadable with ``from_path``."""
        return yaml.safe_dump(self.to_dict(), sort_keys=False, allow_unicode=True)


def _names(value: Any, path: str | Path | None) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ProfileError("must be a list of organisation names", path=path,
                           key="named_organisations")  # fmt: skip
    return tuple(v.strip() for v in value)


def column_target(target: str) -> tuple[str | None, str | None]:
    """Split a profile column target into (canonical field, custom name); one of them is None."""
    if target == CUSTOM_TARGET:
        return None, None
    if target.startswith(CUSTOM_TARGET + ":"):
        return None, target.split(":", 1)[1].strip()
    return target, None


def _columns(raw: Any, path: str | Path | None) -> dict[str, str]:
    if not isinstance(raw, Mapping):
        raise ProfileError("must map source headers to canonical fields", path=path, key="columns")
    valid = [*CANONICAL_FIELDS, CUSTOM_TARGET, f"{CUSTOM_TARGET}:<name>"]
    taken: dict[str, str] = {}
    out: dict[str, str] = {}
    for header, target in raw.items():
        key = f"columns.{header}"
        if not isinstance(target, str):
            raise ProfileError("the target must be a string", path=path, key=key, valid=valid)
        canonical, custom_name = column_target(target.strip())
        if canonical is None and custom_name == "":
            raise ProfileError("'custom:' needs a name after the colon", path=path, key=key)
        if canonical is not None:
            if canonical not in CANONICAL_FIELDS:
                raise ProfileError(
                    f"unknown canonical field {canonical!r}", path=path, key=key, valid=valid
                )
            if canonical in taken:
                raise ProfileError(
                    f"field {canonical!r} is already mapped from {taken[canonical]!r}; "
                    "map each canonical field from one header only",
                    path=path,
                    key=key,
                )
            taken[canonical] = str(header)
        out[str(header)] = target.strip()
    return out


def _kind(value: Any, path: str | Path | None) -> SourceKind:
    try:
        return SourceKind(value)
    except ValueError:
        raise ProfileError(
            f"unknown source kind {value!r}",
            path=path,
            key="kind",
            valid=[k.value for k in SourceKind],
        ) from None


def _upper_code(
    value: str | None, pattern: re.Pattern[str], key: str, path: str | Path | None
) -> str | None:
    if value is None:
        return None
    code = value.strip().upper()
    if not pattern.match(code):
        what = (
            "an ISO 3166-1 alpha-2 code such as 'US'"
            if key == "default_region"
            else ("an ISO 4217 code such as 'USD'")
        )
        raise ProfileError(f"must be {what}", path=path, key=key)
    return code


def _delimiter(value: str | None, path: str | Path | None) -> str | None:
    if value is None:
        return None
    value = _DELIMITER_NAMES.get(value.lower(), value)
    if len(value) != 1:
        raise ProfileError(
            "must be one character or a name", path=path, key="delimiter", valid=_DELIMITER_NAMES
        )
    return value


def _encoding(value: str | None, path: str | Path | None) -> str | None:
    if value is None:
        return None
    try:
        codecs.lookup(value)
    except LookupError:
        raise ProfileError(
            f"unknown text encoding {value!r}; use a Python codec name such as 'utf-8' or 'cp1252'",
            path=path,
            key="encoding",
        ) from None
    return value


def _date(data: Mapping[str, Any], key: str, path: str | Path | None) -> date | None:
    value = data.get(key)
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ProfileError("must be a date as YYYY-MM-DD", path=path, key=key) from None


def _rank(value: Any, path: str | Path | None) -> int | None:
    if value is None:
        return None
    if not valid_rank(value):
        raise ProfileError(
            "must be a positive whole number such as 1 (a lower rank wins)",
            path=path,
            key=PROFILE_KEY,
        )
    return int(value)


def _decimal(value: Any, path: str | Path | None) -> Decimal | None:
    if value is None:
        return None
    if isinstance(value, bool):
        raise ProfileError("must be a number such as '1200.00'", path=path, key="cost")
    try:
        # str() first: a YAML float 1200.5 becomes Decimal('1200.5'), not its binary expansion.
        return Decimal(str(value))
    except InvalidOperation:
        raise ProfileError("must be a number such as '1200.00'", path=path, key="cost") from None


def _flag(data: Mapping[str, Any], key: str, path: str | Path | None) -> bool | None:
    value = data.get(key)
    if value is None or isinstance(value, bool):
        return value
    raise ProfileError("must be true or false", path=path, key=key)
