"""The engine: one call from a question (plus context) to a finished answer.

It owns the comparison matcher and each server's FAQ index. When an FAQ entry
and a table answer both clear the threshold, the table keeps the question
unless the entry's own question or phrasings match it (words found only in an
entry's answer say the entry is related, not that it was written for this
question) and the entry is more confident. A tie goes to the table, except
for an exact match of the entry's question (1.0): a moderator wrote that entry
for this very question on purpose.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Final

from bot.core.answers import Answer, AnswerBuilder, FaqView
from bot.core.auto_reply import asks_for_experience
from bot.core.faq_common_words import load_common_words
from bot.core.faq_decision import (
    CANDIDATES,
    Candidates,
    FaqModels,
    TableView,
    decision_features,
    faq_answers,
    load_faq_decision,
)
from bot.core.faq_index import FaqHit, FaqIndex, FaqLike
from bot.core.faq_terms import FaqTerms, load_faq_terms
from bot.core.knowledge import KnowledgeBase, System
from bot.core.matcher import BOTH, Context, Intent, Matcher, is_follow_up
from bot.core.small_talk import small_talk
from bot.core.text import stems, tokenize

if TYPE_CHECKING:
    # Imported where lessons are set: a one-shot `ask` has none to load.
    from bot.core.taught import Lesson, TaughtIndex

DEFAULT_THRESHOLD: Final = 0.5
# A runner-up entry this close to the answering one is offered next to it
# ("Forse cercavi: ..."): the two are genuinely hard to tell apart.
FAQ_SUGGESTION_GAP: Final = 0.1
# The FAQ's confidence from which its best entry is offered when it does not
# answer (benchmarks/faq.md: what share of offers is right, per floor).
FAQ_UNSURE_FLOOR: Final = 0.25
# Without the learned models (a knowledge directory without them), the
# calibrated score decides: an entry whose score leads the runner-up's by
# CLEAR_LEAD takes a question the table is less than TABLE_SURE about.
CLEAR_LEAD: Final = 0.2
TABLE_SURE: Final = 0.9


@dataclass(frozen=True)
class FaqProbe:
    """Which FAQ entry would answer a question, for moderators checking their entries."""

    question: str
    best: FaqHit | None
    runner_up: FaqHit | None
    answer: Answer  # what the bot would really say, table included
    threshold: float

    @property
    def answered_by_faq(self) -> bool:
        return self.answer.kind == "faq"


def _one_word_names(
    kb: KnowledgeBase, words_of: Callable[[System], Iterable[str]]
) -> dict[str, str]:
    """Each one-word name `words_of` gives a system, mapped to the system's id."""
    return {
        tokens[0]: system.id
        for system in kb.systems
        for word in words_of(system)
        if len(tokens := tokenize(word)) == 1
    }


def _view(entry: FaqLike) -> FaqView:
    return FaqView(entry.name, entry.question, entry.answer)


