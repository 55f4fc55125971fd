"""FAQ models with known outputs, for tests that need an exact FAQ confidence."""

from __future__ import annotations

from bot.core.faq_decision import CANDIDATE_FEATURES, DECISION_FEATURES, FaqModels, LinearModel


def linear(features: tuple[str, ...], first_weight: float, bias: float) -> LinearModel:
    """A model that reads only its first feature (weight `first_weight`) and a bias."""
    width = len(features)
    weights = (first_weight,) + (0.0,) * (width - 1)
    return LinearModel(features, weights, bias, (0.0,) * width, (1.0,) * width)


def constant_models(decision_bias: float) -> FaqModels:
    """The ranker prefers precision (the first feature); every decision is sigmoid(bias)."""
    return FaqModels(
        linear(CANDIDATE_FEATURES, 1.0, 0.0), linear(DECISION_FEATURES, 0.0, decision_bias)
    )
