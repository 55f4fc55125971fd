"""The console `faq` command, driven through a parser built like the main CLI's."""

from __future__ import annotations

import argparse
import asyncio
import io
import sqlite3
from pathlib import Path

import pytest

from bot.cli import faq_commands
from bot.storage import Database, FaqRepository


@pytest.fixture
def db_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)  # no stray .env is read
    path = tmp_path / "dati" / "bot.sqlite3"
    monkeypatch.setenv("DATABASE_PATH", str(path))
    monkeypatch.delenv("FAQ_MAX_ENTRIES", raising=False)
    return path


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(prog="timoniere")
    sub = main.add_subparsers(dest="command", required=True)
    faq_commands.register(sub)
    return main


def cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    args = parser().parse_args(["faq", *argv])
    assert args.command == "faq"
    code = faq_commands.run(args)
    out, err = capsys.readouterr()
    return code, out, err


def add(capsys: pytest.CaptureFixture[str], name: str, guild: str = "1", *extra: str) -> None:
    code, _, err = cli(
        capsys,
        "add",
        "--guild",
        guild,
        "--name",
        name,
        "--question",
        f"Domanda su {name}?",
        "--answer",
        f"Risposta su {name}.",
        *extra,
    )
    assert code == 0, err


def entries(path: Path, guild: int) -> list[tuple[str, str, str, tuple[str, ...]]]:
    async def read() -> list[tuple[str, str, str, tuple[str, ...]]]:
        async with await Database.open(path) as db:
            found = await FaqRepository(db).all_entries(guild)
        return [(e.name, e.question, e.answer, e.phrasings) for e in found]

    return asyncio.run(read())


