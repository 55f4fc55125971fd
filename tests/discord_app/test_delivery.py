"""The delivery monitor over a real aiohttp session and server: stalls and failure streaks."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator

import aiohttp
import pytest
from aiohttp import web
from yarl import URL

from bot.discord_app.delivery import (
    DISCORD_EPOCH_MS,
    DeliveryMonitor,
    delivery_trace,
    is_late_interaction,
)


class Server:
    """A local HTTP server whose answers the test picks: a status, or no answer at all."""

    def __init__(self) -> None:
        self.status = 200
        self.release = asyncio.Event()
        self.hang = False

    async def handle(self, request: web.Request) -> web.Response:
        if self.hang:
            await self.release.wait()
        return web.json_response({}, status=self.status)


@pytest.fixture
async def served() -> AsyncIterator[tuple[Server, str]]:
    server = Server()
    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", server.handle)
    runner = web.AppRunner(app, handle_signals=False)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    try:
        yield server, f"http://127.0.0.1:{port}"
    finally:
        server.release.set()
        await runner.cleanup()


async def test_a_request_left_unanswered_is_a_stall(served: tuple[Server, str]) -> None:
    server, base = served
    monitor = DeliveryMonitor(stall_seconds=0.2)
    async with aiohttp.ClientSession(trace_configs=[delivery_trace(monitor)]) as session:
        async with session.get(f"{base}/api/v10/users/@me") as response:
            assert response.status == 200
        assert monitor.healthy()

        server.hang = True
        pending = asyncio.create_task(session.post(f"{base}/api/v10/channels/1/messages"))
        await asyncio.sleep(0.05)
        assert monitor.healthy()  # in flight, but not for long yet
        await asyncio.sleep(0.25)
        assert monitor.stalled() and not monitor.healthy()

        server.release.set()
        (await pending).release()
        assert monitor.healthy()


async def test_a_cancelled_request_is_not_left_in_flight(served: tuple[Server, str]) -> None:
    server, base = served
    server.hang = True
    monitor = DeliveryMonitor(stall_seconds=0.1, failure_streak=1)
    async with aiohttp.ClientSession(trace_configs=[delivery_trace(monitor)]) as session:
        pending = asyncio.create_task(session.get(f"{base}/slow"))
        await asyncio.sleep(0.05)
        pending.cancel()
        with pytest.raises(asyncio.CancelledError):
            await pending
        await asyncio.sleep(0.15)
        assert monitor.healthy()  # neither stalled nor a failure: the caller gave up


async def test_a_streak_of_failed_answers_is_failing_until_one_succeeds(
    served: tuple[Server, str],
) -> None:
    server, base = served
    monitor = DeliveryMonitor(failure_streak=3)
    async with aiohttp.ClientSession(trace_configs=[delivery_trace(monitor)]) as session:
        server.status = 503
        for _ in range(2):
            (await session.post(f"{base}/x")).release()
        assert monitor.healthy()
        server.status = 429
        (await session.post(f"{base}/x")).release()
        assert monitor.failing()

        server.status = 403  # Discord answering "no" is Discord answering
        (await session.post(f"{base}/x")).release()
        assert monitor.healthy()


async def test_no_connection_counts_as_a_failure() -> None:
    monitor = DeliveryMonitor(failure_streak=1)
    async with aiohttp.ClientSession(trace_configs=[delivery_trace(monitor)]) as session:
        with pytest.raises(aiohttp.ClientError):
            await session.get("http://127.0.0.1:9/closed")
    assert monitor.failing()


def snowflake_at(unix_seconds: float) -> int:
    return (int(unix_seconds * 1000) - DISCORD_EPOCH_MS) << 22


@pytest.mark.parametrize(
    ("age", "status", "late"),
    [(0.5, 204, False), (3.5, 204, True), (0.5, 404, True)],
)
def test_late_interactions(age: float, status: int, late: bool) -> None:
    now = time.time()
    url = URL(f"https://discord.com/api/v10/interactions/{snowflake_at(now - age)}/tok/callback")
    assert is_late_interaction(url, status, now) is late


def test_only_initial_responses_can_be_late() -> None:
    old = snowflake_at(time.time() - 60)
    url = URL(f"https://discord.com/api/v10/webhooks/1/tok/messages/{old}")
    assert not is_late_interaction(url, 200, time.time())
