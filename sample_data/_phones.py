"""Valid-but-fictional phone number pools and the many ways people write a number."""

from __future__ import annotations

import numpy as np
import phonenumbers

NANP_STYLES = 8
INTL_STYLES = 8


def _is_valid(cc: str, nsn: str) -> bool:
    return phonenumbers.is_valid_number(phonenumbers.parse(f"+{cc}{nsn}"))


def build_pool(
    rng: np.random.Generator, cc: str, area: str, nsn_len: int, *, size: int = 24, tail: int = 4
) -> list[str]:
    """Return number stems (NSN minus ``tail`` digits) whose random completions all validate."""
    stems: list[str] = []
    mid_len = nsn_len - tail - len(area)
    for _ in range(size * 30):
        if len(stems) >= size:
            break
        mid = "".join(str(d) for d in rng.integers(0, 10, mid_len))
        if mid_len and mid[0] in "01":
            continue
        if cc == "1" and (mid == "555" or mid[1:] == "11"):
            continue  # 555 and N11 exchanges are reserved or look fake
        stem = area + mid
        if stem in stems:
            continue
        tails = rng.integers(0, 10**tail, 3)
        if all(_is_valid(cc, f"{stem}{t:0{tail}d}") for t in tails):
            stems.append(stem)
    if not stems:
        raise RuntimeError(f"no valid phone stems for +{cc} {area}")
    return stems


def complete(rng: np.random.Generator, stems: list[str], n: int, tail: int = 4) -> np.ndarray:
    """Draw ``n`` national significant numbers from ``stems``."""
    stem = np.asarray(stems, dtype=object)[rng.integers(0, len(stems), n)]
    ends = np.char.zfill(rng.integers(0, 10**tail, n).astype(str), tail).astype(object)
    return stem + ends


def _group(digits: str) -> str:
    if len(digits) <= 4:
        return digits
    half = len(digits) // 2
    return f"{digits[:half]} {digits[half:]}"


def format_phone(cc: str, nsn: str, area_len: int, style: int, ext: str = "") -> str:
    """Write +cc/nsn in one of the common human styles (style is taken modulo the style count)."""
    if not nsn:
        return ""
    if cc == "1":
        a, e, line = nsn[:3], nsn[3:6], nsn[6:]
        out = (
            f"({a}) {e}-{line}",
            f"{a}-{e}-{line}",
            f"{a}.{e}.{line}",
            f"+1 {a} {e} {line}",
            f"+1-{a}-{e}-{line}",
            nsn,
            f"1 ({a}) {e}-{line}",
            f"+1{nsn}",
        )[style % NANP_STYLES]
    else:
        a, rest = nsn[:area_len], nsn[area_len:]
        grouped = _group(rest)
        if cc == "33":
            national = " ".join(["0" + nsn[0]] + [nsn[i : i + 2] for i in range(1, len(nsn), 2)])
        else:
            national = f"0{a} {grouped}"
        out = (
            f"+{cc} {a} {grouped}",
            national,
            f"00{cc} {a} {grouped}",
            f"+{cc} (0){a} {grouped}",
            f"0{a}-{rest}",
            f"+{cc}{nsn}",
            f"0{a}/{rest}",
            f"(0{a}) {grouped}",
        )[style % INTL_STYLES]
    return f"{out}{ext}" if ext else out


def e164(cc: str, nsn: str) -> str:
    """Canonical E.164 form (empty when there is no number)."""
    return f"+{cc}{nsn}" if nsn else ""
