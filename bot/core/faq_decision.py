"""A second look at FAQ questions the calibrated threshold leaves silent.

One calibrated threshold on the match score leaves many right entries silent
on a server it was not tuned on: a member describing a symptom in their own
words matches the entry loosely, as a near topic that no entry covers does.
How the parts of the match combine tells them apart better: a clear lead over
the runner-up, words found in the entry's own question, a table that is sure
of itself, a long pasted error. A logistic regression over that evidence gives
the probability that the best entry is the one the member wants, fitted on
the questions the threshold left silent; the engine answers when it reaches
its one threshold, so "confidence 0.5" means "right at least half the time"
for the FAQ as for the table.

The weights are data (`knowledge/faq/decision.json`), fitted with
`fit_decision` on the labelled server FAQs in tests/data/ by
`benchmarks/faq_decision.py`, which also measures it leave-one-server-out.
Prediction is pure Python: one dot product.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from bot.core.knowledge import KnowledgeError

DECISION_FILE: Final = Path("faq") / "decision.json"
FORMAT: Final = 1

FEATURES: Final = (
    "score",
    "runner_up",
    "lead",
    "precision",
    "coverage",
    "similarity",
    "phrase",
    "missing",
    "unknown",
    "head_precision",
    "head_match",
    "exact",
    "table_confidence",
    "table_sure",
    "faq_only_words",
    "length",
)


@dataclass(frozen=True)
class DecisionInput:
    """The evidence about one question's best FAQ entry, each part as a number."""

    score: float
    runner_up: float
    precision: float
    coverage: float
    similarity: float
    phrase: float
    missing: float
    unknown: float
    head_precision: float
    head_match: bool
    exact: bool
    table_confidence: float  # 0 when the table has no feature or overview for it
    table_sure: bool  # the table would answer it on its own
    faq_only_words: bool  # it shares a word with the entry that the table never uses
    words: int

    def vector(self) -> tuple[float, ...]:
        return (
            self.score,
            self.runner_up,
            self.score - self.runner_up,
            self.precision,
            self.coverage,
            self.similarity,
            self.phrase,
            self.missing,
            self.unknown,
            self.head_precision,
            float(self.head_match),
            float(self.exact),
            self.table_confidence,
            float(self.table_sure),
            float(self.faq_only_words),
            math.log1p(self.words),
        )


# FAQ versus table: an entry whose score (before calibration) leads the
# runner-up entry's by this much takes a question the table is less than
# TABLE_SURE about. Fitted on both server FAQs in tests/data/ (benchmarks/faq.md).
CLEAR_LEAD: Final = 0.2
TABLE_SURE: Final = 0.9


def faq_takes(confidence: float, evidence: DecisionInput, threshold: float) -> bool:
    """Does the FAQ answer, given the learned confidence and the table's claim?

    The model already weighs the table's confidence, but a table that would
    answer on its own still keeps a question whose words are only in the
    entry's answer, as it does without a model.
    """
    if confidence < threshold:
        return False
    if not evidence.table_sure:
        return True
    if not evidence.head_match:
        return False
    if confidence > evidence.table_confidence or evidence.exact:
        return True
    lead = evidence.score - evidence.runner_up
    return lead >= CLEAR_LEAD and evidence.table_confidence < TABLE_SURE and evidence.faq_only_words


def _sigmoid(value: float) -> float:
    if value >= 0:
        return 1.0 / (1.0 + math.exp(-value))
    exp = math.exp(value)
    return exp / (1.0 + exp)


@dataclass(frozen=True)
class FaqDecision:
    """Logistic regression weights over `FEATURES`, on standardised inputs."""

    weights: tuple[float, ...]
    bias: float
    means: tuple[float, ...]
    scales: tuple[float, ...]

    def probability(self, evidence: DecisionInput) -> float:
        total = self.bias
        for value, weight, mean, scale in zip(
            evidence.vector(), self.weights, self.means, self.scales, strict=True
        ):
            total += weight * (value - mean) / scale
        return _sigmoid(total)

    def favours(self, feature: str) -> bool:
        """Does a true (or larger) value of `feature` raise the probability?"""
        return self.weights[FEATURES.index(feature)] >= 0

    def shifted(self, threshold: float) -> FaqDecision:
        """The same model answering at 0.5 where this one reached `threshold`."""
        offset = math.log(threshold / (1.0 - threshold))
        return FaqDecision(self.weights, self.bias - offset, self.means, self.scales)

    def to_json(self) -> dict[str, object]:
        return {
            "format": FORMAT,
            "features": list(FEATURES),
            "weights": [round(w, 6) for w in self.weights],
            "bias": round(self.bias, 6),
            "means": [round(m, 6) for m in self.means],
            "scales": [round(s, 6) for s in self.scales],
        }

    @classmethod
    def from_json(cls, data: object, where: str) -> FaqDecision:
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise KnowledgeError(f"{where}: not an FAQ decision model of format {FORMAT}")
        if data.get("features") != list(FEATURES):
            raise KnowledgeError(f"{where}: fitted on other features; fit it again")
        try:
            weights = tuple(float(w) for w in data["weights"])
            means = tuple(float(m) for m in data["means"])
            scales = tuple(float(s) for s in data["scales"])
            bias = float(data["bias"])
        except (KeyError, TypeError, ValueError):
            raise KnowledgeError(
                f"{where}: weights, means, scales and bias must be numbers"
            ) from None
        if not len(weights) == len(means) == len(scales) == len(FEATURES):
            raise KnowledgeError(f"{where}: expected {len(FEATURES)} values per list")
        if any(scale <= 0 for scale in scales):
            raise KnowledgeError(f"{where}: scales must be positive")
        return cls(weights, bias, means, scales)


