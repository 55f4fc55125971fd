"""The review queue and the lessons taken from it, on a real SQLite file."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import datetime

import pytest

from bot import messages
from bot.core.taught import TeachError
from bot.storage import Database, LessonStore, ReviewItem, ReviewQueue

GUILD = 111
OTHER = 222


@pytest.fixture
def queue(db: Database, clock: Callable[[], datetime]) -> ReviewQueue:
    return ReviewQueue(db, clock=clock)


@pytest.fixture
def lessons(db: Database, clock: Callable[[], datetime]) -> LessonStore:
    return LessonStore(db, clock=clock)


async def unanswered(queue: ReviewQueue, *questions: str) -> list[ReviewItem]:
    """Queue each question once, as unanswered in GUILD; the items in that order."""
    for question in questions:
        await queue.add(GUILD, question, "unanswered")
    return sorted(await queue.waiting(GUILD), key=lambda item: item.id)


async def test_queue_counts_questions_per_guild_and_keeps_the_latest_reason(
    queue: ReviewQueue,
) -> None:
    await queue.add(GUILD, "Come faccio il backup dei volumi?", "unanswered")
    await queue.add(GUILD, "come faccio il BACKUP dei volumi", "unanswered")
    await queue.add(GUILD, "compose fa failover?", "unhelpful", answer_kind="feature", subject="x")
    await queue.add(
        GUILD, "come faccio il backup dei volumi?", "unhelpful", answer_kind="faq", subject="bk"
    )
    await queue.add(OTHER, "compose fa failover?", "unanswered")
    await queue.add(GUILD, "  ?? ", "unanswered")  # nothing to review

    waiting = await queue.waiting(GUILD)
    assert [(item.question, item.count) for item in waiting] == [
        ("Come faccio il backup dei volumi?", 3),  # the first wording is kept
        ("compose fa failover?", 1),
    ]
    backup = waiting[0]
    assert (backup.reason, backup.answer_kind, backup.subject) == ("unhelpful", "faq", "bk")
    assert backup.first_seen < backup.last_seen and backup.lesson_id is None
    assert [item.reason for item in await queue.waiting(OTHER)] == ["unanswered"]
    assert await queue.item(OTHER, backup.id) is None  # items belong to one guild


async def test_queue_is_bounded_by_dropping_the_least_asked(
    db: Database, clock: Callable[[], datetime]
) -> None:
    queue = ReviewQueue(db, max_waiting=2, clock=clock)
    await queue.add(GUILD, "prima domanda", "unanswered")
    await queue.add(GUILD, "prima domanda", "unanswered")
    await queue.add(GUILD, "seconda domanda", "unanswered")
    await queue.add(GUILD, "terza domanda", "unanswered")
    assert [item.question for item in await queue.waiting(GUILD)] == [
        "prima domanda",
        "terza domanda",
    ]


async def test_teach_settles_the_question_and_undo_puts_it_back(
    db: Database, queue: ReviewQueue, lessons: LessonStore
) -> None:
    await queue.add(GUILD, "se il nodo muore che succede?", "unhelpful", answer_kind="feature")
    (item,) = await queue.waiting(GUILD)

    lesson = await lessons.teach(
        GUILD, item.id, "feature", actor_id=42, feature="failover", system="kubernetes"
    )
    assert (lesson.question, lesson.choice, lesson.feature, lesson.system, lesson.actor_id) == (
        "se il nodo muore che succede?",
        "feature",
        "failover",
        "kubernetes",
        42,
    )
    assert lesson.at is not None and lesson.faq_name is None
    assert await queue.waiting(GUILD) == []
    settled = await queue.item(GUILD, item.id)
    assert settled is not None and settled.lesson_id == lesson.id
    # Asked again once settled: counted, but not back in the queue.
    await queue.add(GUILD, "se il nodo muore che succede?", "unanswered")
    assert await queue.waiting(GUILD) == []
    assert await lessons.live(GUILD) == [lesson]
    assert await lessons.live_everywhere() == [lesson]
    assert await lessons.recent(OTHER) == []

    # A second moderator pressing on a stale panel is told, and nothing changes.
    with pytest.raises(TeachError) as error:
        await lessons.teach(GUILD, item.id, "silence", actor_id=43)
    assert error.value.message == messages.TEACH_ITEM_SETTLED

    undone = await lessons.undo(GUILD, lesson.id, actor_id=43)
    assert undone == lesson
    assert [waiting.id for waiting in await queue.waiting(GUILD)] == [item.id]
    assert await lessons.live(GUILD) == []
    with pytest.raises(TeachError):
        await lessons.undo(GUILD, lesson.id, actor_id=43)
    # The record of who taught and who undid stays.
    rows = await db.fetch_all("SELECT actor_id, undone_by, undone_at FROM taught_lessons")
    assert [(row[0], row[1], row[2] is not None) for row in rows] == [(42, 43, True)]


async def test_lessons_keep_only_the_target_of_their_choice(
    queue: ReviewQueue, lessons: LessonStore
) -> None:
    first, second, third = await unanswered(queue, "uno?", "due?", "tre?")
    faq = await lessons.teach(GUILD, first.id, "faq", actor_id=1, faq_name="bk", feature="x")
    silence = await lessons.teach(GUILD, second.id, "silence", actor_id=1, feature="x")
    assert (faq.faq_name, faq.feature, silence.feature, silence.faq_name) == (
        "bk",
        None,
        None,
        None,
    )
    with pytest.raises(TeachError):
        await lessons.teach(GUILD, 999, "dismiss", actor_id=1)
    # The schema refuses a feature lesson without its feature.
    with pytest.raises(sqlite3.IntegrityError):
        await lessons.teach(GUILD, third.id, "feature", actor_id=1)
    assert [lesson.id for lesson in await lessons.recent(GUILD)] == [silence.id, faq.id]


async def test_paraphrases_settle_with_the_lesson_and_come_back_with_undo(
    queue: ReviewQueue, lessons: LessonStore
) -> None:
    first, paraphrase, other = await unanswered(
        queue, "il pod non riparte", "il pod non riparte più", "altra domanda"
    )
    lesson = await lessons.teach(GUILD, first.id, "silence", actor_id=1)

    assert await queue.settle(GUILD, [paraphrase.id], lesson.id) == 1
    assert await queue.settle(OTHER, [other.id], lesson.id) == 0  # another guild's item
    assert [item.id for item in await queue.waiting(GUILD)] == [other.id]
    await lessons.undo(GUILD, lesson.id, actor_id=1)
    assert {item.id for item in await queue.waiting(GUILD)} == {first.id, paraphrase.id, other.id}
    # An undone lesson settles nothing.
    assert await queue.settle(GUILD, [other.id], lesson.id) == 0
