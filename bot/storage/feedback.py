"""👍/👎 votes on the bot's answers: one vote per user and answer message."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from bot.storage.convert import time_to_text, utc_now
from bot.storage.database import Database


@dataclass(frozen=True)
class FeedbackTally:
    """Votes for one kind of answer and subject (a feature id or a FAQ name)."""

    answer_kind: str
    subject: str | None
    helpful: int
    unhelpful: int

    @property
    def total(self) -> int:
        return self.helpful + self.unhelpful


@dataclass(frozen=True)
class FeedbackSummary:
    helpful: int
    unhelpful: int
    by_subject: list[FeedbackTally]  # most 👎 first

    @property
    def total(self) -> int:
        return self.helpful + self.unhelpful


class FeedbackStore:
    def __init__(self, db: Database, *, clock: Callable[[], datetime] = utc_now) -> None:
        self._db = db
        self._clock = clock

    async def record(
        self,
        *,
        guild_id: int,
        channel_id: int,
        message_id: int,
        user_id: int,
        answer_kind: str,
        subject: str | None,
        helpful: bool,
    ) -> None:
        """Store a vote; a second vote by the same user on the same answer replaces it."""
        if not self._db.file_is_current():
            return  # bookkeeping only; the database logged the lost file once
        async with self._db.transaction() as conn:
            await conn.execute(
                "INSERT INTO answer_feedback"
                " (guild_id, channel_id, message_id, user_id, answer_kind, subject, helpful, at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (guild_id, message_id, user_id) DO UPDATE SET"
                " helpful = excluded.helpful, at = excluded.at,"
                " answer_kind = excluded.answer_kind, subject = excluded.subject",
                (
                    guild_id,
                    channel_id,
                    message_id,
                    user_id,
                    answer_kind,
                    subject,
                    int(helpful),
                    time_to_text(self._clock()),
                ),
            )

    async def message_tally(self, guild_id: int, message_id: int) -> tuple[int, int]:
        """(helpful, unhelpful) votes on one answer message, e.g. to label buttons."""
        row = await self._db.fetch_one(
            "SELECT COALESCE(SUM(helpful), 0), COALESCE(SUM(1 - helpful), 0)"
            " FROM answer_feedback WHERE guild_id = ? AND message_id = ?",
            (guild_id, message_id),
        )
        return (int(row[0]), int(row[1])) if row else (0, 0)

    async def summary(self, guild_id: int) -> FeedbackSummary:
        rows = await self._db.fetch_all(
            "SELECT answer_kind, subject, SUM(helpful) AS up, SUM(1 - helpful) AS down"
            " FROM answer_feedback WHERE guild_id = ? GROUP BY answer_kind, subject"
            " ORDER BY down DESC, up + down DESC, answer_kind, subject",
            (guild_id,),
        )
        tallies = [
            FeedbackTally(
                answer_kind=row["answer_kind"],
                subject=row["subject"],
                helpful=int(row["up"]),
                unhelpful=int(row["down"]),
            )
            for row in rows
        ]
        return FeedbackSummary(
            helpful=sum(t.helpful for t in tallies),
            unhelpful=sum(t.unhelpful for t in tallies),
            by_subject=tallies,
        )
