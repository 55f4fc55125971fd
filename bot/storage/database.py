"""The one SQLite file: connection settings, transactions and schema migrations.

Durability choices:

* `journal_mode=WAL`: readers never block the writer, and a commit is a single
  append to the `-wal` file, so a process killed at any instant (SIGKILL, OOM
  killer, container stop timeout) leaves either the whole transaction or none
  of it; the next connection replays or ignores the log automatically.
* `synchronous=FULL`: in WAL mode `NORMAL` already survives the death of the
  *process* (the committed frames sit in the OS page cache), but a power cut
  or kernel crash could lose the last commits. `FULL` fsyncs the WAL on every
  commit, so anything we reported as saved stays saved even then. Writes here
  are rare (moderator edits, one upsert per unanswered question or vote), so
  the extra fsync costs nothing noticeable.
* `busy_timeout`: another process (the console `faq` command while the bot
  runs) may hold the write lock for a moment; wait for it instead of failing.
* `foreign_keys=ON`: SQLite leaves it off by default, per connection.

Two connections: writes use one, reads another (`query_only`). In WAL mode a
reader never waits for a writer, so `/faq-mostra` keeps answering while a write
waits out another process's lock.

The file under the connection is checked before every write: if the path now
names another file or none (deleted, replaced), writes go into a file nobody
will ever open again, so they are refused (`DatabaseFileGone`) instead.

Every write goes through `transaction()`, which starts with `BEGIN IMMEDIATE`
so that read-check-write sequences (caps, unique names) cannot race with
another process. An asyncio lock keeps coroutines sharing this connection from
interleaving statements inside someone else's transaction.
"""

from __future__ import annotations

import asyncio
import logging
import os
import re
import sqlite3
from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import aiosqlite

from bot import messages as msg
from bot.storage.data_folder import check_may_create
from bot.storage.errors import DatabaseError as DatabaseError
from bot.storage.failures import DatabaseFileGone

log = logging.getLogger(__name__)

BUSY_TIMEOUT_MS = 5000
_MIGRATION_FILE_RE = re.compile(r"(\d{4})_[a-z0-9_]+\.sql")

Params = Sequence[Any]


class DatabaseTooNew(DatabaseError):
    """The file was written by a newer Timoniere whose schema we do not know."""

    def __init__(self, path: Path, found: int, supported: int) -> None:
        super().__init__(msg.DB_TOO_NEW.format(path=path, found=found, supported=supported))
        self.found = found
        self.supported = supported


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str


def load_migrations() -> list[Migration]:
    """The numbered `.sql` files shipped in `bot/storage/migrations`, in order."""
    folder = resources.files("bot.storage").joinpath("migrations")
    found = []
    for item in folder.iterdir():
        match = _MIGRATION_FILE_RE.fullmatch(item.name)
        if match:
            found.append(Migration(int(match.group(1)), item.name, item.read_text("utf-8")))
    return check_migrations(found)


def check_migrations(migrations: Iterable[Migration]) -> list[Migration]:
    ordered = sorted(migrations, key=lambda m: m.version)
    for expected, migration in enumerate(ordered, start=1):
        if migration.version != expected:
            raise DatabaseError(
                msg.DB_MIGRATION_GAP.format(expected=expected, found=migration.name)
            )
    return ordered


def split_statements(script: str) -> list[str]:
    """Split a SQL script into complete statements (trigger bodies stay whole).

    `executescript` would silently COMMIT any open transaction first, so
    migrations run statement by statement inside our own transaction instead.
    """
    statements: list[str] = []
    buffer = ""
    for line in script.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            if buffer.strip():
                statements.append(buffer.strip())
            buffer = ""
    if buffer.strip() and not all(
        ln.strip().startswith("--") or not ln.strip() for ln in buffer.splitlines()
    ):
        statements.append(buffer.strip())
    return statements


