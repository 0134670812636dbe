"""Places: country to ISO 3166 alpha-2, region codes, postal-code formats, city and street casing.

Postal codes that do not match their country's format are reported (and nulled by validation):
a wrong postal code would mislead matching and enrichment more than a missing one.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

import pycountry

from ingest.normalize.errors import CountryNormalizationError, PostalCodeError
from ingest.normalize.names import case_word
from ingest.normalize.text import fold

# fmt: off
COUNTRY_VARIANTS: dict[str, str] = {
    "usa": "US", "us": "US", "u s": "US", "u s a": "US", "united states": "US", "america": "US",
    "united states of america": "US", "etats unis": "US", "vereinigte staaten": "US",
    "uk": "GB", "u k": "GB", "great britain": "GB", "britain": "GB", "england": "GB",
    "scotland": "GB", "wales": "GB", "northern ireland": "GB", "united kingdom": "GB",
    "deutschland": "DE", "germany": "DE", "allemagne": "DE", "brd": "DE",
    "holland": "NL", "the netherlands": "NL", "nederland": "NL", "pays bas": "NL",
    "osterreich": "AT", "schweiz": "CH", "suisse": "CH", "svizzera": "CH", "espana": "ES",
    "italia": "IT", "belgique": "BE", "belgie": "BE", "brasil": "BR", "turkey": "TR",
    "turkiye": "TR", "russia": "RU", "south korea": "KR", "korea": "KR", "czech republic": "CZ",
    "czechia": "CZ", "ivory coast": "CI", "uae": "AE", "polska": "PL", "sverige": "SE",
    "norge": "NO", "danmark": "DK", "suomi": "FI", "eire": "IE", "nippon": "JP", "zhongguo": "CN",
    "prc": "CN", "mexique": "MX", "vietnam": "VN", "iran": "IR", "taiwan": "TW", "laos": "LA",
    "syria": "SY", "bolivia": "BO", "venezuela": "VE", "tanzania": "TZ", "moldova": "MD",
    "macedonia": "MK", "hong kong sar": "HK", "lux": "LU", "hrvatska": "HR", "magyarorszag": "HU",
    "ellada": "GR", "hellas": "GR", "romania": "RO", "espagne": "ES", "italie": "IT",
    # sports codes that lists use as if they were ISO codes (none collides with an ISO code)
    "ger": "DE", "sui": "CH", "ned": "NL", "den": "DK", "por": "PT", "cro": "HR", "gre": "GR",
    "rsa": "ZA", "bul": "BG", "lat": "LV", "slo": "SI", "uru": "UY", "par": "PY",
}
# fmt: on
REGION_CODE_COUNTRIES: frozenset[str] = frozenset({"US", "CA", "AU"})
"""Countries whose regions are written as postal abbreviations (CA, ON, NSW)."""

# fmt: off
POSTAL_FORMATS: dict[str, re.Pattern[str]] = {
    "US": re.compile(r"\d{5}(?:-\d{4})?"),
    "CA": re.compile(r"[ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z] \d[ABCEGHJ-NPRSTV-Z]\d"),
    "GB": re.compile(
        r"(?:GIR 0AA|[A-PR-UWYZ](?:\d{1,2}|[A-HK-Y]\d[\dABEHMNPRV-Y]?|\d[A-HJKPS-UW]|[A-HK-Y]\d)"
        r" \d[ABD-HJLNP-UW-Z]{2})"
    ),
    "DE": re.compile(r"\d{5}"), "FR": re.compile(r"\d{5}"), "ES": re.compile(r"\d{5}"),
    "IT": re.compile(r"\d{5}"), "NL": re.compile(r"[1-9]\d{3} (?!SA|SD|SS)[A-Z]{2}"),
    "AT": re.compile(r"\d{4}"), "CH": re.compile(r"\d{4}"), "BE": re.compile(r"\d{4}"),
    "DK": re.compile(r"\d{4}"), "NO": re.compile(r"\d{4}"), "AU": re.compile(r"\d{4}"),
    "IN": re.compile(r"[1-9]\d{5}"), "JP": re.compile(r"\d{3}-\d{4}"),
    "BR": re.compile(r"\d{5}-\d{3}"), "SE": re.compile(r"\d{3} \d{2}"),
    "PL": re.compile(r"\d{2}-\d{3}"),
}
# fmt: on
_ZERO_PAD = {"US": 5, "DE": 5, "FR": 5, "IT": 5, "ES": 5}  # spreadsheets drop leading zeros
# fmt: off
_PLACE_PARTICLES = frozenset(
    {"am", "an", "im", "der", "de", "del", "la", "le", "les", "sur", "en", "upon", "on", "of",
     "di", "da", "do", "dos", "du", "the", "and", "bei", "ob", "y"}
)
# fmt: on
_UPPER_TOKENS = frozenset({"nw", "ne", "sw", "se", "po", "usa", "uk", "ii", "iii", "iv"})
_KEY_JUNK = re.compile(r"[^a-z0-9]+")
_WORDS = re.compile(r"([\s\-/])")


def _country_key(text: str) -> str:
    key = _KEY_JUNK.sub(" ", fold(text)).strip()
    return key[4:] if key.startswith("the ") else key


@cache
def _country_index() -> dict[str, str]:
    index: dict[str, str] = {}
    for country in pycountry.countries:
        for attr in ("alpha_2", "alpha_3", "name", "official_name", "common_name"):
            value = getattr(country, attr, None)
            if value:
                index[_country_key(value)] = country.alpha_2
    index.update(COUNTRY_VARIANTS)
    return index


@lru_cache(maxsize=20_000)
def normalize_country(text: str) -> str:
    """Country name, code or common variant → ISO 3166-1 alpha-2 ("Holland" → "NL")."""
    code = _country_index().get(_country_key(text))
    if code is None:
        raise CountryNormalizationError("not a recognised country")
    return code


@cache
def _region_index(country: str) -> dict[str, str]:
    index: dict[str, str] = {}
    for sub in pycountry.subdivisions.get(country_code=country) or ():
        short = sub.code.split("-", 1)[1]
        index[_country_key(short)] = short
        index[_country_key(sub.name)] = short
    return index


@lru_cache(maxsize=20_000)
def normalize_region(text: str, country: str | None) -> str:
    """State or province name → its 2-letter code for US, CA and AU; other regions are cased."""
    if country in REGION_CODE_COUNTRIES:
        code = _region_index(country).get(_country_key(text))
        if code is not None:
            return code
    return case_place(text)


def is_region_code(code: str, country: str | None) -> bool:
    """True when ``code`` is one of the country's subdivision codes ("CA" for US)."""
    return country is not None and code in _region_index(country).values()


