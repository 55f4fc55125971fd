"""The console adapter: `python -m bot ask|chat|kb` as a user runs them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from console_process import bot

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "tests/fixtures/seed-kubernetes-vs-compose.md"
JSON_KEYS = {
    "question",
    "kind",
    "feature",
    "system",
    "confidence",
    "answer",
    "suggestions",
    "direct",
}


def test_ask_prints_verdict_cell_and_card() -> None:
    result = bot("ask", "Compose fa auto-scaling?")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.startswith("No. Docker Compose — Nessuna funzionalità di auto-scaling")
    assert "Auto-scaling · Kubernetes vs Docker Compose" in out
    # Both columns side by side, the asked system first.
    header = next(line for line in out.splitlines() if "Docker Compose: No" in line)
    assert header.index("Docker Compose: No") < header.index("Kubernetes: Sì")
    assert "Fonte:" in out


def test_ask_json_batch_is_one_object_per_line_in_order() -> None:
    questions = ["Compose fa auto-scaling?", "meglio k8s o compose?", "", "come si fa la carbonara"]
    result = bot("ask", "--json", "-", stdin="\n".join(questions) + "\n")
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [row["question"] for row in rows] == questions
    assert all(set(row) == JSON_KEYS for row in rows)
    assert (rows[0]["kind"], rows[0]["feature"], rows[0]["system"]) == (
        "feature",
        "autoscaling",
        "compose",
    )
    assert rows[1]["kind"] == "overview" and rows[1]["system"] == "both"
    assert rows[2]["kind"] == "unknown" and rows[2]["feature"] is None
    assert rows[3]["kind"] == "unknown" and rows[3]["system"] is None
    assert all(0.0 <= row["confidence"] <= 1.0 for row in rows)
    # Only the yes/no question about one system gets a short answer.
    assert [row["direct"] for row in rows] == ["no", None, None, None]


def test_ask_answers_the_question_as_asked_in_json_and_on_the_console() -> None:
    question = "docker compose è vincolato a un unico host?"
    row = json.loads(bot("ask", "--json", question).stdout)
    assert (row["feature"], row["system"], row["direct"]) == ("cluster", "compose", "si")
    assert row["answer"].startswith("Sì. Docker Compose — Mononodo: ")
    console = bot("ask", question).stdout
    assert console.startswith("Sì. Docker Compose — Mononodo: ")


def test_ask_json_lines_are_independent_without_context() -> None:
    result = bot("ask", "--json", "-", stdin="compose fa autoscaling?\ne kubernetes?\n")
    second = json.loads(result.stdout.splitlines()[1])
    assert second["kind"] == "unknown"


def test_ask_json_context_carries_and_empty_line_resets() -> None:
    lines = "compose fa autoscaling?\ne kubernetes?\ne per i segreti?\n\ne kubernetes?\n"
    result = bot("ask", "--json", "--context", "-", stdin=lines)
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(r["feature"], r["system"]) for r in rows[:3]] == [
        ("autoscaling", "compose"),
        ("autoscaling", "kubernetes"),
        ("segreti", "kubernetes"),
    ]
    assert rows[3]["question"] == "" and rows[3]["kind"] == "unknown"
    assert rows[4]["kind"] == "unknown"  # context was reset by the empty line


def test_ask_json_auto_says_whether_the_bot_would_answer_unprompted() -> None:
    lines = ["compose fa autoscaling?", "e kubernetes?", "il failover di ieri è andato bene", ""]
    lines += ["e kubernetes?"]
    result = bot("ask", "--json", "--auto", "--context", "-", stdin="\n".join(lines) + "\n")
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert all(set(row) == JSON_KEYS | {"auto_reply"} for row in rows)
    assert [row["auto_reply"] for row in rows] == [True, True, False, False, False]
    assert (rows[1]["feature"], rows[1]["system"]) == ("autoscaling", "kubernetes")
    without = bot("ask", "--json", "-", stdin="compose fa autoscaling?\n")
    assert "auto_reply" not in json.loads(without.stdout)


def test_chat_keeps_context_between_questions() -> None:
    result = bot("chat", stdin="compose fa autoscaling?\ne kubernetes?\nesci\n")
    assert result.returncode == 0, result.stderr
    assert "Sì. Kubernetes — Auto-scaling integrato" in result.stdout
    assert result.stdout.rstrip().endswith("A presto!")


def test_ask_handles_hostile_and_huge_input() -> None:
    huge = "scalabilità " * 10_000
    stdin = "\n".join(["@everyone **ciao**", "'); DROP TABLE faq;--", huge, "\x00\x07", "🚀🚀"])
    result = bot("ask", "--json", "-", stdin=stdin + "\n")
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(rows) == 5
    assert rows[2]["feature"] == "scalabilita"


def test_kb_check_ok_and_broken(tmp_path: Path) -> None:
    ok = bot("kb", "check")
    assert ok.returncode == 0 and "6 caratteristiche" in ok.stdout
    broken = tmp_path / "broken.yaml"
    text = (ROOT / "knowledge/kubernetes-vs-compose.yaml").read_text(encoding="utf-8")
    broken.write_text(text.replace("verdict: no", "verdict: forse", 1), encoding="utf-8")
    result = bot("kb", "check", str(broken))
    assert result.returncode == 1
    line = result.stderr.strip()
    assert str(broken) in line and "forse" in line and "verdict" in line
    assert "Traceback" not in result.stderr


def test_kb_check_refuses_broken_faq_word_groups(tmp_path: Path) -> None:
    table = (ROOT / "knowledge/kubernetes-vs-compose.yaml").read_text(encoding="utf-8")
    (tmp_path / "table.yaml").write_text(table, encoding="utf-8")
    (tmp_path / "faq").mkdir()
    terms = tmp_path / "faq" / "terms.yaml"
    terms.write_text("terms:\n  - [log, output]\n  - [stampa, output]\n", encoding="utf-8")
    result = bot("kb", "check", str(tmp_path))
    assert result.returncode == 1
    assert str(terms) in result.stderr and "already in the group" in result.stderr
    assert "Traceback" not in result.stderr
    terms.write_text("terms:\n  - [log, output]\n", encoding="utf-8")
    assert bot("kb", "check", str(tmp_path)).returncode == 0


def test_kb_import_writes_a_loadable_skeleton(tmp_path: Path) -> None:
    output = tmp_path / "new.yaml"
    result = bot("kb", "import", str(SEED), "-o", str(output))
    assert result.returncode == 0, result.stderr
    check = bot("kb", "check", str(output))
    assert check.returncode == 0, check.stderr
    # The skeleton still has TODOs: check passes but says where they are.
    assert f"{output}:" in check.stderr and "TODO" in check.stderr
    assert "6 caratteristiche" in check.stdout


def test_kb_import_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    output = tmp_path / "new.yaml"
    output.write_text("# hand-edited work\n", encoding="utf-8")
    refused = bot("kb", "import", str(SEED), "-o", str(output))
    assert refused.returncode == 1
    assert "--force" in refused.stderr and "Traceback" not in refused.stderr
    assert output.read_text(encoding="utf-8") == "# hand-edited work\n"
    forced = bot("kb", "import", str(SEED), "-o", str(output), "--force")
    assert forced.returncode == 0, forced.stderr
    assert "features:" in output.read_text(encoding="utf-8")


def test_kb_check_uses_the_singular_for_one_feature(tmp_path: Path) -> None:
    one = tmp_path / "one.yaml"
    text = (ROOT / "tests/fixtures/podman-vs-docker.yaml").read_text(encoding="utf-8")
    head, _, rest = text.partition("features:")
    first_feature = "  - id:" + rest.split("  - id:")[1]
    one.write_text(head + "features:\n" + first_feature, encoding="utf-8")
    result = bot("kb", "check", str(one))
    assert result.returncode == 0, result.stderr
    assert "1 caratteristica," in result.stdout


def test_ask_a_second_comparison_with_no_code_change() -> None:
    fixture = ROOT / "tests/fixtures/podman-vs-docker.yaml"
    result = bot("ask", "--json", "--knowledge", str(fixture), "podman è rootless?")
    row = json.loads(result.stdout)
    assert row["kind"] == "feature" and row["system"] == "podman"


def test_run_without_token_explains_and_exits_2(tmp_path: Path) -> None:
    result = bot("run", cwd=tmp_path, env={"PYTHONPATH": str(ROOT)})
    assert result.returncode == 2
    assert "DISCORD_TOKEN" in result.stderr
    assert "python -m bot chat" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("args", [["ask", "--guild", "1", "ciao"], ["chat", "--guild", "1"]])
def test_guild_without_database_is_a_clear_error(args: list[str], tmp_path: Path) -> None:
    result = bot(*args, "--db", str(tmp_path / "missing.sqlite3"))
    assert result.returncode == 1
    assert "Database non trovato" in result.stderr


def test_ask_answers_faq_entries_of_the_chosen_guild(tmp_path: Path) -> None:
    db = str(tmp_path / "faq.sqlite3")
    added = bot(
        "faq", "add", "--guild", "42", "--db", db, "--name", "regole",
        "--question", "Quali sono le regole del server?",
        "--answer", "Niente spam, niente @everyone.",
        "--phrasing", "dove trovo il regolamento",
    )  # fmt: skip
    assert added.returncode == 0, added.stderr

    def ask(guild: str, question: str) -> dict[str, object]:
        return json.loads(bot("ask", "--json", "--guild", guild, "--db", db, question).stdout)

    mine = ask("42", "regole del srever?")
    assert (mine["kind"], mine["answer"]) == ("faq", "Niente spam, niente @everyone.")
    other = ask("7", "regole del server?")
    assert other["kind"] == "unknown"
    # The table still answers in the guild that has FAQ entries.
    table = ask("42", "k8s fa hpa?")
    assert table["feature"] == "autoscaling"


def test_console_works_with_the_example_env_file(tmp_path: Path) -> None:
    """A fresh `cp .env.example .env` has a placeholder token: only `run` needs a real one."""
    (tmp_path / ".env").write_text(
        (ROOT / ".env.example").read_text(encoding="utf-8"), encoding="utf-8"
    )
    env = {"PYTHONPATH": str(ROOT)}
    asked = bot("ask", "compose fa hpa?", cwd=tmp_path, env=env)
    assert asked.returncode == 0, asked.stderr
    assert asked.stdout.startswith("No.")
    run = bot("run", cwd=tmp_path, env=env)
    assert run.returncode == 2
    assert "DISCORD_TOKEN" in run.stderr and "Traceback" not in run.stderr


def test_bad_files_give_one_line_errors_not_tracebacks(tmp_path: Path) -> None:
    bad_table = tmp_path / "bad.md"
    bad_table.write_text("| a | b |\n|---|\n| x |\n", encoding="utf-8")
    not_utf8 = tmp_path / "latin.md"
    not_utf8.write_bytes(b"\xff\xfe\x00 tabella")
    not_a_db = tmp_path / "garbage.sqlite3"
    not_a_db.write_bytes(b"not a database, not at all" * 10)
    cases = [
        (("kb", "import", str(bad_table)), "line 2"),
        (("kb", "import", str(not_utf8)), "non è in UTF-8"),
        (("ask", "--guild", "1", "--db", str(not_a_db), "ciao"), "non è un database SQLite"),
    ]
    for args, expected in cases:
        result = bot(*args)
        assert result.returncode == 1, args
        assert expected in result.stderr, (args, result.stderr)
        assert "Traceback" not in result.stderr


def test_ask_json_survives_undecodable_bytes() -> None:
    environment = {k: v for k, v in os.environ.items() if k != "DISCORD_TOKEN"}
    environment["LC_ALL"] = "C"  # an ASCII locale must not matter either
    result = subprocess.run(
        [sys.executable, "-m", "bot", "ask", "--json", "-"],
        input=b"compose fa autoscaling?\n\xff\xfe k8s ha i secret\xc3?\nciao \xe2\x9c\x8c\n",
        capture_output=True,
        timeout=60,
        cwd=ROOT,
        env=environment,
    )
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.decode("utf-8").splitlines()]
    assert [row["feature"] for row in rows] == ["autoscaling", "segreti", None]
    assert "\ufffd" in rows[1]["question"]
    assert rows[2]["question"] == "ciao ✌"
