"""Search over a server's FAQ entries, fast at tens of thousands of entries.

An inverted index from stems to entries picks a few candidates; only those are
scored. Each entry is searched whole: its question, name and phrasings (the
"head", what the moderator says the entry answers) and its answer, where the
commands, error strings and key terms a member pastes usually live. Every
stem of the entry counts in precision; the head's own words count again in
coverage and similarity, so they weigh most.

Scoring weighs each stem by how rare it is among the server's entries (IDF),
so an entry is found by its distinctive words, not by "docker" or "come":

* precision: how much of the question's weight the entry explains; words no
  entry uses count fully against it, which is what makes off-topic questions
  score low;
* coverage: how much of the best head text's weight the question contains;
* similarity: rapidfuzz token-set ratio with the best head text, for word
  order and near-misses that stemming does not catch.

Pasted logs and code are evidence: tokens inside backticks or code blocks
that no entry knows (pod hashes, timestamps, column headers) are dropped,
and so are unknown tokens with digits anywhere (ports, versions, ids).

System names are folded onto one word per system ("k8s", "kube" and
"kubernetes" all read "kubernetes"), and an entry about one system is not the
answer to a question that names only the other: "come si installa docker?"
must not get the entry on installing Kubernetes. Words members mix ("output"
for "log", "image" for "immagine") read as one word (faq_terms.py); which
tokens count is faq_tokens.py's; how the parts become a confidence, faq_score.py's.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from itertools import compress, pairwise
from operator import countOf
from typing import Final, Protocol

from rapidfuzz import fuzz

from bot.core.faq_associations import Associations, bridged
from bot.core.faq_chargrams import CharGrams, entry_text, grams
from bot.core.faq_common_words import unknown_word_weight
from bot.core.faq_score import (
    COVERAGE_WEIGHT,
    PHRASE_WEIGHT,
    PRECISION_WEIGHT,
    SIMILARITY_WEIGHT,
    Evidence,
    calibrated,
)
from bot.core.faq_terms import FaqTerms
from bot.core.faq_tokens import DIGIT, clean_tokens, split_pasted, token_stems
from bot.core.text import Speller, stem, tokenize

# Private names kept for the benchmarks that import them.
_clean = clean_tokens
_stems = token_stems

MAX_CANDIDATES: Final = 40
NOMINATING_MIN: Final = 1000
OTHER_SYSTEM_FACTOR: Final = 0.5
# A system name says where a question is, not what it asks: "compose" alone
# must not pull "come si installa docker?" onto an entry about Compose.
SYSTEM_WORD_WEIGHT: Final = 0.3
QUERY_PRIOR: Final = 0.5

# A word is a cue for a system ("pod" for Kubernetes) when at least this share
# of the entries using it, and at least CUE_MIN_ENTRIES of them, are about that
# system alone. Learnt from the questions and phrasings of the server's own
# entries (answers mention too much in passing), so it follows their usage.
CUE_SHARE: Final = 0.75
CUE_MIN_ENTRIES: Final = 3


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
    # True when the question's words are found in the entry's question, name
    # or phrasings, not only in its answer.
    head_match: bool = True
    evidence: Evidence | None = None
    score: float = 0.0  # before calibration, for ranking
    # The entry is about one system and the question names only the other.
    other_system: bool = False
    # The learned ranker's score (faq_decision.py), when it ordered the hits.
    ranked: float | None = None


@dataclass(frozen=True, slots=True)
class _Text:
    stems: frozenset[str]
    normalized: str


@dataclass(frozen=True, slots=True)
class _Indexed:
    entry: FaqLike
    head: tuple[_Text, ...]
    stems: frozenset[str]  # of every field, answer included
    systems: frozenset[str]
    # " s1 s2 | s3 ... ": every text's stems in order, for side-by-side pairs.
    sequence: str


@dataclass(frozen=True, slots=True)
class _Query:
    stems: frozenset[str]
    normalized: str
    systems: frozenset[str]
    pairs: frozenset[tuple[str, str]]


def _whole_text(entry: FaqLike) -> str:
    return entry_text(entry.question, entry.name, entry.phrasings, entry.answer)


def _head_stems(head: Iterable[_Text]) -> set[str]:
    return {value for text in head for value in text.stems}


class FaqIndex:
    """The FAQ entries of one server, searchable by meaning-ish similarity."""

    def __init__(
        self,
        entries: Iterable[FaqLike] = (),
        aliases: Mapping[str, str] | None = None,
        hints: Mapping[str, str] | None = None,
        terms: FaqTerms | None = None,
        common_words: Mapping[str, float] | None = None,
    ) -> None:
        # Single-word system aliases -> system id, from the knowledge base.
        self._aliases: Mapping[str, str] = aliases or {}
        # Single-word jargon of one system ("pod") -> system id, from the knowledge base.
        self._hints = {stem(word): system for word, system in (hints or {}).items()}
        # Words and phrases read as their group's word ("output" -> "log"), from knowledge/faq/.
        self._terms = terms or FaqTerms()
        # Stem -> how common it is in everyday language (Zipf), from knowledge/faq/.
        self._common_words: Mapping[str, float] = common_words or {}
        self._chargrams = CharGrams()
        # id(head text) -> its summed IDF, which every add or remove changes.
        self._text_weights: dict[int, float] = {}
        self._system_ids = frozenset(self._aliases.values())
        self._system_stems = frozenset(stem(system) for system in self._system_ids)
        self._entries: dict[str, _Indexed] = {}
        self._postings: dict[str, set[str]] = {}
        # stem -> system -> entries about that system alone that use the stem.
        self._cues: dict[str, dict[str, int]] = {}
        self._speller = Speller(self._terms.vocabulary)
        for entry in entries:
            self._add(entry)

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, name: object) -> bool:
        return name in self._entries

    def entry(self, name: str) -> FaqLike | None:
        indexed = self._entries.get(name)
        return None if indexed is None else indexed.entry

    def names_and_questions(self) -> list[tuple[str, str]]:
        """(name, question) of every entry, sorted by name (for autocomplete)."""
        return sorted((name, item.entry.question) for name, item in self._entries.items())

    # --- building ---------------------------------------------------------------

    def _analyse(self, entry: FaqLike) -> tuple[_Indexed, list[str]]:
        """The entry as indexed, and its words for the spell-checker."""
        head = []
        words: list[str] = []
        sequences: list[str] = []
        head_systems: set[str] = set()
        for raw in (entry.question, entry.name.replace("-", " "), *entry.phrasings):
            # The spell-checker learns the words as written: "regolamnto" must
            # still find "regolamento" when its group reads it as "regola".
            written = _clean(tokenize(raw))
            tokens = self._fold(written)
            stems = _stems(tokens)
            sequences.append(" ".join(stem(token) for token in tokens))
            if stems:
                head.append(_Text(stems, " ".join(tokens)))
                words.extend(written)
                head_systems.update(self._systems(tokens))
        answer_written = _clean(tokenize(entry.answer))
        answer_tokens = self._fold(answer_written)
        sequences.append(" ".join(stem(token) for token in answer_tokens))
        words.extend(answer_written)
        all_stems = _head_stems(head) | _stems(answer_tokens)
        # The head says which system an entry is about; an answer that only
        # mentions the other one in passing does not make it about both.
        systems = frozenset(head_systems) or self._systems(answer_tokens)
        sequence = f" {' | '.join(sequences)} "
        return _Indexed(entry, tuple(head), frozenset(all_stems), systems, sequence), words

    def _add(self, entry: FaqLike) -> None:
        indexed, words = self._analyse(entry)
        self._entries[entry.name] = indexed
        self._chargrams.add(entry.name, _whole_text(entry))
        self._text_weights.clear()
        self._speller.add(words)
        for value in indexed.stems:
            self._postings.setdefault(value, set()).add(entry.name)
        self._count_cues(_head_stems(indexed.head), indexed.systems, 1)

    def _count_cues(self, stems: Iterable[str], systems: frozenset[str], step: int) -> None:
        if len(systems) != 1:
            return
        (system,) = systems
        for value in stems:
            counts = self._cues.setdefault(value, {})
            counts[system] = counts.get(system, 0) + step
            if not counts[system]:
                del counts[system]
                if not counts:
                    del self._cues[value]

    def _fold(self, tokens: Iterable[str]) -> list[str]:
        return self._terms.fold(list(tokens), self._aliases)

    def _systems(self, tokens: Iterable[str]) -> frozenset[str]:
        return frozenset(token for token in tokens if token in self._system_ids)

    def upsert(self, entry: FaqLike, previous_name: str | None = None) -> None:
        if previous_name:
            self.remove(previous_name)
        self.remove(entry.name)
        self._add(entry)

    def remove(self, name: str) -> None:
        indexed = self._entries.pop(name, None)
        if indexed is None:
            return
        # The words are derived again rather than kept: a copy of every
        # answer's words would double the index's memory on a big FAQ.
        self._speller.remove(self._analyse(indexed.entry)[1])
        self._chargrams.remove(name, _whole_text(indexed.entry))
        self._text_weights.clear()
        self._count_cues(_head_stems(indexed.head), indexed.systems, -1)
        for value in indexed.stems:
            names = self._postings.get(value)
            if names is not None:
                names.discard(name)
                if not names:
                    del self._postings[value]

    # --- searching --------------------------------------------------------------

    def _idf(self, value: str) -> float:
        names = self._postings.get(value)
        # A stem no entry uses is as rare as it gets: it counts in the
        # question's weight, so an entry that ignores it explains less; the
        # more common the word is in everyday language, the less it counts.
        count = len(names) if names else 1
        weight = math.log(1 + len(self._entries) / count)
        if not names:
            weight *= unknown_word_weight(self._common_words.get(value, 0.0))
        return weight * SYSTEM_WORD_WEIGHT if value in self._system_stems else weight

    def _query(self, question: str) -> _Query:
        prose, code = split_pasted(question)
        tokens = self._speller.correct_all(_clean(tokenize(prose)))
        # Unknown tokens of a paste are noise (hashes, headers, paths); known
        # ones ("CrashLoopBackOff", "prune") are the best evidence there is.
        tokens = self._fold(tokens)
        pasted_tokens = self._fold(_clean(tokenize(code)))
        tokens += [token for token in pasted_tokens if stem(token) in self._postings]
        tokens = [
            token for token in tokens if not DIGIT.search(token) or stem(token) in self._postings
        ]
        sequence = [stem(token) for token in tokens]
        pairs = frozenset(pairwise(sequence))
        stems = frozenset(sequence)
        systems = (
            self._systems(tokens)
            or frozenset(self._hints[value] for value in stems if value in self._hints)
            or self._cued_systems(stems)
        )
        return _Query(stems, " ".join(tokens), systems, pairs)

    def _cued_systems(self, stems: Iterable[str]) -> frozenset[str]:
        """Systems a question is about without naming them ("pod", "pvc": Kubernetes)."""
        cued = set()
        for value in stems:
            counts = self._cues.get(value)
            if not counts or value in self._system_stems:
                continue
            used = len(self._postings.get(value, ()))
            for system, count in counts.items():
                if count >= CUE_MIN_ENTRIES and count >= CUE_SHARE * used:
                    cued.add(system)
        return frozenset(cued)

    def _votes(self, query_stems: frozenset[str], idf: dict[str, float]) -> dict[str, float]:
        """Each entry's summed IDF of the stems it shares with the question, in any field.

        Max-score pruning: posting lists are read rarest first, and once no
        entry unseen so far could still reach the current 40th-best total (it
        could gain at most the IDF still to come), the common stems ("docker",
        "come") only add to entries already nominated. The top 40 are the same
        as a full count's, at a fraction of the cost on a big FAQ.
        """
        postings = sorted(
            ((value, names) for value in query_stems if (names := self._postings.get(value))),
            # Ties in length go by stem, so where nomination stops never depends
            # on the process's string hashing.
            key=lambda item: (len(item[1]), item[0]),
        )
        remaining = sum(idf[value] for value, _ in postings)
        votes: dict[str, float] = {}
        nominating = True
        for value, names in postings:
            weight = idf[value]
            remaining -= weight
            # A stem in more than 2 % of a big FAQ ("servizio", "guida") would
            # nominate thousands of entries for a few hundredths of their score:
            # it only adds to the entries the rarer stems nominated.
            if nominating and len(names) > max(NOMINATING_MIN, len(self._entries) // 50):
                nominating = False
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

    def rank(
        self, question: str, limit: int = 2, associations: Associations | None = None
    ) -> list[FaqHit]:
        """The best `limit` entries for a question, best first (distinct entries).

        With `associations`, the hits' evidence says how much of the question
        they bridge (faq_associations.py); it does not change their order.
        """
        if not self._entries:
            return []
        query = self._query(question)
        if not query.stems:
            return []
        idf = self._weights(query)
        query_weight = sum(idf.values())
        votes = self._votes(query.stems, idf)
        # Candidates come best-voted first, and no score can beat its bound:
        # once the bound drops below the `limit`-th score found, stop.
        ceiling = COVERAGE_WEIGHT + SIMILARITY_WEIGHT
        hits: list[FaqHit] = []
        # The `limit` best scores so far, smallest first: top[0] is the bar to beat.
        top: list[float] = []
        for name in _nominees(votes):
            share = votes[name] / query_weight
            if len(top) >= limit and (PRECISION_WEIGHT + PHRASE_WEIGHT) * share + ceiling < top[0]:
                break
            hit = self._score(self._entries[name], query, idf, query_weight)
            if hit is not None:
                hits.append(hit)
                if len(top) < limit:
                    heapq.heappush(top, hit.score)
                else:
                    heapq.heappushpop(top, hit.score)
        hits.sort(key=lambda hit: (-hit.score, hit.entry.name))
        hits = hits[:limit]
        if associations:
            hits = [self._bridge(hit, associations, idf) for hit in hits]
        return hits

    def _weights(self, query: _Query) -> dict[str, float]:
        return {value: self._idf(value) for value in query.stems}

    def _bridge(self, hit: FaqHit, associations: Associations, idf: dict[str, float]) -> FaqHit:
        if hit.evidence is None:
            return hit
        share = bridged(associations, idf, self._entries[hit.entry.name].stems)
        return replace(hit, evidence=replace(hit.evidence, bridged=share))

    def question_weights(self, question: str) -> dict[str, float]:
        """The question's stems as the search reads them, each with its weight (IDF)."""
        return self._weights(self._query(question)) if self._entries else {}

    def entry_stems(self, name: str) -> frozenset[str]:
        """Every stem of an entry as indexed, answer included; none for an unknown name."""
        indexed = self._entries.get(name)
        return indexed.stems if indexed is not None else frozenset()

    def char_similarities(self, question: str, hits: Iterable[FaqHit]) -> list[float]:
        """Each hit's entry's letter-sequence cosine with the question (faq_chargrams.py)."""
        chargrams = self._chargrams
        query = chargrams.vector(grams(question))
        return [chargrams.cosine(query, hit.entry.name, _whole_text(hit.entry)) for hit in hits]

    def search(self, question: str) -> FaqHit | None:
        hits = self.rank(question, limit=1)
        return hits[0] if hits else None

    def _score(
        self, indexed: _Indexed, query: _Query, idf: dict[str, float], query_weight: float
    ) -> FaqHit | None:
        explained = sum(idf[value] for value in query.stems & indexed.stems)
        # A short question with one weakly shared word is weak evidence: the
        # prior is about half a unique word (the largest IDF), so "ciao a
        # tutti" does not read as an entry whose answer says "tutti".
        prior = QUERY_PRIOR * math.log(1 + len(self._entries))
        precision = explained / (query_weight + prior)
        coverage = similarity = 0.0
        exact = False
        in_head: set[str] = set()
        for text in indexed.head:
            common = text.stems & query.stems
            if not common:
                continue
            in_head |= common
            shared = sum(idf[value] for value in common)
            exact = exact or text.stems == query.stems
            coverage = max(coverage, shared / self._text_weight(text))
            similarity = max(similarity, fuzz.token_set_ratio(query.normalized, text.normalized))
        phrase = self._phrase(indexed, query, idf)
        rarest = math.log(1 + len(self._entries))
        lacking = query.stems - indexed.stems
        missing = max((idf[value] for value in lacking), default=0.0) / rarest
        unknown = sum(idf[value] for value in lacking if value not in self._postings)
        head_precision = sum(idf[value] for value in in_head) / query_weight
        evidence = Evidence(
            precision,
            coverage,
            similarity / 100.0,
            phrase,
            missing,
            unknown / query_weight,
            head_precision,
        )
        # The member asked exactly one of the entry's own questions.
        score = 1.0 if exact else evidence.combined()
        other_system = bool(
            query.systems and indexed.systems and not query.systems & indexed.systems
        )
        if other_system:
            score *= OTHER_SYSTEM_FACTOR
        if score <= 0:
            return None
        confidence = round(calibrated(score), 3)
        return FaqHit(indexed.entry, confidence, coverage > 0, evidence, score, other_system)

    def _text_weight(self, text: _Text) -> float:
        """A head text's summed IDF; kept until an entry is added or removed."""
        weight = self._text_weights.get(id(text))
        if weight is None:
            weight = self._text_weights[id(text)] = sum(map(self._idf, text.stems))
        return weight

    def _phrase(self, indexed: _Indexed, query: _Query, idf: dict[str, float]) -> float:
        """The share of the question's weight in word pairs the entry has side by side.

        "driver failed programming" or "network prune" next to each other in
        both texts is much stronger evidence than the same words scattered.
        """
        found: set[str] = set()
        for first, second in query.pairs:
            if first in found and second in found:
                continue
            stems = indexed.stems
            if first in stems and second in stems and f" {first} {second} " in indexed.sequence:
                found.update((first, second))
        if not found:
            return 0.0
        return sum(idf[value] for value in found) / sum(idf[value] for value in query.stems)


def _nominees(votes: dict[str, float]) -> list[str]:
    """The `MAX_CANDIDATES` best-voted entries, best first.

    Equal votes straddling the 40th place are common on a big FAQ (entries
    sharing the same rare stems): the places left go by entry name, so the
    candidates, and so the answers, are the same in every process whatever
    its string hashing. Among equal votes the order stays the vote's own
    (rarest stems first), which lets `rank` stop early sooner; it cannot
    change the result, as `rank` stops only on a bound that equal votes share.
    """
    best = heapq.nlargest(MAX_CANDIDATES, votes, key=votes.__getitem__)
    if len(votes) > MAX_CANDIDATES:
        kth = votes[best[-1]]
        # Only when equal votes straddle the 40th place does the choice need a full pass.
        if countOf(votes.values(), kth) > sum(votes[name] == kth for name in best):
            above = [name for name in best if votes[name] > kth]
            tied = compress(votes, map(kth.__eq__, votes.values()))
            best = above + heapq.nsmallest(MAX_CANDIDATES - len(above), tied)
    return best