class Engine:
    def __init__(
        self,
        kb: KnowledgeBase,
        threshold: float = DEFAULT_THRESHOLD,
        faq_terms: FaqTerms | None = None,
        faq_decision: FaqModels | None = None,
        *,
        load_faq_models: bool = True,
    ) -> None:
        self.kb = kb
        self.threshold = threshold
        self.matcher = Matcher(kb, threshold)
        self.builder = AnswerBuilder(kb)
        self._faq: dict[int, FaqIndex] = {}
        self._taught: dict[int, TaughtIndex] = {}
        # Words members mix in FAQ questions ("output" for "log"): the file next
        # to the table, unless the caller gives its own.
        # Both are read when a server's FAQ or lessons are first indexed: a
        # one-shot console question about the table needs neither.
        self._given_terms = faq_terms
        self._word_data: tuple[FaqTerms, Mapping[str, float]] | None = None
        # The learned answer decision, from the file next to the table unless
        # the caller gives one; without either, the calibrated threshold decides.
        # Fitting them again (benchmarks/faq_decision.py) needs an engine
        # without them, as stale models would not load.
        if faq_decision is None and kb.path is not None and load_faq_models:
            faq_decision = load_faq_decision(kb.path)
        self.faq_decision = faq_decision
        # FAQ texts read "k8s", "kube" and "kubernetes" as one word. Only
        # one-word aliases: "docker-compose.yml" must not make "yml" a system.
        self._aliases = _one_word_names(kb, lambda system: (system.name, *system.aliases))
        # Every word the table's own phrasings use: what an FAQ entry shares
        # with a question beyond these is evidence only the FAQ has.
        self._table_stems = frozenset(
            value
            for feature in kb.features
            for text in (feature.title, *feature.synonyms, *feature.related, *feature.examples)
            for value in stems(text.removeprefix("="))
        ) | frozenset(
            value
            for system in kb.systems
            for text in (system.name, *system.aliases, *system.hints)
            for value in stems(text)
        )
        # ...and a question saying "pod" is about Kubernetes (the table's hints).
        self._hints = _one_word_names(kb, lambda system: system.hints)

    def with_knowledge(self, kb: KnowledgeBase) -> Engine:
        """A new engine over `kb` (a reloaded table) that keeps this one's FAQ indexes.

        The indexes are shared, not copied: an FAQ edit that lands on the old
        engine while answers still hold it is seen by the new one too.
        """
        engine = Engine(kb, self.threshold, self._given_terms, self.faq_decision)
        engine._word_data = self._word_data
        engine._faq = self._faq
        engine._taught = self._taught
        return engine

    # --- FAQ entries --------------------------------------------------------

    def set_faq(self, guild_id: int, entries: Iterable[FaqLike]) -> None:
        self._faq[guild_id] = self._new_index(entries)

    def _new_index(self, entries: Iterable[FaqLike] = ()) -> FaqIndex:
        terms, common_words = self._faq_words()
        return FaqIndex(entries, self._aliases, self._hints, terms, common_words)

    def _faq_words(self) -> tuple[FaqTerms, Mapping[str, float]]:
        """The FAQ's word groups and everyday-word frequencies, read once."""
        if self._word_data is None:
            path = self.kb.path
            terms = self._given_terms
            if terms is None:
                terms = load_faq_terms(path) if path is not None else FaqTerms()
            common_words = load_common_words(path) if path is not None else {}
            self._word_data = (terms, common_words)
        return self._word_data

    def upsert_faq(self, guild_id: int, entry: FaqLike, previous_name: str | None = None) -> None:
        index = self._faq.get(guild_id)
        if index is None:
            index = self._faq[guild_id] = self._new_index()
        index.upsert(entry, previous_name)

    def remove_faq(self, guild_id: int, name: str) -> None:
        index = self._faq.get(guild_id)
        if index is not None:
            index.remove(name)

    def has_faq(self, guild_id: int) -> bool:
        """True once the guild's FAQ index is in memory."""
        return guild_id in self._faq

    def faq_questions(self, guild_id: int) -> list[tuple[str, str]] | None:
        """(name, question) of every entry in memory, sorted by name; None if not loaded."""
        index = self._faq.get(guild_id)
        return None if index is None else index.names_and_questions()

    def faq_count(self, guild_id: int) -> int:
        index = self._faq.get(guild_id)
        return len(index) if index is not None else 0

    # --- what moderators taught (consulted before the table) ------------------

    def set_lessons(self, guild_id: int, lessons: Iterable[Lesson]) -> None:
        from bot.core.taught import TaughtIndex

        self._taught[guild_id] = TaughtIndex(lessons, self._aliases, self._faq_words()[0])

    def teach(self, guild_id: int, lesson: Lesson) -> None:
        if guild_id not in self._taught:
            self.set_lessons(guild_id, ())
        self._taught[guild_id].add(lesson)

    def unteach(self, guild_id: int, lesson_id: int) -> None:
        index = self._taught.get(guild_id)
        if index is not None:
            index.remove(lesson_id)

    def lesson_for(self, guild_id: int, question: str) -> Lesson | None:
        """The lesson a question falls under in a server, if any."""
        index = self._taught.get(guild_id)
        hit = index.match(question) if index is not None else None
        return None if hit is None else hit.lesson

    def _taught_answer(self, question: str, guild_id: int | None) -> Answer | None:
        index = self._taught.get(guild_id) if guild_id is not None else None
        hit = index.match(question) if index is not None else None
        if hit is None:
            return None
        from bot.core.taught import lesson_answer  # loaded with the index

        faq = self._faq.get(hit.lesson.guild_id)

        def entry(name: str) -> FaqView | None:
            found = faq.entry(name) if faq is not None else None
            return None if found is None else _view(found)

        return lesson_answer(hit, question, self.builder, entry)

    # --- answering ----------------------------------------------------------

    def faq_candidates(self, question: str, guild_id: int | None) -> Candidates | None:
        """The word index's best entries for a question, with the evidence the models weigh."""
        index = self._faq.get(guild_id) if guild_id is not None else None
        if index is None:
            return None
        if small_talk(question) is not None:
            # Thanks for yesterday's help name yesterday's problem; no entry answers them.
            return Candidates.of([], [])
        models = self.faq_decision
        associations = models.associations if models is not None else None
        hits = index.rank(question, limit=CANDIDATES, associations=associations)
        return Candidates.of(hits, index.char_similarities(question, hits))

    def table_view(self, intent: Intent) -> TableView:
        table = intent.confidence if intent.kind in ("feature", "overview") else 0.0
        return TableView(table, table >= self.threshold)

    def _faq_hits(self, question: str, guild_id: int | None, intent: Intent) -> list[FaqHit]:
        """The best two entries, best first, each with the confidence it would answer with.

        With the learned models, the ranker orders the candidates and the
        decision's probability is the confidence; without them, the index's
        own order and calibrated confidence.
        """
        models = self.faq_decision
        if models is None:
            index = self._faq.get(guild_id) if guild_id is not None else None
            if index is None or small_talk(question) is not None:
                return []
            return index.rank(question, limit=2)
        # Small talk gets no candidates there, so no entry.
        candidates = self.faq_candidates(question, guild_id)
        if candidates is None or not candidates.hits:
            return []
        table = self.table_view(intent)
        words = len(tokenize(question))
        poll = asks_for_experience(question)
        hits = []
        for ranked in candidates.ranked(models.ranker)[:2]:
            hit = ranked.hit
            if hit.score >= 1.0:
                # The member asked exactly one of the entry's own questions.
                hits.append(replace(hit, ranked=ranked.score))
                continue
            features = decision_features(
                ranked.vector,
                ranked.score,
                ranked.runner_up,
                table,
                self._faq_only_evidence(question, hit.entry),
                words,
                poll,
            )
            confidence = round(models.decision.probability(features), 3)
            hits.append(replace(hit, confidence=confidence, ranked=ranked.score))
        return hits

    def _faq_confidence(self, hits: list[FaqHit], intent: Intent, question: str) -> float | None:
        """The confidence the FAQ answers with, or None when it does not answer."""
        hit = hits[0]
        if self.faq_decision is None:
            return hit.confidence if self._faq_wins(question, hits, intent) else None
        return hit.confidence if faq_answers(hit, self.table_view(intent), self.threshold) else None

    def _faq_wins(self, question: str, hits: list[FaqHit], intent: Intent) -> bool:
        hit = hits[0]
        if hit.confidence < self.threshold:
            return False
        if intent.kind == "unknown" or intent.confidence < self.threshold:
            return True
        if not hit.head_match:
            return False
        if hit.confidence > intent.confidence or hit.confidence >= 1.0:
            return True
        # One entry far ahead of every other is a question about that entry
        # (".env" in the entry on env files, not the table's secrets), unless
        # the table is nearly sure: table questions that share an entry's
        # words leave two or three entries close together.
        runner_up = hits[1].score if len(hits) > 1 else 0.0
        return (
            hit.score - runner_up >= CLEAR_LEAD
            and intent.confidence < TABLE_SURE
            and self._faq_only_evidence(question, hit.entry)
        )

    def _also_offered(self, best: FaqHit, hit: FaqHit) -> bool:
        """Is the runner-up as good an answer, so that both are offered?

        Either the decision is nearly as sure of it, or the question matches
        both entries' words nearly alike ("come faccio il backup?" next to the
        backups of volumes and of databases), whatever the ranker preferred.
        """
        if hit.other_system:
            return False
        # Words matched alike: the decision's lower confidence in the runner-up
        # is only its lower rank, not weaker evidence.
        if best.score - hit.score <= FAQ_SUGGESTION_GAP / 2:
            return True
        return (
            hit.confidence >= self.threshold
            and best.confidence - hit.confidence <= FAQ_SUGGESTION_GAP
        )

    def _faq_only_evidence(self, question: str, entry: FaqLike) -> bool:
        """Does the question share a word with the entry that the table never uses?

        ".env", "printenv" or "fqdn" say the question is about the entry; words
        the table's phrasings use ("scala", "secret") leave it to the table.
        """
        asked = set(stems(question)) - self._table_stems
        if not asked:
            return False
        written = " ".join((entry.question, *entry.phrasings, entry.answer))
        return not asked.isdisjoint(stems(written))

    def ask(
        self, question: str, context: Context | None = None, guild_id: int | None = None
    ) -> Answer:
        taught = self._taught_answer(question, guild_id)
        if taught is not None:
            return taught
        intent = self.matcher.match(question, context)
        return self._answer(question, intent, self._faq_hits(question, guild_id, intent))

    def _answer(self, question: str, intent: Intent, hits: list[FaqHit]) -> Answer:
        confidence = self._faq_confidence(hits, intent, question) if hits else None
        if confidence is not None:
            best = hits[0]
            also = tuple(_view(hit.entry) for hit in hits[1:] if self._also_offered(best, hit))
            return self.builder.faq_answer(question, _view(best.entry), confidence, also)
        if intent.kind == "feature" and intent.feature is not None:
            return self.builder.feature_answer(
                question, intent.feature, intent.system, intent.confidence, intent.suggestions
            )
        if intent.kind == "overview":
            return self.builder.overview_answer(question, intent.confidence)
        talk = small_talk(question) if not intent.suggestions else None
        if talk is not None:
            return self.builder.small_talk_answer(question, talk)
        unknown = self.builder.unknown_answer(question, intent.confidence, intent.suggestions)
        return replace(unknown, domain=intent.domain, faq_suggestions=self._unsure_faq(hits))

    def _unsure_faq(self, hits: list[FaqHit]) -> tuple[FaqView, ...]:
        """The best entry, offered as a guess when the FAQ is not sure enough to answer.

        Members often describe an entry's problem in words of their own: the
        right entry ranks first but below the threshold. Offered as "Forse
        cercavi", it costs a glance when wrong and saves a moderator when right.
        """
        if not hits or hits[0].other_system or hits[0].confidence < FAQ_UNSURE_FLOOR:
            return ()
        return (_view(hits[0].entry),)

    def probe_faq(self, question: str, guild_id: int, context: Context | None = None) -> FaqProbe:
        """The best two FAQ entries for a question and what the bot would answer."""
        intent = self.matcher.match(question, context)
        hits = self._faq_hits(question, guild_id, intent)
        return FaqProbe(
            question,
            hits[0] if hits else None,
            hits[1] if len(hits) > 1 else None,
            self._answer(question, intent, hits),
            self.threshold,
        )

    def feature(self, feature_id: str, system: str | None = None) -> Answer:
        """A feature's card on request (slash commands, suggestion buttons)."""
        question = self.kb.feature(feature_id).title
        return self.builder.feature_answer(question, feature_id, system or BOTH, 1.0)

    def overview(self) -> Answer:
        return self.builder.overview_answer(self.builder.comparison, 1.0)


def next_context(answer: Answer, previous: Context | None = None) -> Context | None:
    """The context a follow-up question inherits from this answer.

    After chat there is nothing to inherit: "perché?" after "stasera pizza?"
    is not about the last feature, and "e cluster?" after "come si traduce
    failover?" goes on with the chat. An unanswered follow-up ("e i certificati
    tls?") keeps the thread, so "e le password?" after it still knows the system.
    """
    if answer.kind == "feature":
        return Context(answer.feature, answer.system)
    if answer.kind == "overview":
        return Context(system=BOTH, overview=True)
    if answer.kind == "unknown":
        if is_follow_up(answer.question):
            return previous
        return None if answer.domain else Context(chat=True)
    return None
