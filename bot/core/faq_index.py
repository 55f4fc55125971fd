"""Fuzzy lookup over a server's FAQ entries, fast at tens of thousands of entries.

An inverted index from stems to entries picks a few candidates; rapidfuzz then
scores only those. A full rapidfuzz scan would cost milliseconds per question
at 10,000 entries, the index keeps it well under one.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final, Protocol

from rapidfuzz import fuzz

from bot.core.text import Speller, content_tokens, stem, tokenize

MAX_CANDIDATES: Final = 40


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


@dataclass(frozen=True)
class _Text:
    entry_name: str
    stems: frozenset[str]
    normalized: str


def _stems(tokens: Iterable[str]) -> frozenset[str]:
    return frozenset(stem(token) for token in content_tokens(tokens))


class FaqIndex:
    """The FAQ entries of one server, searchable by meaning-ish similarity."""

    def __init__(self, entries: Iterable[FaqLike] = ()) -> None:
        self._entries: dict[str, FaqLike] = {}
        self._texts: dict[str, list[_Text]] = {}
        self._postings: dict[str, set[str]] = defaultdict(set)
        self._speller: Speller | None = None
        for entry in entries:
            self._add(entry)

    def __len__(self) -> int:
        return len(self._entries)

    def _add(self, entry: FaqLike) -> None:
        texts = []
        for raw in (entry.question, entry.name.replace("-", " "), *entry.phrasings):
            tokens = tokenize(raw)
            stems = _stems(tokens)
            if stems:
                texts.append(_Text(entry.name, stems, " ".join(content_tokens(tokens))))
        self._entries[entry.name] = entry
        self._texts[entry.name] = texts
        for text in texts:
            for value in text.stems:
                self._postings[value].add(entry.name)
        self._speller = None

    def upsert(self, entry: FaqLike, previous_name: str | None = None) -> None:
        self.remove(previous_name or entry.name)
        if previous_name:
            self.remove(entry.name)
        self._add(entry)

    def remove(self, name: str) -> None:
        texts = self._texts.pop(name, None)
        if texts is None:
            return
        del self._entries[name]
        for text in texts:
            for value in text.stems:
                names = self._postings.get(value)
                if names is not None:
                    names.discard(name)
                    if not names:
                        del self._postings[value]
        self._speller = None

    def _spell(self, tokens: list[str]) -> list[str]:
        if self._speller is None:
            vocabulary = {
                t for texts in self._texts.values() for x in texts for t in x.normalized.split()
            }
            self._speller = Speller(vocabulary)
        return self._speller.correct_all(tokens)

    def search(self, question: str) -> FaqHit | None:
        if not self._entries:
            return None
        tokens = self._spell(content_tokens(tokenize(question)))
        query_stems = _stems(tokens)
        if not query_stems:
            return None
        total = len(self._entries)
        weights: defaultdict[str, float] = defaultdict(float)
        for value in query_stems:
            names = self._postings.get(value)
            if not names:
                continue
            idf = math.log(1 + total / len(names))
            for name in names:
                weights[name] += idf
        if not weights:
            return None
        query = " ".join(tokens)
        best: FaqHit | None = None
        candidates = sorted(weights, key=weights.__getitem__, reverse=True)[:MAX_CANDIDATES]
        for name in candidates:
            for text in self._texts[name]:
                coverage = len(text.stems & query_stems) / len(text.stems)
                precision = len(text.stems & query_stems) / len(query_stems)
                similarity = fuzz.token_set_ratio(query, text.normalized) / 100.0
                confidence = 0.45 * coverage + 0.2 * precision + 0.35 * similarity
                if best is None or confidence > best.confidence:
                    best = FaqHit(self._entries[name], round(confidence, 3))
        return best
