"""`python -m bot kb reload`: validate, then SIGHUP the pid in the pid file.

The "bot" here is a real child process that reports the signals it receives.
"""

from __future__ import annotations

import os
import select
import shutil
import signal
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from io import StringIO
from pathlib import Path

import pytest

from bot import messages
from bot.cli.main import main
from bot.cli.reload import request_reload
from bot.config import SETTING_NAMES, Settings
from bot.lifecycle import pid_file_path, process_start_time, write_pid_file

ROOT = Path(__file__).resolve().parents[2]
KNOWLEDGE = ROOT / "knowledge" / "kubernetes-vs-compose.yaml"

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGHUP"), reason="POSIX signals")

CHILD = textwrap.dedent(
    """
    import signal, sys, time
    def report(signum, frame):
        print(signal.Signals(signum).name, flush=True)
        if signum == signal.SIGTERM:
            sys.exit(0)
    signal.signal(signal.SIGHUP, report)
    signal.signal(signal.SIGTERM, report)
    print("ready", flush=True)
    while True:
        time.sleep(0.05)
    """
)


class Child:
    def __init__(self) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-c", CHILD], stdout=subprocess.PIPE, text=True, bufsize=1
        )
        assert self.line() == "ready"

    def line(self, timeout: float = 5.0) -> str:
        assert self.proc.stdout is not None
        ready, _, _ = select.select([self.proc.stdout], [], [], timeout)
        assert ready, "the child said nothing"
        return self.proc.stdout.readline().strip()

    def finish(self) -> list[str]:
        """Stop the child; every signal it received, in order."""
        self.proc.send_signal(signal.SIGTERM)
        out, _ = self.proc.communicate(timeout=5)
        return out.split()


@pytest.fixture
def child() -> Iterator[Child]:
    process = Child()
    yield process
    if process.proc.poll() is None:
        process.proc.kill()
        process.proc.wait()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    knowledge = tmp_path / "knowledge"
    knowledge.mkdir()
    shutil.copy(KNOWLEDGE, knowledge)
    return Settings(database_path=tmp_path / "data" / "timoniere.sqlite3", knowledge_dir=knowledge)


def reload(settings: Settings) -> tuple[int, str, str]:
    out, err = StringIO(), StringIO()
    code = request_reload(settings, out, err)
    return code, out.getvalue(), err.getvalue()


def test_sends_sighup_to_the_running_bot(child: Child, settings: Settings) -> None:
    write_pid_file(pid_file_path(settings.database_path), child.proc.pid)
    code, out, err = reload(settings)
    assert (code, err) == (0, "")
    assert f"PID {child.proc.pid}" in out and "6 caratteristiche" in out
    assert child.line() == "SIGHUP"
    assert child.finish() == ["SIGTERM"]


def test_a_broken_table_is_reported_and_the_bot_is_left_alone(
    child: Child, settings: Settings
) -> None:
    write_pid_file(pid_file_path(settings.database_path), child.proc.pid)
    table = settings.knowledge_dir / KNOWLEDGE.name
    table.write_text(table.read_text(encoding="utf-8").replace("verdict: si", "verdict: forse", 1))
    code, out, err = reload(settings)
    assert (code, out) == (1, "")
    assert "nessuna ricarica richiesta" in err and "'forse'" in err
    # SIGHUP (1) would be delivered before SIGTERM (15): only SIGTERM arrived.
    assert child.finish() == ["SIGTERM"]


def test_no_pid_file_means_no_running_bot(settings: Settings) -> None:
    code, out, err = reload(settings)
    assert (code, out) == (1, "")
    assert err.strip() == messages.OPS_RELOAD_NO_PIDFILE.format(
        path=pid_file_path(settings.database_path)
    )


def test_a_garbled_pid_file(settings: Settings) -> None:
    path = pid_file_path(settings.database_path)
    path.parent.mkdir(parents=True)
    path.write_text("timoniere\n")
    code, _, err = reload(settings)
    assert code == 1 and "non contiene un PID valido" in err


def test_a_pid_file_left_by_a_dead_bot(settings: Settings) -> None:
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    write_pid_file(pid_file_path(settings.database_path), gone.pid)
    code, _, err = reload(settings)
    assert code == 1
    assert f"processo {gone.pid}, che non è in esecuzione" in err


@pytest.mark.skipif(process_start_time(os.getpid()) is None, reason="needs /proc")
def test_a_reused_pid_is_not_signalled(child: Child, settings: Settings) -> None:
    # The file names the child's pid but another start time: after a crash the
    # pid went to an unrelated process, which SIGHUP would kill.
    path = pid_file_path(settings.database_path)
    path.parent.mkdir(parents=True)
    path.write_text(f"{child.proc.pid}\n1\n")
    code, _, err = reload(settings)
    assert code == 1 and "non è in esecuzione" in err
    assert child.finish() == ["SIGTERM"]


def test_the_cli_command(
    child: Child,
    settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    for name in SETTING_NAMES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(settings.knowledge_dir.parent)  # no stray .env
    monkeypatch.setenv("DATABASE_PATH", str(settings.database_path))
    monkeypatch.setenv("KNOWLEDGE_DIR", str(settings.knowledge_dir))
    write_pid_file(pid_file_path(settings.database_path), child.proc.pid)
    assert main(["kb", "reload"]) == 0
    assert f"PID {child.proc.pid}" in capsys.readouterr().out
    assert child.line() == "SIGHUP"
