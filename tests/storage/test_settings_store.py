"""Per-server settings on a real SQLite file: values, history, reopening."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from contextlib import closing
from datetime import datetime
from pathlib import Path

from bot.core.server_settings import ServerSettings, resolve
from bot.storage import Database, ServerSettingsStore, Storage

GUILD = 111
OTHER = 222
ADMIN = 9001
MOD = 9002


async def test_a_change_is_stored_with_its_history(
    db: Database, clock: Callable[[], datetime]
) -> None:
    store = ServerSettingsStore(db, clock=clock)
    assert await store.set(GUILD, "auto_answer_channels", [10, 20], changed_by=ADMIN)
    assert await store.set(GUILD, "sensitivity", "alta", changed_by=MOD)
    assert await store.set(GUILD, "auto_answer_channels", [20], changed_by=MOD)

    assert await store.load(GUILD) == {"auto_answer_channels": [20], "sensitivity": "alta"}
    assert await store.load(OTHER) == {}
    changes, total = await store.history(GUILD)
    assert total == 3
    assert [(c.key, c.old_value, c.new_value, c.changed_by) for c in changes] == [
        ("auto_answer_channels", [10, 20], [20], MOD),
        ("sensitivity", None, "alta", MOD),
        ("auto_answer_channels", None, [10, 20], ADMIN),
    ]
    assert changes[0].changed_at > changes[1].changed_at > changes[2].changed_at
    assert (await store.history(OTHER)) == ([], 0)


async def test_the_same_value_again_writes_nothing(
    db: Database, clock: Callable[[], datetime]
) -> None:
    store = ServerSettingsStore(db, clock=clock)
    assert await store.set(GUILD, "paused", True, changed_by=ADMIN)
    assert not await store.set(GUILD, "paused", True, changed_by=MOD)
    assert (await store.history(GUILD))[1] == 1


async def test_back_to_the_default_deletes_the_value_and_is_recorded(
    db: Database, clock: Callable[[], datetime]
) -> None:
    store = ServerSettingsStore(db, clock=clock)
    await store.set(GUILD, "cooldown_seconds", 5.0, changed_by=ADMIN)
    assert await store.set(GUILD, "cooldown_seconds", None, changed_by=ADMIN)
    assert await store.load(GUILD) == {}
    changes, _ = await store.history(GUILD)
    assert (changes[0].old_value, changes[0].new_value) == (5.0, None)


async def test_settings_survive_a_reopen_and_load_all_sees_every_server(
    db_path: Path, clock: Callable[[], datetime]
) -> None:
    storage = await Storage.open(db_path)
    try:
        await storage.settings.set_many(
            GUILD, {"mod_roles": [77], "paused": True}, changed_by=ADMIN
        )
        await storage.settings.set(OTHER, "sensitivity", "bassa", changed_by=MOD)
    finally:
        await storage.close()

    storage = await Storage.open(db_path)
    try:
        everything = await storage.settings.load_all()
    finally:
        await storage.close()
    assert everything == {
        GUILD: {"mod_roles": [77], "paused": True},
        OTHER: {"sensitivity": "bassa"},
    }
    defaults = ServerSettings(auto_answer_channels=(5,), cooldown_seconds=60.0)
    settings = resolve(everything[GUILD], defaults)
    assert settings.mod_roles == (77,)
    assert settings.paused and not settings.answers_unprompted_in(5)
    assert settings.auto_answer_channels == (5,)  # not set here: the default
    assert settings.customized == {"mod_roles", "paused"}


async def test_an_unreadable_stored_value_falls_back_to_the_default(db_path: Path) -> None:
    storage = await Storage.open(db_path)
    try:
        await storage.settings.set(GUILD, "sensitivity", "alta", changed_by=ADMIN)
        await storage.settings.set(GUILD, "cooldown_seconds", 30, changed_by=ADMIN)
    finally:
        await storage.close()
    # A hand edit: broken JSON for one key, a value of the wrong kind for another.
    with closing(sqlite3.connect(db_path)) as conn, conn:
        conn.execute("UPDATE server_settings SET value = '{oops' WHERE key = 'sensitivity'")
        conn.execute(
            "UPDATE server_settings SET value = '\"tanti\"' WHERE key = 'cooldown_seconds'"
        )

    storage = await Storage.open(db_path)
    try:
        stored = await storage.settings.load_all()
    finally:
        await storage.close()
    settings = resolve(stored.get(GUILD, {}), ServerSettings(cooldown_seconds=60.0))
    assert settings.sensitivity == "normale"
    assert settings.cooldown_seconds == 60.0
    assert settings.customized == frozenset()
