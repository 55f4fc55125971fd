"""Why a write failed, in words a moderator can act on.

SQLite reports a read-only file, a full disk and a lock held too long with
distinct result codes; each becomes its own cause, its own Italian message
(every one says that nothing was saved) and its own metrics label.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Final

import aiosqlite

from bot import messages as msg
from bot.core.faq import FaqError
from bot.metrics import WriteFailureCause

if TYPE_CHECKING:
    from bot.storage.database import Database

_MESSAGES: Final[dict[str, str]] = {
    "read_only": msg.DB_WRITE_READ_ONLY,
    "disk_full": msg.DB_WRITE_DISK_FULL,
    "locked": msg.DB_WRITE_LOCKED,
    "file_gone": msg.DB_WRITE_FILE_GONE,
    "other": msg.DB_WRITE_FAILED,
}

# Primary result codes (the low byte of an extended code).
_BY_CODE: Final[dict[int, WriteFailureCause]] = {
    sqlite3.SQLITE_READONLY: "read_only",
    sqlite3.SQLITE_CANTOPEN: "read_only",  # e.g. the -wal file cannot be created
    sqlite3.SQLITE_FULL: "disk_full",
    sqlite3.SQLITE_BUSY: "locked",
    sqlite3.SQLITE_LOCKED: "locked",
}


class DatabaseFileGone(sqlite3.OperationalError):
    """The file at the configured path is no longer the one this connection has open.

    A sqlite3 error on purpose: callers that already treat database errors as
    "bookkeeping failed, carry on" (unanswered log, votes) keep doing so.
    """


def failure_cause(error: sqlite3.Error) -> WriteFailureCause:
    if isinstance(error, DatabaseFileGone):
        return "file_gone"
    code = getattr(error, "sqlite_errorcode", None)
    if isinstance(code, int) and (code & 0xFF) in _BY_CODE:
        return _BY_CODE[code & 0xFF]
    return "other"


class WriteFailed(FaqError):
    """A FAQ change the database refused; `message` says why and that nothing was saved."""

    def __init__(self, cause: WriteFailureCause) -> None:
        super().__init__(_MESSAGES[cause])
        self.cause = cause


@asynccontextmanager
async def explained_transaction(
    db: Database,
    failed: Callable[[WriteFailureCause], Exception],
    *,
    log: logging.Logger,
    what: str,
) -> AsyncIterator[aiosqlite.Connection]:
    """A write transaction whose database failures become `failed(cause)`, logged as
    "`what` not saved (cause)" on the caller's logger.

    The FAQ and the server settings both tell a moderator why a change was lost.
    """
    try:
        async with db.transaction() as conn:
            yield conn
    except sqlite3.IntegrityError:
        raise  # a broken invariant (a bug), not a state of the disk
    except sqlite3.Error as exc:
        cause = failure_cause(exc)
        if cause != "file_gone":  # the database logged that once already
            log.error("%s not saved (%s): %s", what, cause, exc)
        raise failed(cause) from exc
