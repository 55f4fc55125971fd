"""Who answers when the rules and the learned model disagree.

The rules know word senses, scope and which system a question is about; the
model, trained on many more phrasings than the rules' vocabulary holds, knows
paraphrases. Neither is right everywhere, so a small logistic regression,
trained on where the two disagreed over our own labelled questions (each
question scored by a model that never saw it: see `intent_training`), decides
which one answers. Pure Python, a few multiplications per question.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Final

from bot.core.logistic import fit_newton

NONE: Final = "none"
OVERVIEW: Final = "overview"
# IRLS steps and the L2 strength for fitting (the intercept is not penalized).
FIT_STEPS: Final = 30
FIT_L2: Final = 1.0


@dataclass(frozen=True)
class Views:
    """What the rules concluded, what the model thinks, and a few plain facts."""

    rules_kind: str  # "feature", "overview" or "unknown"
    rules_feature: str | None
    rules_confidence: float
    probabilities: Mapping[str, float]
    domain: bool  # the message names a system or an infrastructure word
    blocked: bool  # an out-of-scope topic or a look-alike product
    systems: int  # how many systems it names
    says_more: bool  # words beyond system names and follow-up words

    @property
    def rules_label(self) -> str:
        if self.rules_kind == "feature" and self.rules_feature is not None:
            return self.rules_feature
        return OVERVIEW if self.rules_kind == OVERVIEW else NONE

    @property
    def model_label(self) -> str:
        return max(self.probabilities, key=self.probabilities.__getitem__)

    def disagree(self) -> bool:
        return self.model_label != self.rules_label


def features(views: Views) -> list[float]:
    """The arbiter's inputs; the order is part of the model file's format."""
    label = views.model_label
    top = views.probabilities[label]
    rules_probability = views.probabilities.get(views.rules_label, 0.0)
    is_feature = views.rules_kind == "feature"
    unknown = views.rules_kind == "unknown"
    return [
        float(is_feature),
        float(views.rules_kind == OVERVIEW),
        float(unknown),
        views.rules_confidence,
        top,
        rules_probability,
        top - rules_probability,
        float(label == NONE),
        float(label == OVERVIEW),
        float(views.domain),
        float(views.blocked),
        float(min(views.systems, 2)),
        float(views.says_more),
        float(is_feature) * views.rules_confidence,
        float(unknown) * top,
    ]


FEATURE_COUNT: Final = 15


@dataclass(frozen=True)
class Arbiter:
    weights: tuple[float, ...]
    bias: float

    def model_wins(self, views: Views) -> bool:
        """Should the model's answer replace the rules' one? Only asked on disagreement."""
        values = features(views)
        return sum(w * x for w, x in zip(self.weights, values, strict=True)) + self.bias >= 0.0

    def to_json(self) -> dict[str, object]:
        return {"weights": [round(w, 6) for w in self.weights], "bias": round(self.bias, 6)}

    @classmethod
    def from_json(cls, data: object) -> Arbiter:
        if not isinstance(data, dict):
            raise ValueError("the arbiter is not an object")
        weights = tuple(float(w) for w in data["weights"])
        if len(weights) != FEATURE_COUNT:
            raise ValueError(f"the arbiter needs {FEATURE_COUNT} weights")
        return cls(weights, float(data["bias"]))


def fit(rows: Sequence[tuple[list[float], bool]]) -> Arbiter:
    """L2 logistic regression by Newton's method (IRLS): deterministic and exact.

    `rows`: the features of one disagreement, and whether the model was the
    one that was right.
    """
    design = [[*values, 1.0] for values, _ in rows]  # the last column is the intercept
    penalty = [FIT_L2] * FEATURE_COUNT + [0.0]
    beta = fit_newton(
        design, [right for _, right in rows], penalty, steps=FIT_STEPS, tolerance=1e-9
    )
    return Arbiter(tuple(beta[:-1]), beta[-1])
