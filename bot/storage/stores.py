"""Everything a running bot keeps in its database, opened once and shared."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bot.storage.database import Database
from bot.storage.faq_repository import DEFAULT_MAX_ENTRIES, FaqRepository
from bot.storage.feedback import FeedbackStore
from bot.storage.lessons import LessonStore
from bot.storage.review_queue import ReviewQueue
from bot.storage.server_settings import ServerSettingsStore
from bot.storage.unanswered import UnansweredLog


@dataclass(frozen=True)
class Storage:
    """One open database and the repositories over it (they hold no state of their own)."""

    database: Database
    faq: FaqRepository
    unanswered: UnansweredLog
    feedback: FeedbackStore
    settings: ServerSettingsStore
    review: ReviewQueue
    lessons: LessonStore

    @classmethod
    async def open(cls, path: Path | str, *, faq_max_entries: int = DEFAULT_MAX_ENTRIES) -> Storage:
        database = await Database.open(path)
        return cls(
            database=database,
            faq=FaqRepository(database, max_entries=faq_max_entries),
            unanswered=UnansweredLog(database),
            feedback=FeedbackStore(database),
            settings=ServerSettingsStore(database),
            review=ReviewQueue(database),
            lessons=LessonStore(database),
        )

    async def close(self) -> None:
        await self.database.close()
