"""`run_bot` end to end: a real bot process against the fake Discord in this process.

`bot_process.py` points discord.py at the double and calls the real
`run_bot(settings)`; settings come from the environment, as in production.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
from collections.abc import AsyncIterator, Mapping
from io import StringIO
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from discord_double import DiscordDouble, Intent, World, serving

from bot import messages
from bot.cli.reload import request_reload
from bot.config import SETTING_NAMES, load_settings
from bot.lifecycle import PID_FILE_NAME

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = Path(__file__).with_name("bot_process.py")
KNOWLEDGE = ROOT / "knowledge" / "kubernetes-vs-compose.yaml"
# Shaped like a bot token (three base64url parts) but obviously fake.
TOKEN = "MTAwMDAwMDAwMDAwMDAwMDAw.GfAkEe.double-token-for-runner-tests-0123"
OTHER_TOKEN = "MTAwMDAwMDAwMDAwMDAwMDAx.GfAkEe.not-the-token-the-double-expects"
TIMEOUT = 8.0

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGHUP"), reason="POSIX signals")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def clean_env(**settings: str) -> dict[str, str]:
    """The inherited environment minus every bot setting, plus `settings`."""
    env = {k: v for k, v in os.environ.items() if k not in SETTING_NAMES}
    env.update(PYTHONUNBUFFERED="1", **settings)
    return env


class BotProcess:
    def __init__(self, proc: asyncio.subprocess.Process, workdir: Path, env: Mapping[str, str]):
        self.proc = proc
        self.workdir = workdir
        self.env = dict(env)
        self.log_path = workdir / "bot.log"
        self.database = Path(env["DATABASE_PATH"])
        self.pid_file = self.database.parent / PID_FILE_NAME
        self.knowledge = Path(env["KNOWLEDGE_DIR"]) / KNOWLEDGE.name
        self.health_port = int(env.get("HEALTH_PORT") or 0)

    @classmethod
    async def start(
        cls,
        double: DiscordDouble,
        workdir: Path,
        *,
        health: bool = False,
        init: bool = False,
        **overrides: str,
    ) -> BotProcess:
        knowledge = workdir / "knowledge"
        knowledge.mkdir(exist_ok=True)
        shutil.copy(KNOWLEDGE, knowledge / KNOWLEDGE.name)
        settings = {
            "DISCORD_TOKEN": TOKEN,
            "DATABASE_PATH": str(workdir / "data" / "timoniere.sqlite3"),
            "KNOWLEDGE_DIR": str(knowledge),
            "HEALTH_HOST": "127.0.0.1",
            "HEALTH_PORT": str(free_port()) if health else "",
            "SHUTDOWN_GRACE_SECONDS": "5",
            "CHANNEL_COOLDOWN_SECONDS": "0",
        }
        settings.update(overrides)
        env = clean_env(**settings)
        log = (workdir / "bot.log").open("wb")
        try:
            proc = await asyncio.create_subprocess_exec(
                sys.executable,
                str(SCRIPT),
                double.api_base,
                double.gateway_url,
                *(["--init"] if init else []),
                cwd=workdir,  # no stray .env
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        finally:
            log.close()
        return cls(proc, workdir, env)

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    async def wait_log(self, text: str, *, timeout: float = TIMEOUT) -> None:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while text not in self.log():
            if self.proc.returncode is not None or loop.time() > deadline:
                raise AssertionError(f"{text!r} never logged; log:\n{self.log()}")
            await asyncio.sleep(0.02)

    async def readyz(self) -> tuple[int, Any]:
        url = f"http://127.0.0.1:{self.health_port}/readyz"
        async with aiohttp.ClientSession() as session, session.get(url) as response:
            return response.status, await response.json()

    @classmethod
    async def start_ready(cls, double: DiscordDouble, workdir: Path) -> tuple[BotProcess, Any]:
        """Start with the health server on a free port and wait for /readyz 200.

        The port is free when picked but another process may take it before the
        bot binds it (tests run in parallel): then the bot exits with a clear
        message, and we try another port.
        """
        for _ in range(3):
            process = await cls.start(double, workdir, health=True)
            try:
                return process, await process.wait_ready()
            except AssertionError:
                await process.stop()
                if "server di salute" not in process.log():
                    raise
        raise AssertionError("no free port for the health server after 3 tries")

    async def wait_ready(self, *, timeout: float = TIMEOUT) -> dict[str, Any]:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        last: Any = None
        while loop.time() < deadline:
            if self.proc.returncode is not None:
                break
            try:
                status, last = await self.readyz()
            except aiohttp.ClientError:
                status = 0
            if status == 200:
                body: dict[str, Any] = last
                return body
            await asyncio.sleep(0.05)
        raise AssertionError(f"never ready (last /readyz: {last}); log:\n{self.log()}")

    async def wait_readyz(self, wanted: int, *, timeout: float = TIMEOUT) -> tuple[int, Any]:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        last: tuple[int, Any] = (0, None)
        while loop.time() < deadline and self.proc.returncode is None:
            last = await self.readyz()
            if last[0] == wanted:
                return last
            await asyncio.sleep(0.01)
        raise AssertionError(f"/readyz never answered {wanted} (last: {last})")

    def send_signal(self, sig: signal.Signals) -> None:
        self.proc.send_signal(sig)

    async def wait_exit(self, *, timeout: float = TIMEOUT) -> int:
        try:
            return await asyncio.wait_for(self.proc.wait(), timeout)
        except TimeoutError:
            self.proc.kill()
            await self.proc.wait()
            raise AssertionError(f"the bot did not exit; log:\n{self.log()}") from None

    async def stop(self) -> None:
        if self.proc.returncode is None:
            self.proc.kill()
            await self.proc.wait()


@pytest.fixture
async def double() -> AsyncIterator[DiscordDouble]:
    async with serving(DiscordDouble(World(token=TOKEN))) as fake:
        yield fake


@pytest.fixture
async def processes() -> AsyncIterator[list[BotProcess]]:
    started: list[BotProcess] = []
    yield started
    for process in started:  # a failed test must not leave a bot running
        await process.stop()


async def ask(double: DiscordDouble, question: str) -> dict[str, Any]:
    mark = double.mark()
    message = double.payloads.message(f"<@{double.app_id}> {question}")
    await double.dispatch_message(message)
    reply: dict[str, Any] = await double.wait_reply(message["channel_id"], start=mark)
    assert reply["message_reference"]["message_id"] == message["id"]
    return reply


def card_text(reply: dict[str, Any]) -> str:
    embed = reply["embeds"][0]
    fields = " ".join(f"{f['name']} {f['value']}" for f in embed.get("fields", []))
    return f"{embed.get('title', '')} {embed.get('description', '')} {fields}"


def bot_closes(double: DiscordDouble) -> list[Any]:
    return [f.d for f in double.gateway_frames if f.direction == "close"]


async def test_answers_then_stops_gracefully_with_a_reply_in_flight(
    double: DiscordDouble, processes: list[BotProcess], tmp_path: Path
) -> None:
    bot, ready = await BotProcess.start_ready(double, tmp_path)
    processes.append(bot)
    assert ready["checks"] == {
        "gateway": "ok",
        "delivery": "ok",
        "database": "ok",
        "knowledge": "ok",
        "accepting": "ok",
    }
    assert bot.pid_file.read_text().split()[0] == str(bot.proc.pid)

    reply = await ask(double, "compose fa auto-scaling?")
    assert "auto-scaling" in card_text(reply).lower()

    # The next reply is held up by a 1 s rate limit: SIGTERM lands while it is in flight.
    double.inject_429("POST", "/channels/*/messages", retry_after=1.0)
    mark = double.mark()
    message = double.payloads.message(f"<@{double.app_id}> kubernetes gestisce i segreti?")
    await double.dispatch_message(message)
    await double.wait_request("POST", "/channels/*/messages", start=mark, status=429)
    bot.send_signal(signal.SIGTERM)
    # While the reply drains (about 1 s), the bot is alive but no longer ready.
    _, body = await bot.wait_readyz(503)
    assert body["failing"] == ["accepting"], body

    assert await bot.wait_exit() == 0, bot.log()
    log = bot.log()
    assert "waiting up to 5.0s for 1 in-flight task(s)" in log
    delivered = double.find_requests("POST", "/channels/*/messages", start=mark, status=200)
    assert len(delivered) == 1, double.diagnostics()
    assert str(delivered[0].json["message_reference"]["message_id"]) == message["id"]
    # The bot closed the gateway itself, after the reply went out. discord.py asks
    # for 1000, but aiohttp first wakes the reading task, whose own close(4000)
    # wins the race; real Discord sees the same.
    closes = bot_closes(double)
    assert len(closes) == 1 and closes[0]["by"] == "bot" and closes[0]["code"] in (1000, 4000)
    close_at = next(f.at for f in double.gateway_frames if f.direction == "close")
    assert close_at >= double.requests[delivered[0].index].at
    assert not bot.pid_file.exists()
    with sqlite3.connect(bot.database) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert "Traceback" not in log
    assert TOKEN not in log


async def test_sighup_reloads_the_knowledge_and_a_broken_file_keeps_the_old_one(
    double: DiscordDouble, processes: list[BotProcess], tmp_path: Path
) -> None:
    bot, _ = await BotProcess.start_ready(double, tmp_path)
    processes.append(bot)
    settings = load_settings(bot.env, env_file=tmp_path / "no.env")
    original = bot.knowledge.read_text(encoding="utf-8")

    # Broken file: `kb reload` refuses and does not disturb the bot...
    bot.knowledge.write_text(original + "\n  - id: [unclosed\n", encoding="utf-8")
    out, err = StringIO(), StringIO()
    assert request_reload(settings, out, err) == 1
    assert "nessuna ricarica richiesta" in err.getvalue()
    # ...and a SIGHUP sent anyway leaves the old table live.
    bot.send_signal(signal.SIGHUP)
    await bot.wait_log("knowledge reload failed, keeping the current base")
    assert "auto-scaling" in card_text(await ask(double, "compose fa auto-scaling?")).lower()

    # A valid edit goes live through `kb reload` (SIGHUP to the pid in the pid file).
    old = "Nessuna funzionalità di auto-scaling"
    assert old in original
    bot.knowledge.write_text(original.replace(old, "Niente scaling automatico"), encoding="utf-8")
    assert request_reload(settings, out, err) == 0, err.getvalue()
    assert f"PID {bot.proc.pid}" in out.getvalue()
    await bot.wait_log("knowledge reloaded from")
    assert "Niente scaling automatico" in card_text(await ask(double, "compose fa auto-scaling?"))

    bot.send_signal(signal.SIGTERM)
    assert await bot.wait_exit() == 0, bot.log()
    assert "Traceback" not in bot.log()


async def test_a_rejected_token_is_one_clear_message(
    double: DiscordDouble, processes: list[BotProcess], tmp_path: Path
) -> None:
    bot = await BotProcess.start(double, tmp_path, DISCORD_TOKEN=OTHER_TOKEN)
    processes.append(bot)
    assert await bot.wait_exit() == 2
    log = bot.log()
    assert messages.OPS_RUN_LOGIN_FAILED in log
    assert "Traceback" not in log
    assert OTHER_TOKEN not in log
    assert not bot.pid_file.exists()


async def test_a_missing_message_content_intent_says_how_to_fix_it(
    double: DiscordDouble, processes: list[BotProcess], tmp_path: Path
) -> None:
    double.portal_intents = Intent.PRIVILEGED & ~Intent.MESSAGE_CONTENT
    bot = await BotProcess.start(double, tmp_path)
    processes.append(bot)
    assert await bot.wait_exit() == 2
    log = bot.log()
    assert messages.OPS_RUN_PRIVILEGED_INTENTS in log
    assert "MESSAGE_CONTENT_INTENT=false" in log
    assert "Traceback" not in log
    assert not bot.pid_file.exists()


async def test_a_broken_knowledge_file_stops_the_start(
    double: DiscordDouble, processes: list[BotProcess], tmp_path: Path
) -> None:
    broken = tmp_path / "broken"
    broken.mkdir()
    shutil.copy(ROOT / "tests" / "fixtures" / "broken" / "bad-verdict.yaml", broken)
    bot = await BotProcess.start(double, tmp_path, KNOWLEDGE_DIR=str(broken))
    processes.append(bot)
    assert await bot.wait_exit() == 2
    log = bot.log()
    assert "Base di conoscenza non valida" in log and "bad-verdict.yaml" in log
    assert "Traceback" not in log
    assert not double.requests, "it must fail before talking to Discord"


async def test_a_second_bot_on_the_same_database_is_refused(
    double: DiscordDouble, processes: list[BotProcess], tmp_path: Path
) -> None:
    first, _ = await BotProcess.start_ready(double, tmp_path)
    processes.append(first)
    elsewhere = tmp_path / "secondo"
    elsewhere.mkdir()
    second = await BotProcess.start(double, elsewhere, DATABASE_PATH=str(first.database))
    processes.append(second)
    assert await second.wait_exit() == 2
    log = second.log()
    assert messages.DB_ALREADY_IN_USE.format(path=first.database, pid=first.proc.pid) in log, log
    assert "Traceback" not in log
    # The first bot is untouched: still ready, still the one in the pid file.
    status, _ = await first.readyz()
    assert status == 200
    assert first.pid_file.read_text().split()[0] == str(first.proc.pid)
    # The console is no second bot: it may write beside the running one.
    console = await asyncio.to_thread(
        run_cli,
        elsewhere,
        "faq",
        "add",
        "--guild",
        str(double.guild.id),
        "--question",
        "Dove si parcheggia?",
        "--answer",
        "Nel cortile.",
        DATABASE_PATH=str(first.database),
    )
    assert console.returncode == 0, console.stderr
    first.send_signal(signal.SIGTERM)
    assert await first.wait_exit() == 0


async def test_a_deleted_database_goes_unready_and_is_not_recreated_on_restart(
    double: DiscordDouble, processes: list[BotProcess], tmp_path: Path
) -> None:
    bot, _ = await BotProcess.start_ready(double, tmp_path)
    processes.append(bot)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{bot.database}{suffix}").unlink(missing_ok=True)
    _, body = await bot.wait_readyz(503)
    assert body["failing"] == ["database"], body
    await asyncio.sleep(0.3)  # a few more probes: the error is still logged once
    await bot.wait_readyz(503)
    assert bot.log().count("was deleted or replaced while open") == 1, bot.log()
    bot.send_signal(signal.SIGTERM)
    assert await bot.wait_exit() == 0, bot.log()
    assert not bot.database.exists()

    # A restart does not quietly start over with an empty database...
    again = await BotProcess.start(double, tmp_path)
    processes.append(again)
    assert await again.wait_exit() == 2
    log = again.log()
    assert "--init" in log and str(bot.database) in log, log
    assert "Traceback" not in log
    assert not bot.database.exists()

    # ...only when asked to.
    fresh = await BotProcess.start(double, tmp_path, health=True, init=True)
    processes.append(fresh)
    await fresh.wait_ready()
    assert bot.database.exists()
    fresh.send_signal(signal.SIGTERM)
    assert await fresh.wait_exit() == 0


def run_cli(tmp_path: Path, *args: str, **settings: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=tmp_path,
        env=clean_env(**settings),
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )


def test_run_without_a_token_explains_how_to_get_one(tmp_path: Path) -> None:
    result = run_cli(tmp_path, "run")
    assert result.returncode == 2
    assert result.stderr.strip() == messages.OPS_CONFIG_TOKEN_MISSING
    assert "https://discord.com/developers/applications" in result.stderr
    assert "python -m bot chat" in result.stderr
    assert result.stdout == ""


def test_run_with_a_bad_setting_exits_2_without_a_traceback(tmp_path: Path) -> None:
    result = run_cli(tmp_path, "run", DISCORD_TOKEN=TOKEN, HEALTH_PORT="ottanta")
    assert result.returncode == 2
    assert "HEALTH_PORT='ottanta'" in result.stderr
    assert "Traceback" not in result.stderr
    assert TOKEN not in result.stderr


def test_discord_out_of_reach_exits_1_with_a_message(tmp_path: Path) -> None:
    closed = free_port()  # nothing listens there any more
    result = subprocess.run(
        [
            sys.executable,
            str(SCRIPT),
            f"http://127.0.0.1:{closed}/api/v10",
            f"ws://127.0.0.1:{closed}/gateway",
        ],
        cwd=tmp_path,
        env=clean_env(DISCORD_TOKEN=TOKEN, DATABASE_PATH=str(tmp_path / "data" / "t.sqlite3")),
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert result.returncode == 1
    assert "Non riesco a raggiungere Discord" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "data" / PID_FILE_NAME).exists()
