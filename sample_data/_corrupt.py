"""Small string corruptions that real lead data is full of."""

from __future__ import annotations

import random
import unicodedata

_FOLD = str.maketrans({"ß": "ss", "Ł": "L", "ł": "l", "ø": "o", "Ø": "O", "æ": "ae", "đ": "d"})


def ascii_slug(text: str) -> str:
    """Lower-case ASCII letters only, for e-mail local parts and domains."""
    folded = unicodedata.normalize("NFKD", text.translate(_FOLD))
    return "".join(c for c in folded.lower() if c.isascii() and c.isalnum())


def typo(text: str, rnd: random.Random) -> str:
    """One keyboard-style slip: transposition, dropped, doubled or replaced letter."""
    if len(text) < 4:
        return text
    i = rnd.randrange(1, len(text) - 1)
    kind = rnd.randrange(4)
    if kind == 0:
        return text[:i] + text[i + 1] + text[i] + text[i + 2 :]
    if kind == 1:
        return text[:i] + text[i + 1 :]
    if kind == 2:
        return text[:i] + text[i] + text[i:]
    return text[:i] + rnd.choice("aeiournst") + text[i + 1 :]


def recase(text: str, rnd: random.Random) -> str:
    """ALL CAPS, all lower or naive title case."""
    return rnd.choice((str.upper, str.lower, str.title))(text)


def pad(text: str, rnd: random.Random) -> str:
    """Extra leading, trailing or inner whitespace."""
    return rnd.choice((f" {text}", f"{text}  ", text.replace(" ", "  "), f"\t{text} "))


def initial(first: str) -> str:
    """'John' -> 'J.'"""
    return f"{first[:1]}." if first else first


def email_variant(email: str, rnd: random.Random) -> str:
    """Same mailbox written differently: case, gmail dots or +tags."""
    local, _, domain = email.partition("@")
    kind = rnd.randrange(3)
    if domain == "gmail.com" and kind == 1:
        plain = local.replace(".", "")
        if plain == local and len(local) > 3:
            cut = rnd.randrange(1, len(local) - 1)
            return f"{local[:cut]}.{local[cut:]}@{domain}"
        return f"{plain}@{domain}"
    if domain == "gmail.com" and kind == 2:
        return f"{local}+{rnd.choice(('news', 'leads', 'work', 'events'))}@{domain}"
    variants = (email.upper(), f"{local.title()}@{domain.title()}", f"{local}@{domain.upper()}")
    return rnd.choice(variants)
