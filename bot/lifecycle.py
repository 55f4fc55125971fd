"""Graceful shutdown on SIGTERM/SIGINT.

Typical wiring in a runner::

    shutdown = GracefulShutdown(settings.shutdown_grace_seconds)
    shutdown.add_close_callback("discord", client.close)
    shutdown.add_close_callback("health", health.stop)
    shutdown.add_close_callback("database", store.close)
    install_signal_handlers(asyncio.get_running_loop(), shutdown.shutdown)
    ...
    async def on_message(message):
        try:
            async with shutdown.work():
                ...  # answer
        except ShuttingDown:
            ...  # reply messages.OPS_SHUTTING_DOWN, or stay silent
    ...
    await shutdown.wait_closed()

`shutdown()` runs once, whoever calls it first: stop accepting new work (and
fail the "accepting" readiness check), wait for in-flight work up to the grace
period, cancel what is left, then run the close callbacks in registration
order; a failing or hanging callback is logged and does not stop the others.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import logging
import os
import signal
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

log = logging.getLogger(__name__)

T = TypeVar("T")
CloseCallback = Callable[[], Awaitable[None] | None]

DEFAULT_SIGNALS: tuple[signal.Signals, ...] = (signal.SIGTERM, signal.SIGINT)


class ShuttingDown(RuntimeError):
    """New work was refused because shutdown has started."""


class GracefulShutdown:
    def __init__(self, grace_seconds: float = 10.0, *, close_timeout: float = 5.0) -> None:
        if grace_seconds < 0 or close_timeout <= 0:
            raise ValueError("grace_seconds must be >= 0 and close_timeout > 0")
        self.grace_seconds = grace_seconds
        self.close_timeout = close_timeout
        self._in_flight: set[asyncio.Task[Any]] = set()
        self._callbacks: list[tuple[str, CloseCallback]] = []
        self._stopping = False
        self._requested: asyncio.Event | None = None
        self._closed: asyncio.Event | None = None
        self._task: asyncio.Task[bool] | None = None

    # Events are created lazily so the object can be built outside a loop.
    def _requested_event(self) -> asyncio.Event:
        if self._requested is None:
            self._requested = asyncio.Event()
        return self._requested

    def _closed_event(self) -> asyncio.Event:
        if self._closed is None:
            self._closed = asyncio.Event()
        return self._closed

    @property
    def stopping(self) -> bool:
        """True from the moment shutdown starts."""
        return self._stopping

    @property
    def accepting(self) -> bool:
        """False once shutdown starts; wire it as a readiness check."""
        return not self._stopping

    @property
    def in_flight(self) -> int:
        return len(self._in_flight)

    def add_close_callback(self, name: str, callback: CloseCallback) -> None:
        """Run `callback` (sync or async) during shutdown, after earlier ones."""
        self._callbacks.append((name, callback))

    def _check_accepting(self) -> None:
        if self._stopping:
            raise ShuttingDown("shutting down, not accepting new work")

    @contextlib.asynccontextmanager
    async def work(self) -> AsyncIterator[None]:
        """Mark the current task as in-flight work; raise ShuttingDown if stopping."""
        self._check_accepting()
        task = asyncio.current_task()
        if task is None:  # pragma: no cover - always inside a task under asyncio
            raise RuntimeError("work() must run inside an asyncio task")
        self._in_flight.add(task)
        try:
            yield
        finally:
            self._in_flight.discard(task)

    def track(self, coro: Coroutine[Any, Any, T]) -> asyncio.Task[T]:
        """Run `coro` as a task counted as in-flight work."""
        try:
            self._check_accepting()
        except ShuttingDown:
            coro.close()  # avoid "coroutine was never awaited"
            raise
        task = asyncio.get_running_loop().create_task(coro)
        self._in_flight.add(task)
        task.add_done_callback(self._in_flight.discard)
        return task

    async def wait_requested(self) -> None:
        """Return once shutdown has been requested."""
        await self._requested_event().wait()

    async def wait_closed(self) -> None:
        """Return once shutdown has completed (all close callbacks ran)."""
        await self._closed_event().wait()

    async def shutdown(self) -> bool:
        """Shut down once; later calls wait for the same run. True if nothing was cut short.

        Work that calls shutdown() itself (e.g. an admin command) stops counting
        as in-flight, otherwise it would wait for itself until the grace ends.
        """
        caller = asyncio.current_task()
        if caller is not None:
            self._in_flight.discard(caller)
        if self._task is None:
            self._stopping = True
            self._requested_event().set()
            self._task = asyncio.get_running_loop().create_task(self._run())
        return await asyncio.shield(self._task)

    async def _run(self) -> bool:
        started = time.monotonic()
        clean = await self._drain()
        for name, callback in self._callbacks:
            clean = await self._close_one(name, callback) and clean
        self._closed_event().set()
        log.info(
            "Shutdown complete in %.2fs%s",
            time.monotonic() - started,
            "" if clean else " (with problems, see above)",
        )
        return clean

    async def _drain(self) -> bool:
        tasks = {t for t in self._in_flight if not t.done()}
        if not tasks:
            return True
        log.info(
            "Stopping: waiting up to %.1fs for %d in-flight task(s)",
            self.grace_seconds,
            len(tasks),
        )
        pending = tasks
        if self.grace_seconds > 0:
            _, pending = await asyncio.wait(tasks, timeout=self.grace_seconds)
        if not pending:
            return True
        log.warning("Grace period over: cancelling %d in-flight task(s)", len(pending))
        for task in pending:
            task.cancel()
        await asyncio.wait(pending, timeout=self.close_timeout)
        return False

    async def _close_one(self, name: str, callback: CloseCallback) -> bool:
        try:
            async with asyncio.timeout(self.close_timeout):
                result = callback()
                if inspect.isawaitable(result):
                    await result
        except TimeoutError:
            log.error("Closing %s took longer than %.1fs; moving on", name, self.close_timeout)
            return False
        except Exception:
            log.exception("Closing %s failed; moving on", name)
            return False
        log.debug("Closed %s", name)
        return True


def install_signal_handlers(
    loop: asyncio.AbstractEventLoop,
    on_stop: Callable[[], Awaitable[Any]],
    signals: Iterable[signal.Signals] = DEFAULT_SIGNALS,
) -> Callable[[], None]:
    """Call `on_stop()` once on the first SIGTERM/SIGINT; return an uninstaller.

    Later signals only log that shutdown is under way (the orchestrator's
    SIGKILL after its own grace period remains the hard stop). Where
    `loop.add_signal_handler` is unavailable (Windows) it falls back to
    `signal.signal` with a thread-safe hand-off to the loop.
    """
    state: dict[str, Any] = {"task": None}
    chosen = tuple(signals)

    def start_stop(signum: int) -> None:
        name = signal.Signals(signum).name
        if state["task"] is not None:
            log.warning("Received %s again: shutdown already in progress", name)
            return
        log.info("Received %s: shutting down", name)
        state["task"] = loop.create_task(_call(on_stop))

    used_fallback: dict[signal.Signals, Any] = {}
    for sig in chosen:
        try:
            loop.add_signal_handler(sig, start_stop, int(sig))
        except (NotImplementedError, RuntimeError):  # pragma: no cover - Windows
            used_fallback[sig] = signal.signal(
                sig, lambda signum, _frame: loop.call_soon_threadsafe(start_stop, signum)
            )

    def uninstall() -> None:
        for sig in chosen:
            if sig in used_fallback:  # pragma: no cover - Windows
                signal.signal(sig, used_fallback[sig])
            else:
                loop.remove_signal_handler(sig)

    return uninstall


async def _call(on_stop: Callable[[], Awaitable[Any]]) -> None:
    try:
        await on_stop()
    except Exception:
        log.exception("Shutdown handler failed")


# --- pid file -------------------------------------------------------------------
# `python -m bot run` writes one next to the database; `python -m bot kb reload`
# reads it to send SIGHUP. Line 1 is the pid; line 2, where the OS tells us
# (Linux /proc), the process start time, so a pid reused by an unrelated
# process after a crash is recognised as stale instead of being signalled.

PID_FILE_NAME = "timoniere.pid"


def pid_file_path(database_path: Path) -> Path:
    return Path(database_path).parent / PID_FILE_NAME


def process_start_time(pid: int) -> str | None:
    """The start time of `pid` in clock ticks since boot (Linux), else None."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii", errors="replace")
    except OSError:
        return None
    # The command name (field 2) may contain spaces and parentheses: split after
    # the last ')'. What follows starts at field 3, so field 22 is index 19.
    fields = stat.rpartition(")")[2].split()
    return fields[19] if len(fields) > 19 else None


