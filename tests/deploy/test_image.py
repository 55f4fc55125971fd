"""The container image, built from `deploy/Dockerfile` unchanged and run for real.

buildah builds it with no daemon, on a debootstrap stand-in for
python:3.11-slim (`buildah_image.py`). Then, as the image's own user:
the console answers, `run` without a token exits 2 with the container-aware
message, and `run` against the fake Discord on loopback is healthy, ready,
answers, and stops cleanly on SIGTERM, with `/healthz` and `/readyz` asked
from inside the container.

Select with `-m image`, leave out with `-m "not image"`. Where buildah cannot
run (not root, not installed) every test skips with one line saying why.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from buildah_image import (
    Buildah,
    build_image,
    cache_lock,
    ensure_base_image,
    why_unavailable,
)
from discord_double import DiscordDouble, World, serving
from test_manifests import DOCKERFILE, ROOT, final_stage

from bot import messages
from bot.config import SETTING_NAMES
from bot.health import HEALTHZ_PATH, READYZ_PATH
from bot.lifecycle import PID_FILE_NAME

pytestmark = pytest.mark.image

QUESTION = "Compose fa auto-scaling?"
IMAGE_UID = "10001"
# Shaped like a bot token (three base64url parts) but obviously fake.
TOKEN = "MTAwMDAwMDAwMDAwMDAwMDAw.GfAkEe.double-token-for-image-tests-0123"
BOT_PROCESS = ROOT / "tests" / "discord_app" / "bot_process.py"
BOT_PROCESS_IN_CONTAINER = "/e2e/bot_process.py"
READY_TIMEOUT = 60.0
STOP_TIMEOUT = 30.0


@dataclass(frozen=True)
class Container:
    buildah: Buildah
    name: str

    def argv(self, *command: str, env: dict[str, str] | None = None) -> list[str]:
        return self.buildah.run_argv(
            self.name, command, env=env, volumes=[(BOT_PROCESS, BOT_PROCESS_IN_CONTAINER)]
        )

    def run(
        self, *command: str, env: dict[str, str] | None = None
    ) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            self.argv(*command, env=env),
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    async def arun(self, *command: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
        """Like `run`, without blocking the event loop that serves the fake Discord."""
        proc = await asyncio.create_subprocess_exec(
            *self.argv(*command, env=env),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        out, err = await asyncio.wait_for(proc.communicate(), 120)
        assert proc.returncode is not None
        return proc.returncode, out.decode(errors="replace"), err.decode(errors="replace")


@pytest.fixture(scope="module")
def image() -> Iterator[tuple[Buildah, str]]:
    reason = why_unavailable()
    if reason is not None:
        pytest.skip(reason)
    buildah = Buildah()
    tag = f"localhost/timoniere:test-{os.getpid()}"
    with cache_lock(buildah.cache_dir):
        started = time.monotonic()
        buildah.remove_leftovers()
        ensure_base_image(buildah)
        base_ready = time.monotonic()
        build_image(buildah, ROOT, DOCKERFILE, tag)
        built = time.monotonic()
        # Shown with `pytest -s`: where the time goes, cold or warm.
        print(
            f"\nimage: base ready in {base_ready - started:.0f} s,"
            f" built in {built - base_ready:.0f} s",
            file=sys.stderr,
        )
        try:
            yield buildah, tag
        finally:
            buildah.remove_image(tag)


@pytest.fixture(scope="module")
def container(image: tuple[Buildah, str]) -> Iterator[Container]:
    """One container for the module: with vfs storage each one is a full copy."""
    buildah, tag = image
    name = buildah("from", "--pull-never", tag, what="buildah from").strip()
    try:
        yield Container(buildah, name)
    finally:
        buildah.remove_container(name)


def host_console(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """The same console from the checkout, with no settings from the environment or a
    .env (run it in an empty folder)."""
    env = {k: v for k, v in os.environ.items() if k not in SETTING_NAMES}
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=cwd,
        env={**env, "KNOWLEDGE_DIR": str(ROOT / "knowledge")},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def bot_lines(stderr: str) -> list[str]:
    """The process's own lines: buildah adds its "exited with status" lines on failure."""
    return [
        line
        for line in stderr.splitlines()
        if line.strip()
        and not line.startswith("subprocess exited")
        and not line.startswith("Error: exit status")
    ]


