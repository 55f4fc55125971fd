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

System names are folded onto one word per system ("k8s", "kube" and
"kubernetes" all read "kubernetes"), and an entry about one system is not the
answer to a question that names only the other: "come si installa docker?"
must not get the entry on installing Kubernetes.
"""

from __future__ import annotations

import heapq
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Final, Protocol

from rapidfuzz import fuzz

from bot.core.text import Speller, content_tokens, stem, tokenize

MAX_CANDIDATES: Final = 40
OTHER_SYSTEM_FACTOR: Final = 0.5
# A system name says where a question is, not what it asks: "compose" alone
# must not pull "come si installa docker?" onto an entry about Compose.
SYSTEM_WORD_WEIGHT: Final = 0.3
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
    systems: frozenset[str]


def _stems(tokens: Iterable[str]) -> frozenset[str]:
    return frozenset(stem(token) for token in content_tokens(tokens))


def _words(texts: Iterable[_Text]) -> list[str]:
    return [word for text in texts for word in text.normalized.split()]


class FaqIndex:
    """The FAQ entries of one server, searchable by meaning-ish similarity."""

    def __init__(
        self, entries: Iterable[FaqLike] = (), aliases: Mapping[str, str] | None = None
    ) -> None:
        # Single-word system aliases -> system id, from the knowledge base.
        self._aliases: Mapping[str, str] = aliases or {}
        self._system_stems = frozenset(stem(system) for system in self._aliases.values())
        self._entries: dict[str, FaqLike] = {}
        self._texts: dict[str, list[_Text]] = {}
        self._postings: dict[str, set[str]] = defaultdict(set)
        self._speller = Speller()
        for entry in entries:
            self._add(entry)

    def __len__(self) -> int:
        return len(self._entries)

    def _add(self, entry: FaqLike) -> None:
        texts = []
        for raw in (entry.question, entry.name.replace("-", " "), *entry.phrasings):
            tokens = self._fold(content_tokens(tokenize(raw)))
            stems = _stems(tokens)
            if stems:
                texts.append(_Text(stems, " ".join(tokens), self._systems(tokens)))
        self._entries[entry.name] = entry
        self._texts[entry.name] = texts
        self._speller.add(_words(texts))
        for text in texts:
            for value in text.stems:
                self._postings[value].add(entry.name)

    def _fold(self, tokens: Iterable[str]) -> list[str]:
        return [self._aliases.get(token, token) for token in tokens]

    def _systems(self, tokens: Iterable[str]) -> frozenset[str]:
        systems = set(self._aliases.values())
        return frozenset(token for token in tokens if token in systems)

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
        self._speller.remove(_words(texts))
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
        weight = math.log(1 + len(self._entries) / count)
        return weight * SYSTEM_WORD_WEIGHT if value in self._system_stems else weight

    def _votes(self, query_stems: frozenset[str], idf: dict[str, float]) -> dict[str, float]:
        """Each entry's summed IDF of the stems it shares with the question.

        Max-score pruning: posting lists are read rarest first, and once no
        entry unseen so far could still reach the current 40th-best total (it
        could gain at most the IDF still to come), the common stems ("docker",
        "come") only add to entries already nominated. The top 40 are the same
        as a full count's, at a fraction of the cost on a big FAQ.
        """
        postings = sorted(
            ((value, names) for value in query_stems if (names := self._postings.get(value))),
            key=lambda item: len(item[1]),
        )
        remaining = sum(idf[value] for value, _ in postings)
        votes: dict[str, float] = {}
        nominating = True
        for value, names in postings:
            weight = idf[value]
            remaining -= weight
            if nominating:
                for name in names:
                    votes[name] = votes.get(name, 0.0) + weight
                if len(votes) >= MAX_CANDIDATES:
                    kth = heapq.nlargest(MAX_CANDIDATES, votes.values())[-1]
                    nominating = kth <= remaining
            else:
                for name in names.intersection(votes):
                    votes[name] += weight
        return votes

    def search(self, question: str) -> FaqHit | None:
        if not self._entries:
            return None
        tokens = self._fold(self._speller.correct_all(content_tokens(tokenize(question))))
        query_stems = _stems(tokens)
        query_systems = self._systems(tokens)
        if not query_stems:
            return None
        idf = {value: self._idf(value) for value in query_stems}
        query_weight = sum(idf.values())
        votes = self._votes(query_stems, idf)
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
                if query_systems and text.systems and not query_systems & text.systems:
                    confidence *= OTHER_SYSTEM_FACTOR
                if best is None or confidence > best.confidence:
                    best = FaqHit(self._entries[name], round(min(confidence, 1.0), 3))
        return best
