"""`ensure_faq_loaded`: one shared load per server, and a failed load is retried.

The real bot's storage on a real SQLite file, without Discord: the guard is in
the client, and these cases need no gateway.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from e2e_support import make_bot

from bot.core.faq import new_entry
from bot.discord_app.client import TimoniereBot

GUILD = 1111111111111111111
QUESTION = "dove trovo il regolamento del server?"


def builds(caplog: pytest.LogCaptureFixture) -> int:
    return sum(r.getMessage().startswith("FAQ index of guild") for r in caplog.records)


@pytest.fixture
async def bot(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> AsyncIterator[TimoniereBot]:
    """The bot's storage open, one FAQ entry stored, its index not loaded yet."""
    caplog.set_level(logging.INFO, logger="bot.discord_app.client")
    bot = make_bot(tmp_path)
    await bot.open_storage()
    try:
        entry = new_entry(GUILD, "regolamento", "Dove trovo il regolamento?", "Nel canale #regole.")
        await bot.storage.faq.add(entry, actor_id=None)
        yield bot
    finally:
        await bot.close_storage()


async def test_callers_at_once_share_one_load(
    bot: TimoniereBot, caplog: pytest.LogCaptureFixture
) -> None:
    assert not bot.faq_loaded(GUILD)
    await asyncio.gather(*(bot.ensure_faq_loaded(GUILD) for _ in range(50)))
    assert builds(caplog) == 1 and bot.faq_loaded(GUILD)
    assert bot.engine.ask(QUESTION, None, GUILD).kind == "faq"
    await bot.ensure_faq_loaded(GUILD)
    assert builds(caplog) == 1


async def test_a_failed_load_fails_its_callers_and_the_next_one_retries(
    bot: TimoniereBot, caplog: pytest.LogCaptureFixture
) -> None:
    async with bot.storage.database.transaction() as conn:
        await conn.execute("ALTER TABLE faq_entries RENAME TO faq_entries_away")
    outcomes = await asyncio.gather(
        *(bot.ensure_faq_loaded(GUILD) for _ in range(5)), return_exceptions=True
    )
    assert all(isinstance(outcome, sqlite3.OperationalError) for outcome in outcomes)
    assert not bot.faq_loaded(GUILD) and builds(caplog) == 0

    async with bot.storage.database.transaction() as conn:
        await conn.execute("ALTER TABLE faq_entries_away RENAME TO faq_entries")
    await bot.ensure_faq_loaded(GUILD)
    assert bot.faq_loaded(GUILD) and builds(caplog) == 1
    assert bot.engine.ask(QUESTION, None, GUILD).kind == "faq"
