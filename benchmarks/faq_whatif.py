"""What-if: max-score pruning for the FAQ search, measured against the real one.

Nothing here changes `bot/`. The bucketed spell-checker, `heapq.nlargest` for
the shortlist and the incremental vocabulary that earlier versions of this file
prototyped are now in `bot/core/faq_index.py` and `bot/core/text.py`; what is
left is the one measured improvement not implemented yet.

`FaqIndex.search` adds every query stem's idf to every entry in that stem's
posting list, so a question with a domain-common stem ("docker", "compose",
"modo") touches a large share of a big FAQ before the top 40 are picked.
**Max-score** reads the posting lists rarest first; as soon as no entry not yet
seen could reach the current 40th-best vote (the idf still to come is below it),
the commoner stems only add to entries already nominated, through a C-level
`set.intersection`. The top 40 by vote is the same set as `FaqIndex`'s except
among tied votes, so answers only differ where near-duplicate entries tie.

`MaxScoreIndex` is a plain `FaqIndex` subclass: built, edited and spell-checked
by the inherited code; only candidate selection in `search` changes. The
scoring of the shortlist is copied from `FaqIndex.search`; `prune=False` runs
the copy without pruning, and `run.py` checks that it agrees with `FaqIndex`
on every question, so a change to the real scoring shows up as a failed check
instead of a silently stale comparison.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable

from rapidfuzz import fuzz

from bot.core.faq_index import (
    COVERAGE_WEIGHT,
    MAX_CANDIDATES,
    PRECISION_WEIGHT,
    SIMILARITY_WEIGHT,
    FaqHit,
    FaqIndex,
    FaqLike,
    _stems,
)
from bot.core.text import content_tokens, tokenize


class MaxScoreIndex(FaqIndex):
    """`FaqIndex` with max-score pruning of the vote accumulation (rarest stems first)."""

    def __init__(self, entries: Iterable[FaqLike] = (), prune: bool = True) -> None:
        super().__init__(entries)
        self.prune = prune

    def _votes(self, query_stems: frozenset[str], idf: dict[str, float]) -> dict[str, float]:
        if not self.prune:  # exactly `FaqIndex.search`'s loop, same order (ties included)
            votes: dict[str, float] = {}
            for value in query_stems:
                for name in self._postings.get(value, ()):
                    votes[name] = votes.get(name, 0.0) + idf[value]
            return votes
        postings = sorted(
            ((value, names) for value in query_stems if (names := self._postings.get(value))),
            key=lambda item: len(item[1]),
        )
        weights = [idf[value] for value, _ in postings]
        votes = {}
        nominating = True
        for position, (value, names) in enumerate(postings):
            weight = idf[value]
            if nominating:
                for name in names:
                    votes[name] = votes.get(name, 0.0) + weight
                if len(votes) >= MAX_CANDIDATES:
                    kth = heapq.nlargest(MAX_CANDIDATES, votes.values())[-1]
                    # An entry not seen so far can collect at most the idf still to come.
                    nominating = kth <= sum(weights[position + 1 :])
            else:
                for name in names.intersection(votes):
                    votes[name] += weight
        return votes

    def search(self, question: str) -> FaqHit | None:
        if not self._entries:
            return None
        tokens = self._speller.correct_all(content_tokens(tokenize(question)))
        query_stems = _stems(tokens)
        if not query_stems:
            return None
        idf = {value: self._idf(value) for value in query_stems}
        query_weight = sum(idf.values())
        votes = self._votes(query_stems, idf)
        if not votes:
            return None
        # From here on, a copy of `FaqIndex.search` (see the module docstring).
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


def answer_key(hit: FaqHit | None, threshold: float) -> str | None:
    """The FAQ entry an engine with this threshold would answer with, if any."""
    if hit is None or hit.confidence < threshold:
        return None
    return hit.entry.name
