from __future__ import annotations

from pathlib import Path

import pytest

from bot.core.engine import Engine
from bot.core.faq import FaqEntry
from bot.core.faq_terms import load_faq_terms, parse_faq_terms
from bot.core.knowledge import KnowledgeError, load_knowledge

ROOT = Path(__file__).resolve().parents[2]
KNOWLEDGE = ROOT / "knowledge"


def test_every_word_of_a_group_reads_as_its_first_by_stem() -> None:
    terms = parse_faq_terms("terms:\n  - [log, output]\n  - [riavvia, restart]\n")
    assert terms["output"] == "log"
    assert terms["restart"] == "riavvia"
    # "riavvio" and "riavviare" share the stem of "riavvia".
    assert set(terms) == {"log", "output", "riavv", "restart"}


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("terms: [[log]]\n", "at least two words"),
        ("terms:\n  - [log, tail -f]\n", "not one word"),
        ("terms:\n  - [log, output]\n  - [stampa, output]\n", "already in the group"),
        ("words:\n  - [log, output]\n", "one key"),
        ("terms: [log, output\n", "invalid YAML"),
    ],
)
def test_broken_groups_are_refused_with_the_reason(text: str, problem: str) -> None:
    with pytest.raises(KnowledgeError, match=problem):
        parse_faq_terms(text, "terms.yaml")


def test_the_shipped_terms_load() -> None:
    terms = load_faq_terms(KNOWLEDGE)
    assert terms["output"] == "log"
    assert load_faq_terms(KNOWLEDGE / "kubernetes-vs-compose.yaml") == terms


def test_a_directory_without_terms_has_none(tmp_path: Path) -> None:
    assert load_faq_terms(tmp_path) == {}


def _logs_entry() -> FaqEntry:
    return FaqEntry(
        1,
        "docker-logs",
        "Come leggo i log di un container?",
        "Usa `docker compose logs -f nomeservizio`.",
        ("vedere i log del container",),
    )


def test_an_english_word_finds_the_entry_written_in_italian() -> None:
    kb = load_knowledge(KNOWLEDGE / "kubernetes-vs-compose.yaml")
    with_terms = Engine(kb)
    without_terms = Engine(kb, faq_terms={})
    for engine in (with_terms, without_terms):
        engine.set_faq(1, [_logs_entry()])
    question = "come vedo l'output del container?"
    found = with_terms.probe_faq(question, 1).best
    plain = without_terms.probe_faq(question, 1).best
    assert found is not None and found.entry.name == "docker-logs"
    assert plain is None or plain.confidence < found.confidence
