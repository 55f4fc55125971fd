"""What moderators taught the bot in one server, and which lesson a question falls under.

A lesson ties a question the bot got wrong (a 👎, or no answer at all) to what
it should have done: show a feature's card for a system, show an FAQ entry, or
stay silent. The engine asks the server's `TaughtIndex` before the table, so the
lesson holds at once for that question and for close paraphrases of it.

A paraphrase is judged the way the FAQ index reads questions (the same tokens,
system-name folding, word groups and typo repair), but with a measure that
does not depend on how many lessons there are: a weighted overlap of the two
questions' content stems, nudged by word-order similarity. System names weigh
little (they say where a question is, not what it asks), but a paraphrase names
the same systems as the taught question: "compose fa failover?" is not
"kubernetes fa failover?", and neither is "chi fa failover tra kubernetes e
compose?" or plain "fa failover?", whose answers are about other systems.

When several lessons share one question, the newest holds; undoing it brings
back the one before.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Final, Literal

from rapidfuzz import fuzz

from bot.core.answers import Answer, AnswerBuilder, FaqView
from bot.core.faq import FaqError
from bot.core.faq_terms import FaqTerms
from bot.core.faq_tokens import clean_tokens
from bot.core.matcher import BOTH
from bot.core.text import Speller, normalize, stem, tokenize

Choice = Literal["feature", "faq", "silence", "dismiss"]
CHOICES: Final[tuple[Choice, ...]] = ("feature", "faq", "silence", "dismiss")

# A question this close to a taught one (0..1) falls under its lesson. Set on
# hand-written paraphrases and near misses in tests/core/test_taught.py: close
# rewordings score 0.7 and up, questions sharing a topic word or two stay below.
PARAPHRASE_MIN: Final = 0.68
OVERLAP_WEIGHT: Final = 0.85
ORDER_WEIGHT: Final = 1.0 - OVERLAP_WEIGHT
# As in the FAQ index: a system name counts for less than a topic word.
SYSTEM_WORD_WEIGHT: Final = 0.3


@dataclass(frozen=True)
class Lesson:
    """One moderator decision about a question, as stored."""

    id: int
    guild_id: int
    question: str
    choice: Choice
    feature: str | None = None
    system: str | None = None
    faq_name: str | None = None
    actor_id: int | None = None
    at: datetime | None = None

    @property
    def shapes_answers(self) -> bool:
        """Dismissing only clears the queue; the other choices change what the bot says."""
        return self.choice != "dismiss"


@dataclass(frozen=True)
class TaughtHit:
    lesson: Lesson
    similarity: float


@dataclass(frozen=True, slots=True)
class _Reading:
    weights: Mapping[str, float]  # stem -> weight
    ordered: str  # the stems in order, for word-order similarity
    systems: frozenset[str]

    @property
    def total(self) -> float:
        return sum(self.weights.values())


class TaughtIndex:
    """One server's lessons, searchable by paraphrase."""

    def __init__(
        self,
        lessons: Iterable[Lesson] = (),
        aliases: Mapping[str, str] | None = None,
        terms: FaqTerms | None = None,
    ) -> None:
        self._aliases: Mapping[str, str] = aliases or {}
        self._system_ids = frozenset(self._aliases.values())
        self._terms = terms or FaqTerms()
        self._speller = Speller()
        # normalized question -> its lessons, oldest first, and how it reads.
        self._by_question: dict[str, list[Lesson]] = {}
        self._readings: dict[str, _Reading] = {}
        self._postings: dict[str, set[str]] = {}  # stem -> taught questions using it
        for lesson in lessons:
            self.add(lesson)

    def __len__(self) -> int:
        return sum(len(lessons) for lessons in self._by_question.values())

    def lessons(self) -> list[Lesson]:
        """Every lesson in force (the newest per question), oldest first."""
        return sorted((stack[-1] for stack in self._by_question.values()), key=lambda x: x.id)

    # --- building ---------------------------------------------------------------

    def _words(self, text: str) -> list[str]:
        return clean_tokens(tokenize(text))

    def _read(self, words: Iterable[str]) -> _Reading:
        folded = self._terms.fold(list(words), self._aliases)
        weights: dict[str, float] = {}
        for word in folded:
            weight = SYSTEM_WORD_WEIGHT if word in self._system_ids else 1.0
            weights[stem(word)] = max(weight, weights.get(stem(word), 0.0))
        systems = frozenset(word for word in folded if word in self._system_ids)
        return _Reading(weights, " ".join(stem(word) for word in folded), systems)

    def add(self, lesson: Lesson) -> None:
        if not lesson.shapes_answers:
            return
        key = normalize(lesson.question)
        words = self._words(lesson.question)
        if not words:
            return  # nothing to recognise a paraphrase by
        stack = self._by_question.setdefault(key, [])
        if not stack:
            self._speller.add(words)
            reading = self._readings[key] = self._read(words)
            for value in reading.weights:
                self._postings.setdefault(value, set()).add(key)
        stack.append(lesson)
        stack.sort(key=lambda item: item.id)

    def remove(self, lesson_id: int) -> None:
        for key, stack in list(self._by_question.items()):
            kept = [lesson for lesson in stack if lesson.id != lesson_id]
            if len(kept) == len(stack):
                continue
            if kept:
                self._by_question[key] = kept
            else:
                del self._by_question[key]
                for value in self._readings.pop(key).weights:
                    keys = self._postings[value]
                    keys.discard(key)
                    if not keys:
                        del self._postings[value]
                self._speller.remove(self._words(stack[0].question))
            return

    # --- searching --------------------------------------------------------------

    def match(self, question: str) -> TaughtHit | None:
        """The lesson for the taught question closest to `question`, if close enough."""
        if not self._by_question:
            return None
        key = normalize(question)
        words = self._words(question)
        query = self._read(self._speller.correct_all(words))
        stack = self._by_question.get(key)
        if stack is not None:
            return TaughtHit(stack[-1], 1.0)
        if not query.weights:
            return None
        best: tuple[float, str] | None = None
        for taught_key in self._candidates(query):
            score = self._similarity(query, self._readings[taught_key])
            if score >= PARAPHRASE_MIN and (best is None or score > best[0]):
                best = (score, taught_key)
        if best is None:
            return None
        return TaughtHit(self._by_question[best[1]][-1], round(best[0], 3))

    def _candidates(self, query: _Reading) -> list[str]:
        """Taught questions whose word overlap alone could still reach PARAPHRASE_MIN.

        The overlap is summed from the postings, so only questions sharing a word
        are looked at, and word order (the costly part) only for those that can pass.
        """
        shared: dict[str, float] = {}
        for value, weight in query.weights.items():
            for key in self._postings.get(value, ()):
                shared[key] = shared.get(key, 0.0) + min(weight, self._readings[key].weights[value])
        asked = sum(query.weights.values())
        needed = (PARAPHRASE_MIN - ORDER_WEIGHT) / OVERLAP_WEIGHT
        return [
            key
            for key, value in shared.items()
            if 2 * value / (asked + self._readings[key].total) >= needed - 1e-9
        ]

    @staticmethod
    def _similarity(query: _Reading, taught: _Reading) -> float:
        if query.systems != taught.systems:
            return 0.0
        shared = sum(
            min(weight, taught.weights[value])
            for value, weight in query.weights.items()
            if value in taught.weights
        )
        total = sum(query.weights.values()) + sum(taught.weights.values())
        overlap = 2 * shared / total if total else 0.0
        order = fuzz.token_sort_ratio(query.ordered, taught.ordered) / 100.0
        return OVERLAP_WEIGHT * overlap + ORDER_WEIGHT * order


