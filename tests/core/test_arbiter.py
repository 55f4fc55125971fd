"""The arbiter between the rules and the learned model: features, fitting, the file."""

from __future__ import annotations

from array import array

from bot.core.arbiter import FEATURE_COUNT, Arbiter, Views, features, fit
from bot.core.intent_model import OFFSET, IntentModel


def views(top: float, rules_kind: str = "unknown", domain: bool = True) -> Views:
    return Views(
        rules_kind=rules_kind,
        rules_feature="failover" if rules_kind == "feature" else None,
        rules_confidence=0.6 if rules_kind == "feature" else 0.1,
        probabilities={"segreti": top, "failover": (1 - top) / 2, "none": (1 - top) / 2},
        domain=domain,
        blocked=False,
        systems=1,
        says_more=True,
    )


def test_features_have_the_documented_length_and_see_the_disagreement() -> None:
    view = views(0.9, "feature")
    assert len(features(view)) == FEATURE_COUNT
    assert view.rules_label == "failover" and view.model_label == "segreti"
    assert view.disagree()
    agreeing = Views("feature", "segreti", 0.6, {"segreti": 0.9, "none": 0.1}, True, False, 1, True)
    assert not agreeing.disagree()


def test_fit_learns_to_trust_a_sure_model_and_not_an_unsure_one() -> None:
    # The model was right when it was sure, wrong when it was not.
    rows = [
        (features(views(top)), top >= 0.7) for top in (0.4, 0.5, 0.55, 0.6, 0.75, 0.8, 0.9, 0.95)
    ]
    arbiter = fit(rows * 5)
    assert arbiter.model_wins(views(0.97))
    assert not arbiter.model_wins(views(0.45))
    # Deterministic: the same rows give the same weights.
    assert fit(rows * 5) == arbiter


def test_the_arbiter_travels_in_the_model_file() -> None:
    arbiter = Arbiter(tuple(float(n) for n in range(FEATURE_COUNT)), -2.5)
    model = IntentModel(
        table_id="t",
        classes=("a", "none"),
        scale=1000,
        bias=[0, 0],
        weight_keys=["w:x"],
        weights=array("H", [OFFSET + 5, OFFSET - 5]),
        idf={"w:x": 1000},
        default_idf=1000,
        inputs_sha256="0" * 64,
        arbiter=arbiter,
    )
    loaded = IntentModel.from_json(model.to_json(), "mem")
    assert loaded.arbiter == arbiter
    model.arbiter = None
    assert IntentModel.from_json(model.to_json(), "mem").arbiter is None
