"""Evidence for each feature: knowledge-base phrases found in a question.

A feature's phrases are the ones whose stems all occur in the question.
`synonyms` are strong evidence, `related` words weak, and a phrase that is
part of a longer phrase matched for another feature is discounted ("scalare"
inside "scalare in automatico"). In a message of several sentences the
sentence that asks weighs more than the story.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

from bot.core.example_scores import EXAMPLE_FLOOR, EXAMPLE_WEIGHT, ExamplePhrasings
from bot.core.knowledge import KnowledgeBase
from bot.core.reading import Reading, cue_set, cue_words, phrase_stems
from bot.core.text import STOPWORDS, content_tokens, stem, tokenize

STRONG_WEIGHT: Final = 1.0
EXTRA_STEM_WEIGHT: Final = 0.3
WEAK_WEIGHT: Final = 0.3
SUBSUMED_FACTOR: Final = 0.4
# Evidence outside the asking sentence of a longer message, when the asking
# sentence has evidence of its own.
STORY_FACTOR: Final = 0.5
# How much of the refined feature's evidence a refining cue hands over, and
# what it leaves behind ("repliche da sole": auto-scaling, not scaling).
REFINE_FACTOR: Final = 0.3

_CHANGE_VERBS: Final = frozenset(
    """
    sale salgono cresce crescono aumenta aumentano cala calano scende scendono
    diminuisce diminuiscono esplode crolla raddoppia triplica passa supera superano
    """.split()
)
_BY_HAND: Final = frozenset(
    {"posso", "possiamo", "devo", "dobbiamo", "riesco", "mano", "manualmente"}
)
# "il numero lo decido io": the asker sets the count, so a cue such as "in
# base al contratto" is no load the system follows.
_DECIDING: Final = frozenset(stem(word) for word in "decido scelgo stabilisco".split())
_THE_COUNT: Final = frozenset({"lo", "li", "le"})
_NEGATIONS: Final = frozenset({"non", "niente", "nessuna", "nessun", "senza", "no", "mai"})


@dataclass(frozen=True)
class Phrase:
    feature: str
    stems: frozenset[str]
    weight: float
    text: str
    # Set for "=word" phrases, which match the word itself, not its stem:
    # "=segreti" must not fire on "il segreto per un colloquio".
    surface: frozenset[str] | None = None
    # Set for "~words" phrases, which match this exact run of words, small
    # words included: "~resta su" is neither "resto su compose" nor "resta".
    run: tuple[str, ...] | None = None

    @property
    def keys(self) -> frozenset[str]:
        return self.surface if self.surface is not None else self.stems

    def found_in(self, reading: Reading) -> bool:
        if self.run is not None:
            return self.run in reading.ngrams
        if self.surface is not None:
            return self.surface <= reading.surface and reading.close_together(self.surface)
        return self.stems <= reading.stems and reading.close_together(self.stems)

    def in_asked(self, reading: Reading) -> bool:
        if self.run is not None:
            return any(reading.asked_token[i] for i in reading.ngrams.starts(self.run))
        return reading.in_asked(self.keys)


class FeatureEvidence:
    """The knowledge base's feature phrases, examples and refinements, scored in a reading."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self._phrases = build_phrases(kb)
        # Each phrase under the one of its stems that fewest phrases share. A
        # phrase of any kind is only found where all its stems are, so a
        # question checks just the phrases whose key it holds.
        sharing = Counter(key for phrase in self._phrases for key in phrase.stems)
        self._phrases_by_stem: dict[str, list[int]] = {}
        for number, phrase in enumerate(self._phrases):
            key = min(phrase.stems, key=lambda stem: (sharing[stem], stem))
            self._phrases_by_stem.setdefault(key, []).append(number)
        self._examples = ExamplePhrasings(
            (feature.id, " ".join(sorted(phrase_stems(example))))
            for feature in kb.features
            for example in feature.examples
        )
        self._refinements = [
            (feature.id, feature.refines, cue_set(feature.refine_cues))
            for feature in kb.features
            if feature.refines is not None
        ]

    def scores(self, reading: Reading) -> dict[str, float]:
        stems = reading.stems
        candidates = sorted(
            number for key in stems for number in self._phrases_by_stem.get(key, ())
        )
        matched = [
            phrase
            for phrase in (self._phrases[number] for number in candidates)
            if phrase.stems <= stems and phrase.found_in(reading)
        ]
        scores = {feature.id: 0.0 for feature in self.kb.features}
        story = {feature.id: 0.0 for feature in self.kb.features}
        for phrase in matched:
            inside_longer = any(
                phrase.stems < other.stems for other in matched if other.feature != phrase.feature
            )
            same_feature_longer = any(
                phrase.stems < other.stems for other in matched if other.feature == phrase.feature
            )
            if same_feature_longer:
                continue
            weight = phrase.weight * (SUBSUMED_FACTOR if inside_longer else 1.0)
            if phrase.in_asked(reading):
                scores[phrase.feature] += weight
            else:
                story[phrase.feature] += weight
        # The story around a question counts in full only when the asking
        # sentence says nothing itself ("... il sito sparisce. si può evitare?").
        story_factor = STORY_FACTOR if any(scores.values()) else 1.0
        for feature_id, value in story.items():
            scores[feature_id] += story_factor * value
        if len(reading.stems) >= 2:
            self._add_example_scores(reading, scores)
        for feature_id, refined_id, cues in self._refinements:
            # "autoscaling orizzontale": the narrower feature named outright
            # refines the broader one's words as much as a cue does.
            named = scores[feature_id] >= STRONG_WEIGHT
            cued = affirmed_cue(reading, cues) and not _asker_decides(reading.tokens)
            if scores[refined_id] > 0 and (named or cued):
                handed = scores[refined_id] * (1.0 - REFINE_FACTOR)
                scores[feature_id] += handed
                scores[refined_id] -= handed
        return scores

    def found_from(self, reading: Reading, feature_id: str, first_token: int) -> bool:
        """Is one of the feature's phrases found at or after token `first_token`?"""
        first_word = sum(token not in STOPWORDS for token in reading.tokens[:first_token])
        candidates = {
            number for key in reading.stems for number in self._phrases_by_stem.get(key, ())
        }
        for phrase in (self._phrases[number] for number in sorted(candidates)):
            if phrase.feature != feature_id or not phrase.stems <= reading.stems:
                continue
            if phrase.run is not None:
                if any(start >= first_token for start in reading.ngrams.starts(phrase.run)):
                    return True
            elif phrase.found_in(reading) and any(
                low >= first_word for low, _ in reading.spans(phrase.keys)
            ):
                return True
        return False

    def _add_example_scores(self, reading: Reading, scores: dict[str, float]) -> None:
        """Each feature's closest example phrasing, above EXAMPLE_FLOOR, adds evidence."""
        best = self._examples.best(" ".join(sorted(reading.stems)))
        for feature_id, score in best.items():
            scores[feature_id] += EXAMPLE_WEIGHT * (score - EXAMPLE_FLOOR) / (100.0 - EXAMPLE_FLOOR)


