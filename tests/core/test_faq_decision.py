"""The learned second look at FAQ questions the calibrated threshold leaves silent."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from bot.core.engine import Engine
from bot.core.faq import FaqEntry
from bot.core.faq_decision import (
    DECISION_FILE,
    FEATURES,
    DecisionInput,
    FaqDecision,
    faq_takes,
    fit_decision,
    load_faq_decision,
)
from bot.core.knowledge import KnowledgeBase, KnowledgeError, load_knowledge

KNOWLEDGE = Path(__file__).resolve().parents[2] / "knowledge"
SHIPPED = KNOWLEDGE / "kubernetes-vs-compose.yaml"
GUILD = 1

LOOSE = DecisionInput(
    score=0.3,
    runner_up=0.25,
    precision=0.3,
    coverage=0.4,
    similarity=0.5,
    phrase=0.0,
    missing=1.0,
    unknown=0.3,
    head_precision=0.2,
    head_match=True,
    exact=False,
    table_confidence=0.0,
    table_sure=False,
    faq_only_words=True,
    words=8,
)
CLEAR = replace(LOOSE, score=0.7, runner_up=0.2, precision=0.7, head_precision=0.7)


def _constant(bias: float) -> FaqDecision:
    """A model that ignores the evidence: every hit gets the same probability."""
    width = len(FEATURES)
    return FaqDecision((0.0,) * width, bias, (0.0,) * width, (1.0,) * width)


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_knowledge(SHIPPED)


def test_fitting_learns_which_evidence_means_right() -> None:
    # Clear leads are right, loose matches are not, with a little noise.
    inputs = [CLEAR] * 40 + [LOOSE] * 40 + [CLEAR] * 3 + [LOOSE] * 3
    labels = [True] * 40 + [False] * 40 + [False] * 3 + [True] * 3
    model = fit_decision(inputs, labels)
    assert model.probability(CLEAR) > 0.8
    assert model.probability(LOOSE) < 0.2


def test_sample_weights_move_the_decision() -> None:
    inputs = [CLEAR, LOOSE, LOOSE]
    labels = [True, True, False]
    even = fit_decision(inputs, labels, l2=1.0)
    heavy_negative = fit_decision(inputs, labels, [1.0, 1.0, 10.0], l2=1.0)
    assert heavy_negative.probability(LOOSE) < even.probability(LOOSE)


def test_a_shifted_model_answers_at_half_where_it_reached_the_cut_off() -> None:
    model = fit_decision([CLEAR, LOOSE] * 10, [True, False] * 10)
    cut_off = model.probability(LOOSE)
    assert model.shifted(cut_off).probability(LOOSE) == pytest.approx(0.5)


def test_the_model_survives_a_round_trip_through_json() -> None:
    model = fit_decision([CLEAR, LOOSE] * 10, [True, False] * 10)
    again = FaqDecision.from_json(json.loads(json.dumps(model.to_json())), "test")
    assert again.probability(LOOSE) == pytest.approx(model.probability(LOOSE), abs=1e-4)


def test_a_model_fitted_on_other_features_is_refused() -> None:
    data = _constant(0.0).to_json()
    data["features"] = list(FEATURES[:-1])
    with pytest.raises(KnowledgeError, match="other features"):
        FaqDecision.from_json(data, "decision.json")
    data = _constant(0.0).to_json()
    data["scales"] = [0.0] * len(FEATURES)
    with pytest.raises(KnowledgeError, match="positive"):
        FaqDecision.from_json(data, "decision.json")


def test_the_shipped_model_loads_and_no_file_means_no_model(tmp_path: Path) -> None:
    assert (KNOWLEDGE / DECISION_FILE).is_file()
    assert load_faq_decision(KNOWLEDGE) is not None
    assert load_faq_decision(tmp_path) is None
    (tmp_path / DECISION_FILE).parent.mkdir()
    (tmp_path / DECISION_FILE).write_text("{not json", encoding="utf-8")
    with pytest.raises(KnowledgeError, match="invalid JSON"):
        load_faq_decision(tmp_path)


def test_a_sure_table_keeps_a_question_found_only_in_an_answer() -> None:
    sure_table = replace(CLEAR, table_confidence=0.8, table_sure=True)
    assert faq_takes(0.9, sure_table, 0.5)
    assert not faq_takes(0.9, replace(sure_table, head_match=False), 0.5)
    assert not faq_takes(0.4, CLEAR, 0.5)


VOLUMES = FaqEntry(
    GUILD,
    "volumi",
    "Dove finiscono i volumi di docker compose?",
    "Sotto /var/lib/docker/volumes; `docker volume inspect nome` mostra il Mountpoint.",
)
RULES = FaqEntry(GUILD, "regole", "Quali sono le regole del server?", "Leggi #regole.")
LOOSE_QUESTION = "dove vedo il mountpoint?"


def _engine(kb: KnowledgeBase, decision: FaqDecision) -> Engine:
    engine = Engine(kb, faq_decision=decision)
    engine.set_faq(GUILD, [VOLUMES, RULES])
    return engine


def test_the_second_look_answers_what_the_threshold_left_silent(kb: KnowledgeBase) -> None:
    sure = _engine(kb, _constant(5.0))
    hit = sure.probe_faq(LOOSE_QUESTION, GUILD).best
    assert hit is not None and hit.entry.name == "volumi"
    assert hit.confidence < sure.threshold  # the calibrated rule stays silent
    answer = sure.ask(LOOSE_QUESTION, guild_id=GUILD)
    assert (answer.kind, answer.faq and answer.faq.name) == ("faq", "volumi")
    assert answer.confidence == pytest.approx(0.993, abs=1e-3)

    doubtful = _engine(kb, _constant(-5.0))
    assert doubtful.ask(LOOSE_QUESTION, guild_id=GUILD).kind != "faq"
    # What the rule answers, it still answers whatever the model thinks.
    exact = doubtful.ask("quali sono le regole del server?", guild_id=GUILD)
    assert (exact.kind, exact.confidence) == ("faq", 1.0)


def test_the_engine_loads_the_model_next_to_the_table(kb: KnowledgeBase) -> None:
    engine = Engine(kb)
    assert engine.faq_decision is not None
    assert engine.with_knowledge(kb).faq_decision is engine.faq_decision