# --- console -------------------------------------------------------------------------


def test_image_runs_as_its_own_user(container: Container) -> None:
    result = container.run("id", "-u")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == IMAGE_UID
    [user] = [args for keyword, args in final_stage() if keyword == "USER"]
    assert user.split(":")[0] == IMAGE_UID


def test_console_answers_in_the_image_as_from_the_checkout(
    container: Container, tmp_path: Path
) -> None:
    result = container.run("python", "-m", "bot", "ask", "--json", QUESTION)
    assert result.returncode == 0, result.stderr
    in_image = json.loads(result.stdout)
    assert in_image["feature"] == "autoscaling" and in_image["answer"]
    from_checkout = host_console("ask", "--json", QUESTION, cwd=tmp_path)
    assert from_checkout.returncode == 0, from_checkout.stderr
    assert in_image == json.loads(from_checkout.stdout)
    # The plain-text card too (what an operator reads with `docker run ... ask`).
    plain = container.run("python", "-m", "bot", "ask", QUESTION)
    assert plain.returncode == 0, plain.stderr
    assert in_image["answer"].splitlines()[0] in plain.stdout.replace("\n", " ")


# --- run without a token -------------------------------------------------------------


def test_run_without_token_exits_2_naming_the_variable_and_the_secret(
    container: Container,
) -> None:
    result = container.run("python", "-m", "bot", "run")
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    # The image logs JSON (LOG_FORMAT=json), so the configuration error is JSON too.
    [line] = bot_lines(result.stderr)
    error = json.loads(line)
    assert error["problems"] == [messages.OPS_CONFIG_TOKEN_MISSING]
    missing = messages.OPS_CONFIG_TOKEN_MISSING
    assert "DISCORD_TOKEN" in missing
    assert "variabile d'ambiente" in missing and "Secret" in missing


# --- run against the fake Discord ------------------------------------------------------

# Asked from inside the container, as an orchestrator's exec probe would:
# poll until /readyz answers 200 (or time runs out), then report both paths.
PROBE = """
import json, os, sys, time, urllib.error, urllib.request
base = "http://127.0.0.1:" + os.environ["HEALTH_PORT"]
def get(path):
    try:
        with urllib.request.urlopen(base + path, timeout=2) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")
    except OSError as error:
        return 0, str(error)
deadline = time.monotonic() + float(sys.argv[1])
ready = get(sys.argv[3])
while ready[0] != 200 and time.monotonic() < deadline:
    time.sleep(0.2)
    ready = get(sys.argv[3])
print(json.dumps({"healthz": get(sys.argv[2]), "readyz": ready}))
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def healthcheck_command(container: Container, image_tag: str) -> list[str]:
    """The built image's HEALTHCHECK command, as an engine would run it."""
    config = container.buildah.image_config(image_tag)
    assert config is not None and config.get("Healthcheck"), "the image has no HEALTHCHECK"
    kind, *command = config["Healthcheck"]["Test"]
    assert kind == "CMD", "exec form: slim images have no need for a shell"
    return command


def descends_from(pid: int, ancestor: int) -> bool:
    while pid > 1:
        if pid == ancestor:
            return True
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii", errors="replace")
        pid = int(stat.rpartition(")")[2].split()[1])
    return False


def uid_of(pid: int) -> str:
    status = Path(f"/proc/{pid}/status").read_text(encoding="ascii", errors="replace")
    [uids] = [line for line in status.splitlines() if line.startswith("Uid:")]
    return uids.split()[1]  # the real uid