class Database:
    """An open SQLite file, migrated to the schema this code knows."""

    def __init__(self, conn: aiosqlite.Connection, path: Path) -> None:
        self._conn = conn
        self._lock = asyncio.Lock()
        self._reader: aiosqlite.Connection | None = None
        self._read_lock = asyncio.Lock()
        self.path = path
        self._identity = _file_identity(path)
        self._gone = False

    @classmethod
    async def open(
        cls,
        path: Path | str,
        *,
        busy_timeout_ms: int = BUSY_TIMEOUT_MS,
        migrations: Sequence[Migration] | None = None,
        create: bool = False,
    ) -> Database:
        """Open and migrate, creating parent folders and the file if needed.

        A missing file is created only on a first run (nothing in its folder
        shows a database was there) or with `create=True` (`--init`).
        """
        path = Path(path)
        check_may_create(path, init=create)
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = await aiosqlite.connect(path, isolation_level=None)
        reader: aiosqlite.Connection | None = None
        try:
            conn.row_factory = aiosqlite.Row
            await conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
            known = check_migrations(load_migrations() if migrations is None else migrations)
            # Refuse a newer file before changing anything in it (even the journal mode).
            async with conn.execute("PRAGMA user_version") as cursor:
                version_row = await cursor.fetchone()
            found = int(version_row[0]) if version_row else 0
            supported = known[-1].version if known else 0
            if found > supported:
                raise DatabaseTooNew(path, found, supported)
            async with conn.execute("PRAGMA journal_mode = WAL") as cursor:
                row = await cursor.fetchone()
            if row is None or str(row[0]).lower() != "wal":
                raise DatabaseError(msg.DB_NO_WAL.format(path=path))
            await conn.execute("PRAGMA synchronous = FULL")
            await conn.execute("PRAGMA foreign_keys = ON")
            db = cls(conn, path)
            await db.migrate(known)
            reader = await aiosqlite.connect(path, isolation_level=None)
            reader.row_factory = aiosqlite.Row
            await reader.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
            await reader.execute("PRAGMA synchronous = FULL")
            await reader.execute("PRAGMA foreign_keys = ON")
            await reader.execute("PRAGMA query_only = ON")
            db._reader = reader
        except BaseException:
            if reader is not None:
                await reader.close()
            await conn.close()
            raise
        return db

    async def close(self) -> None:
        async with self._read_lock:
            reader, self._reader = self._reader, None
            if reader is not None:
                await reader.close()
        async with self._lock:
            await self._conn.close()

    # --- the file under the connection -------------------------------------------

    def file_is_current(self) -> bool:
        """True while the configured path still names the file this connection writes."""
        current = self._identity is not None and _file_identity(self.path) == self._identity
        if current == (not self._gone):
            return current
        self._gone = not current
        # Logged on each change only: every refused write says so to its author.
        if current:  # moved away and back (same inode): nothing was lost
            log.warning("the database file %s is back: accepting writes again", self.path)
        else:
            log.error(
                "the database file %s was deleted or replaced while open: refusing writes"
                " (restore it from a backup and restart)",
                self.path,
            )
        return current

    def _check_file(self) -> None:
        if not self.file_is_current():
            raise DatabaseFileGone(f"{self.path} is no longer the file this bot opened")

    async def probe_write(self) -> bool:
        """A tiny real write: True if the database accepts writes right now."""
        async with self.transaction() as conn:
            await conn.execute(
                "INSERT INTO health_probe (id, at) VALUES (1, datetime('now'))"
                " ON CONFLICT (id) DO UPDATE SET at = excluded.at"
            )
        return True

    async def accepts_writes(self) -> bool:
        """Readiness: the file is still ours and a tiny write goes through."""
        if not self.file_is_current():
            return False
        try:
            return await self.probe_write()
        except sqlite3.Error as exc:
            log.warning("the database refused the readiness probe write: %s", exc)
            return False

    async def data_version(self) -> int:
        """Changes when another connection (another process) commits, not for our own."""
        async with self._lock, self._conn.execute("PRAGMA data_version") as cursor:
            row = await cursor.fetchone()
        return int(row[0]) if row else 0

    async def __aenter__(self) -> Database:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    # --- schema ---------------------------------------------------------------

    async def schema_version(self) -> int:
        async with self._lock, self._conn.execute("PRAGMA user_version") as cursor:
            row = await cursor.fetchone()
        return int(row[0]) if row else 0

    async def migrate(self, migrations: Sequence[Migration]) -> None:
        """Apply every migration newer than `PRAGMA user_version`, each atomically."""
        ordered = check_migrations(migrations)
        latest = ordered[-1].version if ordered else 0
        for migration in ordered:
            async with self.transaction() as conn:
                # Read inside the write transaction: another process may have
                # migrated the file between our checks.
                async with conn.execute("PRAGMA user_version") as cursor:
                    row = await cursor.fetchone()
                current = int(row[0]) if row else 0
                if current > latest:
                    raise DatabaseTooNew(self.path, current, latest)
                if current >= migration.version:
                    continue
                for statement in split_statements(migration.sql):
                    await conn.execute(statement)
                # PRAGMA does not accept bound parameters; the value is our own int.
                await conn.execute(f"PRAGMA user_version = {int(migration.version)}")
        current = await self.schema_version()
        if current > latest:
            raise DatabaseTooNew(self.path, current, latest)

    # --- access ---------------------------------------------------------------

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """A write transaction (`BEGIN IMMEDIATE`): commit on success, else roll back.

        Inside, query through the yielded connection (see `fetch_all`/`fetch_one`
        below), never through `self.fetch_*`: the lock is not re-entrant.
        """
        async with self._lock:
            self._check_file()
            await self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
                await self._conn.execute("COMMIT")
            except BaseException:
                # SQLite already rolled back after some errors (SQLITE_FULL, for
                # one); a second ROLLBACK would fail and hide the real cause.
                if self._conn.in_transaction:
                    await self._conn.execute("ROLLBACK")
                raise

    def _read_conn(self) -> aiosqlite.Connection:
        return self._conn if self._reader is None else self._reader

    @asynccontextmanager
    async def snapshot(self) -> AsyncIterator[aiosqlite.Connection]:
        """A read transaction: several queries see one consistent state."""
        async with self._read_lock:
            conn = self._read_conn()
            await conn.execute("BEGIN")
            try:
                yield conn
            finally:
                await conn.execute("COMMIT")

    async def fetch_all(self, sql: str, params: Params = ()) -> list[sqlite3.Row]:
        async with self._read_lock, self._read_conn().execute(sql, params) as cursor:
            return list(await cursor.fetchall())

    async def fetch_one(self, sql: str, params: Params = ()) -> sqlite3.Row | None:
        async with self._read_lock, self._read_conn().execute(sql, params) as cursor:
            return await cursor.fetchone()

    async def integrity_check(self) -> str:
        row = await self.fetch_one("PRAGMA integrity_check")
        return str(row[0]) if row else ""


def _file_identity(path: Path) -> tuple[int, int] | None:
    try:
        stat = os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        return None
    return (stat.st_dev, stat.st_ino)


async def fetch_all(conn: aiosqlite.Connection, sql: str, params: Params = ()) -> list[sqlite3.Row]:
    """Run a query on a connection already inside `transaction()`/`snapshot()`."""
    async with conn.execute(sql, params) as cursor:
        return list(await cursor.fetchall())


async def fetch_one(
    conn: aiosqlite.Connection, sql: str, params: Params = ()
) -> sqlite3.Row | None:
    async with conn.execute(sql, params) as cursor:
        return await cursor.fetchone()