@lru_cache(maxsize=50_000)
def normalize_postal_code(text: str, country: str | None) -> str:
    """Format a postal code for its country and check it; raise ``PostalCodeError`` when wrong.

    Countries without a known format get the code uppercased with single spaces.
    """
    code = " ".join(text.upper().replace("\u2010", "-").split())
    if country in ("US", "BR", "JP"):
        code = code.replace(" ", "-")
    compact = code.replace(" ", "").replace("-", "")
    if country in _ZERO_PAD and compact.isdigit() and 3 <= len(compact) < _ZERO_PAD[country]:
        code = compact = compact.zfill(_ZERO_PAD[country])
    if country == "US" and compact.isdigit() and len(compact) == 9:
        code = f"{compact[:5]}-{compact[5:]}"
    elif country in ("CA", "GB", "NL", "SE") and len(compact) > 3:
        cut = {"NL": 4, "SE": 3}.get(country, len(compact) - 3)
        code = f"{compact[:cut]} {compact[cut:]}"
    elif country == "BR" and compact.isdigit() and len(compact) == 8:
        code = f"{compact[:5]}-{compact[5:]}"
    elif country == "JP" and compact.isdigit() and len(compact) == 7:
        code = f"{compact[:3]}-{compact[3:]}"
    elif country == "PL" and compact.isdigit() and len(compact) == 5:
        code = f"{compact[:2]}-{compact[2:]}"
    pattern = POSTAL_FORMATS.get(country or "")
    if pattern is not None and not pattern.fullmatch(code):
        raise PostalCodeError("does not match the country's postal code format")
    return code


@lru_cache(maxsize=100_000)
def case_place(text: str) -> str:
    """Fix the casing of a one-case city or street ("FRANKFURT AM MAIN" → "Frankfurt am Main").

    Mixed-case values are kept as written.
    """
    if text != text.upper() and text != text.lower():
        return text
    tokens = _WORDS.split(text)
    out = []
    first = True
    for tok in tokens:
        if not tok or tok in (" ", "-", "/"):
            out.append(tok)
            continue
        low = tok.lower()
        if low in _UPPER_TOKENS:
            out.append(tok.upper())
        elif not first and low in _PLACE_PARTICLES:
            out.append(low)
        elif any(ch.isdigit() for ch in tok):
            out.append(tok.upper() if len(tok) <= 4 else low)  # "12B", "5TH" stays readable
        else:
            out.append(case_word(tok))
        first = False
    return "".join(out)
