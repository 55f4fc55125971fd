"""Storage failures say what happened: real read-only files, a full database, a lock
held by another process, and a file deleted under the open connection.

Each refusal is a `WriteFailed` whose Italian message says the entry was NOT
saved, counted in metrics by cause and logged once; the next write after the
cause goes away succeeds with no restart.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from outside_writer import outside_writer

from bot import messages
from bot.core.faq import FaqEntry, new_entry
from bot.metrics import METRICS
from bot.storage import Database, DatabaseFileGone, FaqRepository, WriteFailed

GUILD = 111
ROOT = Path(__file__).resolve().parents[2]


def failures(cause: str) -> float:
    value = METRICS.registry.get_sample_value(
        "timoniere_faq_write_failures_total", {"cause": cause}
    )
    return value or 0.0


def entry(name: str, answer: str = "Risposta.") -> FaqEntry:
    return new_entry(GUILD, name, f"Domanda su {name}?", answer)


def not_saved_logs(caplog: pytest.LogCaptureFixture, cause: str) -> int:
    return sum(f"FAQ change not saved ({cause})" in r.getMessage() for r in caplog.records)


def child_outcome(command: list[str]) -> tuple[dict[str, Any], str]:
    """Run a child script that must succeed; what it printed as JSON, and its stderr."""
    result = subprocess.run(
        command, capture_output=True, text=True, timeout=60, cwd=ROOT, check=False
    )
    assert result.returncode == 0, result.stderr
    outcome: dict[str, Any] = json.loads(result.stdout)
    return outcome, result.stderr


async def test_a_lock_held_by_another_process_is_reported_and_recovers(
    db_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    db = await Database.open(db_path, busy_timeout_ms=100)
    try:
        repo = FaqRepository(db)
        before = failures("locked")
        with outside_writer(db_path, 30), pytest.raises(WriteFailed) as refused:
            await repo.add(entry("bloccata"), actor_id=1)
        assert refused.value.cause == "locked"
        assert refused.value.message == messages.DB_WRITE_LOCKED
        assert "NON è stata salvata" in refused.value.message
        assert failures("locked") == before + 1
        assert not_saved_logs(caplog, "locked") == 1
        # The lock is gone: the same write now goes through, no restart.
        stored = await repo.add(entry("bloccata"), actor_id=1)
        assert (await repo.get(GUILD, "bloccata")) == stored
    finally:
        await db.close()


async def test_a_full_database_is_reported_and_recovers(
    db: Database, caplog: pytest.LogCaptureFixture
) -> None:
    repo = FaqRepository(db, max_entries=100)
    await repo.add(entry("prima"), actor_id=1)
    row = await db.fetch_one("PRAGMA page_count")
    assert row is not None
    # SQLite's own "database or disk is full" (SQLITE_FULL), reached by capping
    # the file at its current size rather than filling a real disk.
    await db._conn.execute(f"PRAGMA max_page_count = {int(row[0])}")
    before = failures("disk_full")
    with pytest.raises(WriteFailed) as refused:
        await repo.add(entry("grande", answer="parola " * 580), actor_id=1)
    assert refused.value.cause == "disk_full"
    assert refused.value.message == messages.DB_WRITE_DISK_FULL
    assert failures("disk_full") == before + 1
    assert not_saved_logs(caplog, "disk_full") == 1
    assert await repo.get(GUILD, "grande") is None
    await db._conn.execute("PRAGMA max_page_count = 1073741823")  # space again
    await repo.add(entry("grande", answer="parola " * 580), actor_id=1)
    assert await repo.count(GUILD) == 2


_READ_ONLY_CHILD = """
import asyncio, json, logging, sys
from bot.core.faq import FaqEntry, new_entry
from bot.metrics import METRICS
from bot.storage import Database, FaqRepository, WriteFailed

logging.basicConfig(level=logging.INFO, stream=sys.stderr)

async def main():
    db = await Database.open(sys.argv[1])
    result = {}
    try:
        await FaqRepository(db).add(new_entry(1, "nuova", "Domanda?", "Risposta."), 1)
    except WriteFailed as exc:
        result = {"cause": exc.cause, "message": exc.message}
    result["counted"] = METRICS.registry.get_sample_value(
        "timoniere_faq_write_failures_total", {"cause": "read_only"})
    try:
        result["probe"] = await db.probe_write()
    except Exception as exc:
        result["probe"] = type(exc).__name__
    await db.close()
    print(json.dumps(result))