@dataclass(frozen=True)
class PidRecord:
    pid: int
    start_time: str | None


def write_pid_file(path: Path, pid: int | None = None) -> None:
    """Atomically write `pid` (default: this process) and its start time."""
    # No "is another bot running?" check here: the runner already holds the
    # database's process lock (bot.storage.ProcessLock), which refuses a second bot.
    pid = os.getpid() if pid is None else pid
    path.parent.mkdir(parents=True, exist_ok=True)
    start = process_start_time(pid)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(f"{pid}\n{start or ''}\n", encoding="ascii")
    os.replace(tmp, path)


def read_pid_file(path: Path) -> PidRecord | None:
    """The record in `path`; None if there is no file; ValueError if it is garbled."""
    try:
        lines = path.read_text(encoding="ascii").splitlines()
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise ValueError(str(exc)) from None
    if not lines or not lines[0].strip().isdigit() or int(lines[0]) <= 0:
        raise ValueError(f"{path}: no pid on the first line")
    start = lines[1].strip() if len(lines) > 1 and lines[1].strip() else None
    return PidRecord(int(lines[0]), start)


def pid_is_running(record: PidRecord) -> bool:
    """True if the process exists and, when both are known, has the recorded start time."""
    try:
        os.kill(record.pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # exists, owned by someone else
    if record.start_time is None:
        return True
    current = process_start_time(record.pid)
    return current is None or current == record.start_time


def remove_pid_file(path: Path, pid: int | None = None) -> None:
    """Remove `path` if it still names `pid` (default: this process)."""
    pid = os.getpid() if pid is None else pid
    try:
        record = read_pid_file(path)
    except ValueError:
        return
    if record is not None and record.pid == pid:
        path.unlink(missing_ok=True)
