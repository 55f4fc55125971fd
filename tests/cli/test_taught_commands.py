"""The console and the lessons: `insegna esporta`, and `ask --guild` answering as taught."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import yaml
from console_process import bot

from bot import messages
from bot.storage import Database, LessonStore, ReviewQueue

ROOT = Path(__file__).resolve().parents[2]
GUILD = 42
TAUGHT = "se si spegne la macchina del database che fine fanno i dati?"


async def teach(path: Path) -> None:
    async with await Database.open(path, create=True) as db:
        queue = ReviewQueue(db)
        await queue.add(GUILD, TAUGHT, "unanswered")
        (item,) = await queue.waiting(GUILD)
        await LessonStore(db).teach(
            GUILD, item.id, "feature", actor_id=1, feature="failover", system="both"
        )


def test_export_and_ask_follow_the_lessons(tmp_path: Path) -> None:
    db = tmp_path / "db.sqlite3"
    asyncio.run(teach(db))

    exported = bot("insegna", "esporta", "--guild", str(GUILD), "--db", str(db))
    assert exported.returncode == 0, exported.stderr
    assert exported.stdout.startswith("# ")
    data = yaml.safe_load(exported.stdout)
    assert data["features"] == [{"id": "failover", "examples": [TAUGHT]}]

    paraphrase = "che fine fanno i dati se la macchina del database si spegne?"
    asked = bot("ask", "--json", "--guild", str(GUILD), "--db", str(db), paraphrase)
    assert json.loads(asked.stdout)["feature"] == "failover"
    other = bot("ask", "--json", "--guild", "7", "--db", str(db), paraphrase)
    assert json.loads(other.stdout)["kind"] == "unknown"

    empty = bot("insegna", "esporta", "--guild", "7", "--db", str(db))
    assert (empty.returncode, empty.stdout) == (0, "")
    assert empty.stderr.strip() == messages.TEACH_EXPORT_EMPTY
    missing = bot("insegna", "esporta", "--guild", "7", "--db", str(tmp_path / "nessuno.db"))
    assert missing.returncode == 1 and "Traceback" not in missing.stderr
