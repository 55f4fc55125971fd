"""Answer building: from an intent to what the bot says, as plain data.

Adapters render an `Answer` (a Discord embed, terminal columns, JSON); they do
not decide anything about its content. The plain `text` is the whole reply
for places that show no card.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Final, Literal

from bot import messages
from bot.core.faq_links import unmask_links
from bot.core.knowledge import Feature, KnowledgeBase
from bot.core.lead import LeadReader
from bot.core.small_talk import SmallTalk

AnswerKind = Literal["feature", "overview", "faq", "unknown"]

_BOLD: Final = re.compile(r"\*\*(.+?)\*\*")


def plain(text: str) -> str:
    """The cell text without markdown emphasis, for terminals and JSON."""
    return _BOLD.sub(r"\1", text)


# A card's texts come from the table and `messages` alone: a few hundred at most.
_plain_card = lru_cache(maxsize=1024)(plain)


@dataclass(frozen=True)
class CellView:
    system_id: str
    system_name: str
    verdict: str
    emoji: str
    headline: str
    text: str


@dataclass(frozen=True)
class OverviewRow:
    feature_id: str
    title: str
    cells: tuple[CellView, ...]


@dataclass(frozen=True)
class FaqView:
    name: str
    question: str
    answer: str


@dataclass(frozen=True)
class Answer:
    question: str
    kind: AnswerKind
    feature: str | None
    system: str | None
    confidence: float
    text: str
    suggestions: tuple[str, ...] = ()
    # Card parts; which ones are set depends on `kind`.
    title: str = ""
    lead: str = ""
    cells: tuple[CellView, ...] = ()
    overview: tuple[OverviewRow, ...] = ()
    faq: FaqView | None = None
    # Entries almost as close as `faq`, offered next to it ("Forse cercavi"),
    # or, for an unknown answer, the entry the FAQ was not sure enough of.
    # Kept apart from `suggestions`, which name table features.
    faq_suggestions: tuple[FaqView, ...] = ()
    footer: str = ""
    # The short answer the lead gives to the question as asked: "si", "no",
    # "parziale", or None when it gives none (see bot/core/lead.py).
    direct: str | None = None
    # The question was about computing (a system or an infrastructure word
    # named), even if unanswered; chat is not. Conversation memory uses it.
    domain: bool = True
    # A moderator taught the bot not to answer questions like this one: say
    # nothing, and don't log it as unanswered (see bot/core/taught.py).
    declined: bool = False
    # A greeting or thanks addressed to the bot, answered in kind: not a
    # question left unanswered (see bot/core/small_talk.py).
    small_talk: bool = False

    def to_json(self) -> dict[str, object]:
        data: dict[str, object] = {
            "question": self.question,
            "kind": self.kind,
            "feature": self.feature,
            "system": self.system,
            "confidence": round(self.confidence, 3),
            "answer": self.text,
            "suggestions": list(self.suggestions),
            "direct": self.direct,
        }
        if self.kind == "faq" and self.faq is not None:
            # For an FAQ answer, the suggestions are the names of close entries.
            data["suggestions"] = [view.name for view in self.faq_suggestions]
            data["faq"] = self.faq.name
        elif self.faq_suggestions:
            # No answer, but an entry worth a look ("Forse cercavi").
            data["faq_suggestions"] = [view.name for view in self.faq_suggestions]
        return data


class AnswerBuilder:
    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        names = [system.name for system in kb.systems]
        self.comparison = " vs ".join(names)
        self.systems_spoken = " e ".join(names)
        self.footer = messages.CARD_FOOTER.format(source=kb.source)
        self.leads = LeadReader(kb)
        # The table never changes under a builder: each card's cells are built once.
        self._cells: dict[tuple[str, str | None], tuple[CellView, ...]] = {}
        self._system_ids = frozenset(system.id for system in kb.systems)

    def cells(self, feature: Feature, first_system: str | None) -> tuple[CellView, ...]:
        """Both cells, the system asked about first."""
        # Any other value orders the cells as no system does.
        first = first_system if first_system in self._system_ids else None
        key = (feature.id, first)
        cells = self._cells.get(key)
        if cells is None:
            cells = self._cells[key] = self._build_cells(feature, first)
        return cells

    def _build_cells(self, feature: Feature, first_system: str | None) -> tuple[CellView, ...]:
        systems = sorted(self.kb.systems, key=lambda system: system.id != first_system)
        return tuple(
            CellView(
                system_id=system.id,
                system_name=system.name,
                verdict=feature.cells[system.id].verdict,
                emoji=messages.VERDICT_EMOJI[feature.cells[system.id].verdict],
                headline=feature.cells[system.id].headline,
                text=feature.cells[system.id].text,
            )
            for system in systems
        )

    def feature_answer(
        self,
        question: str,
        feature_id: str,
        system: str | None,
        confidence: float,
        suggestions: tuple[str, ...] = (),
    ) -> Answer:
        feature = self.kb.feature(feature_id)
        cells = self.cells(feature, system)
        asked = next((cell for cell in cells if cell.system_id == system), None)
        reading = self.leads.read(question, feature_id, system, suggestions)
        short = (
            messages.LEAD[reading.key].format(system=reading.system or "")
            if reading.key is not None
            else None
        )
        if asked is not None:
            lead = (
                messages.FEATURE_LEAD.format(
                    lead=short, system=asked.system_name, headline=asked.headline, text=asked.text
                )
                if short is not None
                else messages.FEATURE_OPEN_LEAD.format(
                    system=asked.system_name, headline=asked.headline, text=asked.text
                )
            )
            other_lines = [
                messages.FEATURE_OTHER.format(
                    system=cell.system_name,
                    verdict=messages.VERDICT_WORD[cell.verdict].lower(),
                    headline=cell.headline,
                )
                for cell in cells
                if cell is not asked
            ]
            text = "\n".join([_plain_card(lead), *other_lines])
        else:
            lead = (
                messages.FEATURE_BOTH_DIRECT_LEAD.format(lead=short, feature=feature.title)
                if short is not None
                else messages.FEATURE_BOTH_LEAD.format(feature=feature.title)
            )
            text = "\n".join(
                [
                    _plain_card(lead),
                    *(
                        messages.FEATURE_CELL_LINE.format(
                            system=cell.system_name,
                            emoji=cell.emoji,
                            verdict=messages.VERDICT_WORD[cell.verdict],
                            headline=cell.headline,
                            text=_plain_card(cell.text),
                        )
                        for cell in cells
                    ),
                ]
            )
        return Answer(
            question=question,
            kind="feature",
            feature=feature_id,
            system=system,
            confidence=confidence,
            text=text,
            suggestions=suggestions,
            title=messages.CARD_TITLE.format(feature=feature.title, comparison=self.comparison),
            lead=lead,
            cells=cells,
            footer=self.footer,
            direct=reading.direct,
        )

    def overview_rows(self) -> tuple[OverviewRow, ...]:
        return tuple(
            OverviewRow(feature.id, feature.title, self.cells(feature, None))
            for feature in self.kb.features
        )

    def overview_answer(self, question: str, confidence: float) -> Answer:
        rows = self.overview_rows()
        intro = messages.OVERVIEW_INTRO.format(comparison=self.comparison)
        lines = [intro]
        for row in rows:
            parts = ", ".join(
                f"{cell.system_name} {cell.emoji} {cell.headline}" for cell in row.cells
            )
            lines.append(f"• {row.title}: {parts}")
        return Answer(
            question=question,
            kind="overview",
            feature=None,
            system="both",
            confidence=confidence,
            text="\n".join(lines),
            title=messages.OVERVIEW_TITLE.format(comparison=self.comparison),
            lead=intro,
            overview=rows,
            footer=self.footer,
        )

    def topics(self) -> str:
        titles = [feature.title for feature in self.kb.features]
        if len(titles) == 1:
            return titles[0]
        return ", ".join(titles[:-1]) + " e " + titles[-1]

    def suggestion_text(self, suggestions: tuple[str, ...]) -> str:
        titles = [self.kb.feature(feature_id).title for feature_id in suggestions]
        return messages.SUGGESTIONS.format(options=messages.SUGGESTIONS_JOIN.join(titles))

    def faq_suggestion_text(self, views: tuple[FaqView, ...]) -> str:
        questions = [f"«{view.question}»" for view in views]
        return messages.FAQ_SUGGESTIONS.format(options=messages.SUGGESTIONS_JOIN.join(questions))

    def unknown_answer(
        self, question: str, confidence: float, suggestions: tuple[str, ...] = ()
    ) -> Answer:
        lines = [messages.UNKNOWN_INTRO]
        if suggestions:
            lines.append(self.suggestion_text(suggestions))
        lines.append(
            messages.UNKNOWN_TOPICS.format(comparison=self.comparison, topics=self.topics())
        )
        example = next((f.examples[0] for f in self.kb.features if f.examples), None)
        if example:
            lines.append(messages.UNKNOWN_HINT.format(example=example))
        return Answer(
            question=question,
            kind="unknown",
            feature=None,
            system=None,
            confidence=confidence,
            text="\n".join(lines),
            suggestions=suggestions,
            title=messages.UNKNOWN_TITLE,
            lead="\n".join(lines),
        )

    def small_talk_answer(self, question: str, talk: SmallTalk) -> Answer:
        if talk == "thanks":
            text = messages.SMALL_TALK_THANKS.format(systems=self.systems_spoken)
        else:
            lines = [messages.SMALL_TALK_GREETING.format(systems=self.systems_spoken)]
            example = next((f.examples[0] for f in self.kb.features if f.examples), None)
            if example:
                lines.append(messages.UNKNOWN_HINT.format(example=example))
            text = "\n".join(lines)
        return Answer(
            question=question,
            kind="unknown",
            feature=None,
            system=None,
            confidence=0.0,
            text=text,
            lead=text,
            domain=False,
            small_talk=True,
        )

    def faq_answer(
        self,
        question: str,
        faq: FaqView,
        confidence: float,
        also: tuple[FaqView, ...] = (),
    ) -> Answer:
        shown = replace(faq, answer=unmask_links(faq.answer))
        return Answer(
            question=question,
            kind="faq",
            feature=None,
            system=None,
            confidence=confidence,
            text=shown.answer,
            title=faq.question,
            lead=shown.answer,
            faq=shown,
            faq_suggestions=also,
            footer=messages.FAQ_FOOTER.format(name=faq.name),
        )