def build_phrases(kb: KnowledgeBase) -> list[Phrase]:
    # One phrase per distinct stem set and feature: "nodo", "nodi" and
    # "node" are one piece of evidence, not three.
    seen: set[tuple[str, frozenset[str], frozenset[str] | None]] = set()
    phrases: list[Phrase] = []
    for feature in kb.features:
        strong = (feature.title, *feature.synonyms)
        for texts, weak in ((strong, False), (feature.related, True)):
            for text in texts:
                if text.startswith("~"):
                    run = cue_words(text[1:])
                    stems = phrase_stems(text[1:])
                    if run and stems:
                        phrases.append(
                            Phrase(feature.id, stems, _weight(stems, weak), text, run=run)
                        )
                    continue
                exact = text.startswith("=")
                stems = phrase_stems(text.removeprefix("="))
                if not stems:
                    continue
                weight = _weight(stems, weak)
                surface = (
                    frozenset(content_tokens(tokenize(text.removeprefix("=")))) if exact else None
                )
                key = (feature.id, stems, surface)
                if key not in seen:
                    seen.add(key)
                    phrases.append(Phrase(feature.id, stems, weight, text, surface))
    return phrases


def _asker_decides(tokens: list[str]) -> bool:
    """ "il numero lo decido io", "decido io quante": the asker sets the count."""
    return any(
        stem(token) in _DECIDING
        and (tokens[i + 1 : i + 2] == ["io"] or (i > 0 and tokens[i - 1] in _THE_COUNT))
        for i, token in enumerate(tokens)
    )


def affirmed_cue(reading: Reading, cues: Iterable[tuple[str, ...]]) -> bool:
    """A cue not denied just before: "niente magie automatiche" is no cue.

    "quando" with a verb of rising or falling a few words on ("quando la
    coda dei messaggi cresce") is a cue too: it ties the change to a load.
    """
    # "se" too, unless the asker does it ("se aumentano gli utenti posso
    # aggiungere repliche?" is scaling by hand).
    openers = [("quando",)] if _BY_HAND.intersection(reading.tokens) else [("quando",), ("se",)]
    for opener in openers:
        for start in reading.ngrams.starts(opener):
            if _CHANGE_VERBS.intersection(reading.tokens[start + 1 : start + 7]):
                return True
    # Only the cues that occur at all: one set operation in C.
    for cue in reading.ngrams.runs.intersection(cues):
        for start in reading.ngrams.starts(cue):
            if not _NEGATIONS.intersection(reading.tokens[max(0, start - 3) : start]):
                return True
    return False


def denied_cue(reading: Reading, cues: Iterable[tuple[str, ...]]) -> bool:
    """A cue denied right before it: "niente automatismi", "non in automatico"
    ("compose non si allarga da solo?" denies the verb, not the cue)."""
    return any(
        start > 0 and reading.tokens[start - 1] in _NEGATIONS
        for cue in cues
        for start in reading.ngrams.starts(cue)
    )


def _weight(stems: frozenset[str], weak: bool) -> float:
    return WEAK_WEIGHT if weak else STRONG_WEIGHT + EXTRA_STEM_WEIGHT * (len(stems) - 1)
