"""Is Discord taking what the bot sends? Watched on every REST request.

discord.py retries 429s and 5xx on its own and only raises once it gives up,
so a caller sees a failure late and the gateway can look fine all along. An
aiohttp trace on the bot's HTTP session sees every attempt instead:

- a request still waiting for an answer after `stall_seconds` means REST is
  stalled;
- `failure_streak` failed attempts in a row (429, 5xx, no connection) with no
  answered request in between means replies are not getting through (discord.py
  gives up on one request after five tries).

Either one makes `/readyz` report `delivery` as failing. Any answered request
(2xx, and 4xx other than 429: Discord is there and deciding) clears the streak.
The trace also counts every 429 and every interaction answered after Discord's
three-second deadline.
"""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Callable
from types import SimpleNamespace
from typing import Final

import aiohttp
import discord
from yarl import URL

from bot import metrics

DISCORD_EPOCH_MS: Final = 1_420_070_400_000
INTERACTION_DEADLINE: Final = 3.0
_CALLBACK_PATH: Final = re.compile(r"/interactions/(\d+)/[^/]+/callback$")


def snowflake_time(snowflake: int) -> float:
    """The Unix time a Discord id was created at."""
    return ((snowflake >> 22) + DISCORD_EPOCH_MS) / 1000


class DeliveryMonitor:
    def __init__(
        self,
        *,
        stall_seconds: float = 30.0,
        failure_streak: int = 5,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.stall_seconds = stall_seconds
        self.failure_streak = failure_streak
        self._clock = clock
        self._in_flight: dict[int, float] = {}
        self._failures_in_a_row = 0

    def started(self, request: object) -> None:
        self._in_flight[id(request)] = self._clock()

    def answered(self, request: object, status: int) -> None:
        self._in_flight.pop(id(request), None)
        if status == 429 or status >= 500:
            self._failures_in_a_row += 1
        else:
            self._failures_in_a_row = 0

    def unreachable(self, request: object) -> None:
        self._in_flight.pop(id(request), None)
        self._failures_in_a_row += 1

    def abandoned(self, request: object) -> None:
        """The caller gave up (cancelled): says nothing about Discord either way."""
        self._in_flight.pop(id(request), None)

    def stalled(self) -> bool:
        oldest = min(self._in_flight.values(), default=None)
        return oldest is not None and self._clock() - oldest >= self.stall_seconds

    def failing(self) -> bool:
        return self._failures_in_a_row >= self.failure_streak

    def healthy(self) -> bool:
        return not self.stalled() and not self.failing()


# What a send raises once discord.py stops retrying: Discord's answer, a
# rate limit too long to wait for, or no answer at all.
SEND_ERRORS: Final = (
    discord.HTTPException,
    discord.RateLimited,
    aiohttp.ClientError,
    OSError,
    TimeoutError,
)


def send_failure_cause(error: BaseException) -> metrics.SendFailureCause:
    """Why a send failed once discord.py stopped retrying."""
    if isinstance(error, discord.RateLimited):
        return "rate_limited"
    if isinstance(error, discord.HTTPException):
        if error.status == 429:
            return "rate_limited"
        return "server_error" if error.status >= 500 else "refused"
    return "unreachable"


def is_late_interaction(url: URL, status: int, sent_at: float) -> bool:
    """An initial interaction response sent after the deadline, or refused as expired."""
    match = _CALLBACK_PATH.search(url.path)
    if match is None:
        return False
    age = sent_at - snowflake_time(int(match.group(1)))
    return status == 404 or age > INTERACTION_DEADLINE


def delivery_trace(monitor: DeliveryMonitor) -> aiohttp.TraceConfig:
    """An aiohttp trace that feeds `monitor` and the delivery metrics."""
    trace = aiohttp.TraceConfig()

    async def on_start(
        session: aiohttp.ClientSession,
        context: SimpleNamespace,
        params: aiohttp.TraceRequestStartParams,
    ) -> None:
        context.sent_at = time.time()
        monitor.started(context)

    async def on_end(
        session: aiohttp.ClientSession,
        context: SimpleNamespace,
        params: aiohttp.TraceRequestEndParams,
    ) -> None:
        status = params.response.status
        monitor.answered(context, status)
        if status == 429:
            metrics.record_rate_limited()
        if is_late_interaction(params.url, status, context.sent_at):
            metrics.record_late_interaction()

    async def on_exception(
        session: aiohttp.ClientSession,
        context: SimpleNamespace,
        params: aiohttp.TraceRequestExceptionParams,
    ) -> None:
        if isinstance(params.exception, asyncio.CancelledError):
            monitor.abandoned(context)
        else:
            monitor.unreachable(context)

    trace.on_request_start.append(on_start)
    trace.on_request_end.append(on_end)
    trace.on_request_exception.append(on_exception)
    return trace
