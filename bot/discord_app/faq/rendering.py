"""What the FAQ shows on Discord: embeds and lines built from entries and records.

Text the console shows too comes from `bot.core.faq_text`; this module fills it
the Discord way (timestamps, mentions, markdown) and escapes what users wrote.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Final

import discord

from bot import messages
from bot.core.faq import FaqEntry, HistoryRecord
from bot.core.faq_text import entry_line, history_line
from bot.discord_app.cards import clip
from bot.discord_app.faq.views import PickOption
from bot.discord_app.limits import DESCRIPTION_LIMIT, NEUTRAL_COLOUR, TITLE_LIMIT
from bot.storage import UnansweredQuestion

UNANSWERED_EXAMPLE_SHOWN: Final = 200


def plain(text: str) -> str:
    """User-written text shown inside our own formatting: no markdown, no mention syntax."""
    return discord.utils.escape_mentions(discord.utils.escape_markdown(text))


def times(count: int) -> str:
    return messages.FAQ_TIMES_ONE if count == 1 else messages.FAQ_TIMES_MANY.format(count=count)


def older_changes(count: int) -> str:
    if count == 1:
        return messages.FAQ_HISTORY_OLDER_ONE
    return messages.FAQ_HISTORY_OLDER_MANY.format(count=count)


def keep_last_lines(lines: list[str], limit: int, older: Callable[[int], str]) -> str:
    """The most recent lines that fit in `limit`, with `older(count)` about the others."""
    kept: list[str] = []
    size = 0
    reserve = len(older(len(lines))) + 1
    for line in reversed(lines):
        if size + len(line) + 1 > limit - reserve:
            break
        kept.append(line)
        size += len(line) + 1
    kept.reverse()
    dropped = len(lines) - len(kept)
    if dropped:
        kept.insert(0, older(dropped))
    return "\n".join(kept)


def discord_time(moment: datetime) -> str:
    """A timestamp each reader sees in their own time zone and language."""
    return discord.utils.format_dt(moment, "f")


def _mention(user_id: int) -> str:
    return f"<@{user_id}>"


def _bold(text: str) -> str:
    return f"**{text}**"


def history_embed(records: Sequence[HistoryRecord]) -> discord.Embed:
    """Every change of an entry, oldest first; the newest kept when they don't all fit."""
    lines = [
        history_line(record, when=discord_time, user=_mention, emphasis=_bold) for record in records
    ]
    return discord.Embed(
        title=clip(messages.FAQ_HISTORY_TITLE.format(name=records[-1].name), TITLE_LIMIT),
        description=keep_last_lines(lines, DESCRIPTION_LIMIT, older_changes),
        colour=NEUTRAL_COLOUR,
    )


def list_embed(entries: Sequence[FaqEntry], page: int, pages: int, total: int) -> discord.Embed:
    """One page of `/faq-elenco`; no description when the server has no entry."""
    rows = [entry_line(f"`{entry.name}`", plain(entry.question)) for entry in entries]
    embed = discord.Embed(
        title=messages.FAQ_LIST_TITLE,
        description=clip("\n".join(rows), DESCRIPTION_LIMIT) if rows else None,
        colour=NEUTRAL_COLOUR,
    )
    embed.set_footer(text=messages.FAQ_LIST_FOOTER.format(page=page + 1, pages=pages, total=total))
    return embed


def unanswered_embed(questions: Sequence[UnansweredQuestion]) -> discord.Embed:
    """The most asked questions nobody answered, numbered."""
    rows = [
        messages.FAQ_UNANSWERED_ROW.format(
            number=number,
            question=plain(clip(question.example, UNANSWERED_EXAMPLE_SHOWN)),
            times=times(question.count),
        )
        for number, question in enumerate(questions, start=1)
    ]
    return pick_list_embed(messages.FAQ_UNANSWERED_TITLE, rows, messages.FAQ_UNANSWERED_HINT)


def pick_list_embed(title: str, rows: Sequence[str], hint: str) -> discord.Embed:
    """Numbered questions for a moderator to pick from (a menu under it), and how to pick.

    `/faq senza-risposta` and `/insegna coda` show their lists the same way.
    """
    embed = discord.Embed(
        title=title, description=clip("\n".join(rows), DESCRIPTION_LIMIT), colour=NEUTRAL_COLOUR
    )
    embed.set_footer(text=hint)
    return embed


def unanswered_options(questions: Sequence[UnansweredQuestion]) -> list[PickOption]:
    """The same questions as menu options (one line each)."""
    return [PickOption(" ".join(q.example.split()), times(q.count)) for q in questions]


def removal_prompt(entry: FaqEntry) -> str:
    return messages.FAQ_REMOVE_CONFIRM.format(name=entry.name, question=plain(entry.question))


NOW_ANSWERS_SHOWN = 5
# Logged examples can be 500 characters: five of them must fit one message.
NOW_ANSWERS_QUESTION_MAX = 200


def now_answers(questions: Sequence[str]) -> str:
    """The unanswered questions an entry now answers, as lines after a confirmation."""
    if not questions:
        return ""
    shown = [
        messages.FAQ_NOW_ANSWERS_ROW.format(question=plain(clip(q, NOW_ANSWERS_QUESTION_MAX)))
        for q in questions
    ]
    lines = [messages.FAQ_NOW_ANSWERS, *shown[:NOW_ANSWERS_SHOWN]]
    if len(shown) > NOW_ANSWERS_SHOWN:
        lines.append(messages.FAQ_NOW_ANSWERS_MORE.format(count=len(shown) - NOW_ANSWERS_SHOWN))
    return "\n\n" + "\n".join(lines)
