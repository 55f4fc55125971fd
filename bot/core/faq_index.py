"""Fuzzy lookup over a server's FAQ entries, fast at tens of thousands of entries.

An inverted index from stems to entries picks a few candidates; rapidfuzz then
scores only those. A full rapidfuzz scan would cost milliseconds per question
at 10,000 entries, the index keeps it around one.

Scoring weighs each stem by how rare it is among the server's entries (IDF),
so an entry is found by its distinctive words, not by "docker" or "come":

* coverage: how much of the entry's weight the question contains;
* precision: how much of the question's weight the entry explains;
* similarity: rapidfuzz token-set ratio of the two texts, for word order
  and near-misses that stemming does not catch.
"""

from __future__ import annotations

import heapq
import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final, Protocol

from rapidfuzz import fuzz

from bot.core.text import Speller, content_tokens, stem, tokenize

MAX_CANDIDATES: Final = 40
COVERAGE_WEIGHT: Final = 0.5
PRECISION_WEIGHT: Final = 0.25
SIMILARITY_WEIGHT: Final = 0.25


class FaqLike(Protocol):
    @property
    def name(self) -> str: ...
    @property
    def question(self) -> str: ...
    @property
    def answer(self) -> str: ...
    @property
    def phrasings(self) -> tuple[str, ...]: ...


@dataclass(frozen=True)
class FaqHit:
    entry: FaqLike
    confidence: float


@dataclass(frozen=True, slots=True)
class _Text:
    stems: frozenset[str]
    normalized: str


def _stems(tokens: Iterable[str]) -> frozenset[str]:
    return frozenset(stem(token) for token in content_tokens(tokens))


class FaqIndex:
    """The FAQ entries of one server, searchable by meaning-ish similarity."""

    def __init__(self, entries: Iterable[FaqLike] = ()) -> None:
        self._entries: dict[str, FaqLike] = {}
        self._texts: dict[str, list[_Text]] = {}
        self._words: dict[str, list[str]] = {}
        self._postings: dict[str, set[str]] = defaultdict(set)
        self._speller = Speller()
        for entry in entries:
            self._add(entry)

    def __len__(self) -> int:
        return len(self._entries)

    def _add(self, entry: FaqLike) -> None:
        texts = []
        words: list[str] = []
        for raw in (entry.question, entry.name.replace("-", " "), *entry.phrasings):
            tokens = content_tokens(tokenize(raw))
            stems = _stems(tokens)
            if stems:
                texts.append(_Text(stems, " ".join(tokens)))
                words.extend(tokens)
        self._entries[entry.name] = entry
        self._texts[entry.name] = texts
        self._words[entry.name] = words
        self._speller.add(words)
        for text in texts:
            for value in text.stems:
                self._postings[value].add(entry.name)

    def upsert(self, entry: FaqLike, previous_name: str | None = None) -> None:
        if previous_name:
            self.remove(previous_name)
        self.remove(entry.name)
        self._add(entry)

    def remove(self, name: str) -> None:
        texts = self._texts.pop(name, None)
        if texts is None:
            return
        del self._entries[name]
        self._speller.remove(self._words.pop(name))
        for text in texts:
            for value in text.stems:
                names = self._postings.get(value)
                if names is not None:
                    names.discard(name)
                    if not names:
                        del self._postings[value]

    def _idf(self, value: str) -> float:
        names = self._postings.get(value)
        # A stem no entry uses is as rare as it gets: it counts fully in the
        # question's weight, so an entry that ignores it explains less.
        count = len(names) if names else 1
        return math.log(1 + len(self._entries) / count)

    def search(self, question: str) -> FaqHit | None:
        if not self._entries:
            return None
        tokens = self._speller.correct_all(content_tokens(tokenize(question)))
        query_stems = _stems(tokens)
        if not query_stems:
            return None
        idf = {value: self._idf(value) for value in query_stems}
        query_weight = sum(idf.values())
        votes: defaultdict[str, float] = defaultdict(float)
        for value in query_stems:
            for name in self._postings.get(value, ()):
                votes[name] += idf[value]
        if not votes:
            return None
        query = " ".join(tokens)
        best: FaqHit | None = None
        for name in heapq.nlargest(MAX_CANDIDATES, votes, key=votes.__getitem__):
            for text in self._texts[name]:
                shared = sum(idf[value] for value in text.stems & query_stems)
                if not shared:
                    continue
                text_weight = sum(
                    idf[value] if value in idf else self._idf(value) for value in text.stems
                )
                confidence = (
                    COVERAGE_WEIGHT * shared / text_weight
                    + PRECISION_WEIGHT * shared / query_weight
                    + SIMILARITY_WEIGHT * fuzz.token_set_ratio(query, text.normalized) / 100.0
                )
                if best is None or confidence > best.confidence:
                    best = FaqHit(self._entries[name], round(min(confidence, 1.0), 3))
        return best
