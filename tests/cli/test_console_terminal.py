"""The console as a person at a terminal meets it: Italian help, the width, the
pipe, Ctrl-C, line editing and history in `chat`."""

from __future__ import annotations

import argparse
import asyncio
import os
import pty
import select
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from console_process import bot, environment

from bot import messages
from bot.cli.main import build_parser
from bot.storage import Database, UnansweredLog

ROOT = Path(__file__).resolve().parents[2]


# --- argparse in Italian -----------------------------------------------------------


def all_parsers(parser: argparse.ArgumentParser) -> list[argparse.ArgumentParser]:
    found = [parser]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in dict.fromkeys(action.choices.values()):
                found += all_parsers(sub)
    return found


def test_every_command_and_argument_has_a_one_line_description() -> None:
    for parser in all_parsers(build_parser()):
        assert parser.description, parser.prog
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for choice in action._choices_actions:
                    assert choice.help, (parser.prog, choice.dest)
            else:
                assert action.help and "\n" not in action.help, (parser.prog, action.dest)


def test_help_and_usage_errors_are_italian() -> None:
    helped = bot("faq", "aggiungi", "-h")
    assert helped.returncode == 0
    for italian in ("uso: timoniere faq aggiungi", "opzioni:", "mostra questo aiuto ed esci"):
        assert italian in helped.stdout
    for english in ("usage:", "options:", "show this help"):
        assert english not in helped.stdout

    typo = bot("askk")
    assert typo.returncode == 2
    assert "timoniere: errore: argomento COMANDO: scelta non valida: 'askk'" in typo.stderr
    missing = bot("ask")
    assert "errore: mancano argomenti obbligatori: DOMANDA" in missing.stderr
    assert "error:" not in typo.stderr + missing.stderr and "usage" not in missing.stderr


