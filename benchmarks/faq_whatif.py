"""What-if prototypes for a faster FAQ search, measured against the real one.

Nothing here changes `bot/`: each prototype is a `FaqIndex` subclass that
shares the already built index's data (entries, texts, posting lists) and
replaces only `search` and/or the spell-checker, so the comparison costs no
second build and runs on exactly the same data:

* **max-score**: the same top-k by summed idf as now, computed exactly but
  cheaply: posting lists are read rarest first, and once no entry unseen so far
  can reach the current k-th weight, the commoner stems only update entries
  already nominated. `heapq.nlargest` replaces the full sort.
* **df cap** (lossy): stems in more than `DF_CAP` of the entries ("docker",
  "modo", "trovo", "non"...) no longer nominate candidates at all; they still
  count in the scoring of the shortlist.
* **bucketed speller**: the spell-checker only compares an unknown token with
  vocabulary words that share its first letter and whose length is within the
  edit limit (the current one already rejects repairs that change the first
  letter, after searching the whole vocabulary).

Agreement = same answer (same entry, or both no FAQ hit) as the current index;
with many near-duplicate entries, ties in the top-k weights are one source of
disagreement, so also compare how often a probe finds its own entry.
"""

from __future__ import annotations

import heapq
import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from operator import itemgetter
from typing import Any

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from bot.core.faq_index import MAX_CANDIDATES, FaqHit, FaqIndex, _stems
from bot.core.text import _PROTECTED, STOPWORDS, content_tokens, max_typos, tokenize

DF_CAP = 0.10  # of the entries


class BucketSpeller:
    """Same contract as `bot.core.text.Speller`, candidates bucketed by first letter and length."""

    def __init__(self, vocabulary: Iterable[str]) -> None:
        words = {word for word in vocabulary if len(word) >= 4}
        self._known = frozenset(words) | STOPWORDS | _PROTECTED
        self._buckets: dict[tuple[str, int], list[str]] = defaultdict(list)
        for word in sorted(words):
            self._buckets[word[0], len(word)].append(word)
        self._cache: dict[str, str] = {}

    def correct(self, token: str) -> str:
        if token in self._known or token.isdigit():
            return token
        cached = self._cache.get(token)
        if cached is not None:
            return cached
        result = token
        limit = max_typos(token)
        if limit:
            choices = [
                word
                for size in range(len(token) - limit, len(token) + limit + 1)
                for word in self._buckets.get((token[0], size), ())
            ]
            match = process.extractOne(token, choices, scorer=OSA.distance, score_cutoff=limit)
            if match is not None:
                result = match[0]
        if len(self._cache) < 65536:
            self._cache[token] = result
        return result

    def correct_all(self, tokens: Iterable[str]) -> list[str]:
        return [self.correct(token) for token in tokens]


class SharedIndex(FaqIndex):
    """A view on an existing index's data (no rebuild)."""

    def __init__(self, base: FaqIndex) -> None:  # deliberately no super().__init__()
        self.__dict__.update({k: v for k, v in base.__dict__.items() if k != "_speller"})
        self._speller = None


class CappedIndex(SharedIndex):
    def search(self, question: str) -> FaqHit | None:
        if not self._entries:
            return None
        tokens = self._spell(content_tokens(tokenize(question)))
        query_stems = _stems(tokens)
        if not query_stems:
            return None
        total = len(self._entries)
        cap = max(50, DF_CAP * total)
        postings = [(value, self._postings.get(value)) for value in query_stems]
        postings = [(value, names) for value, names in postings if names]
        if not postings:
            return None
        nominating = [(value, names) for value, names in postings if len(names) <= cap]
        if not nominating:  # only very common words: fall back to the rarest of them
            nominating = [min(postings, key=lambda item: len(item[1]))]
        weights: defaultdict[str, float] = defaultdict(float)
        for _, names in nominating:
            idf = math.log(1 + total / len(names))
            for name in names:
                weights[name] += idf
        query = " ".join(tokens)
        best: FaqHit | None = None
        top = heapq.nlargest(MAX_CANDIDATES, weights.items(), key=itemgetter(1))
        for name, _ in top:
            for text in self._texts[name]:
                coverage = len(text.stems & query_stems) / len(text.stems)
                precision = len(text.stems & query_stems) / len(query_stems)
                similarity = fuzz.token_set_ratio(query, text.normalized) / 100.0
                confidence = 0.45 * coverage + 0.2 * precision + 0.35 * similarity
                if best is None or confidence > best.confidence:
                    best = FaqHit(self._entries[name], round(confidence, 3))
        return best


class BucketSpellerIndex(SharedIndex):
    def _spell(self, tokens: list[str]) -> list[str]:
        if self._speller is None:
            vocabulary = {
                t for texts in self._texts.values() for x in texts for t in x.normalized.split()
            }
            self._speller = BucketSpeller(vocabulary)  # type: ignore[assignment]
        return self._speller.correct_all(tokens)  # type: ignore[union-attr]


class CappedBucketIndex(CappedIndex, BucketSpellerIndex):
    pass


def answer_key(hit: FaqHit | None, threshold: float) -> Any:
    if hit is None or hit.confidence < threshold:
        return None
    return hit.entry.name


class MaxScoreIndex(SharedIndex):
    """Exact top-k by idf weight with max-score pruning (rarest stems first)."""

    def search(self, question: str) -> FaqHit | None:
        if not self._entries:
            return None
        tokens = self._spell(content_tokens(tokenize(question)))
        query_stems = _stems(tokens)
        if not query_stems:
            return None
        total = len(self._entries)
        postings = sorted(
            (names for value in query_stems if (names := self._postings.get(value))), key=len
        )
        if not postings:
            return None
        idfs = [math.log(1 + total / len(names)) for names in postings]
        remaining = [sum(idfs[i + 1 :]) for i in range(len(idfs))]
        weights: dict[str, float] = {}
        nominating = True
        for names, idf, rest in zip(postings, idfs, remaining, strict=True):
            if nominating:
                for name in names:
                    weights[name] = weights.get(name, 0.0) + idf
                if len(weights) >= MAX_CANDIDATES:
                    kth = heapq.nlargest(MAX_CANDIDATES, weights.values())[-1]
                    # No entry unseen so far can reach the current top k any more.
                    nominating = kth <= rest
            else:
                for name in names.intersection(weights):
                    weights[name] += idf
        query = " ".join(tokens)
        best: FaqHit | None = None
        top = heapq.nlargest(MAX_CANDIDATES, weights.items(), key=itemgetter(1))
        for name, _ in top:
            for text in self._texts[name]:
                coverage = len(text.stems & query_stems) / len(text.stems)
                precision = len(text.stems & query_stems) / len(query_stems)
                similarity = fuzz.token_set_ratio(query, text.normalized) / 100.0
                confidence = 0.45 * coverage + 0.2 * precision + 0.35 * similarity
                if best is None or confidence > best.confidence:
                    best = FaqHit(self._entries[name], round(confidence, 3))
        return best


class MaxScoreBucketIndex(MaxScoreIndex, BucketSpellerIndex):
    pass


PROTOTYPES: Sequence[tuple[str, type[SharedIndex]]] = (
    ("bucketed speller", BucketSpellerIndex),
    ("max-score top-k (exact)", MaxScoreIndex),
    ("max-score + bucketed speller", MaxScoreBucketIndex),
    (f"df cap {DF_CAP:.0%} + bucketed speller (lossy)", CappedBucketIndex),
)
