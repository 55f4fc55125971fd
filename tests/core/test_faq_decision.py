"""The learned FAQ ranker and answer decision."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from bot.core.engine import Engine
from bot.core.faq import FaqEntry
from bot.core.faq_decision import (
    CANDIDATE_FEATURES,
    DECISION_FEATURES,
    DECISION_FILE,
    Candidates,
    FaqModels,
    TableView,
    candidate_features,
    decision_features,
    fit_choice,
    fit_linear,
    load_faq_decision,
)
from bot.core.faq_index import FaqHit
from bot.core.faq_score import Evidence
from bot.core.knowledge import KnowledgeBase, KnowledgeError, load_knowledge
from tests.core.faq_models import constant_models

KNOWLEDGE = Path(__file__).resolve().parents[2] / "knowledge"
SHIPPED = KNOWLEDGE / "kubernetes-vs-compose.yaml"
GUILD = 1

LOOSE_EVIDENCE = Evidence(0.3, 0.4, 0.5, 0.0, 1.0, 0.3, 0.2)
CLEAR_EVIDENCE = Evidence(0.7, 0.8, 0.9, 0.5, 0.1, 0.0, 0.7)
LOOSE = candidate_features(LOOSE_EVIDENCE, True, 0.3, 0.7, 0.1, 0.4)
CLEAR = candidate_features(CLEAR_EVIDENCE, True, 0.7, 0.7, 0.4, 0.4)
NO_TABLE = TableView(0.0, False)


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_knowledge(SHIPPED)


def test_fitting_learns_which_evidence_means_right() -> None:
    # Clear leads are right, loose matches are not, with a little noise.
    inputs = [CLEAR] * 40 + [LOOSE] * 40 + [CLEAR] * 3 + [LOOSE] * 3
    labels = [True] * 40 + [False] * 40 + [False] * 3 + [True] * 3
    model = fit_linear(CANDIDATE_FEATURES, inputs, labels)
    assert model.probability(CLEAR) > 0.8
    assert model.probability(LOOSE) < 0.2


def test_sample_weights_move_the_decision() -> None:
    inputs = [CLEAR, LOOSE, LOOSE]
    labels = [True, True, False]
    even = fit_linear(CANDIDATE_FEATURES, inputs, labels, l2=1.0)
    heavy_negative = fit_linear(CANDIDATE_FEATURES, inputs, labels, [1.0, 1.0, 10.0], l2=1.0)
    assert heavy_negative.probability(LOOSE) < even.probability(LOOSE)


def test_the_ranker_learns_which_candidate_is_right_among_its_rivals() -> None:
    # The right candidate is the clearer one, wherever it stands in the group;
    # a loose candidate is sometimes right (noise).
    groups = [((LOOSE, CLEAR), 1), ((CLEAR, LOOSE, LOOSE), 0)] * 10 + [((CLEAR, LOOSE), 1)]
    ranker = fit_choice(CANDIDATE_FEATURES, groups, [1.0] * len(groups))
    assert ranker.score(CLEAR) > ranker.score(LOOSE)
    assert ranker.bias == 0.0
    # More weight on the noisy group narrows the lead.
    heavy = fit_choice(CANDIDATE_FEATURES, groups, [1.0] * (len(groups) - 1) + [15.0])
    lead = ranker.score(CLEAR) - ranker.score(LOOSE)
    assert 0 < heavy.score(CLEAR) - heavy.score(LOOSE) < lead
    with pytest.raises(ValueError, match="values"):
        fit_choice(DECISION_FEATURES, groups, [1.0] * len(groups))
    with pytest.raises(ValueError, match="weight"):
        fit_choice(CANDIDATE_FEATURES, groups, [1.0])


def test_inputs_of_the_wrong_width_are_refused() -> None:
    with pytest.raises(ValueError, match="values"):
        fit_linear(DECISION_FEATURES, [CLEAR, LOOSE], [True, False])


def test_a_shifted_model_answers_at_half_where_it_reached_the_cut_off() -> None:
    model = fit_linear(CANDIDATE_FEATURES, [CLEAR, LOOSE] * 10, [True, False] * 10)
    cut_off = model.probability(LOOSE)
    assert model.shifted(cut_off).probability(LOOSE) == pytest.approx(0.5)


def test_the_models_survive_a_round_trip_through_json() -> None:
    ranker = fit_linear(CANDIDATE_FEATURES, [CLEAR, LOOSE] * 10, [True, False] * 10)
    features = decision_features(CLEAR, 2.0, 0.5, NO_TABLE, True, 8)
    decision = fit_linear(
        DECISION_FEATURES,
        [features, decision_features(LOOSE, 0.5, 0.4, NO_TABLE, False, 8)] * 5,
        [True, False] * 5,
    )
    models = FaqModels(ranker, decision)
    again = FaqModels.from_json(json.loads(json.dumps(models.to_json())), "test")
    assert again.ranker.score(LOOSE) == pytest.approx(ranker.score(LOOSE), abs=1e-3)
    assert again.decision.probability(features) == pytest.approx(
        decision.probability(features), abs=1e-4
    )


def test_models_fitted_on_other_features_or_format_are_refused() -> None:
    data = constant_models(0.0).to_json()
    ranker = data["ranker"]
    assert isinstance(ranker, dict)
    ranker["features"] = list(CANDIDATE_FEATURES[:-1])
    with pytest.raises(KnowledgeError, match="other features"):
        FaqModels.from_json(data, "decision.json")
    data = constant_models(0.0).to_json()
    decision = data["decision"]
    assert isinstance(decision, dict)
    decision["scales"] = [0.0] * len(DECISION_FEATURES)
    with pytest.raises(KnowledgeError, match="positive"):
        FaqModels.from_json(data, "decision.json")
    with pytest.raises(KnowledgeError, match="format"):
        FaqModels.from_json({**constant_models(0.0).to_json(), "format": 1}, "decision.json")


def test_the_shipped_models_load_and_no_file_means_none(tmp_path: Path) -> None:
    assert (KNOWLEDGE / DECISION_FILE).is_file()
    assert load_faq_decision(KNOWLEDGE) is not None
    assert load_faq_decision(tmp_path) is None
    (tmp_path / DECISION_FILE).parent.mkdir()
    (tmp_path / DECISION_FILE).write_text("{not json", encoding="utf-8")
    with pytest.raises(KnowledgeError, match="invalid JSON"):
        load_faq_decision(tmp_path)


def test_the_shipped_decision_trusts_an_entry_less_for_a_poll_of_the_people() -> None:
    # Over twenty servers, "voi cosa usate?" and "secondo voi" are asked of the
    # people far more often than of an entry written for that choice.
    models = load_faq_decision(KNOWLEDGE)
    assert models is not None
    evidence = candidate_features(Evidence(0.6, 0.5, 0.7, 0.3), True, 0.55, 0.55, 0.4, 0.4)
    table = TableView(0.0, False)
    asked = decision_features(evidence, 2.0, 0.5, table, True, 8)
    polled = decision_features(evidence, 2.0, 0.5, table, True, 8, poll=True)
    assert models.decision.probability(polled) < models.decision.probability(asked)


def _hit(name: str, score: float, evidence: Evidence) -> FaqHit:
    entry = FaqEntry(GUILD, name, f"domanda {name}?", "risposta")
    return FaqHit(entry, score, True, evidence, score)


def test_the_ranker_reorders_candidates_and_measures_the_lead() -> None:
    # The index put "loose" first by its score; the ranker (precision) prefers "clear".
    hits = [_hit("loose", 0.5, LOOSE_EVIDENCE), _hit("clear", 0.4, CLEAR_EVIDENCE)]
    candidates = Candidates.of(hits, [0.1, 0.4])
    ranked = candidates.ranked(constant_models(0.0).ranker)
    assert [r.hit.entry.name for r in ranked] == ["clear", "loose"]
    assert ranked[0].score == pytest.approx(0.7)
    assert ranked[0].runner_up == pytest.approx(0.3)
    # Gaps are measured from the best of the candidates, score and letters alike.
    score_gap = CANDIDATE_FEATURES.index("score_gap")
    chars_gap = CANDIDATE_FEATURES.index("chars_gap")
    assert ranked[0].vector[score_gap] == pytest.approx(-0.1)
    assert ranked[0].vector[chars_gap] == 0.0
    assert ranked[1].vector[chars_gap] == pytest.approx(-0.3)


VOLUMES = FaqEntry(
    GUILD,
    "volumi",
    "Dove finiscono i volumi di docker compose?",
    "Sotto /var/lib/docker/volumes; `docker volume inspect nome` mostra il Mountpoint.",
)
RULES = FaqEntry(GUILD, "regole", "Quali sono le regole del server?", "Leggi #regole.")
LOOSE_QUESTION = "dove vedo il mountpoint?"


def _engine(kb: KnowledgeBase, models: FaqModels) -> Engine:
    engine = Engine(kb, faq_decision=models)
    engine.set_faq(GUILD, [VOLUMES, RULES])
    return engine


def test_the_decision_answers_at_its_own_probability(kb: KnowledgeBase) -> None:
    sure = _engine(kb, constant_models(5.0))
    hit = sure.probe_faq(LOOSE_QUESTION, GUILD).best
    assert hit is not None and hit.entry.name == "volumi"
    answer = sure.ask(LOOSE_QUESTION, guild_id=GUILD)
    assert (answer.kind, answer.faq and answer.faq.name) == ("faq", "volumi")
    assert answer.confidence == pytest.approx(0.993, abs=1e-3)

    doubtful = _engine(kb, constant_models(-5.0))
    assert doubtful.ask(LOOSE_QUESTION, guild_id=GUILD).kind != "faq"
    # An exact question of an entry answers whatever the model thinks.
    exact = doubtful.ask("quali sono le regole del server?", guild_id=GUILD)
    assert (exact.kind, exact.confidence) == ("faq", 1.0)


def test_a_sure_table_keeps_a_question_the_faq_is_less_sure_of(kb: KnowledgeBase) -> None:
    secrets = FaqEntry(
        GUILD,
        "password-env",
        "Dove metto le password del database?",
        "Nel file .env accanto al compose, mai nel repository.",
    )
    question = "compose gestisce i secret come kubernetes?"
    for bias, kind in ((0.0, "feature"), (8.0, "faq")):
        engine = Engine(kb, faq_decision=constant_models(bias))
        engine.set_faq(GUILD, [replace(secrets, phrasings=("compose gestisce i secret?",))])
        table = engine.table_view(engine.matcher.match(question))
        assert table.sure
        # At 0.5 the FAQ is less sure than the table; at 0.9997 it is surer.
        assert engine.ask(question, guild_id=GUILD).kind == kind


def test_the_engine_loads_the_models_next_to_the_table(kb: KnowledgeBase) -> None:
    engine = Engine(kb)
    assert engine.faq_decision is not None
    assert engine.with_knowledge(kb).faq_decision is engine.faq_decision
