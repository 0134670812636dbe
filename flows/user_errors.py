"""One-line messages for the errors a user causes and can fix: a bad ``--db`` URL, a missing
database, a server that does not answer, an unreadable file, a full disk or a read-only store.

:func:`describe` turns such an exception into ``what is wrong; what to do`` (no traceback, no
password, no cell value); anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

import errno
import re

DB_HINT = (
    "pass --db (or set LEADFLOW_DATABASE_URL) as sqlite:///path/to/leadflow.db "
    "or postgresql+psycopg://user@host:5432/dbname"
)


def _first_line(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return text[0] if text else type(error).__name__


def _os_error(error: OSError) -> str:
    where = f" {error.filename}" if error.filename else ""
    if error.errno == errno.ENOSPC:
        return f"no space left on the device{where}; free some space and run the command again"
    if error.errno == errno.EROFS:
        return f"read-only file system{where}; use a writable folder for the store"
    reason = error.strerror or type(error).__name__
    return f"cannot use{where}: {reason}; check the path and its permissions"


def _database_error(orig: BaseException | None, error: BaseException) -> str:
    text = _first_line(orig if orig is not None else error)
    low = text.lower()
    if missing := re.search(r'database "([^"]+)" does not exist', text):
        return (
            f"the PostgreSQL database {missing.group(1)!r} does not exist; create it "
            f"(createdb {missing.group(1)}) or point --db at an existing one"
        )
    if "password authentication failed" in low or "no password supplied" in low:
        return "PostgreSQL refused the login; check the user and password in --db"
    if "role" in low and "does not exist" in low:
        return f"{text}; check the user name in --db"
    if (
        "connection refused" in low
        or "could not translate host name" in low
        or ("connection to server" in low and "failed" in low)
    ):
        return f"cannot reach the database server ({text}); is it running? {DB_HINT}"
    if "unable to open database file" in low:
        return (
            "cannot open the SQLite store; check that its folder exists and is writable, "
            f"or {DB_HINT}"
        )
    if "readonly database" in low or "read-only" in low:
        return "the store is read-only; make the file and its folder writable, or copy it"
    if "disk is full" in low or "no space left" in low:
        return "the disk holding the store is full; free some space and run the command again"
    if "file is not a database" in low:
        return f"the --db file is not a SQLite store; {DB_HINT}"
    if "database is locked" in low:
        return "the store is busy (another import holds it); try again in a moment"
    return f"the database refused the command ({type(orig or error).__name__}); check --db"


def describe(error: BaseException) -> str | None:
    """The one-line message for a user error, or None when ``error`` is a program bug."""
    module = type(error).__module__
    if module.startswith("sqlalchemy"):
        from sqlalchemy import exc as sa_exc

        if isinstance(error, sa_exc.ArgumentError):  # includes NoSuchModuleError
            return f"not a database URL we can use ({_first_line(error)}); {DB_HINT}"
        if isinstance(error, sa_exc.OperationalError | sa_exc.InterfaceError):
            return _database_error(error.orig, error)
        return None
    if isinstance(error, ModuleNotFoundError) and error.name in {"psycopg2", "MySQLdb", "pymysql"}:
        return f"the database driver {error.name!r} is not installed; {DB_HINT}"
    if isinstance(error, OSError):
        return _os_error(error)
    return None
