"""Directory profiles: where a directory starts, which links to follow, where each field is.

A profile is a YAML file; every selector is CSS (a plain string or ``{css: …}``) or XPath
(``{xpath: …}``). Loading checks every key, so a typo fails before any page is fetched.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml

from ingest.errors import ProfileError
from ingest.profiles import SourceProfile
from sources.directory.feed import default_profile
from sources.directory.items import CONTENT_FIELDS

_KEYS = (
    "name",
    "start_urls",
    "allowed_domains",
    "item_links",
    "next_page",
    "fields",
    "json_ld",
    "default_region",
)


@dataclass(frozen=True, slots=True)
class Query:
    """One selector: ``kind`` is ``css`` or ``xpath``."""

    kind: Literal["css", "xpath"]
    query: str

    @classmethod
    def from_value(cls, value: Any, *, key: str, path: str | Path | None) -> Query:
        """Read ``"h1::text"``, ``{css: "h1::text"}`` or ``{xpath: "//h1/text()"}``."""
        if isinstance(value, str) and value.strip():
            return cls("css", value.strip())
        if isinstance(value, Mapping) and len(value) == 1:
            ((kind, query),) = value.items()
            if kind in ("css", "xpath") and isinstance(query, str) and query.strip():
                return cls(kind, query.strip())
        raise ProfileError(
            "must be a CSS selector string, {css: ...} or {xpath: ...}", path=path, key=key
        )

    def to_value(self) -> str | dict[str, str]:
        return self.query if self.kind == "css" else {self.kind: self.query}


@dataclass(frozen=True, slots=True)
class DirectoryProfile:
    """How to crawl one business directory (see ``docs/sources-directory.md``)."""

    name: str
    start_urls: tuple[str, ...]
    allowed_domains: tuple[str, ...]
    item_links: Query
    next_page: Query | None = None
    fields: dict[str, Query] = field(default_factory=dict)
    json_ld: bool = True
    default_region: str | None = None

    @classmethod
    def from_path(cls, path: str | Path) -> DirectoryProfile:
        """Load a YAML profile; raise ProfileError naming the bad key when it is invalid."""
        path = Path(path)
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except OSError as exc:
            raise ProfileError(f"cannot read the profile file ({exc.strerror})", path=path) from exc
        except yaml.YAMLError as exc:
            raise ProfileError(f"the file is not valid YAML: {exc}", path=path) from exc
        return cls.from_dict(data, path=path)

    @classmethod
    def from_dict(cls, data: Any, *, path: str | Path | None = None) -> DirectoryProfile:
        """Build a profile from plain data, checking every key."""
        if not isinstance(data, Mapping):
            raise ProfileError("the profile must be a mapping of keys to values", path=path)
        for key in data:
            if key not in _KEYS:
                raise ProfileError("unknown key", path=path, key=str(key), valid=_KEYS)
        if not isinstance(data.get("name"), str) or not data["name"].strip():
            raise ProfileError("is required and must be a non-empty string", path=path, key="name")
        raw_fields = data.get("fields") or {}
        if not isinstance(raw_fields, Mapping):
            raise ProfileError("must map listing fields to selectors", path=path, key="fields")
        for name in raw_fields:
            if name not in CONTENT_FIELDS:
                raise ProfileError(
                    "unknown listing field", path=path, key=f"fields.{name}", valid=CONTENT_FIELDS
                )
        json_ld = data.get("json_ld", True)
        if not isinstance(json_ld, bool):
            raise ProfileError("must be true or false", path=path, key="json_ld")
        region = data.get("default_region")
        if region is not None and (not isinstance(region, str) or len(region.strip()) != 2):
            raise ProfileError(
                "must be an ISO 3166-1 alpha-2 code", path=path, key="default_region"
            )
        return cls(
            name=data["name"].strip(),
            start_urls=_urls(data.get("start_urls"), "start_urls", path),
            allowed_domains=_strings(data.get("allowed_domains"), "allowed_domains", path),
            item_links=Query.from_value(data.get("item_links"), key="item_links", path=path),
            next_page=(
                Query.from_value(data["next_page"], key="next_page", path=path)
                if data.get("next_page") is not None
                else None
            ),
            fields={
                str(name): Query.from_value(value, key=f"fields.{name}", path=path)
                for name, value in raw_fields.items()
            },
            json_ld=json_ld,
            default_region=region.strip().upper() if region else None,
        )

    def import_profile(self) -> SourceProfile:
        """The profile to import this directory's feed with (default company-only mapping)."""
        return default_profile(self.name, default_region=self.default_region)

    def to_dict(self) -> dict[str, Any]:
        """Plain data that ``from_dict`` reads back to an equal profile."""
        out: dict[str, Any] = {
            "name": self.name,
            "start_urls": list(self.start_urls),
            "allowed_domains": list(self.allowed_domains),
            "item_links": self.item_links.to_value(),
        }
        if self.next_page is not None:
            out["next_page"] = self.next_page.to_value()
        out["fields"] = {name: q.to_value() for name, q in self.fields.items()}
        out["json_ld"] = self.json_ld
        if self.default_region:
            out["default_region"] = self.default_region
        return out


def _strings(value: Any, key: str, path: str | Path | None) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if (
        not isinstance(value, list)
        or not value
        or not all(isinstance(v, str) and v.strip() for v in value)
    ):
        raise ProfileError("must be a non-empty list of strings", path=path, key=key)
    return tuple(v.strip() for v in value)


def _urls(value: Any, key: str, path: str | Path | None) -> tuple[str, ...]:
    urls = _strings(value, key, path)
    for url in urls:
        if not url.startswith(("http://", "https://", "file://")):
            raise ProfileError(
                "every URL must start with http://, https:// or file://", path=path, key=key
            )
    return urls
