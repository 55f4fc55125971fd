"""FAQ changes made by other processes (the console's `faq` commands) while the bot runs.

`PRAGMA data_version` on the bot's write connection changes only when another
connection commits, so polling it costs one cheap pragma and no table read.
When it moved, the history log (every FAQ write leaves a record) says which
servers changed since last time: the other process's, and ours if we wrote in
the same interval (reloading those too is harmless).
"""

from __future__ import annotations

from bot.storage.database import Database


class FaqChangeWatcher:
    def __init__(self, db: Database) -> None:
        self.database = db
        self._db = db
        self._version: int | None = None
        self._last_history_id = 0

    async def start(self) -> None:
        """Remember where the database is now; only later changes are reported."""
        self._version = await self._db.data_version()
        row = await self._db.fetch_one("SELECT COALESCE(MAX(id), 0) FROM faq_history")
        self._last_history_id = int(row[0]) if row else 0

    async def changed_guilds(self) -> set[int]:
        """Servers whose FAQ another process changed since the last call."""
        if self._version is None:
            await self.start()
            return set()
        version = await self._db.data_version()
        if version == self._version:
            return set()
        self._version = version
        rows = await self._db.fetch_all(
            "SELECT guild_id, id FROM faq_history WHERE id > ? ORDER BY id",
            (self._last_history_id,),
        )
        if rows:
            self._last_history_id = int(rows[-1]["id"])
        return {int(row["guild_id"]) for row in rows}
