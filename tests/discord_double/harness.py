"""Run any ``discord.Client``/``commands.Bot`` against a started :class:`DiscordDouble`.

Fixture shape from section 1 of the protocol notes: patch, login inline (runs ``setup_hook``
and so ``tree.sync()``), ``connect()`` in a task, wait until ready (racing the task so a
crash surfaces at once — gotcha 5), and on teardown ``close()``, await the task and wait
for discord.py's keep-alive threads to exit (gotcha 9).
"""

from __future__ import annotations

import asyncio
import logging
import socket
import threading
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any, TypeVar

import aiohttp
import aiohttp.abc
import discord
from discord.utils import MISSING

from .server import DiscordDouble, DoubleError

T = TypeVar("T")
BotT = TypeVar("BotT", bound=discord.Client)


class DoubleBotMixin:
    """Mix into a test bot class: re-IDENTIFY without discord.py's 5 s sleep (gotcha 7)."""

    async def before_identify_hook(self, shard_id: int | None, *, initial: bool = False) -> None:
        return None


async def _no_identify_wait(shard_id: int | None, *, initial: bool = False) -> None:
    return None


class NoNetworkResolver(aiohttp.abc.AbstractResolver):
    """Safety net: any hostname lookup fails, so a request that escaped the patches (e.g. to
    discord.com or the CDN) errors out at once instead of reaching the internet.
    aiohttp skips the resolver for IP literals, so 127.0.0.1 keeps working."""

    async def resolve(self, host: str, port: int = 0, family: int = socket.AF_INET) -> Any:
        raise OSError(f"discord double: refusing to resolve {host!r}; tests only talk to 127.0.0.1")

    async def close(self) -> None:
        return None


def safety_connector() -> aiohttp.TCPConnector:
    return aiohttp.TCPConnector(resolver=NoNetworkResolver(), limit=0)


class _ErrorCapture(logging.Handler):
    def __init__(self, double: DiscordDouble) -> None:
        super().__init__(level=logging.ERROR)
        self.double = double

    def emit(self, record: logging.LogRecord) -> None:
        if record.name.startswith("discord_double"):
            return
        self.double.log_records.append(record)
        try:
            asyncio.get_running_loop()
        except RuntimeError:  # another thread (e.g. keep-alive): no loop-bound wake-up
            return
        self.double._notify()


class RunningBot:
    """A bot connected to the double. ``wait_for`` races any awaitable with ``connect()``."""

    def __init__(self, bot: discord.Client, double: DiscordDouble) -> None:
        self.bot = bot
        self.double = double
        self.task: asyncio.Task[None] | None = None
        self._failure_seen = False

    @property
    def errors(self) -> list[logging.LogRecord]:
        """ERROR+ log records emitted while the bot ran (handler exceptions end up here)."""
        return self.double.log_records

    def _raise_if_dead(self) -> None:
        task = self.task
        if task is not None and task.done():
            self._failure_seen = True
            if not task.cancelled() and task.exception() is not None:
                raise task.exception()  # type: ignore[misc]
            raise DoubleError("the bot's connect() task ended")

    async def wait_error(self, text: str = "", *, timeout: float = 5.0) -> logging.LogRecord:
        """An ERROR log record (e.g. discord.py's "Ignoring exception in ...") containing ``text``
        in its message or exception."""

        def check() -> logging.LogRecord | None:
            for rec in self.errors:
                exc = rec.exc_info[1] if rec.exc_info else None
                if text in rec.getMessage() or (
                    exc is not None and text in f"{type(exc).__name__}: {exc}"
                ):
                    return rec
            return None

        return await self.double.wait_until(
            check, timeout=timeout, what=f"an error log containing {text!r}"
        )

    async def wait_for(
        self, aw: Awaitable[T], *, timeout: float = 5.0, what: str = "awaitable"
    ) -> T:
        """Await ``aw`` but fail fast with the connect task's exception if the bot dies."""
        fut = asyncio.ensure_future(aw)
        waiters: list[asyncio.Future[Any]] = [fut]
        if self.task is not None:
            waiters.append(self.task)
        try:
            done, _ = await asyncio.wait(
                waiters, timeout=timeout, return_when=asyncio.FIRST_COMPLETED
            )
        except BaseException:
            fut.cancel()
            raise
        if fut in done:
            return fut.result()
        fut.cancel()
        self._raise_if_dead()
        raise DoubleError(
            f"timed out after {timeout}s waiting for {what}\n{self.double.diagnostics()}"
        )

    async def start(self, *, ready_timeout: float = 10.0, wait_ready: bool = True) -> None:
        try:
            await self.bot.login(self.double.token)
        except BaseException:
            await self.bot.close()
            raise
        self.task = asyncio.create_task(self.bot.connect(reconnect=True), name="bot-connect")
        self.double.watch(self.task)
        if wait_ready:
            await self.wait_for(self.bot.wait_until_ready(), timeout=ready_timeout, what="on_ready")

    async def stop(self, *, raise_unobserved: bool = True) -> None:
        if not self.bot.is_closed():
            await self.bot.close()
        exc: BaseException | None = None
        if self.task is not None:
            try:
                await asyncio.wait_for(asyncio.shield(self.task), 10.0)
            except (Exception, asyncio.CancelledError) as e:
                exc = e
            self.double.unwatch(self.task)
        await _wait_keep_alive_threads()
        if (
            exc is not None
            and raise_unobserved
            and not self._failure_seen
            and not self.double.failure_seen
        ):
            raise DoubleError(f"the bot's connect() task failed unobserved: {exc!r}") from exc


