"""Small helpers for string work on whole Arrow arrays (RE2 patterns, numpy masks)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc


def strings(values: Sequence[object] | np.ndarray) -> pa.Array:
    """An Arrow string array of Python strings."""
    return pa.array(values, type=pa.string())


def bools(array: pa.Array) -> np.ndarray:
    """A writable numpy bool array of an Arrow boolean array (nulls as False)."""
    return np.array(array.fill_null(False), dtype=bool)


def fullmatch(array: pa.Array, pattern: str) -> np.ndarray:
    """Whole-value RE2 match of every string (ASCII here, where RE2 and ``re`` agree)."""
    return bools(pc.match_substring_regex(array, f"^(?:{pattern})$"))


def lengths(array: pa.Array) -> np.ndarray:
    """The length of every string, as a numpy int array."""
    return np.array(pc.utf8_length(array), dtype=np.int64)
