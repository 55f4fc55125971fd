"""What `/insegna` shows: the queue, one question's choices, lessons in words."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

import discord

from bot import messages
from bot.core.knowledge import KnowledgeBase
from bot.core.matcher import BOTH
from bot.core.taught import Lesson
from bot.discord_app.cards import clip
from bot.discord_app.faq.rendering import pick_list_embed, plain, times
from bot.discord_app.faq.views import PickOption
from bot.discord_app.limits import CONTENT_LIMIT
from bot.discord_app.teach.views import Decision, Option
from bot.storage import ReviewItem

QUESTION_SHOWN: Final = 200


def _why(item: ReviewItem) -> str:
    return (
        messages.TEACH_WHY_UNHELPFUL
        if item.reason == "unhelpful"
        else messages.TEACH_WHY_UNANSWERED
    )


def _quoted(question: str) -> str:
    return plain(clip(" ".join(question.split()), QUESTION_SHOWN))


def queue_embed(items: Sequence[ReviewItem]) -> discord.Embed:
    rows = [
        messages.TEACH_QUEUE_ROW.format(
            number=number, question=_quoted(item.question), why=_why(item), times=times(item.count)
        )
        for number, item in enumerate(items, start=1)
    ]
    return pick_list_embed(messages.TEACH_QUEUE_TITLE, rows, messages.TEACH_QUEUE_HINT)


def queue_options(items: Sequence[ReviewItem]) -> list[PickOption]:
    return [
        PickOption(
            " ".join(item.question.split()),
            messages.TEACH_OPTION_DESCRIPTION.format(why=_why(item), times=times(item.count)),
        )
        for item in items
    ]


def system_name(kb: KnowledgeBase, system: str | None) -> str:
    if system is None or system == BOTH or system not in kb.system_ids:
        return messages.TEACH_BOTH_SYSTEMS
    return kb.system(system).name


def feature_title(kb: KnowledgeBase, feature: str | None) -> str:
    known = {item.id: item.title for item in kb.features}
    return known.get(feature or "", feature or "?")


def feature_options(kb: KnowledgeBase) -> list[Option]:
    """Every feature for each system, and for both."""
    return [
        Option(
            messages.TEACH_FEATURE_OPTION.format(
                feature=feature.title, system=system_name(kb, system)
            ),
            Decision("feature", feature=feature.id, system=system),
        )
        for feature in kb.features
        for system in (*kb.system_ids, BOTH)
    ]


def entry_options(entries: Sequence[tuple[str, str]]) -> list[Option]:
    return [
        Option(f"{name} — {' '.join(question.split())}", Decision("faq", faq_name=name))
        for name, question in entries
    ]


def panel_text(item: ReviewItem, kb: KnowledgeBase) -> str:
    if item.reason == "unanswered" or item.answer_kind in (None, "unknown"):
        was = messages.TEACH_PANEL_WAS_UNANSWERED
    elif item.answer_kind == "feature":
        was = messages.TEACH_PANEL_WAS_FEATURE.format(feature=feature_title(kb, item.subject))
    elif item.answer_kind == "faq":
        was = messages.TEACH_PANEL_WAS_FAQ.format(name=item.subject)
    else:
        was = messages.TEACH_PANEL_WAS_OTHER
    text = messages.TEACH_PANEL.format(question=_quoted(item.question))
    return clip(f"{text}\n{was}", CONTENT_LIMIT)


def lesson_target(lesson: Lesson, kb: KnowledgeBase) -> str:
    """What a lesson makes the bot do, in a few words."""
    if lesson.choice == "feature":
        return messages.TEACH_LESSON_FEATURE.format(
            feature=feature_title(kb, lesson.feature), system=system_name(kb, lesson.system)
        )
    if lesson.choice == "faq":
        return messages.TEACH_LESSON_FAQ.format(name=lesson.faq_name)
    if lesson.choice == "silence":
        return messages.TEACH_LESSON_SILENCE
    return messages.TEACH_LESSON_DISMISS


def taught_text(lesson: Lesson, kb: KnowledgeBase, also: int = 0) -> str:
    """The confirmation; `also` waiting paraphrases left the queue with the question."""
    question = _quoted(lesson.question)
    if lesson.choice == "feature":
        text = messages.TEACH_DONE_FEATURE.format(
            question=question,
            feature=feature_title(kb, lesson.feature),
            system=system_name(kb, lesson.system),
        )
    elif lesson.choice == "faq":
        text = messages.TEACH_DONE_FAQ.format(question=question, name=lesson.faq_name)
    elif lesson.choice == "silence":
        text = messages.TEACH_DONE_SILENCE.format(question=question)
    else:
        text = messages.TEACH_DONE_DISMISS.format(question=question)
    if also == 1:
        text += " " + messages.TEACH_ALSO_SETTLED_ONE
    elif also > 1:
        text += " " + messages.TEACH_ALSO_SETTLED.format(count=also)
    return clip(text, CONTENT_LIMIT)


def undone_text(lesson: Lesson) -> str:
    return clip(messages.TEACH_UNDONE.format(question=_quoted(lesson.question)), CONTENT_LIMIT)


def lesson_options(lessons: Sequence[Lesson], kb: KnowledgeBase) -> list[PickOption]:
    return [
        PickOption(
            " ".join(lesson.question.split()),
            messages.TEACH_LESSON_DESCRIPTION.format(
                what=lesson_target(lesson, kb),
                when=lesson.at.strftime("%d/%m/%Y %H:%M UTC") if lesson.at else "",
            ),
        )
        for lesson in lessons
    ]
