"""Naive intent baselines to compare Timoniere's matcher against.

Both pick one of the six table features by string similarity, say `unknown`
below a cutoff, and detect the system by plain substrings. Neither can answer
"overview" (a general comparison), so those items always count as misses for
them; that is part of what a dedicated matcher buys.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rapidfuzz import process
from rapidfuzz.utils import default_process

from benchmarks.common import is_correct
from bot.core.knowledge import KnowledgeBase

Prediction = tuple[str, str | None, str | None]  # kind, feature, system


def naive_system(question: str) -> str:
    """Substrings only: kube/k8s -> kubernetes, compose -> compose, else both."""
    lowered = question.lower()
    kubernetes = "kube" in lowered or "k8s" in lowered
    compose = "compose" in lowered
    if kubernetes and not compose:
        return "kubernetes"
    if compose and not kubernetes:
        return "compose"
    return "both"


@dataclass(frozen=True)
class Scored:
    feature: str
    score: float  # 0..1


class Baseline:
    name = "baseline"
    cutoff = 0.0

    def best(self, question: str) -> Scored:
        raise NotImplementedError

    def predict(self, question: str, cutoff: float | None = None) -> Prediction:
        scored = self.best(question)
        limit = self.cutoff if cutoff is None else cutoff
        if scored.score < limit:
            return "unknown", None, None
        return "feature", scored.feature, naive_system(question)


class DifflibBaseline(Baseline):
    """difflib.SequenceMatcher ratio of the lowercased question against the six titles."""

    name = "difflib SequenceMatcher vs titles"

    def __init__(self, kb: KnowledgeBase) -> None:
        self._titles = [(feature.id, feature.title.lower()) for feature in kb.features]

    def best(self, question: str) -> Scored:
        lowered = question.lower()
        matcher = difflib.SequenceMatcher(autojunk=False)
        matcher.set_seq2(lowered)  # seq2 is the one SequenceMatcher preprocesses
        best = Scored("", -1.0)
        for feature_id, title in self._titles:
            matcher.set_seq1(title)
            ratio = matcher.ratio()
            if ratio > best.score:
                best = Scored(feature_id, ratio)
        return best


class RapidfuzzBaseline(Baseline):
    """rapidfuzz.process.extractOne (default WRatio scorer) against titles and cell texts.

    `default_process` lowercases and strips punctuation on both sides; without
    it the baseline would mostly measure capitalization.
    """

    name = "rapidfuzz extractOne vs titles + cells"

    def __init__(self, kb: KnowledgeBase) -> None:
        self._choices: list[str] = []
        self._features: list[str] = []
        for feature in kb.features:
            texts = [feature.title]
            for cell in feature.cells.values():
                texts += [cell.headline, cell.text]
            for text in texts:
                self._choices.append(text)
                self._features.append(feature.id)
        self._processed = [default_process(text) for text in self._choices]

    def best(self, question: str) -> Scored:
        match = process.extractOne(default_process(question), self._processed, processor=None)
        if match is None:
            return Scored("", 0.0)
        _, score, index = match
        return Scored(self._features[index], score / 100.0)


def is_correct_prediction(item: dict[str, object], prediction: Prediction) -> bool:
    kind, feature, system = prediction
    return is_correct(item, kind, feature, system)


def accuracy(
    baseline: Baseline, items: Sequence[dict[str, object]], cutoff: float | None = None
) -> float:
    hits = sum(is_correct_prediction(i, baseline.predict(str(i["q"]), cutoff)) for i in items)
    return hits / len(items)


def tune_cutoff(
    baseline: Baseline, items: Sequence[dict[str, object]], grid: Iterable[float]
) -> tuple[float, float]:
    """The cutoff with the best accuracy on `items` (the median of tied best ones).

    Each question is scored once; only the cutoff comparison is repeated.
    """
    scored = [(item, baseline.best(str(item["q"])), naive_system(str(item["q"]))) for item in items]
    results: list[tuple[float, float]] = []
    for cutoff in grid:
        hits = 0
        for item, best, system in scored:
            if best.score < cutoff:
                hits += is_correct(item, "unknown", None, None)
            else:
                hits += is_correct(item, "feature", best.feature, system)
        results.append((cutoff, hits / len(scored)))
    top = max(accuracy for _, accuracy in results)
    tied = [cutoff for cutoff, accuracy in results if accuracy == top]
    chosen = tied[len(tied) // 2]
    baseline.cutoff = chosen
    return chosen, top