async def _wait_keep_alive_threads(timeout: float = 3.0) -> None:
    """discord.py heartbeats from daemon threads; let them exit before the loop closes."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while any(
        t.is_alive() and t.name.startswith("keep-alive-handler") for t in threading.enumerate()
    ):
        if loop.time() > deadline:
            raise DoubleError("discord.py keep-alive threads still alive after bot.close()")
        await asyncio.sleep(0.005)


def prepare_bot(bot: discord.Client, *, guild_ready_timeout: float | None = 0.05) -> None:
    """Tune a bot built by any factory: short guild_ready_timeout, no 5 s re-IDENTIFY sleep,
    and the no-DNS safety-net connector (unless the bot brought its own)."""
    if guild_ready_timeout is not None:
        bot._connection.guild_ready_timeout = guild_ready_timeout
    if type(bot).before_identify_hook is discord.Client.before_identify_hook:
        bot.before_identify_hook = _no_identify_wait  # type: ignore[method-assign]
    if bot.http.connector is MISSING:
        bot.http.connector = safety_connector()


@asynccontextmanager
async def serving(double: DiscordDouble) -> AsyncIterator[DiscordDouble]:
    """`double` started on 127.0.0.1 for the block, stopped after; the block fails if the
    double itself crashed meanwhile (a bug in the fake, not in the bot under test)."""
    await double.start()
    try:
        yield double
    finally:
        await double.stop()
    assert not double.internal_errors, "the discord double itself crashed:\n" + "\n".join(
        double.internal_errors
    )


@asynccontextmanager
async def running_bot(
    double: DiscordDouble,
    bot_factory: BotT | Callable[[], BotT],
    monkeypatch: Any,
    *,
    ready_timeout: float = 10.0,
    wait_ready: bool = True,
    guild_ready_timeout: float | None = 0.05,
) -> AsyncIterator[RunningBot]:
    """``async with running_bot(double, bot_or_factory, monkeypatch) as rb:`` → ``rb.bot`` is ready.

    ``bot_factory`` is a Bot instance (built before or after patching: ``Route.BASE`` is read per
    request) or a zero-argument callable returning one (called after patching).
    """
    double.patch(monkeypatch)
    bot = bot_factory if isinstance(bot_factory, discord.Client) else bot_factory()
    prepare_bot(bot, guild_ready_timeout=guild_ready_timeout)
    capture = _ErrorCapture(double)
    root = logging.getLogger()
    root.addHandler(capture)
    runner = RunningBot(bot, double)
    try:
        await runner.start(ready_timeout=ready_timeout, wait_ready=wait_ready)
    except BaseException:
        await runner.stop(raise_unobserved=False)
        root.removeHandler(capture)
        raise
    try:
        yield runner
    except BaseException:
        await runner.stop(raise_unobserved=False)
        raise
    else:
        await runner.stop()
    finally:
        root.removeHandler(capture)
