from __future__ import annotations

from pathlib import Path

import pytest

from bot.core.engine import Engine
from bot.core.faq import FaqEntry
from bot.core.faq_terms import FaqTerms, load_faq_terms, parse_faq_terms
from bot.core.knowledge import KnowledgeError, load_knowledge

ROOT = Path(__file__).resolve().parents[2]
KNOWLEDGE = ROOT / "knowledge"


def test_every_word_of_a_group_reads_as_its_first_by_stem() -> None:
    terms = parse_faq_terms("terms:\n  - [log, output]\n  - [riavvia, restart]\n")
    assert terms.words["output"] == "log"
    assert terms.words["restart"] == "riavvia"
    # "riavvio" and "riavviare" share the stem of "riavvia".
    assert set(terms.words) == {"log", "output", "riavv", "restart"}
    assert terms.fold(["riavviare", "output"]) == ["riavvia", "log"]


def test_a_phrase_reads_as_its_group_longest_first_and_by_the_words_kept() -> None:
    terms = parse_faq_terms(
        "terms:\n  - [gpu, scheda video, scheda grafica]\n"
        "  - [screenshot, foto dello schermo]\n  - [oom, out of memory]\n"
    )
    # Stopwords are dropped before matching, as the search drops them.
    assert terms.fold(["foto", "schermo", "codice"]) == ["screenshot", "codice"]
    assert terms.fold(["schede", "video", "nvidia"]) == ["gpu", "nvidia"]
    assert terms.fold(["scheda", "madre"]) == ["scheda", "madre"]
    assert terms.fold(["va", "out", "memory"]) == ["va", "oom"]
    # System names are read first, whatever the groups say.
    assert terms.fold(["k8s", "gpu"], {"k8s": "kubernetes"}) == ["kubernetes", "gpu"]
    assert "scheda" in terms.vocabulary


def test_a_phrase_group_reads_as_one_token() -> None:
    terms = parse_faq_terms("terms:\n  - [macchina virtuale, vm]\n")
    assert terms.fold(["vm"]) == ["macchina_virtuale"]


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("terms: [[log]]\n", "at least two items"),
        ("terms:\n  - [log, tail -f di tutto il file]\n", "at most 4 words"),
        ("terms:\n  - [log, della]\n", "not only stopwords"),
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
    assert terms.words["output"] == "log"
    assert load_faq_terms(KNOWLEDGE / "kubernetes-vs-compose.yaml") == terms


def test_a_directory_without_terms_has_none(tmp_path: Path) -> None:
    assert not load_faq_terms(tmp_path)


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
    without_terms = Engine(kb, faq_terms=FaqTerms())
    for engine in (with_terms, without_terms):
        engine.set_faq(1, [_logs_entry()])
    question = "come vedo l'output del container?"
    found = with_terms.probe_faq(question, 1).best
    plain = without_terms.probe_faq(question, 1).best
    assert found is not None and found.entry.name == "docker-logs"
    assert plain is None or plain.confidence < found.confidence
