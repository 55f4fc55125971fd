"""Per-server settings (`/impostazioni`): one JSON value per server and key, with history.

The bot reads every row once at start-up (`load_all`, a few rows per server)
and keeps them in memory; each change is written here first, with its history
row in the same transaction, so a change either happened with its record or
not at all.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from datetime import datetime

import aiosqlite

from bot.metrics import WriteFailureCause
from bot.storage.convert import time_from_text, time_to_text, utc_now
from bot.storage.database import Database, fetch_one
from bot.storage.failures import explained_transaction

log = logging.getLogger(__name__)

DEFAULT_HISTORY_LIMIT = 20


class SettingsNotSaved(Exception):
    """The database refused a settings change; nothing of it was saved."""

    def __init__(self, cause: WriteFailureCause) -> None:
        super().__init__(cause)
        self.cause = cause


@dataclass(frozen=True)
class SettingChange:
    key: str
    old_value: object | None  # None: the default was in force
    new_value: object | None  # None: back to the default
    changed_by: int
    changed_at: datetime


def _dump(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _load(text: str | None) -> object | None:
    if text is None:
        return None
    try:
        loaded: object = json.loads(text)
    except ValueError:
        return None  # unreadable: the default applies, as for a missing row
    return loaded


class ServerSettingsStore:
    def __init__(self, db: Database, *, clock: Callable[[], datetime] = utc_now) -> None:
        self._db = db
        self._clock = clock

    async def load_all(self) -> dict[int, dict[str, object]]:
        """Every server's stored settings: guild id -> key -> value."""
        rows = await self._db.fetch_all("SELECT guild_id, key, value FROM server_settings")
        stored: dict[int, dict[str, object]] = {}
        for row in rows:
            value = _load(row["value"])
            if value is not None:
                stored.setdefault(int(row["guild_id"]), {})[row["key"]] = value
        return stored

    async def load(self, guild_id: int) -> dict[str, object]:
        rows = await self._db.fetch_all(
            "SELECT key, value FROM server_settings WHERE guild_id = ?", (guild_id,)
        )
        loaded = {row["key"]: _load(row["value"]) for row in rows}
        return {key: value for key, value in loaded.items() if value is not None}

    async def set(self, guild_id: int, key: str, value: object | None, *, changed_by: int) -> bool:
        """Store `value` (None: back to the default) and its history row; False if the
        stored value was already that (nothing written)."""
        return await self.set_many(guild_id, {key: value}, changed_by=changed_by) > 0

    async def set_many(
        self, guild_id: int, values: dict[str, object | None], *, changed_by: int
    ) -> int:
        """Store several settings in one transaction; the number actually changed."""
        now = time_to_text(self._clock())
        changed = 0
        async with self._writing() as conn:
            for key, value in values.items():
                row = await fetch_one(
                    conn,
                    "SELECT value FROM server_settings WHERE guild_id = ? AND key = ?",
                    (guild_id, key),
                )
                old = None if row is None else row["value"]
                new = None if value is None else _dump(value)
                if old == new:
                    continue
                if new is None:
                    await conn.execute(
                        "DELETE FROM server_settings WHERE guild_id = ? AND key = ?",
                        (guild_id, key),
                    )
                else:
                    await conn.execute(
                        "INSERT INTO server_settings"
                        " (guild_id, key, value, updated_by, updated_at) VALUES (?, ?, ?, ?, ?)"
                        " ON CONFLICT (guild_id, key) DO UPDATE SET value = excluded.value,"
                        " updated_by = excluded.updated_by, updated_at = excluded.updated_at",
                        (guild_id, key, new, changed_by, now),
                    )
                await conn.execute(
                    "INSERT INTO server_settings_history"
                    " (guild_id, key, old_value, new_value, changed_by, changed_at)"
                    " VALUES (?, ?, ?, ?, ?, ?)",
                    (guild_id, key, old, new, changed_by, now),
                )
                changed += 1
        return changed

    def _writing(self) -> AbstractAsyncContextManager[aiosqlite.Connection]:
        """A write transaction whose database failures say why (`SettingsNotSaved`)."""
        return explained_transaction(self._db, SettingsNotSaved, log=log, what="settings change")

    async def history(
        self, guild_id: int, limit: int = DEFAULT_HISTORY_LIMIT
    ) -> tuple[list[SettingChange], int]:
        """The latest changes, newest first, and how many there are in all."""
        rows = await self._db.fetch_all(
            "SELECT key, old_value, new_value, changed_by, changed_at"
            " FROM server_settings_history WHERE guild_id = ?"
            " ORDER BY changed_at DESC, id DESC LIMIT ?",
            (guild_id, limit),
        )
        total = await self._db.fetch_one(
            "SELECT COUNT(*) FROM server_settings_history WHERE guild_id = ?", (guild_id,)
        )
        changes = [
            SettingChange(
                key=row["key"],
                old_value=_load(row["old_value"]),
                new_value=_load(row["new_value"]),
                changed_by=int(row["changed_by"]),
                changed_at=time_from_text(row["changed_at"]),
            )
            for row in rows
        ]
        return changes, int(total[0]) if total else 0
