"""pytest fixtures: ``discord_double`` (a started fake) and ``start_bot`` (run any Bot on it)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AsyncExitStack
from typing import Any

import pytest

from .harness import RunningBot, running_bot, serving
from .server import DiscordDouble


@pytest.fixture
async def discord_double() -> AsyncIterator[DiscordDouble]:
    """A started :class:`DiscordDouble` on 127.0.0.1 (configure it before ``start_bot``)."""
    async with serving(DiscordDouble()) as double:
        yield double


@pytest.fixture
async def start_bot(
    discord_double: DiscordDouble, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[Callable[..., Awaitable[RunningBot]]]:
    """``rb = await start_bot(bot_or_factory, **running_bot_kwargs)``; closed after the test."""
    async with AsyncExitStack() as stack:

        async def start(bot_or_factory: Any, **kwargs: Any) -> RunningBot:
            return await stack.enter_async_context(
                running_bot(discord_double, bot_or_factory, monkeypatch, **kwargs)
            )

        yield start