@pytest.fixture
async def double() -> AsyncIterator[DiscordDouble]:
    async with serving(DiscordDouble(World(token=TOKEN))) as fake:
        yield fake


class ContainerBot:
    """`bot_process.py` (the real `run_bot`, pointed at the fake Discord) in the image."""

    def __init__(self, container: Container, proc: asyncio.subprocess.Process, log: Path):
        self.container = container
        self.proc = proc
        self.log_path = log

    @classmethod
    async def start(
        cls, container: Container, double: DiscordDouble, env: dict[str, str], log: Path
    ) -> ContainerBot:
        argv = container.argv(
            "python", BOT_PROCESS_IN_CONTAINER, double.api_base, double.gateway_url, env=env
        )
        with log.open("wb") as sink:
            proc = await asyncio.create_subprocess_exec(
                *argv,
                stdin=subprocess.DEVNULL,
                stdout=sink,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own group, so teardown can end it all
            )
        return cls(container, proc, log)

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    async def pid_in_container(self) -> int:
        """The bot's pid from its pid file; chroot isolation shares the host's pids."""
        code, out, err = await self.container.arun("cat", f"/data/{PID_FILE_NAME}")
        assert code == 0, err
        pid = int(out.split()[0])
        assert descends_from(pid, self.proc.pid), "the pid file names a process we did not start"
        return pid

    async def wait_exit(self, timeout: float) -> int:
        try:
            return await asyncio.wait_for(self.proc.wait(), timeout)
        except TimeoutError:
            raise AssertionError(f"the bot did not exit; log:\n{self.log()}") from None

    async def kill(self) -> None:
        if self.proc.returncode is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            await self.proc.wait()


async def test_bot_in_the_image_is_healthy_ready_answers_and_stops(
    image: tuple[Buildah, str], container: Container, double: DiscordDouble, tmp_path: Path
) -> None:
    port = str(free_port())
    # The image's settings (LOG_FORMAT=json, /data, /app/knowledge) stay as they
    # are; only the token is added and the health server moved off 8080 to a
    # free loopback port, since the container shares this machine's network.
    env = {"DISCORD_TOKEN": TOKEN, "HEALTH_HOST": "127.0.0.1", "HEALTH_PORT": port}
    bot = await ContainerBot.start(container, double, env, tmp_path / "bot.log")
    try:
        code, out, err = await container.arun(
            "python", "-c", PROBE, str(READY_TIMEOUT), HEALTHZ_PATH, READYZ_PATH, env=env
        )
        assert code == 0, err
        seen = json.loads(out)
        assert seen["readyz"][0] == 200, f"{seen}\nbot log:\n{bot.log()}"
        assert seen["readyz"][1]["status"] == "ok"
        assert seen["healthz"][0] == 200 and seen["healthz"][1]["status"] == "ok"

        # The image's own HEALTHCHECK passes in the running container.
        code, _, err = await container.arun(*healthcheck_command(container, image[1]), env=env)
        assert code == 0, err

        # It answers a question through the fake Discord.
        mark = double.mark()
        message = double.payloads.message(f"<@{double.app_id}> {QUESTION}")
        await double.dispatch_message(message)
        reply = await double.wait_reply(message["channel_id"], start=mark, timeout=20)
        assert reply["message_reference"]["message_id"] == message["id"]
        assert reply["embeds"] or reply["content"]

        pid = await bot.pid_in_container()
        assert uid_of(pid) == IMAGE_UID, "the bot must run as the image's user"
        # SIGTERM, as `docker stop` or the kubelet sends it: a clean exit 0.
        os.kill(pid, signal.SIGTERM)
        assert await bot.wait_exit(STOP_TIMEOUT) == 0, bot.log()
    finally:
        await bot.kill()
    log = bot.log()
    assert "Traceback" not in log, log
    # LOG_FORMAT=json from the image: every line is one JSON object.
    records = [json.loads(line) for line in log.splitlines() if line.strip()]
    assert records and all({"level", "message"} <= record.keys() for record in records)