def test_faq_actions_have_discord_s_italian_names_and_keep_the_english_ones(
    tmp_path: Path,
) -> None:
    db = str(tmp_path / "faq.sqlite3")
    added = bot(
        "faq", "aggiungi", "--guild", "42", "--db", db, "--name", "regole",
        "--question", "Quali sono le regole?", "--answer", "Niente spam.",
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    italian = bot("faq", "elenco", "--guild", "42", "--db", db)
    english = bot("faq", "list", "--guild", "42", "--db", db)
    assert italian.stdout == english.stdout and "regole — Quali sono le regole?" in italian.stdout
    history = bot("faq", "storia", "regole", "--guild", "42", "--db", db)
    assert history.stdout == bot("faq", "history", "regole", "--guild", "42", "--db", db).stdout
    removed = bot("faq", "rimuovi", "regole", "--guild", "42", "--db", db)
    assert "`faq ripristina regole`" in removed.stdout

    async def log_question() -> None:
        async with await Database.open(Path(db)) as database:
            unanswered = UnansweredLog(database)
            for _ in range(3):
                await unanswered.record(42, "come apro un ticket", "Come apro un ticket?")

    asyncio.run(log_question())
    listed = bot("faq", "senza-risposta", "--guild", "42", "--db", db)
    assert listed.returncode == 0, listed.stderr
    assert "1. «Come apro un ticket?» — 3 volte" in listed.stdout
    assert listed.stdout == bot("faq", "unanswered", "--guild", "42", "--db", db).stdout


# --- width, URLs, repetition, follow-ups ---------------------------------------------


def test_output_fits_columns_and_is_80_wide_when_piped() -> None:
    question = "kubernetes ha il failover?"
    for env, width in (({"COLUMNS": "50"}, 50), ({"COLUMNS": "72"}, 72), ({}, 80)):
        lines = bot("ask", question, env=env).stdout.splitlines()
        assert max(len(line) for line in lines) <= width, env
        assert max(len(line) for line in lines) >= width - 10, env  # the width is used


def test_a_url_is_never_cut(tmp_path: Path) -> None:
    db = str(tmp_path / "faq.sqlite3")
    url = "https://docs.example.org/una/guida/molto/lunga/per-installare-kubernetes?lang=it"
    bot(
        "faq", "aggiungi", "--guild", "1", "--db", db, "--name", "guida",
        "--question", "Dove trovo la guida di installazione?",
        "--answer", f"Segui la guida ufficiale: {url} (in italiano).",
    )  # fmt: skip
    narrow = {"COLUMNS": "40"}
    out = bot("ask", "--guild", "1", "--db", db, "dove trovo la guida?", env=narrow).stdout
    assert url in out.splitlines()


def test_the_card_does_not_repeat_the_verdict_line() -> None:
    out = bot("ask", "Compose fa auto-scaling?").stdout
    flat = " ".join(out.split())
    assert flat.startswith("No. Docker Compose — Nessuna funzionalità di auto-scaling")
    assert flat.count("non ha la capacità di scalare automaticamente") == 1
    assert flat.count("Auto-scaling integrato. Kubernetes può") == 1  # the other side, in full


def test_a_bare_follow_up_without_context_gets_a_short_hint() -> None:
    out = bot("ask", "e compose?").stdout
    assert " ".join(out.split()) == messages.CONSOLE_FOLLOW_UP_HINT
    chat = bot("chat", stdin="e compose?\nkubernetes ha il failover?\ne compose?\n").stdout
    assert " ".join(chat.split()).count(messages.CONSOLE_FOLLOW_UP_HINT) == 1
    assert "No. Docker Compose" in chat  # the second "e compose?" follows the thread


# --- pipes and terminals -----------------------------------------------------------------


def test_a_closed_pipe_ends_quietly() -> None:
    script = (
        f"yes 'compose fa autoscaling?' | head -2000 | '{sys.executable}' -m bot ask - | head -1"
    )
    result = subprocess.run(
        ["bash", "-o", "pipefail", "-c", script],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
        env=environment(),
    )
    assert result.stdout.startswith("No. Docker Compose")
    assert result.stderr == ""


class Terminal:
    """`python -m bot chat` on a pseudo-terminal, typed at like a person would."""

    def __init__(self, state: Path) -> None:
        pid, fd = pty.fork()
        if pid == 0:  # the child: become the console
            os.chdir(ROOT)
            env = environment(XDG_STATE_HOME=str(state))
            os.execve(sys.executable, [sys.executable, "-m", "bot", "chat"], env)
        self.pid, self.fd = pid, fd
        self.screen = b""

    def read_until(self, text: bytes, *, count: int = 1, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while self.screen.count(text) < count:
            self._wait_for_output(deadline, text)

    def prompt_after(self, text: bytes, *, count: int = 1, timeout: float = 30.0) -> None:
        """Wait for the `count`-th `text` and then for the prompt after it: readline
        takes keys only once its prompt is shown (earlier ones reach the plain tty)."""
        self.read_until(text, count=count, timeout=timeout)
        deadline = time.monotonic() + timeout
        start = -1
        for _ in range(count):
            start = self.screen.index(text, start + 1)
        while b"> " not in self.screen[start:]:
            self._wait_for_output(deadline, b"> ")

    def _wait_for_output(self, deadline: float, text: bytes) -> None:
        left = deadline - time.monotonic()
        assert left > 0, f"never saw {text!r} in {self.screen[-500:]!r}"
        ready, _, _ = select.select([self.fd], [], [], left)
        assert not ready or self._read(), f"the console ended: {self.screen[-500:]!r}"

    def _read(self) -> bool:
        try:
            chunk = os.read(self.fd, 4096)
        except OSError:  # EIO: the child has gone and the terminal is closed
            return False
        self.screen += chunk
        return bool(chunk)

    def type(self, keys: bytes) -> None:
        os.write(self.fd, keys)

    def exit_status(self, timeout: float = 30.0, *, again: bytes = b"") -> int:
        """Read what is left on the screen until the console ends, then its exit code.

        `again` is typed once more every 2 s of silence, as a person would.
        """
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                os.kill(self.pid, signal.SIGKILL)
                raise AssertionError(f"the console did not end: {self.screen[-500:]!r}")
            ready, _, _ = select.select([self.fd], [], [], min(left, 2.0))
            if not ready and again:
                self.type(again)
            elif ready and not self._read():
                break
        _, status = os.waitpid(self.pid, 0)
        self.pid = 0
        os.close(self.fd)
        return os.waitstatus_to_exitcode(status)

    def close(self) -> None:
        """End a console a failed test left running."""
        if self.pid:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
            os.close(self.fd)


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[Callable[[], Terminal]]:
    """`terminal()` starts a chat; its history lives in `tmp_path`, not in your home."""
    started: list[Terminal] = []

    def start() -> Terminal:
        started.append(Terminal(tmp_path))
        return started[-1]

    yield start
    for console in started:
        console.close()


@pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")
def test_chat_has_line_editing_history_and_a_clean_ctrl_c(
    terminal: Callable[[], Terminal],
) -> None:
    console = terminal()
    console.read_until(b"> ")
    # A typo fixed with the arrow keys: "compose fa autoscaling?" typed
    # without its first letter, then Home and the missing "c".
    console.type(b"ompose fa autoscaling?\x1b[H" + b"c\r")
    console.prompt_after(b"Fonte:")
    assert console.screen.count(b"No. Docker Compose") == 1
    # Up arrow brings the question back: asked again without typing it.
    console.type(b"\x1b[A\r")
    console.prompt_after(b"Fonte:", count=2)
    mark = len(console.screen)
    console.type(b"\x03")  # Ctrl-C at the prompt
    # CPython's readline loses a SIGINT that lands in the instant between its
    # last signal check and its select() (no wake-up until the next key), so
    # like a person the test presses Ctrl-C again if nothing happened.
    assert console.exit_status(again=b"\x03") == 130
    assert b"Traceback" not in console.screen and b"KeyboardInterrupt" not in console.screen
    assert console.screen[mark:].endswith(b"\r\n")  # the shell prompt gets its own line


@pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")
def test_chat_remembers_questions_between_sessions(
    terminal: Callable[[], Terminal], tmp_path: Path
) -> None:
    first = terminal()
    first.read_until(b"> ")
    first.type(b"kubernetes ha il failover?\r")
    first.prompt_after(b"Fonte:")
    first.type(b"esci\r")
    assert first.exit_status() == 0
    assert (tmp_path / "timoniere" / "chat_history").is_file()

    second = terminal()
    second.read_until(b"> ")
    second.type(b"\x1b[A\x1b[A\r")  # past "esci", to the question before it
    second.prompt_after(b"Fonte:")
    second.type(b"\x04")  # Ctrl-D ends the chat like "esci"
    assert second.exit_status() == 0
    assert b"S\xc3\xac. Kubernetes" in second.screen
    assert second.screen.rstrip().endswith(messages.CONSOLE_BYE.encode())
