"""Moderator checks on FAQ entries: which logged questions the FAQ now answers.

Pure: it takes an engine that already holds the server's entries (after an add
or an edit) and the texts of the questions the bot left unanswered.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from bot.core.engine import Engine


@dataclass(frozen=True)
class Answerable:
    question: str
    entry: str  # name of the FAQ entry that would answer it
    confidence: float


def answerable_questions(
    engine: Engine, guild_id: int, questions: Iterable[str], entry: str | None = None
) -> list[Answerable]:
    """The questions the engine would now answer from the FAQ (from `entry` only, if given)."""
    found = []
    for question in questions:
        answer = engine.ask(question, guild_id=guild_id)
        if answer.kind != "faq" or answer.faq is None:
            continue
        if entry is None or answer.faq.name == entry:
            found.append(Answerable(question, answer.faq.name, answer.confidence))
    return found
