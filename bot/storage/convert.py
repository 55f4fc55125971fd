"""How values are stored in SQLite columns, shared by every repository.

Moments are stored as ISO 8601 text in UTC with microseconds, so text order is
time order and a row written by one process reads back the same in another.
"""

from __future__ import annotations

from datetime import UTC, datetime


def utc_now() -> datetime:
    return datetime.now(UTC)


def time_to_text(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def time_from_text(text: str) -> datetime:
    return datetime.fromisoformat(text)
