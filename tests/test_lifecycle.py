"""GracefulShutdown in-process, and SIGTERM/SIGINT end to end in a real subprocess."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from bot.lifecycle import (
    GracefulShutdown,
    PidRecord,
    ShuttingDown,
    install_signal_handlers,
    pid_file_path,
    pid_is_running,
    process_start_time,
    read_pid_file,
    remove_pid_file,
    write_pid_file,
)

ROOT = Path(__file__).resolve().parent.parent

# --- in-process ------------------------------------------------------------------


async def test_waits_for_in_flight_work_then_closes_in_order() -> None:
    shutdown = GracefulShutdown(grace_seconds=2)
    events: list[str] = []
    release = asyncio.Event()

    async def answer() -> None:
        async with shutdown.work():
            events.append("work started")
            await release.wait()
            events.append("work finished")

    async def close_db() -> None:
        events.append("close database")

    shutdown.add_close_callback("discord", lambda: events.append("close discord"))
    shutdown.add_close_callback("database", close_db)
    task = asyncio.create_task(answer())
    await asyncio.sleep(0)
    assert shutdown.in_flight == 1

    stopping = asyncio.create_task(shutdown.shutdown())
    await asyncio.sleep(0.01)
    assert shutdown.stopping and not shutdown.accepting
    assert events == ["work started"]  # close callbacks wait for the work
    release.set()
    assert await stopping is True
    await task
    assert events == ["work started", "work finished", "close discord", "close database"]
    assert shutdown.in_flight == 0


async def test_new_work_is_refused_once_stopping() -> None:
    shutdown = GracefulShutdown(grace_seconds=1)
    await shutdown.shutdown()
    with pytest.raises(ShuttingDown):
        async with shutdown.work():
            pass  # pragma: no cover

    async def job() -> None:  # pragma: no cover - never started
        pass

    with pytest.raises(ShuttingDown):
        shutdown.track(job())


async def test_work_past_the_grace_period_is_cancelled() -> None:
    shutdown = GracefulShutdown(grace_seconds=0.05)
    cancelled = asyncio.Event()

    async def stuck() -> None:
        try:
            await asyncio.sleep(30)
        except asyncio.CancelledError:
            cancelled.set()
            raise

    task = shutdown.track(stuck())
    await asyncio.sleep(0)
    started = time.monotonic()
    assert await shutdown.shutdown() is False
    assert time.monotonic() - started < 1
    assert cancelled.is_set() and task.cancelled()


async def test_failing_or_hanging_close_callback_does_not_stop_the_others() -> None:
    shutdown = GracefulShutdown(grace_seconds=0, close_timeout=0.05)
    closed: list[str] = []

    def broken() -> None:
        raise RuntimeError("boom")

    async def hangs() -> None:
        await asyncio.sleep(30)

    shutdown.add_close_callback("broken", broken)
    shutdown.add_close_callback("hangs", hangs)
    shutdown.add_close_callback("last", lambda: closed.append("last"))
    assert await shutdown.shutdown() is False
    assert closed == ["last"]


async def test_shutdown_runs_once_and_everyone_waits_for_it() -> None:
    shutdown = GracefulShutdown(grace_seconds=1)
    calls: list[str] = []
    shutdown.add_close_callback("once", lambda: calls.append("closed"))
    results = await asyncio.gather(shutdown.shutdown(), shutdown.shutdown())
    assert results == [True, True]
    assert await shutdown.shutdown() is True
    await asyncio.wait_for(shutdown.wait_closed(), 1)
    await asyncio.wait_for(shutdown.wait_requested(), 1)
    assert calls == ["closed"]


async def test_work_that_requests_shutdown_does_not_wait_for_itself() -> None:
    shutdown = GracefulShutdown(grace_seconds=5)

    async def admin_command() -> bool:
        async with shutdown.work():
            return await shutdown.shutdown()

    started = time.monotonic()
    assert await asyncio.wait_for(admin_command(), 2) is True
    assert time.monotonic() - started < 1


async def test_signal_handler_calls_on_stop_once() -> None:
    loop = asyncio.get_running_loop()
    calls = 0
    done = asyncio.Event()

    async def on_stop() -> None:
        nonlocal calls
        calls += 1
        done.set()

    uninstall = install_signal_handlers(loop, on_stop, signals=[signal.SIGUSR1])
    try:
        os.kill(os.getpid(), signal.SIGUSR1)
        await asyncio.wait_for(done.wait(), 2)
        os.kill(os.getpid(), signal.SIGUSR1)  # second signal: logged, ignored
        await asyncio.sleep(0.05)
    finally:
        uninstall()
    assert calls == 1


def test_invalid_arguments() -> None:
    with pytest.raises(ValueError):
        GracefulShutdown(grace_seconds=-1)
    with pytest.raises(ValueError):
        GracefulShutdown(close_timeout=0)


# --- real process ------------------------------------------------------------------

SCRIPT = textwrap.dedent(
    """
    import asyncio
    import sys

    import aiohttp

    from bot.health import HealthServer
    from bot.lifecycle import GracefulShutdown, install_signal_handlers
    from bot.metrics import Metrics


    def say(line):
        print(line, flush=True)


    async def main():
        shutdown = GracefulShutdown(grace_seconds=5)
        health = HealthServer(
            "127.0.0.1", 0, {"accepting": lambda: shutdown.accepting}, Metrics().registry
        )
        await health.start()

        async def in_flight():
            async with shutdown.work():
                say("work started")
                await shutdown.wait_requested()  # the signal arrives mid-work
                url = f"http://127.0.0.1:{health.port}/readyz"
                async with aiohttp.ClientSession() as http, http.get(url) as response:
                    say(f"readyz while draining: {response.status}")
                await asyncio.sleep(0.2)
                say("work finished")

        async def close_database():
            say("closing database")

        shutdown.add_close_callback("health", health.stop)
        shutdown.add_close_callback("database", close_database)
        install_signal_handlers(asyncio.get_running_loop(), shutdown.shutdown)
        task = shutdown.track(in_flight())
        await asyncio.sleep(0)
        say(f"ready on {health.port}")
        await shutdown.wait_closed()
        await task
        say("closed cleanly" if not health.running else "health still running")


    asyncio.run(main())
    sys.exit(0)
    """
)


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_signal_drains_in_flight_work_and_exits_zero(tmp_path: Path, sig: signal.Signals) -> None:
    script = tmp_path / "tiny_bot.py"
    script.write_text(SCRIPT, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        [sys.executable, str(script)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        # Both lines, in either order, before signalling: handlers installed,
        # work in flight.
        first = [proc.stdout.readline().strip() for _ in range(2)]
        assert {line.split(" on ")[0] for line in first} == {"ready", "work started"}, first
        proc.send_signal(sig)
        stdout, stderr = proc.communicate(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0, stderr
    assert stdout.splitlines() == [
        "readyz while draining: 503",
        "work finished",
        "closing database",
        "closed cleanly",
    ], stderr


# --- pid file --------------------------------------------------------------------


def test_pid_file_round_trip(tmp_path: Path) -> None:
    path = pid_file_path(tmp_path / "data" / "timoniere.sqlite3")
    assert path == tmp_path / "data" / "timoniere.pid"
    assert read_pid_file(path) is None
    write_pid_file(path)
    record = read_pid_file(path)
    assert record == PidRecord(os.getpid(), process_start_time(os.getpid()))
    assert pid_is_running(record)
    remove_pid_file(path, pid=os.getpid() + 1)  # someone else's file: kept
    assert path.exists()
    remove_pid_file(path)
    assert not path.exists()
    remove_pid_file(path)  # already gone: fine


def test_a_garbled_pid_file_is_reported_and_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "timoniere.pid"
    path.write_text("not a pid\n")
    with pytest.raises(ValueError):
        read_pid_file(path)
    remove_pid_file(path)  # not ours to judge: left alone
    assert path.exists()
    write_pid_file(path)
    assert read_pid_file(path) is not None
