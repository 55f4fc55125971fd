"""Answer building: verdict words, cell order, overview, unknown, JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.core.answers import AnswerBuilder, FaqView, plain
from bot.core.knowledge import KnowledgeBase, load_knowledge

SHIPPED = Path(__file__).resolve().parents[2] / "knowledge" / "kubernetes-vs-compose.yaml"


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_knowledge(SHIPPED)


@pytest.fixture(scope="module")
def builder(kb: KnowledgeBase) -> AnswerBuilder:
    return AnswerBuilder(kb)


@pytest.mark.parametrize(
    ("feature", "system", "start"),
    [
        ("autoscaling", "kubernetes", "Sì. Kubernetes — Auto-scaling integrato: "),
        ("autoscaling", "compose", "No. Docker Compose — Nessuna funzionalità di auto-scaling: "),
        ("segreti", "compose", "In parte. Docker Compose — Gestione manuale dei segreti: "),
        ("scalabilita", "compose", "In parte. Docker Compose — Limitato a un singolo nodo: "),
    ],
)
def test_verdict_word_leads_the_answer(
    builder: AnswerBuilder, feature: str, system: str, start: str
) -> None:
    answer = builder.feature_answer("q", feature, system, 0.9)
    assert answer.text.startswith(start)


def test_asked_system_comes_first_with_the_other_one_summarized(
    builder: AnswerBuilder, kb: KnowledgeBase
) -> None:
    answer = builder.feature_answer("compose ha i segreti?", "segreti", "compose", 0.9)
    assert [cell.system_id for cell in answer.cells] == ["compose", "kubernetes"]
    assert [cell.emoji for cell in answer.cells] == ["⚠️", "✅"]
    lines = answer.text.split("\n")
    assert len(lines) == 2
    assert plain(kb.feature("segreti").cells["compose"].text) in lines[0]
    assert lines[1] == "Kubernetes: sì (Gestione avanzata dei segreti)."
    assert answer.title == "Gestione dei segreti · Kubernetes vs Docker Compose"
    assert answer.footer == f"Fonte: {kb.source}"

    other = builder.feature_answer("k8s ha i segreti?", "segreti", "kubernetes", 0.9)
    assert [cell.system_id for cell in other.cells] == ["kubernetes", "compose"]
    assert other.text.split("\n")[1] == "Docker Compose: in parte (Gestione manuale dei segreti)."


def test_plain_text_drops_markdown_but_the_lead_keeps_it(builder: AnswerBuilder) -> None:
    answer = builder.feature_answer("q", "segreti", "kubernetes", 0.9)
    assert "**" not in answer.text
    assert "gestisce in modo sicuro secrets e configurazioni sensibili" in answer.text
    assert answer.lead.startswith("**Sì.** Kubernetes — **Gestione avanzata dei segreti**")
    assert "**secrets**" in answer.lead


def test_both_systems_answer_shows_every_cell(builder: AnswerBuilder, kb: KnowledgeBase) -> None:
    answer = builder.feature_answer("failover?", "failover", "both", 0.8)
    lines = answer.text.split("\n")
    assert lines[0] == "Alta disponibilità e failover: ecco come si comportano i due sistemi."
    assert lines[1].startswith("✅ Kubernetes: Sì. Tolleranza ai guasti e failover automatico: ")
    assert lines[2].startswith(
        "❌ Docker Compose: No. Nessuna gestione avanzata della resilienza: "
    )
    assert [cell.system_id for cell in answer.cells] == list(kb.system_ids)


def test_overview_has_all_six_rows(builder: AnswerBuilder, kb: KnowledgeBase) -> None:
    answer = builder.overview_answer("meglio k8s o compose?", 0.8)
    assert answer.kind == "overview"
    assert answer.system == "both"
    assert [row.feature_id for row in answer.overview] == [f.id for f in kb.features]
    lines = answer.text.split("\n")
    assert lines[0] == "Kubernetes vs Docker Compose in breve:"
    assert len(lines) == 1 + 6
    for line, feature in zip(lines[1:], kb.features, strict=True):
        assert line.startswith(f"• {feature.title}: Kubernetes ")
        for cell in feature.cells.values():
            assert cell.headline in line


def test_unknown_lists_the_topics(builder: AnswerBuilder, kb: KnowledgeBase) -> None:
    answer = builder.unknown_answer("che tempo fa?", 0.0)
    assert answer.kind == "unknown"
    assert answer.feature is None and answer.system is None
    assert "Non ho trovato una risposta" in answer.text
    assert (
        "Posso rispondere su Kubernetes vs Docker Compose: Scalabilità orizzontale, "
        "Alta disponibilità e failover, Rolling updates e rollback, Gestione dei segreti, "
        "Cluster distribuiti e Auto-scaling."
    ) in answer.text
    assert f"«{kb.features[0].examples[0]}»" in answer.text
    assert "Forse intendevi" not in answer.text


def test_unknown_with_suggestions_names_them(builder: AnswerBuilder) -> None:
    answer = builder.unknown_answer("password", 0.3, ("segreti", "failover"))
    assert "Forse intendevi: Gestione dei segreti o Alta disponibilità e failover?" in answer.text
    assert answer.suggestions == ("segreti", "failover")


def test_faq_answer(builder: AnswerBuilder) -> None:
    view = FaqView("orari", "Quando siete aperti?", "Dal lunedì al venerdì.")
    answer = builder.faq_answer("orari?", view, 0.7)
    assert (answer.kind, answer.text, answer.title) == ("faq", view.answer, view.question)
    assert answer.footer == "FAQ del server · orari"
    assert answer.feature is None and answer.system is None


def test_to_json_has_exactly_the_public_keys(builder: AnswerBuilder) -> None:
    answer = builder.feature_answer("compose fa autoscaling?", "autoscaling", "compose", 0.81549)
    data = answer.to_json()
    assert list(data) == [
        "question",
        "kind",
        "feature",
        "system",
        "confidence",
        "answer",
        "suggestions",
        "direct",
    ]
    assert data["confidence"] == 0.815
    assert data["direct"] == "no"
    assert data["answer"] == answer.text
    assert data["suggestions"] == []
    # Serializable as it is, accents kept.
    assert json.loads(json.dumps(data, ensure_ascii=False)) == data


def test_to_json_of_unknown_and_overview(builder: AnswerBuilder) -> None:
    unknown = builder.unknown_answer("boh", 0.3, ("segreti",)).to_json()
    assert (unknown["kind"], unknown["feature"], unknown["system"]) == ("unknown", None, None)
    assert unknown["suggestions"] == ["segreti"]
    overview = builder.overview_answer("vs", 0.8).to_json()
    assert (overview["kind"], overview["system"]) == ("overview", "both")


def test_plain_strips_only_bold() -> None:
    assert plain("a **b** c **d e**") == "a b c d e"
    assert plain("2 * 3 = *6*") == "2 * 3 = *6*"
