"""The root of every exception leadflow defines, and the program errors of ``ingest``.

Program errors (a wrong configuration, profile or file) stop an import. Bad data in a row is
data: a value helper raises a :class:`LeadflowValueError`, and the stage that called it records
a reason code on the row instead. Every message says what is wrong and what to do, and never
contains a cell value: only file names, line numbers, keys and header names.

Every exception class of the project derives from :class:`LeadflowError` (a test enforces it),
so an entry point that catches it catches them all.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path


class LeadflowError(Exception):
    """Base of every exception leadflow defines; catch this at entry points."""


class LeadflowValueError(LeadflowError, ValueError):
    """A value cannot be used as it is: bad data, not a wrong program or configuration.

    Value helpers raise a subclass; the stage that called them turns it into a reason code on
    the row, so one bad row never fails a batch. It is a ``ValueError`` too, the contract of a
    function that parses one value.
    """


class ConfigError(LeadflowError):
    """A setting is missing or invalid.

    ``setting`` names it; ``hint`` says how to fix it.
    """

    def __init__(self, setting: str, problem: str, hint: str = "") -> None:
        self.setting = setting
        self.problem = problem
        self.hint = hint
        message = f"setting {setting!r}: {problem}"
        super().__init__(f"{message}. {hint}" if hint else message)


class MappingError(LeadflowError):
    """Source columns cannot be mapped to canonical fields as requested.

    ``headers`` names the source headers involved (header names only, never values).
    """

    def __init__(self, problem: str, *, headers: Iterable[str] = (), hint: str = "") -> None:
        self.problem = problem
        self.headers = tuple(headers)
        self.hint = hint
        message = problem
        if self.headers:
            message += f" (headers: {', '.join(repr(h) for h in self.headers)})"
        super().__init__(f"{message}. {hint}" if hint else message)


class MappingCheckError(MappingError):
    """The mapping cannot be used as it is: it feeds no name or contact field, or a column that
    looks like consent is not explained by the profile. ``table`` is the mapping table."""

    def __init__(
        self, problem: str, *, headers: Iterable[str] = (), hint: str = "", table: str = ""
    ) -> None:
        self.table = table
        super().__init__(problem, headers=headers, hint=hint)

    def __str__(self) -> str:
        text = super().__str__()
        return f"{text}\n\nmapping:\n{self.table}" if self.table else text


class SourceFormatError(LeadflowError):
    """A source file cannot be read at all: empty, no header row, unsupported type, ...

    ``path`` is the file, ``problem`` says what is wrong with it, ``hint`` what to do, and
    ``line`` the physical line (1-based) when the problem has one.
    """

    def __init__(
        self, path: str | Path, problem: str, hint: str = "", *, line: int | None = None
    ) -> None:
        self.path = str(path)
        self.problem = problem
        self.hint = hint
        self.line = line
        where = f"{Path(self.path).name}" + (f", line {line}" if line is not None else "")
        message = f"{where}: {problem}"
        super().__init__(f"{message}. {hint}" if hint else message)


class ProfileError(LeadflowError):
    """A source profile file is invalid.

    ``path`` is the profile file (or None for an in-memory profile), ``key`` the offending key,
    ``valid`` the accepted keys or values, so the message can list them.
    """

    def __init__(
        self,
        problem: str,
        *,
        path: str | Path | None = None,
        key: str | None = None,
        valid: Iterable[str] = (),
    ) -> None:
        self.problem = problem
        self.path = None if path is None else str(path)
        self.key = key
        self.valid = tuple(valid)
        message = problem
        if key is not None:
            message = f"{key!r}: {message}"
        if self.path is not None:
            message = f"{Path(self.path).name}: {message}"
        if self.valid:
            message += f". Valid choices: {', '.join(self.valid)}"
        super().__init__(message)


class StoreError(LeadflowError):
    """The CRM store cannot be reached or is in an unexpected state.

    ``hint`` says what to do (run migrations, check the database URL, ...).
    """

    def __init__(self, problem: str, hint: str = "") -> None:
        self.problem = problem
        self.hint = hint
        super().__init__(f"{problem}. {hint}" if hint else problem)
