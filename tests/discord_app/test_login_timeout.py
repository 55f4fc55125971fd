"""A Discord that accepts the connection and never answers (issue 10, "Hanging Discord").

The real `run_bot` in a child process (see `bot_process.py`). A plain TCP
server that accepts and then says nothing stands in for the silent part:
the REST API (the login hangs) or the gateway (the login passes, the
websocket never opens). The bot must give up after LOGIN_TIMEOUT_SECONDS with
one Italian line, stay unready meanwhile, and leave nothing behind.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import aiohttp
import pytest
from discord_double import DiscordDouble, World, serving
from test_runner import TOKEN, BotProcess

from bot import messages

TIMEOUT_SECONDS = 2


@pytest.fixture
async def silent_port() -> AsyncIterator[int]:
    """A port where connections are accepted and never answered."""
    held: list[asyncio.StreamWriter] = []

    async def accept(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        held.append(writer)

    server = await asyncio.start_server(accept, "127.0.0.1", 0)
    port: int = server.sockets[0].getsockname()[1]
    try:
        yield port
    finally:
        for writer in held:
            writer.close()
        server.close()
        await server.wait_closed()


@pytest.fixture
async def double() -> AsyncIterator[DiscordDouble]:
    async with serving(DiscordDouble(World(token=TOKEN))) as fake:
        yield fake


async def unready(bot: BotProcess) -> tuple[int, Any]:
    """The first /readyz answer once the health server is up (it starts before the login)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + TIMEOUT_SECONDS
    while bot.proc.returncode is None and loop.time() < deadline:
        try:
            return await bot.readyz()
        except aiohttp.ClientConnectionError:
            await asyncio.sleep(0.02)
    raise AssertionError(f"/readyz never answered; log:\n{bot.log()}")


async def gives_up(discord: Any, workdir: Path, stage: str) -> BotProcess:
    bot = await BotProcess.start(
        discord, workdir, health=True, LOGIN_TIMEOUT_SECONDS=str(TIMEOUT_SECONDS)
    )
    try:
        # Meanwhile it says it is not ready, and why.
        status, body = await unready(bot)
        assert status == 503 and "gateway" in body["failing"]
        assert await bot.wait_exit(timeout=TIMEOUT_SECONDS + 8) == 1
    finally:
        await bot.stop()
    log = bot.log()
    assert messages.OPS_RUN_DISCORD_SILENT.format(seconds=TIMEOUT_SECONDS, stage=stage) in log
    assert "Traceback" not in log
    assert TOKEN not in log
    assert not bot.pid_file.exists()
    return bot


async def test_a_silent_login_gives_up_with_a_clear_message(
    silent_port: int, tmp_path: Path
) -> None:
    silent = SimpleNamespace(
        api_base=f"http://127.0.0.1:{silent_port}/api/v10",
        gateway_url=f"ws://127.0.0.1:{silent_port}/gateway",
    )
    await gives_up(silent, tmp_path, messages.OPS_RUN_STAGE_LOGIN)


async def test_a_silent_gateway_gives_up_with_a_clear_message(
    double: DiscordDouble, silent_port: int, tmp_path: Path
) -> None:
    discord = SimpleNamespace(
        api_base=double.api_base, gateway_url=f"ws://127.0.0.1:{silent_port}/gateway"
    )
    await gives_up(discord, tmp_path, messages.OPS_RUN_STAGE_GATEWAY)
    # The token was accepted: the login itself went through the double.
    assert double.find_requests("GET", "/users/@me")
