"""Which FAQ entry answers a question, and whether it answers at all: two learned models.

The word index (`faq_index.py`) nominates a few candidate entries, each with
its evidence: how much of the question the entry explains, how much of the
entry's own question the member used, word pairs side by side, the letter
sequences they share (`faq_chargrams.py`), the question words that members
use for the entry's words (`faq_associations.py`). How those parts weigh against
each other is learned, not hand-set, by two linear models:

* the **ranker** scores each candidate; the best score is the entry. It is
  fitted as a conditional logit (`fit_choice`): softmaxed over a question's
  candidates, its scores are the odds of each being the right one;
* the **decision**, a logistic regression, gives the probability that this
  entry is the one the member wants, from its evidence, its lead over the
  runner-up and what the table makes of the question. The cut-off chosen in fitting (the one that
  still declines 90 % of each fitting server's unanswerable questions) is
  folded into its bias, so the engine answers at its one threshold, 0.5, for
  the FAQ as for the table; an answer at 0.5 was right about three times in
  four on the fitting servers.

Both are fitted on the labelled server FAQs in tests/data/ by
`benchmarks/faq_decision.py`, which also measures them leave-one-server-out,
and stored as data (`knowledge/faq/decision.json`). Prediction is pure
Python: a dot product per candidate.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

from bot.core.faq_associations import Associations
from bot.core.faq_index import FaqHit
from bot.core.faq_score import Evidence
from bot.core.knowledge import KnowledgeError
from bot.core.logistic import fit_newton, newton_update, sigmoid

DECISION_FILE: Final = Path("faq") / "decision.json"
FORMAT: Final = 3
# Candidates the ranker reorders: the right entry is among the word index's
# best five for nearly every question it is among the best ten for.
CANDIDATES: Final = 5
# The best candidate's lead in ranker score when there is no other candidate.
LONE_LEAD: Final = 5.0

CANDIDATE_FEATURES: Final = (
    "precision",
    "coverage",
    "similarity",
    "phrase",
    "missing",
    "unknown",
    "head_precision",
    "head_match",
    "score",
    "score_gap",
    "chars",
    "chars_gap",
    "other_system",
    "bridged",
)
DECISION_FEATURES: Final = (
    *CANDIDATE_FEATURES,
    "ranked",
    "ranked_lead",
    "table_confidence",
    "table_sure",
    "faq_only_words",
    "length",
    "poll",
)


def candidate_features(
    evidence: Evidence | None,
    head_match: bool,
    score: float,
    best_score: float,
    chars: float,
    best_chars: float,
    other_system: bool = False,
) -> tuple[float, ...]:
    """One candidate's evidence as numbers, in `CANDIDATE_FEATURES` order.

    The gaps to the best candidate make the figures comparable across
    servers, whose scores differ in scale with their size and style.
    """
    parts = evidence or Evidence(0.0, 0.0, 0.0, 0.0)
    return (
        parts.precision,
        parts.coverage,
        parts.similarity,
        parts.phrase,
        parts.missing,
        parts.unknown,
        parts.head_precision,
        float(head_match),
        score,
        score - best_score,
        chars,
        chars - best_chars,
        float(other_system),
        parts.bridged,
    )


@dataclass(frozen=True)
class Ranked:
    """One candidate in the ranker's order."""

    hit: FaqHit
    vector: tuple[float, ...]  # candidate_features
    score: float  # the ranker's
    runner_up: float  # the best ranker score among the other candidates


@dataclass(frozen=True)
class Candidates:
    """The word index's best entries for a question, each with its evidence."""

    hits: tuple[FaqHit, ...]
    vectors: tuple[tuple[float, ...], ...]

    @classmethod
    def of(cls, hits: Sequence[FaqHit], chars: Sequence[float]) -> Candidates:
        """`hits` best first by the index's score; `chars` their letter-sequence cosines."""
        best_score = hits[0].score if hits else 0.0
        best_chars = max(chars, default=0.0)
        vectors = tuple(
            candidate_features(
                hit.evidence,
                hit.head_match,
                hit.score,
                best_score,
                similarity,
                best_chars,
                hit.other_system,
            )
            for hit, similarity in zip(hits, chars, strict=True)
        )
        return cls(tuple(hits), vectors)

    def ranked(self, ranker: LinearModel) -> list[Ranked]:
        """Every candidate, the ranker's best first (ties by entry name)."""
        scores = [ranker.score(vector) for vector in self.vectors]
        order = sorted(range(len(scores)), key=lambda i: (-scores[i], self.hits[i].entry.name))
        ranked = []
        for position in order:
            others = [scores[i] for i in order if i != position]
            runner_up = max(others) if others else scores[position] - LONE_LEAD
            ranked.append(
                Ranked(self.hits[position], self.vectors[position], scores[position], runner_up)
            )
        return ranked


