"""One fault of `storage_faults.py`, in its own process, with `bot` from PYTHONPATH.

    python storage_fault_child.py FAULT DB_PATH SEEDED ATTEMPTS

FAULT "seed" only saves SEEDED entries (the parent then makes the file
read-only). Prints one JSON line. Works with any revision of `bot/` since the
storage package existed: the readiness check falls back to `SELECT 1`.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import bot
from bot.core.faq import new_entry
from bot.storage import Database, FaqRepository

GUILD = 1
HOLD_LOCK = """
import sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN IMMEDIATE")
conn.execute("UPDATE faq_entries SET answer = answer WHERE id = -1")
print("locked", flush=True)
time.sleep(30)
"""


async def ready(db: Any) -> bool:
    probe = getattr(db, "accepts_writes", None)
    if probe is not None:
        return bool(await probe())
    try:
        return await db.fetch_one("SELECT 1") is not None
    except Exception:
        return False


async def seed(repo: FaqRepository, count: int) -> None:
    for i in range(count):
        await repo.add(new_entry(GUILD, f"prima-{i}", f"Domanda numero {i}?", "Risposta."), 1)


async def inject(fault: str, db: Any, path: Path) -> subprocess.Popen[str] | None:
    if fault == "deleted":
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    elif fault == "replaced":  # e.g. a backup restored over the live file
        copy = path.with_name("copia.sqlite3")
        shutil.copy(path, copy)
        os.replace(copy, path)
    elif fault == "disk_full_fs":  # a real full filesystem (a 1 MiB tmpfs)
        try:
            with (path.parent / "filler").open("wb") as filler:
                while True:
                    filler.write(b"\0" * 4096)
                    filler.flush()
        except OSError:
            pass
    elif fault == "disk_full":  # SQLITE_FULL by capping the file at its size
        row = await db.fetch_one("PRAGMA page_count")
        await db._conn.execute(f"PRAGMA max_page_count = {int(row[0])}")
    elif fault == "locked":  # another process holds the write lock
        await db._conn.execute("PRAGMA busy_timeout = 200")
        holder = subprocess.Popen(
            [sys.executable, "-c", HOLD_LOCK, str(path)], stdout=subprocess.PIPE, text=True
        )
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        return holder
    return None


def text_of(error: BaseException) -> str:
    return str(getattr(error, "message", error))


async def main(fault: str, path: Path, seeded: int, attempts: int) -> None:
    if fault == "disk_full_fs":  # run under `unshare -m`: the mount is ours alone
        mount = ["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(path.parent)]
        subprocess.run(mount, check=True)
    db = await Database.open(path)
    repo = FaqRepository(db, max_entries=10_000)
    if fault == "seed":
        await seed(repo, seeded)
        await db.close()
        return
    if fault != "read_only":  # the parent seeded it before making it read-only
        await seed(repo, seeded)
    holder = await inject(fault, db, path)
    ready_during = await ready(db)
    answer = "Risposta lunga. " * 30
    results = await asyncio.gather(
        *(
            repo.add(new_entry(GUILD, f"durante-{i}", f"Domanda durante {i}?", answer), 1)
            for i in range(attempts)
        ),
        return_exceptions=True,
    )
    confirmed = [r.name for r in results if not isinstance(r, BaseException)]
    refusals = [r for r in results if isinstance(r, BaseException)]
    if holder is not None:
        holder.kill()
        holder.wait()
    await db.close()
    present: set[str] = set()
    if path.exists():
        with sqlite3.connect(path) as conn:
            present = {row[0] for row in conn.execute("SELECT name FROM faq_entries")}
    first = f"{type(refusals[0]).__name__}: {text_of(refusals[0])}" if refusals else ""
    outcome = {
        "code": str(Path(bot.__file__).parent),
        "ready": ready_during,
        "confirmed": len(confirmed),
        "refused": len(refusals),
        "refused_says_not_saved": sum("NON" in text_of(r) for r in refusals),
        "refusal": first,
        "lost": len([name for name in confirmed if name not in present]),
    }
    print(json.dumps(outcome, ensure_ascii=False))


if __name__ == "__main__":
    fault, path, seeded, attempts = sys.argv[1:]
    asyncio.run(main(fault, Path(path), int(seeded), int(attempts)))
