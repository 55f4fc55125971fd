"""Fixtures for the end-to-end tests: the production Timoniere on the discord double.

`timoniere` builds `TimoniereBot(Settings(...), Engine(<the real knowledge>))`
with a fresh SQLite file and the double's "domande" channel as the
auto-answer channel, starts it with `start_bot` and wraps it in a `Chat`
(see `e2e_support.py`). `launch(**settings)` does the same with other
settings, for the tests that need them.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import discord.http
import pytest
from discord_double import DiscordDouble
from e2e_support import Chat, make_bot

Launch = Callable[..., Awaitable[Chat]]


@pytest.fixture
def launch(
    start_bot: Callable[..., Awaitable[Any]], discord_double: DiscordDouble, tmp_path: Path
) -> Launch:
    """`chat = await launch(**settings_overrides)`: start the production bot."""

    async def start(**overrides: Any) -> Chat:
        # The double sends every GUILD_CREATE right after READY: 10 ms of
        # silence is plenty to call the guilds loaded (discord.py: 2 s).
        rb = await start_bot(lambda: make_bot(tmp_path, **overrides), guild_ready_timeout=0.01)
        return Chat(discord_double, rb)

    return start


@pytest.fixture
async def timoniere(launch: Launch) -> Chat:
    """The production bot with default settings, connected and ready."""
    return await launch()


@pytest.fixture
def fast_backoff(monkeypatch: pytest.MonkeyPatch) -> None:
    """discord.py waits 1, 3, 5, 7 s between retries of a 500: make those waits instant.

    Only `discord.http` sees the patched `asyncio`; retries, order and the final
    exception are unchanged.
    """
    real_sleep = asyncio.sleep

    async def no_wait(delay: float, result: Any = None) -> Any:
        return await real_sleep(0, result)

    patched = SimpleNamespace(**{name: getattr(asyncio, name) for name in dir(asyncio)})
    patched.sleep = no_wait
    monkeypatch.setattr(discord.http, "asyncio", patched)
