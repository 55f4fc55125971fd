"""Reading a question: the words, stems and word runs the matcher looks for.

The question is split into clauses and sentences, normalized, typo-repaired
and stemmed (see `text`), then read for the systems it names (aliases,
matched as token sequences), look-alike products that are *not* in the table
(Swarm, Podman...), and which words lie in the sentence that asks.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise, product
from typing import Final

from bot.core import focus
from bot.core.knowledge import KnowledgeBase
from bot.core.text import STOPWORDS, Speller, content_tokens, segment, stem, tokenize

MAX_PHRASE_GAP: Final = 2
MAX_CUE_WORDS: Final = 4

# Openers of a follow-up that leans on the previous question; the first ones
# also carry its feature over to a new system or its system to a new feature.
CARRYING_OPENERS: Final = frozenset({"e", "ed", "invece", "anche", "pure", "mentre", "and"})
_FOLLOW_UP_OPENERS: Final = CARRYING_OPENERS | {"ma", "quindi", "allora", "cioe"}

# Alias token sequences and the system they name; None marks a look-alike product.
Alias = tuple[tuple[str, ...], str | None]
# Hint token sequences and the system they point to.
Hint = tuple[tuple[str, ...], str]


class WordRuns:
    """Runs of one to MAX_CUE_WORDS words of a message, stopwords included.

    Which runs occur is one set, built in C; where a run starts is looked up
    only for the few runs a question's cues find.
    """

    def __init__(self, tokens: Sequence[str]) -> None:
        self._tokens = tokens
        runs: set[tuple[str, ...]] = set()
        for size in range(1, MAX_CUE_WORDS + 1):
            runs.update(zip(*(tokens[offset:] for offset in range(size)), strict=False))
        self.runs = runs

    def __contains__(self, run: object) -> bool:
        return run in self.runs

    def starts(self, run: tuple[str, ...]) -> list[int]:
        """Where `run` starts, in order; empty when it does not occur."""
        if run not in self.runs:
            return []
        tokens, size = self._tokens, len(run)
        return [
            start
            for start, token in enumerate(tokens)
            if token == run[0] and tuple(tokens[start : start + size]) == run
        ]


@dataclass
class Reading:
    tokens: list[str]
    # The tokens that are not stopwords, in order.
    content: list[str]
    surface: frozenset[str]
    stems: frozenset[str]
    # Where each content word (surface form and stem) occurs, in content-word
    # order; a joined pair ("auto"+"scaling") sits at its first word.
    positions: dict[str, list[int]]
    # For each content word and each token, whether it lies in the sentence
    # that asks.
    asked: list[bool]
    asked_token: list[bool]
    # Runs of one to four words over all tokens, stopwords included. Cue
    # phrases match these exactly, word forms and all: "da solo" is not "un
    # solo", "moda" is not "modo".
    ngrams: WordRuns
    mentions: list[focus.Mention]
    # The systems the mentions name, each once, in order.
    systems: list[str]
    other_product: bool
    follow_up_opener: bool
    carrying_opener: bool
    has_question_mark: bool
    out_of_scope: float = 0.0
    # The out-of-scope weight of objects the table has no row for, counted
    # only when no feature phrase acts on them (see `scope.OutOfScope`).
    objects: float = 0.0

    def spans(self, keys: frozenset[str]) -> Iterable[tuple[int, int]]:
        """(first, last) content-word positions of the keys, close together.

        "tanti container" must not match "ogni tanto il container muore": a
        phrase's words may have at most MAX_PHRASE_GAP other words among them.
        """
        if len(keys) < 2:
            for index in self.positions.get(next(iter(keys)), ())[:8]:
                yield index, index
            return
        for span in product(*(self.positions[key][:8] for key in keys)):
            low, high = min(span), max(span)
            if high - low < len(keys) + MAX_PHRASE_GAP:
                yield low, high

    def close_together(self, keys: frozenset[str]) -> bool:
        return next(iter(self.spans(keys)), None) is not None

    def in_asked(self, keys: frozenset[str]) -> bool:
        return any(self.asked[low] for low, _ in self.spans(keys))

    def has(self, cue: tuple[str, ...]) -> bool:
        return cue in self.ngrams


def phrase_stems(text: str) -> frozenset[str]:
    return frozenset(stem(token) for token in content_tokens(tokenize(text)))


def cue_words(text: str) -> tuple[str, ...]:
    """A cue phrase as a run of normalized words, small words kept."""
    return tuple(tokenize(text))


def cue_set(texts: Iterable[str]) -> frozenset[tuple[str, ...]]:
    return frozenset(cue for cue in map(cue_words, texts) if cue)


def cue_count(reading: Reading, cues: frozenset[tuple[str, ...]]) -> int:
    return len(cues.intersection(reading.ngrams.runs))


def build_aliases(kb: KnowledgeBase) -> list[Alias]:
    """Alias token sequences, longest first; None marks a look-alike product."""
    aliases: list[Alias] = []
    for system in kb.systems:
        aliases += [(tuple(tokenize(alias)), system.id) for alias in system.aliases]
        aliases += [(tuple(tokenize(alias)), None) for alias in system.not_aliases]
    return sorted({a for a in aliases if a[0]}, key=lambda a: -len(a[0]))


def find_systems(
    tokens: Sequence[str], aliases_by_first: dict[str, list[Alias]], hints: list[Hint]
) -> tuple[list[focus.Mention], bool]:
    found: list[focus.Mention] = []
    other_product = False
    # Only a word that starts an alias can start a mention; the rest are skipped.
    free_from = 0
    for start in [i for i, token in enumerate(tokens) if token in aliases_by_first]:
        if start < free_from:
            continue
        # The longest alias starting here wins: "docker swarm" over "docker".
        for alias_tokens, system_id in aliases_by_first[tokens[start]]:
            size = len(alias_tokens)
            if tuple(tokens[start : start + size]) == alias_tokens:
                if system_id is None:
                    other_product = True
                else:
                    found.append(focus.Mention(system_id, start, start + size))
                free_from = start + size
                break
    if not found:
        for hint_tokens, system_id in hints:
            start = _first_run(tokens, hint_tokens)
            if start >= 0:
                found.append(focus.Mention(system_id, start, start + len(hint_tokens)))
    found.sort(key=lambda mention: mention.start)
    return found, other_product


def _first_run(tokens: Sequence[str], run: tuple[str, ...]) -> int:
    """Where `run` first occurs in `tokens`, or -1 (the first word found by a C search)."""
    if not run:
        return 0  # the empty run is everywhere
    first, size = run[0], len(run)
    start = -1
    try:
        while True:
            start = tokens.index(first, start + 1)
            if tuple(tokens[start : start + size]) == run:
                return start
    except ValueError:
        return -1


def read(
    question: str, speller: Speller, aliases_by_first: dict[str, list[Alias]], hints: list[Hint]
) -> tuple[Reading, focus.Layout]:
    """The question read, out-of-scope weight not yet counted (see `scope`)."""
    segmented = segment(question)
    tokens = speller.correct_all(segmented.tokens)
    mentions, other_product = find_systems(tokens, aliases_by_first, hints)
    asked_sentence = segmented.asked_sentence
    sentence_of = segmented.sentence_of
    # Sentence numbers never decrease: the first and last tell whether there are several.
    several_sentences = bool(sentence_of) and sentence_of[0] != sentence_of[-1]
    word_indexes = [i for i, token in enumerate(tokens) if token not in STOPWORDS]
    words = [tokens[i] for i in word_indexes]
    asked_token = (
        [sentence == asked_sentence for sentence in sentence_of]
        if several_sentences
        else [True] * len(tokens)
    )
    asked = [asked_token[i] for i in word_indexes]
    # Join neighbours so "auto scaling" also reads as "autoscaling".
    joined = [a + b for a, b in pairwise(words)]
    indexes = (*range(len(words)), *range(len(joined)))
    every = words + joined
    stemmed = list(map(stem, every))
    positions: dict[str, list[int]] = {}
    for index, token, token_stem in zip(indexes, every, stemmed, strict=True):
        positions.setdefault(token, []).append(index)
        positions.setdefault(token_stem, []).append(index)
    stems = frozenset(stemmed)
    reading = Reading(
        tokens=tokens,
        content=words,
        surface=frozenset((*words, *joined)),
        stems=stems,
        positions=positions,
        asked=asked,
        asked_token=asked_token,
        ngrams=WordRuns(tokens),
        mentions=mentions,
        systems=list(dict.fromkeys(mention.system for mention in mentions)),
        other_product=other_product,
        follow_up_opener=bool(tokens) and segmented.tokens[0] in _FOLLOW_UP_OPENERS,
        carrying_opener=bool(tokens) and segmented.tokens[0] in CARRYING_OPENERS,
        has_question_mark=bool(segmented.questions),
    )
    layout = focus.Layout(
        tokens=tokens,
        clause_of=segmented.clause_of,
        sentence_of=segmented.sentence_of,
        asked_sentence=asked_sentence,
        aside=segmented.aside,
    )
    return reading, layout
