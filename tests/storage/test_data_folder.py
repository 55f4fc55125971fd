"""One bot per database, no silent fresh database, and changes from other processes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from bot import messages
from bot.core.faq import new_entry
from bot.storage import (
    AlreadyRunning,
    Database,
    DatabaseMissing,
    FaqChangeWatcher,
    FaqRepository,
    ProcessLock,
)

ROOT = Path(__file__).resolve().parents[2]
GUILD = 111


def hold_lock(db_path: Path) -> subprocess.Popen[str]:
    script = textwrap.dedent(
        """
        import sys, time
        from pathlib import Path
        from bot.storage import ProcessLock
        ProcessLock(Path(sys.argv[1])).acquire()
        print("held", flush=True)
        time.sleep(60)
        """
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", script, str(db_path)], stdout=subprocess.PIPE, text=True, cwd=ROOT
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "held"
    return proc


def test_a_second_process_is_refused_with_the_first_ones_pid(db_path: Path) -> None:
    holder = hold_lock(db_path)
    try:
        with pytest.raises(AlreadyRunning) as refused:
            ProcessLock(db_path).acquire()
        assert refused.value.pid == holder.pid
        assert refused.value.message == messages.DB_ALREADY_IN_USE.format(
            path=db_path, pid=holder.pid
        )
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait()
    # The kernel dropped the lock with the killed process: no stale lock.
    lock = ProcessLock(db_path)
    lock.acquire()
    assert lock.path.read_text().strip() == str(os.getpid())
    lock.release()


async def test_a_first_run_creates_the_database(db_path: Path) -> None:
    async with await Database.open(db_path) as db:
        assert await db.integrity_check() == "ok"
    assert db_path.exists()


async def test_a_deleted_database_is_not_silently_recreated(db_path: Path) -> None:
    async with await Database.open(db_path) as db:
        await FaqRepository(db).add(new_entry(GUILD, "a", "Domanda?", "Risposta."), 1)
    lock = ProcessLock(db_path)
    lock.acquire()  # as a bot that ran here would have
    lock.release()
    db_path.unlink()

    with pytest.raises(DatabaseMissing) as refused:
        await Database.open(db_path)
    assert "--init" in refused.value.message
    assert refused.value.evidence == [lock.path.name]
    assert not db_path.exists()

    async with await Database.open(db_path, create=True) as db:  # `run --init`
        assert await FaqRepository(db).count(GUILD) == 0


async def test_other_state_files_count_as_evidence(db_path: Path) -> None:
    db_path.parent.mkdir(parents=True)
    (db_path.parent / "command-sync.json").write_text("{}")
    from bot.storage import check_may_create

    with pytest.raises(DatabaseMissing):
        check_may_create(db_path, init=False, other_state=["command-sync.json"])
    check_may_create(db_path, init=True, other_state=["command-sync.json"])


async def test_the_watcher_wakes_up_only_for_other_processes(db_path: Path) -> None:
    async with await Database.open(db_path) as db:
        repo = FaqRepository(db)
        watcher = FaqChangeWatcher(db)
        await watcher.start()
        assert await watcher.changed_guilds() == set()
        await repo.add(new_entry(GUILD, "nostra", "Domanda nostra?", "Risposta."), 1)
        assert await watcher.changed_guilds() == set()  # our own write

        console = subprocess.run(
            [
                sys.executable,
                "-m",
                "bot",
                "faq",
                "add",
                "--guild",
                "222",
                "--question",
                "Dove si parcheggia?",
                "--answer",
                "Nel cortile.",
                "--db",
                str(db_path),
            ],
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=60,
            check=False,
        )
        assert console.returncode == 0, console.stderr
        # Once another process wrote, every server changed since the last look is
        # reported (ours included: reloading it is harmless), and only once.
        assert await watcher.changed_guilds() == {111, 222}
        assert await watcher.changed_guilds() == set()