def test_add_uses_the_configured_database(
    db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = cli(
        capsys,
        "add",
        "--guild",
        "123",
        "--question",
        "Come installo K8s?",
        "--answer",
        "Con **kubeadm**, poi @everyone festeggia.",
        "--phrasing",
        "installare kubernetes",
        "--phrasing",
        "setup k8s",
    )
    assert (code, out, err) == (0, "FAQ «come-installo-k8s» aggiunta.\n", "")
    assert entries(db_path, 123) == [
        (
            "come-installo-k8s",
            "Come installo K8s?",
            "Con **kubeadm**, poi @everyone festeggia.",
            ("installare kubernetes", "setup k8s"),
        )
    ]


def test_db_option_overrides_the_setting(
    db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    other = tmp_path / "altrove" / "x.sqlite3"
    add(capsys, "qui", "1", "--db", str(other))
    assert other.exists() and not db_path.exists()
    code, out, _ = cli(capsys, "list", "--guild", "1", "--db", str(other))
    assert code == 0 and "qui — Domanda su qui?" in out


def test_list_show_and_pagination(db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = cli(capsys, "list", "--guild", "1")
    assert (code, out) == (0, "Questo server non ha ancora nessuna FAQ.\n")
    for name in ["gamma", "alfa", "beta"]:
        add(capsys, name)
    add(capsys, "altro-server", "2")

    code, out, _ = cli(capsys, "list", "--guild", "1", "--limit", "2")
    assert out.splitlines() == [
        "FAQ del server 1: 1–2 di 3.",
        "alfa — Domanda su alfa?",
        "beta — Domanda su beta?",
    ]
    code, out, _ = cli(capsys, "list", "--guild", "1", "--offset", "2")
    assert out.splitlines()[0] == "FAQ del server 1: 3–3 di 3."
    code, out, _ = cli(capsys, "list", "--guild", "1", "--offset", "9")
    assert out == "Nessuna FAQ da mostrare: il server ne ha 3.\n"

    code, out, _ = cli(capsys, "show", "alfa", "--guild", "1")
    assert code == 0
    assert out.startswith("Nome: alfa\nDomanda: Domanda su alfa?\nRisposta:\nRisposta su alfa.\n")
    assert "Autore: console · creata il " in out

    code, out, err = cli(capsys, "show", "altro-server", "--guild", "1")
    assert (code, out) == (1, "")
    assert err == "Non esiste nessuna FAQ chiamata «altro-server» in questo server.\n"


def test_edit_rename_remove_restore_and_history(
    db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    add(capsys, "vecchio", "1", "--phrasing", "uno", "--actor", "42")
    code, out, _ = cli(
        capsys,
        "edit",
        "vecchio",
        "--guild",
        "1",
        "--answer",
        "Nuova risposta.",
        "--rename",
        "nuovo",
        "--actor",
        "7",
    )
    assert (code, out) == (0, "FAQ «vecchio» aggiornata e rinominata in «nuovo».\n")
    code, out, _ = cli(capsys, "edit", "nuovo", "--guild", "1", "--no-phrasings")
    assert (code, out) == (0, "FAQ «nuovo» aggiornata.\n")
    assert entries(db_path, 1) == [("nuovo", "Domanda su vecchio?", "Nuova risposta.", ())]

    code, out, _ = cli(capsys, "remove", "nuovo", "--guild", "1")
    assert out == "FAQ «nuovo» eliminata. Puoi ripristinarla con `faq ripristina nuovo`.\n"
    assert entries(db_path, 1) == []
    code, out, _ = cli(capsys, "restore", "nuovo", "--guild", "1", "--actor", "9")
    assert (code, out) == (0, "FAQ «nuovo» ripristinata.\n")

    code, out, _ = cli(capsys, "history", "nuovo", "--guild", "1")
    lines = out.splitlines()
    assert [line.split(" · ", 1)[1] for line in lines] == [
        "aggiunta · utente 42",
        "modifica · utente 7 · campi: nome, risposta",
        "modifica · console · campi: varianti",
        "eliminazione · console",
        "ripristino · utente 9",
    ]
    assert lines[0].endswith("aggiunta · utente 42") and " UTC · " in lines[0]


def test_answer_from_file_and_stdin(
    db_path: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    answer = tmp_path / "risposta.md"
    answer.write_text("Prima riga\n\n```sh\nkubectl get pods\n```\n", encoding="utf-8")
    code, _, err = cli(
        capsys, "add", "--guild", "1", "--question", "Pod?", "--answer-file", str(answer)
    )
    assert code == 0, err
    monkeypatch.setattr("sys.stdin", io.StringIO("Da stdin, è così.\n"))
    code, _, err = cli(capsys, "edit", "pod", "--guild", "1", "--answer-file", "-")
    assert code == 0, err
    assert entries(db_path, 1)[0][2] == "Da stdin, è così."


def test_user_errors_exit_1_with_italian_messages(
    db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    add(capsys, "doppione")
    code, out, err = cli(
        capsys, "add", "--guild", "1", "--name", "doppione", "--question", "q", "--answer", "r"
    )
    assert (code, out) == (1, "")
    assert "Esiste già una FAQ chiamata «doppione»" in err and "«doppione-2»" in err

    code, _, err = cli(
        capsys, "add", "--guild", "1", "--name", "Con Spazi", "--question", " ", "--answer", "r"
    )
    assert code == 1
    assert "non va bene" in err and "La domanda non può essere vuota." in err

    code, _, err = cli(capsys, "remove", "manca", "--guild", "1")
    assert (code, err) == (1, "Non esiste nessuna FAQ chiamata «manca» in questo server.\n")
    code, _, err = cli(
        capsys, "edit", "doppione", "--guild", "1", "--answer", "Risposta su doppione."
    )
    assert code == 1 and "Nessuna modifica" in err
    code, _, err = cli(capsys, "history", "mai", "--guild", "1")
    assert code == 1 and "«mai»" in err


def test_cap_comes_from_settings(
    db_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FAQ_MAX_ENTRIES", "1")
    add(capsys, "unica")
    code, _, err = cli(capsys, "add", "--guild", "1", "--question", "Altra?", "--answer", "r")
    assert code == 1 and "già 1 FAQ, il massimo consentito" in err


def test_usage_errors_exit_2(db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for argv in (
        ["list", "--guild", "abc"],
        ["list", "--guild", "-5"],
        ["list"],
        ["add", "--guild", "1", "--question", "q"],
        ["add", "--guild", "1", "--question", "q", "--answer", "a", "--answer-file", "f"],
        ["list", "--guild", "1", "--limit", "-1"],
        ["frulla", "--guild", "1"],
        ["list", "--guild", "1", "--actor", "3"],
    ):
        with pytest.raises(SystemExit) as exit_info:
            parser().parse_args(["faq", *argv])
        assert exit_info.value.code == 2, argv
    err = capsys.readouterr().err
    assert "«abc» non è un ID Discord valido" in err

    code, _, err = cli(capsys, "edit", "qualcosa", "--guild", "1")
    assert (code, err) == (2, "Indica almeno un campo da modificare.\n")
    assert not db_path.exists()  # nothing was opened or created


def test_invalid_settings_exit_2(
    db_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FAQ_MAX_ENTRIES", "tanti")
    code, out, err = cli(capsys, "list", "--guild", "1")
    assert code == 2 and out == "" and "FAQ_MAX_ENTRIES" in err


def test_database_from_the_future_is_refused(
    db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db_path.parent.mkdir(parents=True)
    conn = sqlite3.connect(db_path)
    conn.execute("PRAGMA user_version = 50")
    conn.close()
    code, _, err = cli(capsys, "list", "--guild", "1")
    assert code == 1 and "versione 50" in err


def test_not_a_database_is_a_user_error(db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db_path.parent.mkdir(parents=True)
    db_path.write_bytes(b"questo non e' un database sqlite" * 100)
    code, _, err = cli(capsys, "list", "--guild", "1")
    assert (code, err) == (1, f"Il file {db_path} non è un database SQLite (o è danneggiato).\n")


def test_export_and_import_between_guilds(
    db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    add(capsys, "uno", "1", "--phrasing", "variante")
    add(capsys, "due", "1")
    code, out, _ = cli(capsys, "export", "--guild", "1")
    assert code == 0 and out.startswith("# FAQ di Timoniere") and "name: uno" in out

    target = tmp_path / "export" / "faq.yaml"
    code, out, _ = cli(capsys, "export", "--guild", "1", "--output", str(target))
    assert (code, out) == (0, f"FAQ esportate in {target}: 2.\n")
    assert [p.name for p in target.parent.iterdir()] == ["faq.yaml"]  # no temp files left

    code, out, err = cli(capsys, "import", str(target), "--guild", "2", "--actor", "5")
    assert code == 0, err
    assert out == "Importazione completata. FAQ nuove: 2, aggiornate: 0, invariate: 0.\n"
    assert entries(db_path, 2) == entries(db_path, 1)
    code, out, _ = cli(capsys, "import", str(target), "--guild", "2")
    assert out == "Importazione completata. FAQ nuove: 0, aggiornate: 0, invariate: 2.\n"


def test_bad_import_files_change_nothing(
    db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    add(capsys, "esistente")
    before = entries(db_path, 1)
    broken = tmp_path / "rotto.yaml"
    cases = {
        "faq:\n  - name: a\n    question: [aperta\n": "non è un YAML valido (errore alla riga",
        "faq:\n- {name: a, question: q}\n": "manca il campo «answer»",
        "faq:\n- {name: esistente, question: q, answer: nuova}\n- {name: B C, question: q,"
        " answer: r}\n": "Importazione annullata",
        "- !!python/object/apply:os.system ['echo no']\n": "non è un YAML valido",
    }
    for text, expected in cases.items():
        broken.write_text(text, encoding="utf-8")
        code, out, err = cli(capsys, "import", str(broken), "--guild", "1")
        assert (code, out) == (1, ""), text
        assert expected in err, (text, err)
    broken.write_bytes(b"faq: \xff\xfe")
    code, _, err = cli(capsys, "import", str(broken), "--guild", "1")
    assert (code, err) == (1, f"Il file {broken} non è in UTF-8.\n")
    code, _, err = cli(capsys, "import", str(tmp_path / "manca.yaml"), "--guild", "1")
    assert code == 1 and "Non trovo il file" in err
    assert entries(db_path, 1) == before


def test_import_from_stdin(
    db_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        "sys.stdin", io.StringIO("- name: da-stdin\n  question: Domanda?\n  answer: Sì.\n")
    )
    code, _, err = cli(capsys, "import", "-", "--guild", "1")
    assert code == 0, err
    assert entries(db_path, 1) == [("da-stdin", "Domanda?", "Sì.", ())]


def test_hostile_text_round_trips_verbatim(
    db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    hostile = "'); DROP TABLE faq_entries;-- @everyone **ciao** <@&1>"
    code, _, err = cli(
        capsys,
        "add",
        "--guild",
        "1",
        "--name",
        "ostile",
        "--question",
        hostile,
        "--answer",
        hostile,
    )
    assert code == 0, err
    code, out, _ = cli(capsys, "show", "ostile", "--guild", "1")
    assert f"Domanda: {hostile}\nRisposta:\n{hostile}\n" in out
    code, out, _ = cli(capsys, "list", "--guild", "1")
    assert f"ostile — {hostile}" in out
