"""Company names as matching keys: legal forms folded in many languages, wherever they stand.

The normalizer's ``company_key`` has already lost a trailing legal form (cleanco) and its
punctuation. Here the forms it keeps are folded too: spelled-out forms ("Kabushiki Kaisha",
"Aktiengesellschaft", "Société Anonyme"), forms at the front ("KK Toshiba"), and dotted
initials ("K.K.", "S.A.", "I.B.M." become one token: ``kk``, ``sa``, ``ibm``).
"""

from __future__ import annotations

from functools import lru_cache

SPELLED_OUT: tuple[tuple[str, ...], ...] = tuple(
    tuple(form.split())
    for form in (
        "kabushiki kaisha",
        "kabushikikaisha",
        "yugen kaisha",
        "godo kaisha",
        "gomei kaisha",
        "aktiengesellschaft",
        "gesellschaft mit beschrankter haftung",
        "kommanditgesellschaft",
        "societe anonyme",
        "societe par actions simplifiee",
        "societe a responsabilite limitee",
        "sociedad anonima",
        "sociedad limitada",
        "societa per azioni",
        "societa a responsabilita limitata",
        "naamloze vennootschap",
        "besloten vennootschap",
        "aktiebolag",
        "aktiebolaget",
        "aksjeselskap",
        "aktieselskab",
        "osakeyhtio",
        "public limited company",
        "limited liability company",
        "limited partnership",
        "proprietary limited",
        "co ltd",
        "company limited",
        "corporation limited",
    )
)
LEGAL_TOKENS = frozenset(
    {"inc", "incorporated", "corp", "corporation", "co", "ltd", "limited", "llc", "llp", "lp",
     "plc", "gmbh", "mbh", "ag", "kg", "kgaa", "se", "sa", "sas", "sarl", "srl", "spa", "bv",
     "nv", "ab", "oy", "oyj", "asa", "pty", "kk", "gk", "yk", "ltda", "cv", "sl", "company"}
)  # fmt: skip
"""One-token legal forms dropped wherever they stand (never the whole name)."""


@lru_cache(maxsize=200_000)
def company_match_key(key: str) -> str:
    """The normalizer's company key with legal forms folded: "canon kabushiki kaisha",
    "canon k k" and "canon" all give ``canon``; ``""`` stays ``""``."""
    tokens = _join_initials(key.split())
    for form in SPELLED_OUT:
        tokens = _without(tokens, form)
    kept = [t for t in tokens if t not in LEGAL_TOKENS]
    return " ".join(kept or tokens)


def acronym(key: str) -> str:
    """The initials of a key of three or more words ("international business machines" →
    ``ibm``), else ``""``."""
    words = key.split()
    return "".join(w[0] for w in words) if len(words) >= 3 else ""


def _join_initials(tokens: list[str]) -> list[str]:
    """Runs of one-letter tokens joined into one ("i b m" → "ibm")."""
    out: list[str] = []
    run = ""
    for token in tokens:
        if len(token) == 1 and token.isalpha():
            run += token
            continue
        if run:
            out.append(run)
            run = ""
        out.append(token)
    if run:
        out.append(run)
    return out


def _without(tokens: list[str], form: tuple[str, ...]) -> list[str]:
    """``tokens`` with every occurrence of the token sequence ``form`` removed, unless that
    would leave nothing."""
    size = len(form)
    out: list[str] = []
    i = 0
    while i < len(tokens):
        if tuple(tokens[i : i + size]) == form:
            i += size
            continue
        out.append(tokens[i])
        i += 1
    return out or tokens
