"""The consent policy: per jurisdiction and channel, what marketing contact is allowed.

A readable, versioned TOML file (``ingest/data/consent_policy.toml`` ships the defaults; a user
file replaces it). :class:`ConsentPolicy` loads it, checks every key and prints back to a dict.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from ingest.errors import LeadflowError
from ingest.records import Channel

MODELS = ("opt_out", "implied", "opt_in", "written")
"""Channel models from least to most strict (the order ``strictest`` compares by)."""
LAWFUL_BASES = ("consent", "legitimate_interest", "contract", "existing_customer")
STRICTEST = "strictest"
RULE_KEYS = ("model", "soft_opt_in", "implied_purchase_months", "implied_inquiry_months",
             "double_opt_in")  # fmt: skip
DEFAULT_RECORD_REASONS = ("erasure", "unsubscribe", "bounce")


class ConsentPolicyError(LeadflowError):
    """The consent policy file is invalid; ``key`` names the offending entry."""

    def __init__(self, problem: str, *, key: str | None = None, path: str | None = None) -> None:
        self.problem, self.key, self.path = problem, key, path
        where = ", ".join(p for p in (path and Path(path).name, key and repr(key)) if p)
        super().__init__(f"consent policy {where}: {problem}" if where else problem)


@dataclass(frozen=True, slots=True)
class ChannelRule:
    """What one jurisdiction requires before marketing on one channel."""

    model: str = "opt_in"
    soft_opt_in: bool = False
    implied_purchase_months: int | None = None
    implied_inquiry_months: int | None = None
    double_opt_in: bool = False

    @property
    def strictness(self) -> int:
        return MODELS.index(self.model)


@dataclass(frozen=True, slots=True)
class Jurisdiction:
    """A named set of rules and the countries (ISO2) or regions (``CC-RR``) it covers."""

    key: str
    title: str
    countries: tuple[str, ...]
    regions: tuple[str, ...]
    channels: dict[Channel, ChannelRule]


@dataclass(frozen=True, slots=True, eq=False)
class ConsentPolicy:
    """The whole policy: jurisdictions, the fallbacks and how suppression reasons apply."""

    version: str
    name: str
    jurisdictions: dict[str, Jurisdiction]
    unknown_jurisdiction: str = STRICTEST
    unlisted_country: str = STRICTEST
    record_reasons: tuple[str, ...] = DEFAULT_RECORD_REASONS
    channel_reasons: dict[str, tuple[Channel, ...]] = field(default_factory=dict)

    @classmethod
    def from_path(cls, path: str | Path) -> ConsentPolicy:
        try:
            data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        except OSError as exc:
            raise ConsentPolicyError(
                f"cannot read the file ({exc.strerror})", path=str(path)
            ) from exc
        except tomllib.TOMLDecodeError as exc:
            raise ConsentPolicyError(f"not valid TOML: {exc}", path=str(path)) from exc
        try:
            return cls.from_dict(data)
        except ConsentPolicyError as exc:
            raise ConsentPolicyError(exc.problem, key=exc.key, path=str(path)) from None

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ConsentPolicy:
        """Build a policy from plain data, checking every key and value."""
        _only(data, ("version", "name", "unknown_jurisdiction", "unlisted_country",
                     "suppression", "jurisdictions"), "")  # fmt: skip
        if not isinstance(data.get("version"), str) or not data["version"]:
            raise ConsentPolicyError(
                "is required (a string; bump it on every change)", key="version"
            )
        jurisdictions = {
            str(key): _jurisdiction(str(key), value)
            for key, value in (data.get("jurisdictions") or {}).items()
        }
        if not jurisdictions:
            raise ConsentPolicyError("at least one jurisdiction is required", key="jurisdictions")
        for key in ("unknown_jurisdiction", "unlisted_country"):
            value = data.get(key, STRICTEST)
            if value != STRICTEST and value not in jurisdictions:
                raise ConsentPolicyError(
                    f"must be {STRICTEST!r} or one of: {', '.join(jurisdictions)}", key=key
                )
        suppression = data.get("suppression") or {}
        _only(suppression, ("record_reasons", "channel_reasons"), "suppression")
        channel_reasons = {
            str(reason): tuple(Channel(_channel(c, "suppression.channel_reasons")) for c in chans)
            for reason, chans in (suppression.get("channel_reasons") or {}).items()
        }
        return cls(
            version=data["version"],
            name=str(data.get("name") or "consent policy"),
            jurisdictions=jurisdictions,
            unknown_jurisdiction=data.get("unknown_jurisdiction", STRICTEST),
            unlisted_country=data.get("unlisted_country", STRICTEST),
            record_reasons=tuple(suppression.get("record_reasons", DEFAULT_RECORD_REASONS)),
            channel_reasons=channel_reasons,
        )

    def to_dict(self) -> dict[str, Any]:
        """Plain data that :meth:`from_dict` reads back to an equal policy."""
        return {
            "version": self.version,
            "name": self.name,
            "unknown_jurisdiction": self.unknown_jurisdiction,
            "unlisted_country": self.unlisted_country,
            "suppression": {
                "record_reasons": list(self.record_reasons),
                "channel_reasons": {
                    r: [c.value for c in cs] for r, cs in self.channel_reasons.items()
                },
            },
            "jurisdictions": {
                j.key: {
                    "title": j.title,
                    "countries": list(j.countries),
                    "regions": list(j.regions),
                    "channels": {
                        c.value: {k: v for k, v in asdict(r).items() if v not in (None, False)}
                        for c, r in j.channels.items()
                    },
                }
                for j in self.jurisdictions.values()
            },
        }

    def jurisdiction_of(self, country: str | None, region: str | None = None) -> str:
        """The jurisdiction key for a record's ISO2 country and region (``strictest`` if none)."""
        if not country:
            return self.unknown_jurisdiction
        country = country.upper()
        index = _country_index(self)
        if region:
            found = index.get(f"{country}-{region.upper().removeprefix(country + '-')}")
            if found:
                return found
        return index.get(country, self.unlisted_country)

    def rule(self, jurisdiction: str, channel: Channel) -> ChannelRule:
        """The rule of a jurisdiction (or of ``strictest``) for one channel."""
        if jurisdiction == STRICTEST:
            return _strictest(self, channel)
        return self.jurisdictions[jurisdiction].channels[channel]

    def channels_withdrawn_by(self, reason: str) -> tuple[Channel, ...]:
        """Channels a suppression reason withdraws without keeping the record out."""
        return self.channel_reasons.get(reason, ())