@dataclass(frozen=True)
class TableView:
    """What the table makes of the question, for the decision."""

    confidence: float  # 0 when the table has no feature or overview for it
    sure: bool  # the table would answer it on its own


def decision_features(
    candidate: Sequence[float],
    ranked: float,
    runner_up: float,
    table: TableView,
    faq_only_words: bool,
    words: int,
    poll: bool = False,
) -> tuple[float, ...]:
    """The evidence about the best candidate, in `DECISION_FEATURES` order.

    `poll`: the question asks the people for their experience or taste
    ("voi cosa usate?", "secondo voi"), which an entry answers only when it
    is about that very choice.
    """
    return (
        *candidate,
        ranked,
        ranked - runner_up,
        table.confidence,
        float(table.sure),
        float(faq_only_words),
        math.log1p(words),
        float(poll),
    )


def faq_answers(hit: FaqHit, table: TableView, threshold: float) -> bool:
    """Does the best entry answer, at the confidence the decision gave it?"""
    if hit.score >= 1.0:
        # The member asked exactly one of the entry's own questions: a
        # moderator wrote the entry for this very question, on purpose.
        return True
    if hit.confidence < threshold or hit.other_system:
        return False
    # The decision weighs the table's confidence already, but a table that
    # would answer on its own keeps a question the FAQ is less sure of, and
    # one whose words are only in the entry's answer: that entry is related
    # ("aggiornare i container" next to rolling updates), not written for it.
    return not table.sure or (hit.head_match and hit.confidence > table.confidence)


@dataclass(frozen=True)
class LinearModel:
    """Logistic regression weights over named features, on standardised inputs."""

    features: tuple[str, ...]
    weights: tuple[float, ...]
    bias: float
    means: tuple[float, ...]
    scales: tuple[float, ...]

    def score(self, vector: Sequence[float]) -> float:
        total = self.bias
        for value, weight, mean, scale in zip(
            vector, self.weights, self.means, self.scales, strict=True
        ):
            total += weight * (value - mean) / scale
        return total

    def probability(self, vector: Sequence[float]) -> float:
        return sigmoid(self.score(vector))

    def shifted(self, threshold: float) -> LinearModel:
        """The same model answering at 0.5 where this one reached `threshold`."""
        offset = math.log(threshold / (1.0 - threshold))
        return LinearModel(self.features, self.weights, self.bias - offset, self.means, self.scales)

    def to_json(self) -> dict[str, object]:
        return {
            "features": list(self.features),
            "weights": [round(w, 6) for w in self.weights],
            "bias": round(self.bias, 6),
            "means": [round(m, 6) for m in self.means],
            "scales": [round(s, 6) for s in self.scales],
        }

    @classmethod
    def from_json(cls, data: object, features: tuple[str, ...], where: str) -> LinearModel:
        if not isinstance(data, dict):
            raise KnowledgeError(f"{where}: expected an object with the model's weights")
        if data.get("features") != list(features):
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
        if not len(weights) == len(means) == len(scales) == len(features):
            raise KnowledgeError(f"{where}: expected {len(features)} values per list")
        if any(scale <= 0 for scale in scales):
            raise KnowledgeError(f"{where}: scales must be positive")
        return cls(features, weights, bias, means, scales)


@dataclass(frozen=True)
class FaqModels:
    """The ranker over candidates and the answer decision over the best one.

    The word associations (faq_associations.py) were fitted with them: the
    models learnt how much the evidence they give counts.
    """

    ranker: LinearModel
    decision: LinearModel
    associations: Associations = field(default_factory=dict)

    def to_json(self) -> dict[str, object]:
        return {
            "format": FORMAT,
            "ranker": self.ranker.to_json(),
            "decision": self.decision.to_json(),
            "associations": {
                value: dict(sorted(self.associations[value].items()))
                for value in sorted(self.associations)
            },
        }

    @classmethod
    def from_json(cls, data: object, where: str) -> FaqModels:
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise KnowledgeError(f"{where}: not FAQ models of format {FORMAT}; fit them again")
        return cls(
            LinearModel.from_json(data.get("ranker"), CANDIDATE_FEATURES, f"{where}: ranker"),
            LinearModel.from_json(data.get("decision"), DECISION_FEATURES, f"{where}: decision"),
            _associations_from_json(data.get("associations"), f"{where}: associations"),
        )


def _associations_from_json(data: object, where: str) -> dict[str, dict[str, float]]:
    if not isinstance(data, dict):
        raise KnowledgeError(f"{where}: expected an object of question words")
    table: dict[str, dict[str, float]] = {}
    for value, pointed in data.items():
        if not isinstance(pointed, dict):
            raise KnowledgeError(f"{where}: {value!r}: expected an object of entry words")
        try:
            table[str(value)] = {str(word): float(lift) for word, lift in pointed.items()}
        except (TypeError, ValueError):
            raise KnowledgeError(f"{where}: {value!r}: lifts must be numbers") from None
    return table


