"""Intent detection: which feature, which system, how sure.

The question is normalized, typo-repaired and stemmed (see `text`), then three
things are read from it independently:

* the systems it names (aliases, matched as token sequences), and look-alike
  products that are *not* in the table (Swarm, Podman...);
* evidence for each feature: knowledge-base phrases whose stems all occur in
  the question. `synonyms` are strong evidence, `related` words weak, and a
  phrase that is part of a longer phrase matched for another feature is
  discounted ("scalare" inside "scalare in automatico");
* out-of-scope topics (volumes, Helm, logs...) that pull towards `unknown`.

The evidence is summed into a score and squashed into a 0..1 confidence.
Naming a system confirms the domain, so it adds a little evidence; a question
naming neither system needs stronger evidence, which keeps everyday chat
("il segreto per un colloquio", "la scala di do") out of the table.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import pairwise, product
from typing import Final, Literal

from rapidfuzz import fuzz

from bot.core.knowledge import KnowledgeBase
from bot.core.text import Speller, content_tokens, stem, tokenize

IntentKind = Literal["feature", "overview", "unknown"]
BOTH: Final = "both"

STRONG_WEIGHT: Final = 1.0
EXTRA_STEM_WEIGHT: Final = 0.3
WEAK_WEIGHT: Final = 0.3
SYSTEM_BONUS: Final = 0.3
SUBSUMED_FACTOR: Final = 0.4
OUT_OF_SCOPE_PENALTY: Final = 1.2
EXAMPLE_WEIGHT: Final = 0.6
CONFIDENCE_RATE: Final = 1.3
CLOSE_RATIO: Final = 0.8
MAX_PHRASE_GAP: Final = 2
SUGGESTION_FLOOR: Final = 0.25

# Words that turn a message into a comparison of the two systems as a whole.
_COMPARE_WORDS: Final = (
    "vs versus confronto confrontare paragone differenza differenze differenzia cambia "
    "meglio migliore peggio conviene convenga scegliere scelgo scelta pro contro vantaggi "
    "svantaggi rispetto passare migrare overkill alternativa comodo preferibile riassunto "
    "riassumimi riepilogo comparison difference better"
)
# Openers of a follow-up that leans on the previous question.
_FOLLOW_UP_OPENERS: Final = frozenset({"e", "ed", "invece", "anche", "pure", "mentre", "and"})
_BOTH_SYSTEMS_WORDS: Final = frozenset({"entrambi", "entrambe", "due", "both"})


@dataclass(frozen=True)
class Phrase:
    feature: str
    stems: frozenset[str]
    weight: float
    text: str
    # Set for "=word" phrases, which match the word itself, not its stem:
    # "=segreti" must not fire on "il segreto per un colloquio".
    surface: frozenset[str] | None = None

    def found_in(self, reading: _Reading) -> bool:
        if self.surface is not None:
            return self.surface <= reading.surface and reading.close_together(self.surface)
        return self.stems <= reading.stems and reading.close_together(self.stems)


@dataclass(frozen=True)
class Context:
    """What the previous question in a conversation was about."""

    feature: str | None = None
    system: str | None = None


@dataclass(frozen=True)
class Intent:
    kind: IntentKind
    feature: str | None
    system: str | None
    confidence: float
    suggestions: tuple[str, ...] = ()
    scores: dict[str, float] = field(default_factory=dict, compare=False, repr=False)


@dataclass
class _Reading:
    tokens: list[str]
    surface: frozenset[str]
    stems: frozenset[str]
    # Where each content word (surface form and stem) occurs, in content-word
    # order; a joined pair ("auto"+"scaling") sits at its first word.
    positions: dict[str, list[int]]
    systems: list[str]
    other_product: bool
    out_of_scope: int
    compare: bool
    follow_up_opener: bool

    def close_together(self, keys: frozenset[str]) -> bool:
        """Do the words of a phrase occur near each other?

        "tanti container" must not match "ogni tanto il container muore": a
        phrase's words may have at most MAX_PHRASE_GAP other words among them.
        """
        if len(keys) < 2:
            return True
        spans = product(*(self.positions[key][:8] for key in keys))
        return any(max(span) - min(span) < len(keys) + MAX_PHRASE_GAP for span in spans)


def _phrase_stems(text: str) -> frozenset[str]:
    return frozenset(stem(token) for token in content_tokens(tokenize(text)))


def _confidence(score: float) -> float:
    return 0.0 if score <= 0 else 1.0 - math.exp(-CONFIDENCE_RATE * score)


class Matcher:
    """Maps a question to an intent over one knowledge base. Pure and synchronous."""

    def __init__(self, kb: KnowledgeBase, threshold: float = 0.5) -> None:
        self.kb = kb
        self.threshold = threshold
        self._phrases = self._build_phrases(kb)
        self._out_of_scope = [s for s in map(_phrase_stems, kb.out_of_scope) if s]
        self._aliases = self._build_aliases(kb)
        self._hints = [
            (tuple(tokenize(hint)), system.id) for system in kb.systems for hint in system.hints
        ]
        self._examples = {
            feature.id: [" ".join(sorted(_phrase_stems(ex))) for ex in feature.examples]
            for feature in kb.features
        }
        self._compare_stems = frozenset(stem(word) for word in _COMPARE_WORDS.split())
        vocabulary: set[str] = set(tokenize(_COMPARE_WORDS))
        for alias_tokens, _ in (*self._aliases, *self._hints):
            vocabulary.update(alias_tokens)
        for feature in kb.features:
            for text in (feature.title, *feature.synonyms, *feature.related, *feature.examples):
                vocabulary.update(tokenize(text.removeprefix("=")))
        for text in kb.out_of_scope:
            vocabulary.update(tokenize(text))
        self._speller = Speller(vocabulary)

    # --- index --------------------------------------------------------------

    @staticmethod
    def _build_phrases(kb: KnowledgeBase) -> list[Phrase]:
        # One phrase per distinct stem set and feature: "nodo", "nodi" and
        # "node" are one piece of evidence, not three.
        seen: set[tuple[str, frozenset[str], frozenset[str] | None]] = set()
        phrases: list[Phrase] = []
        for feature in kb.features:
            strong = (feature.title, *feature.synonyms)
            for texts, weak in ((strong, False), (feature.related, True)):
                for text in texts:
                    exact = text.startswith("=")
                    stems = _phrase_stems(text.removeprefix("="))
                    if not stems:
                        continue
                    weight = (
                        WEAK_WEIGHT
                        if weak
                        else STRONG_WEIGHT + EXTRA_STEM_WEIGHT * (len(stems) - 1)
                    )
                    surface = (
                        frozenset(content_tokens(tokenize(text.removeprefix("="))))
                        if exact
                        else None
                    )
                    key = (feature.id, stems, surface)
                    if key not in seen:
                        seen.add(key)
                        phrases.append(Phrase(feature.id, stems, weight, text, surface))
        return phrases

    @staticmethod
    def _build_aliases(kb: KnowledgeBase) -> list[tuple[tuple[str, ...], str | None]]:
        """Alias token sequences, longest first; None marks a look-alike product."""
        aliases: list[tuple[tuple[str, ...], str | None]] = []
        for system in kb.systems:
            aliases += [(tuple(tokenize(alias)), system.id) for alias in system.aliases]
            aliases += [(tuple(tokenize(alias)), None) for alias in system.not_aliases]
        return sorted({a for a in aliases if a[0]}, key=lambda a: -len(a[0]))

    # --- reading a question -------------------------------------------------

    def _find_systems(self, tokens: Sequence[str]) -> tuple[list[str], bool]:
        used = [False] * len(tokens)
        found: list[str] = []
        other_product = False
        for alias_tokens, system_id in self._aliases:
            size = len(alias_tokens)
            for start in range(len(tokens) - size + 1):
                if any(used[start : start + size]):
                    continue
                if tuple(tokens[start : start + size]) == alias_tokens:
                    used[start : start + size] = [True] * size
                    if system_id is None:
                        other_product = True
                    elif system_id not in found:
                        found.append(system_id)
        if not found:
            text = f" {' '.join(tokens)} "
            for hint_tokens, system_id in self._hints:
                if f" {' '.join(hint_tokens)} " in text and system_id not in found:
                    found.append(system_id)
        return found, other_product

    def _read(self, question: str) -> _Reading:
        raw_tokens = tokenize(question)
        tokens = self._speller.correct_all(raw_tokens)
        systems, other_product = self._find_systems(tokens)
        words = content_tokens(tokens)
        # Join neighbours so "auto scaling" also reads as "autoscaling".
        joined = [a + b for a, b in pairwise(words)]
        positions: dict[str, list[int]] = {}
        for index, token in (*enumerate(words), *enumerate(joined)):
            positions.setdefault(token, []).append(index)
            positions.setdefault(stem(token), []).append(index)
        stems = frozenset(stem(token) for token in (*words, *joined))
        reading = _Reading(
            tokens=tokens,
            surface=frozenset((*words, *joined)),
            stems=stems,
            positions=positions,
            systems=systems,
            other_product=other_product,
            out_of_scope=0,
            compare=bool(stems & self._compare_stems),
            follow_up_opener=bool(raw_tokens) and raw_tokens[0] in _FOLLOW_UP_OPENERS,
        )
        reading.out_of_scope = sum(
            1 for oos in self._out_of_scope if oos <= stems and reading.close_together(oos)
        )
        return reading

    def _feature_scores(self, reading: _Reading) -> dict[str, float]:
        matched = [phrase for phrase in self._phrases if phrase.found_in(reading)]
        scores = {feature.id: 0.0 for feature in self.kb.features}
        for phrase in matched:
            inside_longer = any(
                phrase.stems < other.stems for other in matched if other.feature != phrase.feature
            )
            same_feature_longer = any(
                phrase.stems < other.stems for other in matched if other.feature == phrase.feature
            )
            if same_feature_longer:
                continue
            scores[phrase.feature] += phrase.weight * (SUBSUMED_FACTOR if inside_longer else 1.0)
        query = " ".join(sorted(reading.stems))
        for feature_id, examples in self._examples.items():
            if not examples or len(reading.stems) < 2:
                continue
            best = max(fuzz.token_set_ratio(query, example) for example in examples)
            scores[feature_id] += EXAMPLE_WEIGHT * max(0.0, (best - 70.0) / 30.0)
        return scores

    # --- deciding -----------------------------------------------------------

    def match(self, question: str, context: Context | None = None) -> Intent:
        reading = self._read(question)
        if not reading.tokens:
            return Intent("unknown", None, None, 0.0)
        scores = self._feature_scores(reading)
        penalty = OUT_OF_SCOPE_PENALTY * reading.out_of_scope
        if reading.other_product and not reading.systems:
            penalty += OUT_OF_SCOPE_PENALTY
        adjusted = {
            feature_id: score - penalty + (SYSTEM_BONUS if score > 0 and reading.systems else 0)
            for feature_id, score in scores.items()
        }
        ranked = sorted(adjusted.items(), key=lambda item: -item[1])
        best_id, best_score = ranked[0]
        second_id, second_score = ranked[1] if len(ranked) > 1 else (best_id, 0.0)
        confidence = _confidence(best_score)
        suggestions = tuple(
            feature_id
            for feature_id, score in ranked[:3]
            if _confidence(score) >= SUGGESTION_FLOOR and score >= CLOSE_RATIO * best_score
        )
        system = self._system_for(reading)
        follow_up = context is not None and (
            reading.follow_up_opener or len(content_tokens(reading.tokens)) <= 3
        )

        if confidence >= self.threshold:
            if follow_up and not reading.systems and context and context.system:
                system = context.system
            close = _confidence(second_score) >= SUGGESTION_FLOOR and (
                second_score >= CLOSE_RATIO * best_score
            )
            return Intent(
                "feature",
                best_id,
                system,
                round(confidence, 3),
                (best_id, second_id) if close else (),
                scores=adjusted,
            )
        blocked = reading.out_of_scope > 0 or (reading.other_product and not reading.systems)
        # "e kubernetes?" keeps the feature; "meglio k8s o compose?" is a new,
        # general comparison unless it opens like a follow-up.
        carries_feature = reading.follow_up_opener or not reading.compare
        if (
            follow_up
            and carries_feature
            and context
            and context.feature
            and reading.systems
            and not blocked
        ):
            return Intent("feature", context.feature, system, 0.75, scores=adjusted)
        if not blocked and self._is_overview(reading):
            return Intent("overview", None, BOTH, 0.8, scores=adjusted)
        return Intent("unknown", None, None, round(confidence, 3), suggestions, scores=adjusted)

    def _system_for(self, reading: _Reading) -> str:
        if len(reading.systems) == 1:
            return reading.systems[0]
        return BOTH

    def _is_overview(self, reading: _Reading) -> bool:
        both_named = len(reading.systems) >= 2
        both_meant = bool(_BOTH_SYSTEMS_WORDS & set(reading.tokens)) and reading.compare
        return both_named or both_meant