def lesson_answer(
    hit: TaughtHit,
    question: str,
    builder: AnswerBuilder,
    faq_entry: Callable[[str], FaqView | None],
) -> Answer | None:
    """What the bot says under a lesson, or None when the lesson no longer applies
    (its feature left the table, its FAQ entry was removed or renamed)."""
    lesson = hit.lesson
    if lesson.choice == "silence":
        unknown = builder.unknown_answer(question, hit.similarity)
        return replace(unknown, domain=False, declined=True)
    if lesson.choice == "faq" and lesson.faq_name is not None:
        view = faq_entry(lesson.faq_name)
        return None if view is None else builder.faq_answer(question, view, hit.similarity)
    known = {feature.id for feature in builder.kb.features}
    if lesson.choice != "feature" or lesson.feature not in known:
        return None
    system = lesson.system or BOTH
    return builder.feature_answer(question, lesson.feature, system, hit.similarity)


class TeachError(FaqError):
    """A lesson that cannot be taken or undone; `message` is Italian and ready to show."""


def closest_entries(
    question: str, entries: Sequence[tuple[str, str]], limit: int
) -> list[tuple[str, str]]:
    """The `limit` FAQ entries (name, question) whose question reads most like `question`,
    for a menu that cannot list them all; in their own order when they all fit."""
    if len(entries) <= limit:
        return list(entries)
    asked = normalize(question)
    ranked = sorted(entries, key=lambda entry: -fuzz.token_set_ratio(asked, normalize(entry[1])))
    return ranked[:limit]
