"""What moderators taught, per guild, with who and when; undo keeps the record."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Final

import aiosqlite

from bot import messages
from bot.core.taught import Choice, Lesson, TeachError
from bot.core.text import normalize
from bot.storage.convert import time_from_text, time_to_text, utc_now
from bot.storage.database import Database, fetch_one
from bot.storage.review_queue import fetch_item

_COLUMNS: Final = "id, guild_id, question, choice, feature, system, faq_name, actor_id, at"


def _lesson(row: aiosqlite.Row) -> Lesson:
    return Lesson(
        id=int(row["id"]),
        guild_id=int(row["guild_id"]),
        question=row["question"],
        choice=row["choice"],
        feature=row["feature"],
        system=row["system"],
        faq_name=row["faq_name"],
        actor_id=None if row["actor_id"] is None else int(row["actor_id"]),
        at=time_from_text(row["at"]),
    )


class LessonStore:
    def __init__(self, db: Database, *, clock: Callable[[], datetime] = utc_now) -> None:
        self._db = db
        self._clock = clock

    async def teach(
        self,
        guild_id: int,
        item_id: int,
        choice: Choice,
        *,
        actor_id: int | None,
        feature: str | None = None,
        system: str | None = None,
        faq_name: str | None = None,
    ) -> Lesson:
        """Settle a queued question with a lesson; `TeachError` if another moderator
        settled it first or it left the queue."""
        async with self._db.transaction() as conn:
            item = await fetch_item(conn, guild_id, item_id)
            if item is None:
                raise TeachError(messages.TEACH_ITEM_GONE)
            if item.lesson_id is not None:
                raise TeachError(messages.TEACH_ITEM_SETTLED)
            row = await fetch_one(
                conn,
                "INSERT INTO taught_lessons (guild_id, question, normalized, choice, feature,"
                " system, faq_name, actor_id, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
                f" RETURNING {_COLUMNS}",
                (
                    guild_id,
                    item.question,
                    normalize(item.question),
                    choice,
                    feature if choice == "feature" else None,
                    system if choice == "feature" else None,
                    faq_name if choice == "faq" else None,
                    actor_id,
                    time_to_text(self._clock()),
                ),
            )
            assert row is not None  # RETURNING on an INSERT always yields the row
            lesson = _lesson(row)
            await conn.execute(
                "UPDATE review_queue SET lesson_id = ? WHERE id = ?", (lesson.id, item_id)
            )
        return lesson

    async def undo(self, guild_id: int, lesson_id: int, *, actor_id: int | None) -> Lesson:
        """Withdraw a lesson; its question goes back to the queue."""
        async with self._db.transaction() as conn:
            row = await fetch_one(
                conn,
                f"SELECT {_COLUMNS}, undone_at FROM taught_lessons WHERE guild_id = ? AND id = ?",
                (guild_id, lesson_id),
            )
            if row is None or row["undone_at"] is not None:
                raise TeachError(messages.TEACH_LESSON_GONE)
            await conn.execute(
                "UPDATE taught_lessons SET undone_by = ?, undone_at = ? WHERE id = ?",
                (actor_id, time_to_text(self._clock()), lesson_id),
            )
            await conn.execute(
                "UPDATE review_queue SET lesson_id = NULL WHERE lesson_id = ?", (lesson_id,)
            )
        return _lesson(row)

    async def live(self, guild_id: int) -> list[Lesson]:
        """The lessons in force in a guild, oldest first."""
        rows = await self._db.fetch_all(
            f"SELECT {_COLUMNS} FROM taught_lessons"
            " WHERE guild_id = ? AND undone_at IS NULL ORDER BY id",
            (guild_id,),
        )
        return [_lesson(row) for row in rows]

    async def live_everywhere(self) -> list[Lesson]:
        """Every guild's lessons in force, oldest first (loaded once at start-up)."""
        rows = await self._db.fetch_all(
            f"SELECT {_COLUMNS} FROM taught_lessons WHERE undone_at IS NULL ORDER BY id"
        )
        return [_lesson(row) for row in rows]

    async def recent(self, guild_id: int, limit: int = 25) -> list[Lesson]:
        """The newest lessons in force, newest first (to pick one to undo)."""
        rows = await self._db.fetch_all(
            f"SELECT {_COLUMNS} FROM taught_lessons"
            " WHERE guild_id = ? AND undone_at IS NULL ORDER BY id DESC LIMIT ?",
            (guild_id, max(0, limit)),
        )
        return [_lesson(row) for row in rows]
