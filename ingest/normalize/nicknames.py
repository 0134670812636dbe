"""Nickname equivalence for matching (Bob ↔ Robert, Liz ↔ Elizabeth), from the ``nicknames`` data.

The package's table relates canonical names to nicknames; two first-name keys are equivalent
when one is in the other's variant set. Keys are the accent-folded lowercase letter keys made by
``ingest.normalize.text.letters_key``.
"""

from __future__ import annotations

from functools import cache, lru_cache

from nicknames import NickNamer


@cache
def _namer() -> NickNamer:
    return NickNamer()


@cache
def given_names() -> frozenset[str]:
    """Every name the nickname table knows (canonical or nickname), as letter keys."""
    namer = _namer()
    known = set(namer.nickname_lookup) | set(namer.canonical_lookup)
    return frozenset("".join(ch for ch in name if ch.isalpha()) for name in known)


@lru_cache(maxsize=50_000)
def name_variants(first_key: str) -> frozenset[str]:
    """The key itself plus its nicknames and canonical forms: "bob" → {"bob", "robert", ...}.

    Includes nicknames of its canonical forms too, so "bob" and "rob" share "robert".
    """
    key = first_key.strip().lower()
    if not key:
        return frozenset()
    namer = _namer()
    canonicals = namer.canonicals_of(key)
    variants = {key} | canonicals | namer.nicknames_of(key)
    for canonical in canonicals:
        variants |= namer.nicknames_of(canonical)
    return frozenset(variants)


def is_given_name(key: str | None) -> bool:
    """True when ``key`` is a given name the nickname table knows."""
    return bool(key) and key in given_names()
