"""What pulls a question towards `unknown`: out-of-scope topics and tool versions.

Out-of-scope topics (volumes, Helm, upgrading a tool...) are knowledge-base
phrases, pairs of words near each other, exact runs of words, and a tool or
system followed by its version ("node 18", "kubernetes 1.31"). Foreign words
(neither ours nor everyday ones) tell a word's other sense: "rollback sulla
dieta" is chat.
"""

from __future__ import annotations

import re
from typing import Final

from bot.core.knowledge import KnowledgeBase
from bot.core.reading import Reading, cue_count, cue_set, phrase_stems
from bot.core.text import content_tokens, stem, tokenize

STORY_OUT_OF_SCOPE_FACTOR: Final = 0.3
# Words foreign to the table and to everyday questions that make a message
# with no system and no infrastructure word chat: "domenica andiamo a
# scalare la grignetta" is about a mountain.
FOREIGN_LIMIT: Final = 2
FOREIGN_LIMIT_STATEMENT: Final = 1
# Content words between the two halves of an out-of-scope pair.
PAIR_WINDOW: Final = 3

_QUESTION_WORDS: Final = frozenset(
    """
    come cosa cos quale quali quanto quanti quanta quante perche dove quando chi
    posso possiamo puoi si esiste esistono serve conviene meglio differenza differenze
    how what why which can does is are should
    """.split()
)
_VERSION_LEAD: Final = frozenset({"da", "dal", "dalla", "a", "al", "alla", "versione", "release"})
_VERSION: Final = re.compile(r"v?\d+")
_CLITICS: Final = frozenset("si mi ti ci vi ne lo li gli".split())


class OutOfScope:
    """The knowledge base's out-of-scope topics, weighed in a reading."""

    def __init__(self, kb: KnowledgeBase) -> None:
        # "=porta" is the word itself: "portando" is not a network port.
        self._out_of_scope = list(
            dict.fromkeys(
                (text.startswith("="), keys)
                for text in kb.out_of_scope
                if not text.startswith("~") and (keys := topic_keys(text))
            )
        )
        # "~aggiornare il cluster": that run of words, not any update of a cluster.
        self._out_of_scope_runs = cue_set(
            text[1:] for text in kb.out_of_scope if text.startswith("~")
        )
        self._pairs = [
            (
                [s for s in map(phrase_stems, pair.words) if s],
                [s for s in map(phrase_stems, pair.near) if s],
            )
            for pair in kb.out_of_scope_pairs
        ]
        self._tools = cue_set(kb.tools)
        self._objects = [keys for keys in map(topic_keys, kb.objects) if keys]
        # Each topic under one of its keys: a reading only tests the topics
        # whose key it holds, not all of them.
        self._topics_by_key: dict[str, list[int]] = {}
        for number, (_, keys) in enumerate(self._out_of_scope):
            self._topics_by_key.setdefault(min(keys), []).append(number)

    def weight(self, reading: Reading) -> float:
        weight = 0.0
        by_key = self._topics_by_key
        # The keys held, found by set operations in C (a topic sits under one key).
        keys = by_key.keys() & reading.surface
        keys |= by_key.keys() & reading.stems
        held = [number for key in keys for number in by_key[key]]
        # In the topics' own order: the float sum must not depend on set order.
        for number in sorted(held):
            exact, oos = self._out_of_scope[number]
            if exact and _only_as_verb(reading, oos):
                continue
            if oos <= (reading.surface if exact else reading.stems):
                weight += self._topic_weight(reading, oos)
        for words_group, near_group in self._pairs:
            weight += self._pair_weight(reading, words_group, near_group)
        if self._versioned_tool(reading):
            weight += 1.0
        weight += cue_count(reading, self._out_of_scope_runs)
        return weight

    def object_weight(self, reading: Reading) -> float:
        """The out-of-scope weight of the objects a message names (see
        `KnowledgeBase.objects`); the matcher counts it only when no feature's
        own phrase acts on them."""
        return sum(
            self._topic_weight(reading, keys) for keys in self._objects if keys <= reading.stems
        )

    def certain(self, reading: Reading) -> bool:
        """Does the message name an out-of-scope topic as an exact run of words
        ("aggiornare kubernetes", "che fine fanno i dati")? Single words and
        stems can carry another sense; these runs cannot."""
        return cue_count(reading, self._out_of_scope_runs) > 0

    @staticmethod
    def _topic_weight(reading: Reading, keys: frozenset[str]) -> float:
        spans = list(reading.spans(keys))
        if not spans:
            return 0.0
        if any(reading.asked[low] for low, _ in spans):
            return 1.0
        return STORY_OUT_OF_SCOPE_FACTOR

    @staticmethod
    def _pair_weight(
        reading: Reading, words: list[frozenset[str]], near: list[frozenset[str]]
    ) -> float:
        first = [low for keys in words if keys <= reading.stems for low, _ in reading.spans(keys)]
        if not first:
            return 0.0
        second = [low for keys in near if keys <= reading.stems for low, _ in reading.spans(keys)]
        pairs = [(a, b) for a in first for b in second if abs(a - b) <= PAIR_WINDOW]
        if not pairs:
            return 0.0
        if any(reading.asked[a] or reading.asked[b] for a, b in pairs):
            return 1.0
        return STORY_OUT_OF_SCOPE_FACTOR

    def _versioned_tool(self, reading: Reading) -> bool:
        """ "node 18", "postgres 16", "kubectl v1.29": a tool with its version."""
        for tool in self._tools.intersection(reading.ngrams.runs):
            for start in reading.ngrams.starts(tool):
                after = start + len(tool)
                if after < len(reading.tokens) and _VERSION.fullmatch(reading.tokens[after]):
                    return True
        # "kubernetes 1.31", "k8s dalla 1.29": a system's own release ("compose
        # v2" is a name).
        for mention in reading.mentions:
            following = reading.tokens[mention.end : mention.end + 3]
            while following and following[0] in _VERSION_LEAD:
                following = following[1:]
            if following and following[0].isdigit():
                return True
        return False


def _only_as_verb(reading: Reading, keys: frozenset[str]) -> bool:
    """ "come si porta in produzione?": after a clitic pronoun a word is a verb,
    not the noun an exact topic means (a network port)."""
    if len(keys) != 1:
        return False
    starts = reading.ngrams.starts((next(iter(keys)),))
    return bool(starts) and all(
        start > 0 and reading.tokens[start - 1] in _CLITICS for start in starts
    )


def topic_keys(text: str) -> frozenset[str]:
    if text.startswith("="):
        return frozenset(content_tokens(tokenize(text[1:])))
    return phrase_stems(text)


def foreign_limit(reading: Reading) -> int:
    """A statement needs fewer foreign words than a question to be chat:
    "ho fatto un rollback sulla scelta del divano" asks nothing."""
    asks = reading.has_question_mark or (
        bool(reading.tokens) and reading.tokens[0] in _QUESTION_WORDS
    )
    return FOREIGN_LIMIT if asks else FOREIGN_LIMIT_STATEMENT


def foreign_words(reading: Reading, known_stems: frozenset[str]) -> int:
    words = {
        word
        for word in reading.content
        if len(word) > 2 and not word.isdigit() and stem(word) not in known_stems
    }
    return len(words)