def _only(data: Any, valid: tuple[str, ...], where: str) -> None:
    if not isinstance(data, Mapping):
        raise ConsentPolicyError("must be a table", key=where or None)
    for key in data:
        if key not in valid:
            name = f"{where}.{key}" if where else str(key)
            raise ConsentPolicyError(f"unknown key (valid: {', '.join(valid)})", key=name)


def _channel(value: Any, where: str) -> str:
    if value not in {c.value for c in Channel}:
        raise ConsentPolicyError(
            f"unknown channel {value!r} (valid: {', '.join(c.value for c in Channel)})", key=where
        )
    return str(value)


def _jurisdiction(key: str, data: Any) -> Jurisdiction:
    where = f"jurisdictions.{key}"
    _only(data, ("title", "countries", "regions", "channels"), where)
    channels_data = data.get("channels") or {}
    _only(channels_data, tuple(c.value for c in Channel), f"{where}.channels")
    channels = {}
    for channel in Channel:
        rule = channels_data.get(channel.value)
        if rule is None:
            raise ConsentPolicyError(
                "a rule for every channel is required", key=f"{where}.channels.{channel.value}"
            )
        channels[channel] = _rule(rule, f"{where}.channels.{channel.value}")
    return Jurisdiction(
        key=key,
        title=str(data.get("title") or key),
        countries=tuple(str(c).upper() for c in data.get("countries") or ()),
        regions=tuple(str(r).upper() for r in data.get("regions") or ()),
        channels=channels,
    )


def _rule(data: Any, where: str) -> ChannelRule:
    _only(data, RULE_KEYS, where)
    if data.get("model") not in MODELS:
        raise ConsentPolicyError(f"model must be one of: {', '.join(MODELS)}", key=f"{where}.model")
    rule = ChannelRule(**data)
    if rule.model == "implied" and not (
        rule.implied_purchase_months or rule.implied_inquiry_months
    ):
        raise ConsentPolicyError("an implied model needs implied_*_months", key=where)
    return rule


@cache
def _country_index(policy: ConsentPolicy) -> dict[str, str]:
    index: dict[str, str] = {}
    for j in policy.jurisdictions.values():
        index.update(dict.fromkeys(j.countries, j.key))
        index.update(dict.fromkeys(j.regions, j.key))
    return index


@cache
def _strictest(policy: ConsentPolicy, channel: Channel) -> ChannelRule:
    """The strictest model of any jurisdiction, keeping only allowances every rule grants."""
    rules = [j.channels[channel] for j in policy.jurisdictions.values()]
    top = max(r.strictness for r in rules)

    def shortest(name: str) -> int | None:
        values = [getattr(r, name) for r in rules if getattr(r, name)]
        return min(values) if values and top == MODELS.index("implied") else None

    return ChannelRule(
        model=MODELS[top],
        soft_opt_in=all(r.soft_opt_in for r in rules if r.strictness == top),
        implied_purchase_months=shortest("implied_purchase_months"),
        implied_inquiry_months=shortest("implied_inquiry_months"),
        double_opt_in=any(r.double_opt_in for r in rules),
    )


DEFAULT_POLICY_FILE = "consent_policy.toml"


def default_policy() -> ConsentPolicy:
    """The policy shipped with leadflow."""
    text = resources.files("ingest").joinpath("data", DEFAULT_POLICY_FILE).read_text("utf-8")
    return ConsentPolicy.from_dict(tomllib.loads(text))


def load_policy(path: str | Path | None = None) -> ConsentPolicy:
    """The user's policy file when given, else the shipped defaults."""
    return ConsentPolicy.from_path(path) if path else default_policy()