def load_faq_decision(knowledge: str | Path) -> FaqDecision | None:
    """The decision model next to a knowledge file or directory; None without one."""
    knowledge = Path(knowledge)
    directory = knowledge.parent if knowledge.is_file() else knowledge
    path = directory / DECISION_FILE
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise KnowledgeError(f"{path}: cannot read the file: {exc}") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise KnowledgeError(f"{path}: invalid JSON: {exc}") from None
    return FaqDecision.from_json(data, str(path))


# --- fitting ---------------------------------------------------------------------


def _solve(matrix: list[list[float]], vector: list[float]) -> list[float]:
    """Gaussian elimination with partial pivoting (the system is small and positive definite)."""
    size = len(vector)
    rows = [[*row, value] for row, value in zip(matrix, vector, strict=True)]
    for column in range(size):
        pivot = max(range(column, size), key=lambda r: abs(rows[r][column]))
        rows[column], rows[pivot] = rows[pivot], rows[column]
        head = rows[column][column]
        for r in range(column + 1, size):
            factor = rows[r][column] / head
            if factor:
                for c in range(column, size + 1):
                    rows[r][c] -= factor * rows[column][c]
    solution = [0.0] * size
    for r in range(size - 1, -1, -1):
        rest = sum(rows[r][c] * solution[c] for c in range(r + 1, size))
        solution[r] = (rows[r][size] - rest) / rows[r][r]
    return solution


def fit_decision(
    inputs: Sequence[DecisionInput],
    labels: Sequence[bool],
    sample_weights: Sequence[float] | None = None,
    l2: float = 1.0,
    iterations: int = 25,
) -> FaqDecision:
    """Weighted L2-regularised logistic regression by Newton's method.

    The L2 penalty (not on the bias) keeps the weights small, so a model fitted
    on a few servers does not lean on one quirk of theirs.
    """
    if not inputs or len(inputs) != len(labels):
        raise ValueError("need as many labels as inputs, and at least one")
    rows = [evidence.vector() for evidence in inputs]
    weights_of = list(sample_weights) if sample_weights is not None else [1.0] * len(rows)
    total = sum(weights_of)
    width = len(FEATURES)
    means = [
        sum(w * row[i] for row, w in zip(rows, weights_of, strict=True)) / total
        for i in range(width)
    ]
    scales = []
    for i in range(width):
        variance = sum(
            w * (row[i] - means[i]) ** 2 for row, w in zip(rows, weights_of, strict=True)
        )
        # A feature that never varies in the data carries no weight either way.
        deviation = math.sqrt(variance / total)
        scales.append(deviation if deviation > 1e-6 else 1.0)
    # Column 0 is the bias.
    design = [[1.0, *((row[i] - means[i]) / scales[i] for i in range(width))] for row in rows]
    targets = [1.0 if label else 0.0 for label in labels]
    beta = [0.0] * (width + 1)
    penalty = [0.0] + [l2] * width
    for _ in range(iterations):
        gradient = [-penalty[j] * beta[j] for j in range(width + 1)]
        hessian = [[0.0] * (width + 1) for _ in range(width + 1)]
        for j in range(width + 1):
            hessian[j][j] = penalty[j]
        for x, y, w in zip(design, targets, weights_of, strict=True):
            p = _sigmoid(sum(b * v for b, v in zip(beta, x, strict=True)))
            residual = w * (y - p)
            curvature = w * p * (1.0 - p)
            for j in range(width + 1):
                gradient[j] += residual * x[j]
                row = hessian[j]
                scaled = curvature * x[j]
                for k in range(j, width + 1):
                    row[k] += scaled * x[k]
        for j in range(width + 1):
            for k in range(j):
                hessian[j][k] = hessian[k][j]
        step = _solve(hessian, gradient)
        beta = [b + s for b, s in zip(beta, step, strict=True)]
        if max(abs(s) for s in step) < 1e-8:
            break
    return FaqDecision(tuple(beta[1:]), beta[0], tuple(means), tuple(scales))