def load_faq_decision(knowledge: str | Path) -> FaqModels | None:
    """The models next to a knowledge file or directory; None without them."""
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
    return FaqModels.from_json(data, str(path))


# --- fitting ---------------------------------------------------------------------


def fit_linear(
    features: tuple[str, ...],
    vectors: Sequence[Sequence[float]],
    labels: Sequence[bool],
    sample_weights: Sequence[float] | None = None,
    l2: float = 1.0,
    iterations: int = 25,
) -> LinearModel:
    """Weighted L2-regularised logistic regression by Newton's method.

    The L2 penalty (not on the bias) keeps the weights small, so a model fitted
    on a few servers does not lean on one quirk of theirs.
    """
    if not vectors or len(vectors) != len(labels):
        raise ValueError("need as many labels as inputs, and at least one")
    width = len(features)
    if any(len(vector) != width for vector in vectors):
        raise ValueError(f"every input needs {width} values")
    weights_of = list(sample_weights) if sample_weights is not None else [1.0] * len(vectors)
    means, scales = _standardization(vectors, weights_of, width)
    # Column 0 is the bias.
    design = [[1.0, *((row[i] - means[i]) / scales[i] for i in range(width))] for row in vectors]
    penalty = [0.0] + [l2] * width
    beta = fit_newton(
        design,
        labels,
        penalty,
        sample_weights=weights_of,
        steps=iterations,
        tolerance=1e-8,
    )
    return LinearModel(features, tuple(beta[1:]), beta[0], tuple(means), tuple(scales))


def fit_choice(
    features: tuple[str, ...],
    groups: Sequence[tuple[Sequence[Sequence[float]], int]],
    group_weights: Sequence[float],
    l2: float = 1.0,
    iterations: int = 25,
) -> LinearModel:
    """The ranker: which of a question's candidates is the right one (conditional logit).

    Each group is one question's candidates and the position of the right
    one; the model's scores, softmaxed over the group, are the probability
    that each is the one. Fitted on whole groups rather than one candidate at
    a time, the scores measure how far a candidate is ahead of its rivals,
    which is what the decision reads from them. Newton's method, L2-penalised
    like `fit_linear`; a common shift of the scores changes nothing, so the
    bias is 0.
    """
    if not groups or len(groups) != len(group_weights):
        raise ValueError("need one weight per group, and at least one group")
    width = len(features)
    rows = [
        (row, weight)
        for (vectors, _), weight in zip(groups, group_weights, strict=True)
        for row in vectors
    ]
    if any(len(row) != width for row, _ in rows):
        raise ValueError(f"every input needs {width} values")
    means, scales = _standardization(
        [row for row, _ in rows], [weight for _, weight in rows], width
    )
    standard = [
        ([[(row[i] - means[i]) / scales[i] for i in range(width)] for row in vectors], right)
        for vectors, right in groups
    ]
    beta = [0.0] * width
    for _ in range(iterations):
        gradient = [-l2 * b for b in beta]
        hessian = [[l2 if j == k else 0.0 for k in range(width)] for j in range(width)]
        for (vectors, right), weight in zip(standard, group_weights, strict=True):
            scores = [sum(b * v for b, v in zip(beta, row, strict=True)) for row in vectors]
            top = max(scores)
            exps = [math.exp(score - top) for score in scores]
            norm = sum(exps)
            shares = [e / norm for e in exps]
            mean = [
                sum(p * row[i] for p, row in zip(shares, vectors, strict=True))
                for i in range(width)
            ]
            for i in range(width):
                gradient[i] += weight * (vectors[right][i] - mean[i])
            for p, row in zip(shares, vectors, strict=True):
                centred = [row[i] - mean[i] for i in range(width)]
                for j in range(width):
                    scaled = weight * p * centred[j]
                    line = hessian[j]
                    for k in range(j, width):
                        line[k] += scaled * centred[k]
        beta, moved = newton_update(beta, hessian, gradient)
        if moved < 1e-8:
            break
    return LinearModel(features, tuple(beta), 0.0, tuple(means), tuple(scales))


def _standardization(
    rows: Sequence[Sequence[float]], weights: Sequence[float], width: int
) -> tuple[list[float], list[float]]:
    """Each input's weighted mean and standard deviation over the fitting rows."""
    total = sum(weights)
    means = [
        sum(w * row[i] for row, w in zip(rows, weights, strict=True)) / total for i in range(width)
    ]
    scales = []
    for i in range(width):
        variance = sum(w * (row[i] - means[i]) ** 2 for row, w in zip(rows, weights, strict=True))
        # A feature that never varies in the data carries no weight either way.
        deviation = math.sqrt(variance / total)
        scales.append(deviation if deviation > 1e-6 else 1.0)
    return means, scales
