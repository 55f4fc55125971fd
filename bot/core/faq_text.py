"""FAQ text that both the console and Discord show, built once.

Each adapter fills in what only it knows how to render: moments (a fixed
format on the console, a localised timestamp on Discord), people (an id or a
mention) and emphasis (markdown is Discord's).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from bot import messages as msg
from bot.core.faq import HistoryRecord


def _as_is(text: str) -> str:
    return text


def entry_line(name: str, question: str) -> str:
    """One entry in a list: its name and its question."""
    return msg.FAQ_LIST_ROW.format(name=name, question=question)


def history_line(
    record: HistoryRecord,
    *,
    when: Callable[[datetime], str],
    user: Callable[[int], str],
    emphasis: Callable[[str], str] = _as_is,
) -> str:
    """One change of an entry: when, what, who and which fields changed."""
    fields = record.changed_fields()
    details = ""
    if fields:
        names = ", ".join(msg.FAQ_FIELD_NAMES[field] for field in fields)
        details = msg.FAQ_HISTORY_CHANGED.format(fields=names)
    return msg.FAQ_HISTORY_ROW.format(
        at=when(record.at),
        action=emphasis(msg.FAQ_ACTIONS[record.action]),
        actor=actor(record.actor_id, user),
        details=details,
    )


def actor(actor_id: int | None, user: Callable[[int], str]) -> str:
    """Who made a change: a Discord user, or the console (no id)."""
    return msg.FAQ_ACTOR_CONSOLE if actor_id is None else user(actor_id)
