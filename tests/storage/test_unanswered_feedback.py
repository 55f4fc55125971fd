"""Unanswered questions log and answer feedback on a real SQLite file."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from bot.storage import Database, FeedbackStore, FeedbackTally, UnansweredLog

GUILD = 111
OTHER = 222


async def test_unanswered_counts_per_normalized_question(
    db: Database, clock: Callable[[], datetime]
) -> None:
    log = UnansweredLog(db, clock=clock)
    await log.record(GUILD, "come faccio il backup", "Come faccio il backup??")
    await log.record(GUILD, "come faccio il backup", "come faccio il BACKUP")
    await log.record(GUILD, "serve traefik", "Serve Traefik?")
    await log.record(GUILD, "come faccio il backup", "backup?")
    await log.record(OTHER, "serve traefik", "serve traefik")
    await log.record(GUILD, "   ", "   ")  # nothing to count

    top = await log.top(GUILD, limit=10)
    assert [(q.normalized, q.count) for q in top] == [
        ("come faccio il backup", 3),
        ("serve traefik", 1),
    ]
    backup = top[0]
    assert backup.example == "Come faccio il backup??"  # the first wording is kept
    assert backup.first_seen < backup.last_seen
    assert [q.count for q in await log.top(OTHER, limit=10)] == [1]
    assert len(await log.top(GUILD, limit=1)) == 1


async def test_unanswered_ties_go_to_the_most_recent(
    db: Database, clock: Callable[[], datetime]
) -> None:
    log = UnansweredLog(db, clock=clock)
    for text in ["prima", "seconda", "terza"]:
        await log.record(GUILD, text, text)
    assert [q.normalized for q in await log.top(GUILD, 3)] == ["terza", "seconda", "prima"]


async def test_unanswered_forget_is_per_guild(db: Database) -> None:
    log = UnansweredLog(db)
    await log.record(GUILD, "domanda", "Domanda?")
    await log.record(OTHER, "domanda", "Domanda?")
    assert await log.forget(GUILD, "domanda") is True
    assert await log.forget(GUILD, "domanda") is False
    assert await log.top(GUILD, 5) == []
    assert len(await log.top(OTHER, 5)) == 1
    await log.record(GUILD, "domanda", "di nuovo")
    [again] = await log.top(GUILD, 5)
    assert (again.count, again.example) == (1, "di nuovo")


async def test_unanswered_log_is_bounded(db: Database, clock: Callable[[], datetime]) -> None:
    log = UnansweredLog(db, max_per_guild=3, clock=clock)
    await log.record(GUILD, "frequente", "x")
    await log.record(GUILD, "frequente", "x")
    for i in range(6):
        await log.record(GUILD, f"rara {i}", "x")
    await log.record(OTHER, "altrove", "x")
    top = await log.top(GUILD, 10)
    assert [q.normalized for q in top] == ["frequente", "rara 5", "rara 4"]
    assert len(await log.top(OTHER, 10)) == 1


async def test_unanswered_stores_hostile_text_verbatim(db: Database) -> None:
    log = UnansweredLog(db)
    text = "'); DROP TABLE unanswered_questions;-- @everyone **ciao**"
    await log.record(GUILD, text, text)
    [entry] = await log.top(GUILD, 1)
    assert entry.normalized == entry.example == text


async def test_feedback_one_vote_per_user_and_message(db: Database) -> None:
    store = FeedbackStore(db)

    async def vote(message: int, user: int, helpful: bool, **extra: object) -> None:
        await store.record(
            guild_id=extra.get("guild", GUILD),  # type: ignore[arg-type]
            channel_id=5,
            message_id=message,
            user_id=user,
            answer_kind=str(extra.get("kind", "faq")),
            subject=extra.get("subject", "installazione"),  # type: ignore[arg-type]
            helpful=helpful,
        )

    await vote(1000, 1, True)
    await vote(1000, 2, False)
    await vote(1000, 2, True)  # changes their mind: replaces the vote
    await vote(1000, 3, False)
    await vote(2000, 1, False, kind="feature", subject="autoscaling")
    await vote(2000, 2, False, kind="feature", subject="autoscaling")
    await vote(3000, 1, True, guild=OTHER)

    assert await store.message_tally(GUILD, 1000) == (2, 1)
    assert await store.message_tally(GUILD, 9999) == (0, 0)
    assert await store.message_tally(OTHER, 1000) == (0, 0)

    summary = await store.summary(GUILD)
    assert (summary.helpful, summary.unhelpful, summary.total) == (2, 3, 5)
    assert summary.by_subject == [
        FeedbackTally("feature", "autoscaling", helpful=0, unhelpful=2),
        FeedbackTally("faq", "installazione", helpful=2, unhelpful=1),
    ]
    other = await store.summary(OTHER)
    assert (other.helpful, other.unhelpful) == (1, 0)
    empty = await store.summary(333)
    assert (empty.total, empty.by_subject) == (0, [])
    row = await db.fetch_one("SELECT COUNT(*) FROM answer_feedback")
    assert row is not None and row[0] == 6
