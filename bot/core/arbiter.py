"""Who answers when the rules and the learned model disagree.

The rules know word senses, scope and which system a question is about; the
model, trained on many more phrasings than the rules' vocabulary holds, knows
paraphrases. Neither is right everywhere, so a small logistic regression,
trained on where the two disagreed over our own labelled questions (each
question scored by a model that never saw it: see `intent_training`), decides
which one answers. Pure Python, a few multiplications per question.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Final

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
    size = FEATURE_COUNT + 1  # the last column is the intercept
    beta = [0.0] * size
    for _ in range(FIT_STEPS):
        gradient = [0.0] * size
        hessian = [[0.0] * size for _ in range(size)]
        for values, model_right in rows:
            x = [*values, 1.0]
            p = _sigmoid(sum(b * v for b, v in zip(beta, x, strict=True)))
            error = p - float(model_right)
            weight = p * (1.0 - p)
            for i in range(size):
                gradient[i] += error * x[i]
                row = hessian[i]
                for j in range(size):
                    row[j] += weight * x[i] * x[j]
        for i in range(size - 1):
            gradient[i] += FIT_L2 * beta[i]
            hessian[i][i] += FIT_L2
        step = _solve(hessian, gradient)
        beta = [b - s for b, s in zip(beta, step, strict=True)]
        if max(abs(s) for s in step) < 1e-9:
            break
    return Arbiter(tuple(beta[:-1]), beta[-1])


def _sigmoid(value: float) -> float:
    if value >= 0:
        return 1.0 / (1.0 + math.exp(-value))
    exp = math.exp(value)
    return exp / (1.0 + exp)


def _solve(matrix: list[list[float]], vector: list[float]) -> list[float]:
    """Gaussian elimination with partial pivoting (the matrix is small and SPD)."""
    size = len(vector)
    rows = [[*matrix[i], vector[i]] for i in range(size)]
    for column in range(size):
        pivot = max(range(column, size), key=lambda r: abs(rows[r][column]))
        rows[column], rows[pivot] = rows[pivot], rows[column]
        lead = rows[column][column]
        if abs(lead) < 1e-12:
            continue
        for r in range(column + 1, size):
            factor = rows[r][column] / lead
            if factor:
                for c in range(column, size + 1):
                    rows[r][c] -= factor * rows[column][c]
    solution = [0.0] * size
    for r in range(size - 1, -1, -1):
        lead = rows[r][r]
        if abs(lead) < 1e-12:
            continue
        rest = sum(rows[r][c] * solution[c] for c in range(r + 1, size))
        solution[r] = (rows[r][size] - rest) / lead
    return solution
