"""Reading delimited text files: encoding detection, streaming lines, delimiter sniffing.

Shared by the adapters that read exported text files (purchased lists, event exports).
Detection looks at a leading sample only; the file itself is then streamed line by line, so
memory stays flat whatever its size.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from _typeshed import ReadableBuffer

SAMPLE_BYTES = 1 << 20
"""Leading bytes inspected to detect the encoding and the delimiter."""

MAX_LINE_CHARS = 100_000
"""Longest physical line read whole; longer lines keep only their head (see LongLine)."""

RAW_TEXT_LIMIT = 65_536
"""Characters of a broken line kept for storage; the rest is dropped and the truncation noted."""

UNDECODABLE = "\udcff"
"""Stands in for undecodable bytes; a lone surrogate never appears in correctly decoded text."""

DELIMITERS = (",", ";", "\t", "|")
"""Delimiters tried when sniffing, in order of preference on a tie."""

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16 LE: it starts with the same two bytes
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),  # Excel's "Unicode Text"
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_ERRORS = "leadflow.mark_undecodable"


def _mark_undecodable(exc: UnicodeError) -> tuple[str, int]:
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    return UNDECODABLE, exc.end


codecs.register_error(_ERRORS, _mark_undecodable)

UTF8_OR_CP1252 = "leadflow-utf-8-or-cp1252"
"""The codec for a file whose sample is plain ASCII: UTF-8, but a byte sequence that is not
UTF-8 is read as cp1252 (undefined cp1252 bytes still become UNDECODABLE). So a cp1252 accent
first met after the sample is read as the accent it is, not quarantined as undecodable."""
_FALLBACK = "leadflow.cp1252_fallback"


def _cp1252_fallback(exc: UnicodeError) -> tuple[str, int]:
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    bad = exc.object[exc.start : exc.end]
    text = bad.decode("cp1252", errors="replace").replace("\ufffd", UNDECODABLE)
    return text, exc.end


codecs.register_error(_FALLBACK, _cp1252_fallback)


class _FallbackDecoder(codecs.BufferedIncrementalDecoder):
    def _buffer_decode(self, input: ReadableBuffer, errors: str, final: bool) -> tuple[str, int]:
        return codecs.utf_8_decode(input, _FALLBACK, final)


def _search_codec(name: str) -> codecs.CodecInfo | None:
    if name.replace("_", "-") != UTF8_OR_CP1252:
        return None
    utf8 = codecs.lookup("utf-8")
    return codecs.CodecInfo(
        name=UTF8_OR_CP1252,
        encode=utf8.encode,
        decode=lambda data, errors="strict": codecs.utf_8_decode(data, _FALLBACK, True),
        incrementalencoder=utf8.incrementalencoder,
        incrementaldecoder=_FallbackDecoder,
        streamreader=utf8.streamreader,
        streamwriter=utf8.streamwriter,
    )


codecs.register(_search_codec)


@dataclass(frozen=True, slots=True)
class LongLine:
    """A physical line longer than MAX_LINE_CHARS: its head, and its full length in characters."""

    head: str
    length: int


def read_sample(path: Path, size: int = SAMPLE_BYTES) -> bytes:
    """The first ``size`` bytes of the file."""
    with open(path, "rb") as handle:
        return handle.read(size)


def detect_encoding(sample: bytes) -> str:
    """Name the codec for a file from its leading bytes.

    A BOM decides first; a plain-ASCII sample gives UTF8_OR_CP1252; then UTF-8 when most
    non-ASCII characters are valid UTF-8 (the odd invalid line is quarantined later); otherwise
    charset-normalizer, preferring cp1252 when it decodes the sample to the same text (Western
    vendor exports are cp1252 far more often than the Central European cp1250 that the detector
    picks on short samples).
    """
    for bom, name in _BOMS:
        if sample.startswith(bom):
            return name
    if sample.isascii():  # no evidence yet: see UTF8_OR_CP1252
        return UTF8_OR_CP1252
    if _mostly_utf8(sample):
        return "utf-8"
    import charset_normalizer  # only for legacy code pages: most files never need it

    matches = charset_normalizer.from_bytes(sample)
    best = matches.best()
    if best is None:
        return "cp1252"
    if "cp1252" in best.could_be_from_charset or any(
        m.encoding == "cp1252" and m.chaos <= best.chaos for m in matches
    ):
        return "cp1252"
    return best.encoding


def _mostly_utf8(sample: bytes) -> bool:
    """Valid UTF-8, or UTF-8 with fewer invalid bytes than valid non-ASCII characters: text in a
    legacy code page almost never forms valid multi-byte UTF-8 sequences by chance."""
    text = codecs.getincrementaldecoder("utf-8")(errors="replace").decode(sample, final=False)
    invalid = text.count("\ufffd") - sample.count("\ufffd".encode())
    if invalid == 0:
        return True
    non_ascii = len(text) - len(text.encode("ascii", errors="ignore")) - invalid
    return non_ascii > invalid


def open_text(path: Path, encoding: str) -> TextIO:
    """Open for streaming text: \\r\\n, \\n and \\r all end a line but are kept as written
    (so a CR inside a quoted field stays a CR), and undecodable bytes are replaced by
    UNDECODABLE, so one bad line cannot stop the read."""
    return open(path, encoding=encoding, errors=_ERRORS, newline="")


def iter_lines(text: TextIO, max_chars: int = MAX_LINE_CHARS) -> Iterator[str | LongLine]:
    """Yield physical lines (with their "\\n"); a line over ``max_chars`` comes as a LongLine,
    read through in bounded pieces so a 10 MB line never sits in memory whole."""
    while line := text.readline(max_chars + 1):
        if len(line) <= max_chars or line.endswith(("\n", "\r")):
            yield line
            continue
        head, length = line[:RAW_TEXT_LIMIT], len(line)
        while more := text.readline(max_chars):
            length += len(more)
            if more.endswith(("\n", "\r")):
                break
        yield LongLine(head, length)


def sniff_delimiter(sample: bytes, encoding: str, *, prefer: str = ",") -> str:
    """Pick the delimiter that splits the header into most fields consistently across the sample.

    Each candidate scores (share of lines with the header's field count, header field count);
    a file with one column gets ``prefer``.
    """
    text = io.TextIOWrapper(io.BytesIO(sample), encoding=encoding, errors="replace", newline=None)
    lines = [line for line in text.read().split("\n") if line.strip()]
    if len(sample) >= SAMPLE_BYTES and len(lines) > 1:
        lines.pop()  # the sample may cut the last line short
    lines = lines[:200]
    if not lines:
        return prefer
    order = (prefer, *(d for d in DELIMITERS if d != prefer))
    best, best_score = prefer, (0.0, 1)
    for delimiter in order:
        counts = [len(_split(line, delimiter)) for line in lines]
        if counts[0] < 2:
            continue
        score = (sum(c == counts[0] for c in counts) / len(counts), counts[0])
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _split(line: str, delimiter: str) -> Sequence[str]:
    try:
        return next(csv.reader([line], delimiter=delimiter), [])
    except csv.Error:  # a field over csv's size limit: this line says nothing about delimiters
        return []


def strip_line_end(line: str) -> str:
    """The line without its ending (\\r\\n, \\n or \\r)."""
    return line.removesuffix("\n").removesuffix("\r")


def truncate(raw: str) -> str:
    """Bound a raw line for storage, saying how long it was when cut."""
    if len(raw) <= RAW_TEXT_LIMIT:
        return raw
    return raw[:RAW_TEXT_LIMIT] + f"…[truncated; {len(raw)} characters in total]"
