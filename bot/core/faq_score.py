"""How an FAQ entry's match with a question becomes one score and a confidence."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

PRECISION_WEIGHT: Final = 0.55
COVERAGE_WEIGHT: Final = 0.15
SIMILARITY_WEIGHT: Final = 0.1
PHRASE_WEIGHT: Final = 0.2
# Re-checked on both server FAQs in tests/data/ (benchmarks/faq.md): 0.32 and
# 0.33 tie on the two sets pooled; 0.33 declines more unanswerable questions.
CALIBRATION_MIDPOINT: Final = 0.33


def calibrated(score: float) -> float:
    """A match score as a confidence: 0.5 where a hit is right about half the time.

    The score is monotone but not a probability; CALIBRATION_MIDPOINT is the score
    at which top hits on two realistic server FAQs (tests/data/faq_server*.yaml) were
    right as often as wrong. Two straight lines keep 0 and 1 in place, so an exact
    question still reads 1.0 and the engine's one threshold means the same for
    the table and for the FAQ.
    """
    score = min(max(score, 0.0), 1.0)
    if score < CALIBRATION_MIDPOINT:
        return 0.5 * score / CALIBRATION_MIDPOINT
    return 0.5 + 0.5 * (score - CALIBRATION_MIDPOINT) / (1.0 - CALIBRATION_MIDPOINT)


@dataclass(frozen=True)
class Evidence:
    """Why an entry matches a question, each part between 0 and 1."""

    precision: float
    coverage: float
    similarity: float
    phrase: float
    # Not in the score; the learned answer decision (faq_decision.py) weighs them.
    # The question's most distinctive word the entry lacks, as a share of the
    # largest IDF: "terraform" or "ansible" next to an entry's words says the
    # question is about a neighbour topic no entry covers.
    missing: float = 0.0
    # The share of the question's weight in words no entry of the server uses.
    unknown: float = 0.0
    # The share of the question's weight found in the entry's question, name or
    # phrasings: what the moderator wrote the entry for, not what it mentions.
    head_precision: float = 0.0
    # The share of the question's weight in words the entry lacks but that
    # members use for the entry's words (faq_associations.py).
    bridged: float = 0.0

    def combined(self) -> float:
        return (
            PRECISION_WEIGHT * self.precision
            + COVERAGE_WEIGHT * self.coverage
            + SIMILARITY_WEIGHT * self.similarity
            + PHRASE_WEIGHT * self.phrase
        )
