"""The folder around the database file: one process per database, and no silent
fresh start where a database used to be.

A bot holds an exclusive `flock` on `<database>.lock` for its whole life; the
kernel drops it when the process dies (even by SIGKILL), so a crash never leaves
a stale lock behind. The console's `faq` commands take no lock: SQLite already
serialises their writes with the bot's, and the bot picks up their changes.

A database file that is missing although the folder shows Timoniere ran there
before (its lock file, the `-wal` file, the bot's other state files) was
deleted or moved: creating an empty one in its place would hide the loss, so
that needs an explicit `--init`.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterable
from pathlib import Path

from bot import messages as msg
from bot.storage.errors import DatabaseError


class DataFolderError(DatabaseError):
    """A refusal about the data folder; `message` is Italian."""


class AlreadyRunning(DataFolderError):
    """Another bot process holds the database's lock."""

    def __init__(self, path: Path, pid: int | None) -> None:
        other = str(pid) if pid is not None else "?"
        super().__init__(msg.DB_ALREADY_IN_USE.format(path=path, pid=other))
        self.pid = pid


class DatabaseMissing(DataFolderError):
    """The database is gone from a folder that shows it existed."""

    def __init__(self, path: Path, evidence: list[str]) -> None:
        super().__init__(
            msg.DB_MISSING_NEEDS_INIT.format(
                path=path, folder=path.parent, evidence=", ".join(evidence)
            )
        )
        self.evidence = evidence


def lock_path(database: Path) -> Path:
    return database.with_name(database.name + ".lock")


def traces_of_a_database(database: Path, other_state: Iterable[str] = ()) -> list[str]:
    """Files next to `database` that show a database was in use there (names only)."""
    names = [
        lock_path(database).name,
        database.name + "-wal",
        database.name + "-shm",
        *other_state,
    ]
    return [name for name in names if (database.parent / name).exists()]


def check_may_create(database: Path, *, init: bool, other_state: Iterable[str] = ()) -> None:
    """Raise DatabaseMissing if `database` is absent but the folder shows it existed.

    A first run (no file, no traces) may create it; `init` allows it anyway.
    """
    if init or database.exists():
        return
    evidence = traces_of_a_database(database, other_state)
    if evidence:
        raise DatabaseMissing(database, evidence)


class ProcessLock:
    """An exclusive lock on `<database>.lock`, held until `release()` or process exit.

    The file keeps the holder's pid so a refused second process can name it.
    The file itself is never removed: unlinking a lock file while another
    process waits on it would let two processes lock two different files.
    """

    def __init__(self, database: Path) -> None:
        self.database = database
        self.path = lock_path(database)
        self._fd: int | None = None

    def acquire(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _read_pid(fd)
            os.close(fd)
            raise AlreadyRunning(self.database, holder) from None
        except BaseException:
            os.close(fd)
            raise
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode("ascii"), 0)
        self._fd = fd

    def release(self) -> None:
        fd, self._fd = self._fd, None
        if fd is not None:
            os.close(fd)  # closing drops the flock

    @property
    def held(self) -> bool:
        return self._fd is not None


def _read_pid(fd: int) -> int | None:
    try:
        text = os.pread(fd, 32, 0).decode("ascii", errors="replace").strip()
    except OSError:
        return None
    return int(text) if text.isdigit() else None
