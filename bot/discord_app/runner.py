"""`python -m bot run`: the bot process, from start-up to a graceful stop.

Start-up: logging (token redacted), knowledge base, engine and client, signal
handlers (SIGTERM/SIGINT stop, SIGHUP reloads the knowledge base), the
database's process lock (a second bot on the same file is refused, naming the
first one's pid), the database itself (created only on a first run or with
`--init`), health server, pid file next to the database, login (`setup_hook`:
storage, cogs, command sync), gateway.

Stop, on SIGTERM/SIGINT or a fatal error (see `bot.lifecycle`): refuse new
answers and fail readiness, let the replies in flight finish (up to
SHUTDOWN_GRACE_SECONDS), close the gateway, the database and the health
server, remove the pid file, release the lock.

Exit codes: 0 stopped by a signal; 1 unexpected failure; 2 something the
operator must fix (token, privileged intent, knowledge files, settings,
database written by a newer version). Expected start-up failures print one
clear Italian line, not a traceback.
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, Final

import aiohttp
import discord

from bot import messages, metrics
from bot.config import Settings
from bot.core.engine import Engine
from bot.core.knowledge import KnowledgeBase, KnowledgeError, load_knowledge_dir
from bot.discord_app.client import SYNC_STATE_FILE, TimoniereBot
from bot.health import HealthServer, ReadinessCheck, start_health_server
from bot.lifecycle import (
    PID_FILE_NAME,
    GracefulShutdown,
    ShuttingDown,
    install_signal_handlers,
    pid_file_path,
    remove_pid_file,
    write_pid_file,
)
from bot.logging_setup import configure_logging
from bot.storage import Database, DatabaseError, ProcessLock, check_may_create

log = logging.getLogger(__name__)

EXIT_OK: Final = 0
EXIT_FAILURE: Final = 1
EXIT_CONFIG: Final = 2

# How long to wait for discord.py's connect() to return once the client is closed.
_SETTLE_SECONDS: Final = 5.0


class StartupFailed(Exception):
    """A start-up problem with a message for the operator and an exit code."""

    def __init__(self, message: str, code: int) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


def run_bot(settings: Settings, *, init: bool = False, **client_options: Any) -> int:
    """Run until SIGTERM/SIGINT or a fatal error; return the exit code.

    `init` allows creating an empty database where the folder shows one existed.
    `client_options` go to `TimoniereBot` (tests pass `guild_ready_timeout`).
    """
    configure_logging(settings.log_level, settings.log_format, secrets=[settings.discord_token])
    if settings.discord_token is None:  # the CLI checks first; keep the promise anyway
        _report(settings, messages.OPS_CONFIG_TOKEN_MISSING)
        return EXIT_CONFIG
    try:
        kb = load_knowledge_dir(settings.knowledge_dir)
    except KnowledgeError as exc:
        _report(settings, messages.OPS_RUN_KNOWLEDGE_ERROR.format(error=exc))
        return EXIT_CONFIG
    try:
        code = asyncio.run(_run(settings, kb, client_options, init=init))
    except StartupFailed as failure:
        _report(settings, failure.message)
        return failure.code
    except KeyboardInterrupt:  # Ctrl+C before the handlers were in place
        return 130
    log.info("Timoniere stopped (exit code %d)", code)
    return code


def _report(settings: Settings, message: str) -> None:
    """One clear line for the operator: plain text, or a log object for collectors."""
    if settings.log_format == "json":
        log.critical("%s", message)
    else:
        sys.stderr.write(message + "\n")
        sys.stderr.flush()


def readiness_checks(bot: TimoniereBot, shutdown: GracefulShutdown) -> dict[str, ReadinessCheck]:
    """What /readyz reports: gateway, delivery (REST), database, knowledge, accepting."""

    def gateway() -> bool:
        ws = bot.ws
        return bot.is_ready() and not bot.is_closed() and ws is not None and ws.open

    async def database() -> bool:
        # A tiny real write: a read alone succeeds on a read-only file, a full
        # disk or a file deleted under the open connection.
        db = bot.database
        return db is not None and await db.accepts_writes()

    return {
        "gateway": gateway,
        "delivery": bot.delivery.healthy,
        "database": database,
        "knowledge": lambda: bool(bot.engine.kb.features),
        "accepting": lambda: shutdown.accepting,
    }


async def _run(
    settings: Settings, kb: KnowledgeBase, client_options: dict[str, Any], *, init: bool
) -> int:
    loop = asyncio.get_running_loop()
    # Timoniere never joins voice: skip discord.py's start-up warnings about
    # the missing voice libraries, which only worry operators.
    discord.VoiceClient.warn_nacl = False
    discord.VoiceClient.warn_dave = False
    shutdown = GracefulShutdown(settings.shutdown_grace_seconds)
    bot = TimoniereBot(
        settings, Engine(kb, settings.confidence_threshold), shutdown=shutdown, **client_options
    )
    # Close order: the gateway first (no new events), then the database, and
    # the health server last so /healthz answers until the very end.
    shutdown.add_close_callback("discord", bot.close)
    shutdown.add_close_callback("database", bot.close_storage)
    uninstall_stop = install_signal_handlers(loop, shutdown.shutdown)
    uninstall_reload = _install_reload_handler(loop, bot, shutdown)
    pid_path = pid_file_path(settings.database_path)
    lock = ProcessLock(Path(settings.database_path))
    try:
        await _claim_database(lock, init=init)
        health = await _start_health(settings, bot, shutdown)
        if health is not None:
            shutdown.add_close_callback("health", health.stop)
        write_pid_file(pid_path)
        return await _serve(bot, shutdown)
    finally:
        await shutdown.shutdown()  # no-op when it already ran
        uninstall_reload()
        uninstall_stop()
        remove_pid_file(pid_path)
        lock.release()


async def _claim_database(lock: ProcessLock, *, init: bool) -> None:
    """Take the database's process lock, then make sure the file exists.

    Whether a missing file may be created is decided before the lock file
    appears, since that file is itself a sign that a database was here.
    """
    path = lock.database
    try:
        check_may_create(path, init=init, other_state=(PID_FILE_NAME, SYNC_STATE_FILE))
        lock.acquire()
        if not path.exists():
            log.info("creating a new database at %s", path)
            async with await Database.open(path, create=True):
                pass
    except DatabaseError as exc:
        raise StartupFailed(exc.message, EXIT_CONFIG) from None
    except OSError as exc:
        raise StartupFailed(
            messages.OPS_RUN_DATA_FOLDER.format(
                path=path.parent, error=exc.strerror or exc, uid=os.getuid()
            ),
            EXIT_CONFIG,
        ) from None


async def _start_health(
    settings: Settings, bot: TimoniereBot, shutdown: GracefulShutdown
) -> HealthServer | None:
    try:
        return await start_health_server(
            settings, readiness_checks(bot, shutdown), metrics.REGISTRY
        )
    except OSError as exc:  # port taken, address not available
        raise StartupFailed(
            messages.OPS_RUN_HEALTH_PORT_BUSY.format(
                host=settings.health_host, port=settings.health_port, error=exc.strerror or exc
            ),
            EXIT_CONFIG,
        ) from None


async def _serve(bot: TimoniereBot, shutdown: GracefulShutdown) -> int:
    token = bot.settings.discord_token
    assert token is not None
    timeout = bot.settings.login_timeout_seconds
    ready = asyncio.Event()

    async def on_ready() -> None:
        ready.set()

    bot.add_listener(on_ready, "on_ready")

    async def session() -> None:
        log.info("Logging in to Discord (giving up after %g s)", timeout)
        await bot.login(token.reveal())
        log.info("Logged in; connecting to the gateway")
        await bot.connect(reconnect=True)

    running = asyncio.create_task(session(), name="discord-session")
    stop_requested = asyncio.create_task(shutdown.wait_requested())
    # Discord may accept the connection and never answer; aiohttp would wait
    # 300 s without a word. Bound the whole way in (login, commands, gateway).
    started = asyncio.create_task(asyncio.wait_for(ready.wait(), timeout))
    try:
        waiting = {running, stop_requested, started}
        done, _ = await asyncio.wait(waiting, return_when=asyncio.FIRST_COMPLETED)
        timed_out = started in done and started.exception() is not None
        if timed_out and running not in done and not shutdown.stopping:
            failure = _silent_discord(bot, timeout)
            await shutdown.shutdown()
            await _settle(running)
            raise failure
        if started in done and not timed_out:
            await asyncio.wait({running, stop_requested}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        stop_requested.cancel()
        started.cancel()
    if shutdown.stopping:
        await shutdown.shutdown()
        await _settle(running)
        return EXIT_OK
    # The session ended without a stop request: discord.py gave up.
    failure = _describe(running)
    await shutdown.shutdown()
    raise failure


async def _settle(task: asyncio.Task[None]) -> None:
    """Let connect() return after close(); its outcome no longer matters."""
    done, _ = await asyncio.wait({task}, timeout=_SETTLE_SECONDS)
    if not done:
        log.warning("The Discord session did not end after close(); cancelling it")
        task.cancel()
        await asyncio.wait({task}, timeout=1.0)
        return
    if not task.cancelled() and task.exception() is not None:
        log.debug("Discord session ended during shutdown", exc_info=task.exception())


def _silent_discord(bot: TimoniereBot, timeout: float) -> StartupFailed:
    # discord.py knows the bot's user once the token was accepted.
    stage = messages.OPS_RUN_STAGE_LOGIN if bot.user is None else messages.OPS_RUN_STAGE_GATEWAY
    log.error("Discord did not let the bot in within %g s (stuck at: %s)", timeout, stage)
    return StartupFailed(
        messages.OPS_RUN_DISCORD_SILENT.format(seconds=timeout, stage=stage), EXIT_FAILURE
    )


def _describe(task: asyncio.Task[None]) -> StartupFailed:
    exc = task.exception() if not task.cancelled() else None
    if exc is None:
        return StartupFailed(
            messages.OPS_RUN_CRASHED.format(error=messages.OPS_RUN_CONNECTION_CLOSED), EXIT_FAILURE
        )
    if isinstance(exc, discord.LoginFailure):
        return StartupFailed(messages.OPS_RUN_LOGIN_FAILED, EXIT_CONFIG)
    if isinstance(exc, discord.PrivilegedIntentsRequired):
        return StartupFailed(messages.OPS_RUN_PRIVILEGED_INTENTS, EXIT_CONFIG)
    if isinstance(exc, DatabaseError):
        return StartupFailed(exc.message, EXIT_CONFIG)
    if isinstance(exc, aiohttp.ClientConnectionError | OSError):
        return StartupFailed(messages.OPS_RUN_UNREACHABLE.format(error=exc), EXIT_FAILURE)
    log.error("The Discord session failed", exc_info=exc)
    return StartupFailed(messages.OPS_RUN_CRASHED.format(error=type(exc).__name__), EXIT_FAILURE)


# --- SIGHUP: reload the knowledge base ------------------------------------------


def _install_reload_handler(
    loop: asyncio.AbstractEventLoop, bot: TimoniereBot, shutdown: GracefulShutdown
) -> Callable[[], None]:
    sighup = getattr(signal, "SIGHUP", None)
    if sighup is None:  # pragma: no cover - Windows: /kb ricarica still works
        return lambda: None

    def on_sighup() -> None:
        log.info("Received SIGHUP: reloading the knowledge base")
        try:
            # Tracked, so a stop that arrives meanwhile waits for the reload.
            shutdown.track(_reload(bot))
        except ShuttingDown:
            log.info("SIGHUP ignored: shutting down")

    try:
        loop.add_signal_handler(sighup, on_sighup)
    except (NotImplementedError, RuntimeError):  # pragma: no cover - no signal support
        return lambda: None

    def uninstall() -> None:
        loop.remove_signal_handler(sighup)

    return uninstall


async def _reload(bot: TimoniereBot) -> None:
    try:
        await bot.reload_knowledge()  # logs the outcome itself
    except Exception:
        log.exception("Knowledge reload failed")
