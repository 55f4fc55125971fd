"""Fixtures for storage tests: a real SQLite file in a temporary folder."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.storage import Database, FaqRepository


class FakeClock:
    """Starts at a fixed instant and moves one second per call."""

    def __init__(self) -> None:
        self.now = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        self.now += timedelta(seconds=1)
        return self.now


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "dati" / "timoniere.sqlite3"


@pytest.fixture
def clock() -> Callable[[], datetime]:
    return FakeClock()


@pytest.fixture
async def db(db_path: Path) -> AsyncIterator[Database]:
    database = await Database.open(db_path)
    try:
        yield database
    finally:
        await database.close()


@pytest.fixture
def repo(db: Database, clock: Callable[[], datetime]) -> FaqRepository:
    return FaqRepository(db, max_entries=10, clock=clock)
