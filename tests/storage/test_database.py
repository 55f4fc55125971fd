"""Opening the SQLite file: pragmas, numbered migrations, refusal of newer schemas."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest

from bot.core.faq import new_entry
from bot.storage import Database, DatabaseError, DatabaseTooNew, FaqRepository
from bot.storage.database import Migration, load_migrations, split_statements

LATEST = len(load_migrations())


def tables(path: Path) -> set[str]:
    with sqlite3.connect(path) as conn:
        rows = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
    conn.close()
    return {row[0] for row in rows}


def user_version(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return int(conn.execute("PRAGMA user_version").fetchone()[0])
    finally:
        conn.close()


async def test_open_creates_folders_and_sets_pragmas(db_path: Path) -> None:
    assert not db_path.parent.exists()
    async with await Database.open(db_path) as db:
        assert db_path.is_file()
        pragmas = {}
        for name in ("journal_mode", "foreign_keys", "synchronous", "busy_timeout"):
            row = await db.fetch_one(f"PRAGMA {name}")
            assert row is not None
            pragmas[name] = row[0]
        assert pragmas == {
            "journal_mode": "wal",
            "foreign_keys": 1,
            "synchronous": 2,  # FULL
            "busy_timeout": 5000,
        }
        assert await db.schema_version() == LATEST
        assert await db.integrity_check() == "ok"
    assert {
        "faq_entries",
        "faq_phrasings",
        "faq_history",
        "unanswered_questions",
        "answer_feedback",
    } <= tables(db_path)


async def test_reopening_is_idempotent(db_path: Path) -> None:
    for _ in range(3):
        async with await Database.open(db_path) as db:
            assert await db.schema_version() == LATEST


def test_migrations_are_numbered_without_gaps() -> None:
    migrations = load_migrations()
    assert [m.version for m in migrations] == list(range(1, LATEST + 1))
    assert migrations[0].name == "0001_initial.sql"


async def test_upgrade_in_place_from_version_1(db_path: Path) -> None:
    # An older file, built by hand the way version 1 of the code left it.
    db_path.parent.mkdir(parents=True)
    conn = sqlite3.connect(db_path)
    conn.executescript(load_migrations()[0].sql)
    conn.execute("PRAGMA user_version = 1")
    conn.execute(
        "INSERT INTO faq_entries (guild_id, name, question, answer, author_id, created_at,"
        " updated_at) VALUES (5, 'vecchia', 'Domanda?', 'Risposta.', 9,"
        " '2024-01-01T00:00:00+00:00', '2024-01-01T00:00:00+00:00')"
    )
    conn.execute("INSERT INTO faq_phrasings VALUES (1, 0, 'variante')")
    conn.commit()
    conn.close()
    assert "unanswered_questions" not in tables(db_path)

    async with await Database.open(db_path) as db:
        assert await db.schema_version() == LATEST
        entry = await FaqRepository(db).get(5, "vecchia")
        assert entry is not None
        assert (entry.question, entry.phrasings, entry.author_id) == ("Domanda?", ("variante",), 9)
        row = await db.fetch_one("SELECT COUNT(*) FROM unanswered_questions")
        assert row is not None and row[0] == 0
    assert user_version(db_path) == LATEST


async def test_newer_schema_is_refused_and_left_untouched(db_path: Path) -> None:
    db_path.parent.mkdir(parents=True)
    conn = sqlite3.connect(db_path)
    conn.execute("CREATE TABLE dal_futuro (x)")
    conn.execute("PRAGMA user_version = 99")
    conn.commit()
    conn.close()

    with pytest.raises(DatabaseTooNew) as error:
        await Database.open(db_path)
    assert error.value.found == 99
    assert error.value.supported == LATEST
    assert "versione 99" in error.value.message
    assert f"solo alla {LATEST}" in error.value.message
    assert user_version(db_path) == 99
    assert tables(db_path) == {"dal_futuro"}
    conn = sqlite3.connect(db_path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"  # not switched to WAL
    conn.close()


async def test_failed_migration_rolls_back_completely(db_path: Path) -> None:
    async with await Database.open(db_path):
        pass
    broken = Migration(
        LATEST + 1,
        f"{LATEST + 1:04d}_broken.sql",
        "CREATE TABLE mezza (x INTEGER);\nINSERT INTO tabella_che_non_esiste VALUES (1);\n",
    )
    with pytest.raises(sqlite3.OperationalError):
        await Database.open(db_path, migrations=[*load_migrations(), broken])
    assert user_version(db_path) == LATEST
    assert "mezza" not in tables(db_path)
    async with await Database.open(db_path) as db:  # still usable afterwards
        assert await db.integrity_check() == "ok"


async def test_migration_gap_is_refused(db_path: Path) -> None:
    gap = [Migration(1, "0001_a.sql", "SELECT 1;"), Migration(3, "0003_c.sql", "SELECT 1;")]
    with pytest.raises(DatabaseError, match="attesa la 0002"):
        await Database.open(db_path, migrations=gap)


def test_split_statements_keeps_trigger_bodies_whole() -> None:
    script = """
    -- a comment; with a semicolon
    CREATE TABLE t (x);
    CREATE TRIGGER t_no_delete BEFORE DELETE ON t
    BEGIN
        SELECT RAISE(ABORT, 'no; really');
    END;
    INSERT INTO t VALUES ('a;b');
    """
    statements = split_statements(script)
    assert len(statements) == 3
    assert statements[1].startswith("CREATE TRIGGER") and statements[1].endswith("END;")


async def test_history_is_append_only(db: Database) -> None:
    await FaqRepository(db).add(new_entry(1, "a", "Domanda?", "Risposta."), actor_id=1)
    for statement in ("UPDATE faq_history SET actor_id = 2", "DELETE FROM faq_history"):
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            async with db.transaction() as conn:
                await conn.execute(statement)
    row = await db.fetch_one("SELECT COUNT(*), MAX(actor_id) FROM faq_history")
    assert row is not None and tuple(row) == (1, 1)


async def test_two_connections_write_concurrently(db_path: Path) -> None:
    first = await Database.open(db_path)
    second = await Database.open(db_path)
    try:

        async def writer(db: Database, prefix: str) -> None:
            repo = FaqRepository(db, max_entries=100)
            for i in range(10):
                await repo.add(new_entry(1, f"{prefix}-{i}", "Domanda?", "Risposta."), 1)

        await asyncio.gather(writer(first, "uno"), writer(second, "due"))
        assert await FaqRepository(first).count(1) == 20
    finally:
        await first.close()
        await second.close()


async def test_coroutines_sharing_a_connection_do_not_mix_transactions(db: Database) -> None:
    repo = FaqRepository(db, max_entries=5)
    results = await asyncio.gather(
        *(repo.add(new_entry(1, f"voce-{i}", "Domanda?", "Risposta."), 1) for i in range(8)),
        return_exceptions=True,
    )
    failures = [r for r in results if isinstance(r, Exception)]
    assert len(failures) == 3 and all("massimo" in str(f) for f in failures)
    assert await repo.count(1) == 5
