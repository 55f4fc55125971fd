"""Word associations learnt across servers, and how they reach the FAQ's evidence."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.core.engine import Engine
from bot.core.faq import FaqEntry
from bot.core.faq_associations import FULL_LOG_LIFT, bridged, learn_associations
from bot.core.faq_decision import FaqModels, load_faq_decision
from bot.core.knowledge import KnowledgeError, load_knowledge
from bot.core.text import stem
from tests.core.faq_models import constant_models

KNOWLEDGE = Path(__file__).resolve().parents[2] / "knowledge"
GUILD = 1

DISK = frozenset({"disc", "spaz", "df"})
RULES = frozenset({"regol", "spam"})
OTHER = frozenset({"backup", "restic"})


def _pairs(server: str, times: int) -> list[tuple[str, frozenset[str], frozenset[str]]]:
    # "pien" (full) is asked about the disk entry; other questions go elsewhere.
    return [(server, frozenset({"pien", "disc"}), DISK)] * times + [
        (server, frozenset({"link"}), RULES),
        (server, frozenset({"nott"}), OTHER),
    ]


def test_a_word_asked_on_two_servers_points_at_the_entry_words_it_lacks() -> None:
    table = learn_associations(_pairs("A", 1) + _pairs("B", 1))
    assert set(table["pien"]) == set(DISK)
    assert table["pien"]["spaz"] > 0
    assert set(table["link"]) == set(RULES)
    # "disc" was in the question and in its entry: nothing to bridge, nothing learnt.
    assert "disc" not in table


def test_one_server_alone_teaches_no_association() -> None:
    assert "pien" not in learn_associations(_pairs("A", 3))


def test_bridged_is_the_share_of_the_question_weight_an_association_reaches() -> None:
    table = {"pien": {"spaz": FULL_LOG_LIFT}, "lent": {"spaz": FULL_LOG_LIFT / 2}}
    weights = {"pien": 2.0, "disc": 1.0, "lent": 1.0}
    assert bridged(table, weights, DISK) == pytest.approx((2.0 + 0.5) / 4.0)
    # Nothing to bridge to an entry without the associated words.
    assert bridged(table, weights, RULES) == 0.0
    assert bridged({}, weights, DISK) == 0.0


def test_the_associations_travel_with_the_models_and_bad_ones_are_refused() -> None:
    models = FaqModels(
        constant_models(0.0).ranker, constant_models(0.0).decision, {"pien": {"spaz": 1.5}}
    )
    again = FaqModels.from_json(json.loads(json.dumps(models.to_json())), "test")
    assert again.associations == {"pien": {"spaz": 1.5}}
    data = models.to_json()
    data["associations"] = {"pien": {"spaz": "molto"}}
    with pytest.raises(KnowledgeError, match="numbers"):
        FaqModels.from_json(data, "decision.json")
    data["associations"] = ["pien"]
    with pytest.raises(KnowledgeError, match="question words"):
        FaqModels.from_json(data, "decision.json")


def test_the_shipped_models_carry_associations() -> None:
    models = load_faq_decision(KNOWLEDGE)
    assert models is not None and models.associations


def test_the_engine_gives_candidates_the_evidence_the_associations_bridge() -> None:
    full_disk = FaqEntry(GUILD, "spazio-disco", "Come libero spazio?", "Controlla con df -h.")
    rules = FaqEntry(GUILD, "regole", "Quali sono le regole?", "Leggi #regole.")
    question = "la partizione è piena, come libero spazio?"
    plain = Engine(load_knowledge(KNOWLEDGE / "kubernetes-vs-compose.yaml"), load_faq_models=False)
    plain.set_faq(GUILD, [full_disk, rules])
    index = plain._faq[GUILD]
    lacking = set(index.question_weights(question)) - index.entry_stems(full_disk.name)
    assert lacking  # words of the question the entry does not use
    models = FaqModels(
        constant_models(0.0).ranker,
        constant_models(0.0).decision,
        {value: {stem("df"): FULL_LOG_LIFT} for value in lacking},
    )
    engine = Engine(plain.kb, faq_decision=models)
    engine.set_faq(GUILD, [full_disk, rules])
    candidates = engine.faq_candidates(question, GUILD)
    assert candidates is not None
    evidence = {hit.entry.name: hit.evidence for hit in candidates.hits}
    assert evidence[full_disk.name] is not None and evidence[full_disk.name].bridged > 0
    # Without the associations: nothing bridged, and the index's order is the same.
    before = plain.faq_candidates(question, GUILD)
    assert before is not None
    assert [hit.entry.name for hit in before.hits] == [hit.entry.name for hit in candidates.hits]
    assert all(hit.evidence is None or hit.evidence.bridged == 0.0 for hit in before.hits)
