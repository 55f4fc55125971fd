"""Evidence from the features' example phrasings: the closest one per feature.

Each example and the question are compared as sorted stems with rapidfuzz's
`token_set_ratio`; an example at least EXAMPLE_FLOOR similar adds evidence.
Most examples cannot reach the floor, and `WordLengths.may_reach` proves it
from lengths alone, so they are never compared.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

from rapidfuzz import fuzz, process

EXAMPLE_WEIGHT: Final = 0.6
# An example phrasing less similar than this (token_set_ratio, 0..100) adds nothing.
EXAMPLE_FLOOR: Final = 70.0


@dataclass(frozen=True)
class WordLengths:
    """A text's distinct words and their total length, for `may_reach`."""

    words: frozenset[str]
    chars: int

    @classmethod
    def of(cls, text: str) -> WordLengths:
        words = frozenset(text.split())
        return cls(words, sum(map(len, words)))

    @property
    def joined(self) -> int:
        """The length of the words joined by single spaces."""
        return self.chars + len(self.words) - 1

    def may_reach(self, other: WordLengths, floor: float) -> bool:
        """Could `fuzz.token_set_ratio` of the two texts reach `floor`?

        An upper bound from lengths alone, as rapidfuzz computes the score:
        the two ratios against the shared words are exact, and the edit
        distance between the two leftovers is at least their length
        difference. A point of margin covers rounding. Arithmetic inline:
        this runs for every example that shares a word with a question.
        """
        shared = self.words & other.words
        count = len(shared)
        if not count:
            return lengths_may_reach(self.joined, other.joined, floor)
        if count == len(self.words) or count == len(other.words):
            return True  # one text's words hold the other's: 100
        shared_chars = sum(map(len, shared))
        joined = shared_chars + count - 1
        # Each side's leftover words, joined by spaces; neither is empty here.
        mine = self.chars - shared_chars + len(self.words) - count - 1
        theirs = other.chars - shared_chars + len(other.words) - count - 1
        with_mine = joined + 1 + mine
        with_theirs = joined + 1 + theirs
        limit = (floor - 1.0) / 100.0
        # 1 - distance / length >= limit, multiplied out.
        if (with_mine + with_theirs) * (1.0 - limit) >= abs(mine - theirs):
            return True
        return (joined + with_mine) * (1.0 - limit) >= 1 + mine or (joined + with_theirs) * (
            1.0 - limit
        ) >= 1 + theirs


def lengths_may_reach(mine: int, theirs: int, floor: float) -> bool:
    """`may_reach` for two texts that share no word: their joined lengths decide."""
    limit = (floor - 1.0) / 100.0
    return (mine + theirs) * (1.0 - limit) >= abs(mine - theirs)


class ExamplePhrasings:
    """Every feature's example phrasings (as sorted stems), scored against a question."""

    def __init__(self, examples: Iterable[tuple[str, str]]) -> None:
        """`examples`: (feature id, the example's sorted stems joined by spaces)."""
        self._texts: list[str] = []
        self._features: list[str] = []
        for feature_id, text in examples:
            self._texts.append(text)
            self._features.append(feature_id)
        self._lengths = [WordLengths.of(text) for text in self._texts]
        # The examples holding each word: only those need the full bound;
        # for the others the joined lengths decide, once per question length.
        self._by_word: dict[str, list[int]] = {}
        for number, lengths in enumerate(self._lengths):
            for word in lengths.words:
                self._by_word.setdefault(word, []).append(number)
        self._unshared: dict[int, list[int]] = {}

    def best(self, query: str) -> dict[str, float]:
        """Each feature's best `token_set_ratio` with `query`, where it reaches EXAMPLE_FLOOR."""
        asked = WordLengths.of(query)
        numbers = self._candidates(asked)
        best: dict[str, float] = {}
        # One C-level call scores them all (a Python loop of `token_set_ratio`
        # calls was a fifth of a question's time).
        for _, score, index in process.extract(
            query,
            [self._texts[number] for number in numbers],
            scorer=fuzz.token_set_ratio,
            processor=None,
            score_cutoff=EXAMPLE_FLOOR,
            limit=None,
        ):
            feature_id = self._features[numbers[index]]
            best[feature_id] = max(best.get(feature_id, 0.0), score)
        return best

    def _candidates(self, asked: WordLengths) -> list[int]:
        """The examples `asked.may_reach`, in order: the same ones as testing each."""
        sharing = {number for word in asked.words for number in self._by_word.get(word, ())}
        reached = [
            number for number in sharing if asked.may_reach(self._lengths[number], EXAMPLE_FLOOR)
        ]
        reached += (
            number for number in self._unshared_reach(asked.joined) if number not in sharing
        )
        reached.sort()
        return reached

    def _unshared_reach(self, joined: int) -> list[int]:
        """The examples a text of this joined length may reach when they share no word."""
        found = self._unshared.get(joined)
        if found is None:
            found = [
                number
                for number, lengths in enumerate(self._lengths)
                if lengths_may_reach(joined, lengths.joined, EXAMPLE_FLOOR)
            ]
            # Bounded: a question's joined stems are at most a few thousand characters.
            self._unshared[joined] = found
        return found
