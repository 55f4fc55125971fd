"""Console `faq prova`, and the unanswered questions shown after `faq add`/`faq edit`."""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path

import pytest

from bot.cli import faq_commands
from bot.storage import Database, UnansweredLog

DATA = Path(__file__).resolve().parents[1] / "data" / "faq_server.yaml"


@pytest.fixture
def db_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)  # no stray .env is read
    path = tmp_path / "bot.sqlite3"
    monkeypatch.setenv("DATABASE_PATH", str(path))
    monkeypatch.delenv("FAQ_MAX_ENTRIES", raising=False)
    monkeypatch.setenv("KNOWLEDGE_DIR", str(Path(__file__).resolve().parents[2] / "knowledge"))
    return path


def cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    main = argparse.ArgumentParser(prog="timoniere")
    faq_commands.register(main.add_subparsers(dest="command", required=True))
    code = faq_commands.run(main.parse_args(["faq", *argv]))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def server(db_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    code, _, err = cli(capsys, "import", str(DATA), "--guild", "7")
    assert code == 0, err
    return db_path


def test_prova_names_the_entry_its_confidence_and_the_runner_up(
    server: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = cli(capsys, "prova", "il pod è in CrashLoopBackOff", "--guild", "7")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0].startswith("Risponderebbe la FAQ «crashloopbackoff» (confidenza ")
    assert lines[-1].startswith("Seconda scelta: «")
    assert "crashloopbackoff" not in lines[-1]


def test_prova_shows_the_table_keeping_a_question_and_the_closest_entry(
    server: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = cli(capsys, "probe", "compose ha i secrets come k8s?", "--guild", "7")
    assert code == 0
    assert out.startswith("Risponderebbe la tabella: Gestione dei segreti (confidenza ")
    assert "FAQ più vicina: «" in out


def test_prova_when_nothing_answers(server: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = cli(capsys, "prova", "che tempo fa a Bologna?", "--guild", "7")
    assert code == 0
    assert out.startswith("Il bot non risponderebbe (soglia 0,50).")


def test_prova_without_a_database_is_a_clear_error(
    db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = cli(capsys, "prova", "ciao", "--guild", "7")
    assert (code, out) == (1, "")
    assert err.startswith("Database non trovato")


def _log_unanswered(path: Path, guild: int, questions: list[str]) -> None:
    async def record() -> None:
        async with await Database.open(path) as db:
            log = UnansweredLog(db)
            for question in questions:
                await log.record(guild, question.lower(), question)

    asyncio.run(record())


def test_add_lists_the_logged_questions_the_new_entry_answers(
    server: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _log_unanswered(
        server, 7, ["terraform state lock bloccato, come faccio?", "che tempo fa a Bologna?"]
    )
    code, out, err = cli(
        capsys,
        "add",
        "--guild",
        "7",
        "--name",
        "terraform-lock",
        "--question",
        "Lo state di Terraform resta bloccato, come tolgo il lock?",
        "--answer",
        "Controlla che nessun altro stia facendo apply, poi `terraform force-unlock ID`.",
    )
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        "FAQ «terraform-lock» aggiunta.",
        "Domande rimaste senza risposta a cui ora risponde una FAQ:",
        "- «terraform state lock bloccato, come faccio?» → terraform-lock",
    ]
    # An edit that does not touch what the entry answers says so again.
    code, out, _ = cli(capsys, "edit", "terraform-lock", "--guild", "7", "--rename", "tf-lock")
    assert code == 0
    assert out.splitlines()[-1] == "- «terraform state lock bloccato, come faccio?» → tf-lock"


def test_add_with_an_empty_log_prints_only_the_confirmation(
    server: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = cli(
        capsys,
        "add",
        "--guild",
        "7",
        "--question",
        "Dove si parcheggia?",
        "--answer",
        "In via Roma.",
    )
    assert code == 0
    assert out.splitlines() == ["FAQ «dove-si-parcheggia» aggiunta."]
