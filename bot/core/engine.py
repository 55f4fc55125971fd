"""The engine: one call from a question (plus context) to a finished answer.

It owns the comparison matcher and each server's FAQ index. When an FAQ entry
and a table feature both clear the threshold, the higher confidence wins; on
a tie the FAQ entry wins, because a moderator wrote it for that server on
purpose and it is the more specific answer.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import Final

from bot.core.answers import Answer, AnswerBuilder, FaqView
from bot.core.faq_index import FaqIndex, FaqLike
from bot.core.knowledge import KnowledgeBase
from bot.core.matcher import BOTH, Context, Matcher, is_follow_up
from bot.core.text import tokenize

DEFAULT_THRESHOLD: Final = 0.5


class Engine:
    def __init__(self, kb: KnowledgeBase, threshold: float = DEFAULT_THRESHOLD) -> None:
        self.kb = kb
        self.threshold = threshold
        self.matcher = Matcher(kb, threshold)
        self.builder = AnswerBuilder(kb)
        self._faq: dict[int, FaqIndex] = {}
        # FAQ texts read "k8s", "kube" and "kubernetes" as one word. Only
        # one-word aliases: "docker-compose.yml" must not make "yml" a system.
        self._aliases = {
            tokens[0]: system.id
            for system in kb.systems
            for alias in (system.name, *system.aliases)
            if len(tokens := tokenize(alias)) == 1
        }

    def with_knowledge(self, kb: KnowledgeBase) -> Engine:
        """A new engine over `kb` (a reloaded table) that keeps this one's FAQ indexes.

        The indexes are shared, not copied: an FAQ edit that lands on the old
        engine while answers still hold it is seen by the new one too.
        """
        engine = Engine(kb, self.threshold)
        engine._faq = self._faq
        return engine

    # --- FAQ entries --------------------------------------------------------

    def set_faq(self, guild_id: int, entries: Iterable[FaqLike]) -> None:
        self._faq[guild_id] = FaqIndex(entries, self._aliases)

    def upsert_faq(self, guild_id: int, entry: FaqLike, previous_name: str | None = None) -> None:
        self._faq.setdefault(guild_id, FaqIndex(aliases=self._aliases)).upsert(entry, previous_name)

    def remove_faq(self, guild_id: int, name: str) -> None:
        index = self._faq.get(guild_id)
        if index is not None:
            index.remove(name)

    def faq_count(self, guild_id: int) -> int:
        index = self._faq.get(guild_id)
        return len(index) if index is not None else 0

    # --- answering ----------------------------------------------------------

    def ask(
        self, question: str, context: Context | None = None, guild_id: int | None = None
    ) -> Answer:
        intent = self.matcher.match(question, context)
        index = self._faq.get(guild_id) if guild_id is not None else None
        hit = index.search(question) if index is not None else None
        if hit is not None and hit.confidence >= self.threshold:
            table_confidence = intent.confidence if intent.kind != "unknown" else 0.0
            if hit.confidence >= table_confidence:
                view = FaqView(hit.entry.name, hit.entry.question, hit.entry.answer)
                return self.builder.faq_answer(question, view, hit.confidence)
        if intent.kind == "feature" and intent.feature is not None:
            return self.builder.feature_answer(
                question, intent.feature, intent.system, intent.confidence, intent.suggestions
            )
        if intent.kind == "overview":
            return self.builder.overview_answer(question, intent.confidence)
        unknown = self.builder.unknown_answer(question, intent.confidence, intent.suggestions)
        return replace(unknown, domain=intent.domain)

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
