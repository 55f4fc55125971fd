"""Questions the bot could not answer, counted per guild so moderators can write FAQs."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from bot.storage.convert import time_from_text, time_to_text, utc_now
from bot.storage.database import Database, fetch_one

DEFAULT_MAX_PER_GUILD = 1000
NORMALIZED_MAX = 300
EXAMPLE_MAX = 500


@dataclass(frozen=True)
class UnansweredQuestion:
    normalized: str
    example: str
    count: int
    first_seen: datetime
    last_seen: datetime


class UnansweredLog:
    """One row per guild and normalized question, with a counter.

    The log is bounded: past `max_per_guild` rows the least asked (and then
    least recent) questions are dropped, so a flood of unique messages cannot
    grow the file without limit.
    """

    def __init__(
        self,
        db: Database,
        *,
        max_per_guild: int = DEFAULT_MAX_PER_GUILD,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self._db = db
        self.max_per_guild = max_per_guild
        self._clock = clock

    async def record(self, guild_id: int, normalized: str, raw: str) -> None:
        """Count one more occurrence; the first raw wording is kept as the example."""
        normalized = normalized.strip()[:NORMALIZED_MAX]
        if not normalized:
            return
        example = raw.strip()[:EXAMPLE_MAX] or normalized
        if not self._db.file_is_current():
            return  # bookkeeping only; the database logged the lost file once
        now = time_to_text(self._clock())
        async with self._db.transaction() as conn:
            row = await fetch_one(
                conn,
                "INSERT INTO unanswered_questions"
                " (guild_id, normalized, example, count, first_seen, last_seen)"
                " VALUES (?, ?, ?, 1, ?, ?)"
                " ON CONFLICT (guild_id, normalized)"
                " DO UPDATE SET count = count + 1, last_seen = excluded.last_seen"
                " RETURNING count",
                (guild_id, normalized, example, now, now),
            )
            if row is not None and int(row[0]) == 1:
                await conn.execute(
                    "DELETE FROM unanswered_questions WHERE guild_id = ? AND normalized IN"
                    " (SELECT normalized FROM unanswered_questions WHERE guild_id = ?"
                    "  ORDER BY count DESC, last_seen DESC LIMIT -1 OFFSET ?)",
                    (guild_id, guild_id, self.max_per_guild),
                )

    async def top(self, guild_id: int, limit: int = 10) -> list[UnansweredQuestion]:
        """Most asked first; ties go to the most recently asked."""
        rows = await self._db.fetch_all(
            "SELECT normalized, example, count, first_seen, last_seen FROM unanswered_questions"
            " WHERE guild_id = ? ORDER BY count DESC, last_seen DESC LIMIT ?",
            (guild_id, max(0, limit)),
        )
        return [
            UnansweredQuestion(
                normalized=row["normalized"],
                example=row["example"],
                count=int(row["count"]),
                first_seen=time_from_text(row["first_seen"]),
                last_seen=time_from_text(row["last_seen"]),
            )
            for row in rows
        ]

    async def forget(self, guild_id: int, normalized: str) -> bool:
        """Drop one question (e.g. once a FAQ answers it); True if it was there."""
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "DELETE FROM unanswered_questions WHERE guild_id = ? AND normalized = ?",
                (guild_id, normalized.strip()[:NORMALIZED_MAX]),
            )
            deleted = cursor.rowcount
            await cursor.close()
        return deleted > 0