asyncio.run(main())
"""


def _as_a_process_that_cannot_write() -> list[str]:
    """A command prefix under which a file with mode 0444 really is read-only.

    Root ignores file modes; in a new user namespace its capabilities no
    longer apply to files outside that namespace, so the mode counts again.
    """
    if os.geteuid() != 0:
        return []
    unshare = shutil.which("unshare")
    if unshare is None or subprocess.run([unshare, "-U", "true"], check=False).returncode:
        pytest.skip("running as root without a usable `unshare -U`: cannot drop write access")
    return [unshare, "-U"]


async def test_a_read_only_file_is_reported_and_readyz_probe_fails(db_path: Path) -> None:
    async with await Database.open(db_path):
        pass
    db_path.chmod(0o444)
    outcome, stderr = child_outcome(
        [*_as_a_process_that_cannot_write(), sys.executable, "-c", _READ_ONLY_CHILD, str(db_path)]
    )
    assert outcome["cause"] == "read_only", outcome
    assert outcome["message"] == messages.DB_WRITE_READ_ONLY
    assert outcome["counted"] == 1.0
    assert outcome["probe"] == "OperationalError"
    assert stderr.count("FAQ change not saved (read_only)") == 1


async def test_a_deleted_file_refuses_writes_and_says_so_once(
    db_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    db = await Database.open(db_path)
    try:
        repo = FaqRepository(db)
        await repo.add(entry("salvata"), actor_id=1)
        assert await db.probe_write()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db_path}{suffix}").unlink(missing_ok=True)
        before = failures("file_gone")
        caplog.set_level(logging.ERROR)
        for attempt in range(3):
            with pytest.raises(WriteFailed) as refused:
                await repo.add(entry(f"persa-{attempt}"), actor_id=1)
            assert refused.value.cause == "file_gone"
            assert refused.value.message == messages.DB_WRITE_FILE_GONE
        assert failures("file_gone") == before + 3
        gone = [r for r in caplog.records if "deleted or replaced" in r.getMessage()]
        assert len(gone) == 1 and gone[0].levelno == logging.ERROR
        assert not db.file_is_current()
        with pytest.raises(DatabaseFileGone):
            await db.probe_write()
        # Nothing came back at the path: no fresh empty file was created.
        assert not db_path.exists()
        # Reads still work from the open file, so answers keep flowing.
        assert (await repo.get(GUILD, "salvata")) is not None
    finally:
        await db.close()


async def test_a_replaced_file_is_detected_too(db_path: Path) -> None:
    db = await Database.open(db_path)
    try:
        await FaqRepository(db).add(entry("vecchia"), actor_id=1)
        replacement = db_path.with_name("altro.sqlite3")
        shutil.copy(db_path, replacement)
        os.replace(replacement, db_path)  # e.g. a backup restored over the live file
        with pytest.raises(WriteFailed) as refused:
            await FaqRepository(db).add(entry("nuova"), actor_id=1)
        assert refused.value.cause == "file_gone"
    finally:
        await db.close()


async def test_reads_do_not_wait_for_a_write_stuck_behind_another_process(
    db_path: Path,
) -> None:
    db = await Database.open(db_path)  # the production 5 s busy timeout
    try:
        repo = FaqRepository(db)
        await repo.add(entry("visibile"), actor_id=1)
        with outside_writer(db_path, 4):
            write = asyncio.create_task(repo.add(entry("in-attesa"), actor_id=1))
            await asyncio.sleep(0.2)  # the write now waits for the other process
            assert not write.done()
            loop = asyncio.get_running_loop()
            started = loop.time()
            shown = await repo.get(GUILD, "visibile")
            listed = await repo.list_entries(GUILD)
            waited = loop.time() - started
            assert shown is not None and [e.name for e in listed] == ["visibile"]
            # Far below the 4 s the other process holds the lock.
            assert waited < 1.5, waited
            assert not write.done()
        await write  # the lock went away in time: the write lands
        assert await repo.count(GUILD) == 2
    finally:
        await db.close()


_FULL_DISK_CHILD = """
import asyncio, json, subprocess, sys
from pathlib import Path
from bot.core.faq import new_entry
from bot.storage import Database, FaqRepository, WriteFailed

async def main():
    folder = Path(sys.argv[1])
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(folder)], check=True)
    db = await Database.open(folder / "timoniere.sqlite3")
    repo = FaqRepository(db)
    await repo.add(new_entry(1, "prima", "Domanda?", "Risposta."), 1)
    try:
        with (folder / "riempitivo").open("wb") as filler:
            while True:
                filler.write(bytes(4096))
                filler.flush()
    except OSError:
        pass
    result = {"ready_when_full": await db.accepts_writes()}
    try:
        await repo.add(new_entry(1, "seconda", "Altra domanda?", "Risposta. " * 50), 1)
    except WriteFailed as exc:
        result["cause"], result["message"] = exc.cause, exc.message
    (folder / "riempitivo").unlink()
    await repo.add(new_entry(1, "terza", "Terza domanda?", "Risposta."), 1)
    result["ready_after"] = await db.accepts_writes()
    result["names"] = [e.name for e in await repo.all_entries(1)]
    await db.close()
    print(json.dumps(result))

asyncio.run(main())
"""


def test_a_really_full_disk_is_reported_and_recovers_when_space_returns(tmp_path: Path) -> None:
    unshare = shutil.which("unshare")
    namespace = [unshare or "unshare", "-m", "--propagation", "private"]
    if os.geteuid() != 0 or not unshare or subprocess.run([*namespace, "true"]).returncode:
        pytest.skip("a private tmpfs needs root and `unshare -m`")
    folder = tmp_path / "dati"
    folder.mkdir()
    outcome, _ = child_outcome([*namespace, sys.executable, "-c", _FULL_DISK_CHILD, str(folder)])
    assert outcome["ready_when_full"] is False
    assert outcome["cause"] == "disk_full"
    assert outcome["message"] == messages.DB_WRITE_DISK_FULL
    assert outcome["ready_after"] is True
    assert outcome["names"] == ["prima", "terza"]


async def test_a_file_moved_away_and_back_is_accepted_again(
    db_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    async with await Database.open(db_path) as db:
        repo = FaqRepository(db)
        aside = db_path.with_name("spostato.sqlite3")
        db_path.rename(aside)
        with pytest.raises(WriteFailed):
            await repo.add(entry("durante"), actor_id=1)
        aside.rename(db_path)  # the same file (same inode) is back
        await repo.add(entry("dopo"), actor_id=1)
        assert [e.name for e in await repo.all_entries(GUILD)] == ["dopo"]
        assert "is back: accepting writes again" in caplog.text
