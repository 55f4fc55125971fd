"""Questions waiting for a moderator: voted 👎, or left unanswered (issue 9, item 5)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Final, Literal

import aiosqlite

from bot.core.text import normalize
from bot.storage.convert import time_from_text, time_to_text, utc_now
from bot.storage.database import Database, fetch_one

Reason = Literal["unhelpful", "unanswered"]
DEFAULT_MAX_WAITING: Final = 1000
NORMALIZED_MAX: Final = 300
QUESTION_MAX: Final = 500

_COLUMNS: Final = (
    "id, guild_id, normalized, question, reason, answer_kind, subject, count,"
    " first_seen, last_seen, lesson_id"
)


@dataclass(frozen=True)
class ReviewItem:
    id: int
    guild_id: int
    normalized: str
    question: str
    reason: Reason
    answer_kind: str | None
    subject: str | None
    count: int
    first_seen: datetime
    last_seen: datetime
    lesson_id: int | None  # the lesson that settled it; None while waiting


def review_item(row: aiosqlite.Row) -> ReviewItem:
    return ReviewItem(
        id=int(row["id"]),
        guild_id=int(row["guild_id"]),
        normalized=row["normalized"],
        question=row["question"],
        reason=row["reason"],
        answer_kind=row["answer_kind"],
        subject=row["subject"],
        count=int(row["count"]),
        first_seen=time_from_text(row["first_seen"]),
        last_seen=time_from_text(row["last_seen"]),
        lesson_id=None if row["lesson_id"] is None else int(row["lesson_id"]),
    )


async def fetch_item(conn: aiosqlite.Connection, guild_id: int, item_id: int) -> ReviewItem | None:
    row = await fetch_one(
        conn,
        f"SELECT {_COLUMNS} FROM review_queue WHERE guild_id = ? AND id = ?",
        (guild_id, item_id),
    )
    return None if row is None else review_item(row)


class ReviewQueue:
    """One row per guild and normalized question, counted; bounded like the unanswered log.

    A question settled by a lesson stays settled when it comes up again (its
    count still grows); undoing the lesson puts it back in the queue.
    """

    def __init__(
        self,
        db: Database,
        *,
        max_waiting: int = DEFAULT_MAX_WAITING,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self._db = db
        self.max_waiting = max_waiting
        self._clock = clock

    async def add(
        self,
        guild_id: int,
        question: str,
        reason: Reason,
        *,
        answer_kind: str | None = None,
        subject: str | None = None,
    ) -> None:
        """Queue a question (or count it again); the latest reason and answer are kept."""
        key = normalize(question)[:NORMALIZED_MAX]
        text = " ".join(question.split())[:QUESTION_MAX]
        if not key or not self._db.file_is_current():
            return  # bookkeeping only; the database logged the lost file once
        now = time_to_text(self._clock())
        async with self._db.transaction() as conn:
            row = await fetch_one(
                conn,
                "INSERT INTO review_queue (guild_id, normalized, question, reason,"
                " answer_kind, subject, count, first_seen, last_seen)"
                " VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?)"
                " ON CONFLICT (guild_id, normalized) DO UPDATE SET"
                " count = count + 1, last_seen = excluded.last_seen, reason = excluded.reason,"
                " answer_kind = excluded.answer_kind, subject = excluded.subject"
                " RETURNING count",
                (guild_id, key, text, reason, answer_kind, subject, now, now),
            )
            if row is not None and int(row[0]) == 1:
                await conn.execute(
                    "DELETE FROM review_queue WHERE id IN (SELECT id FROM review_queue"
                    " WHERE guild_id = ? AND lesson_id IS NULL"
                    " ORDER BY count DESC, last_seen DESC LIMIT -1 OFFSET ?)",
                    (guild_id, self.max_waiting),
                )

    async def waiting(self, guild_id: int, limit: int = 25) -> list[ReviewItem]:
        """Questions no lesson settled yet: most asked first, then most recent."""
        rows = await self._db.fetch_all(
            f"SELECT {_COLUMNS} FROM review_queue WHERE guild_id = ? AND lesson_id IS NULL"
            " ORDER BY count DESC, last_seen DESC, id LIMIT ?",
            (guild_id, max(0, limit)),
        )
        return [review_item(row) for row in rows]

    async def settle(self, guild_id: int, item_ids: Iterable[int], lesson_id: int) -> int:
        """Mark waiting questions as settled by a lesson (its paraphrases); how many were."""
        ids = list(item_ids)
        if not ids:
            return 0
        marks = ", ".join("?" * len(ids))
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE review_queue SET lesson_id = ? WHERE guild_id = ? AND lesson_id IS NULL"
                f" AND id IN ({marks})"
                " AND EXISTS (SELECT 1 FROM taught_lessons WHERE id = ? AND undone_at IS NULL)",
                (lesson_id, guild_id, *ids, lesson_id),
            )
            settled = cursor.rowcount
            await cursor.close()
        return settled

    async def item(self, guild_id: int, item_id: int) -> ReviewItem | None:
        async with self._db.snapshot() as conn:
            return await fetch_item(conn, guild_id, item_id)
