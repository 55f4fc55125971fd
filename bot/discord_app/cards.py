"""Answer -> discord.Embed. Rendering only: the content comes from the core."""

from __future__ import annotations

from collections.abc import Sequence

import discord

from bot import messages
from bot.core.answers import Answer
from bot.discord_app.limits import (
    COLOUR_BY_VERDICT,
    CONTENT_LIMIT,
    DESCRIPTION_LIMIT,
    FIELD_COUNT_LIMIT,
    FIELD_NAME_LIMIT,
    FIELD_VALUE_LIMIT,
    FOOTER_LIMIT,
    NEUTRAL_COLOUR,
    TITLE_LIMIT,
    TOTAL_LIMIT,
)


def clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _embed(title: str, description: str, colour: int, footer: str) -> discord.Embed:
    embed = discord.Embed(
        title=clip(title, TITLE_LIMIT),
        description=clip(description, DESCRIPTION_LIMIT) if description else None,
        colour=colour,
    )
    if footer:
        embed.set_footer(text=clip(footer, FOOTER_LIMIT))
    return embed


def feature_card(answer: Answer) -> discord.Embed:
    asked = next((cell for cell in answer.cells if cell.system_id == answer.system), None)
    colour = COLOUR_BY_VERDICT[asked.verdict] if asked else NEUTRAL_COLOUR
    embed = _embed(answer.title, answer.lead, colour, answer.footer)
    for cell in answer.cells:
        embed.add_field(
            name=clip(
                f"{cell.emoji} {cell.system_name}: {messages.VERDICT_WORD[cell.verdict]}",
                FIELD_NAME_LIMIT,
            ),
            value=clip(f"**{cell.headline}**\n{cell.text}", FIELD_VALUE_LIMIT),
            inline=True,
        )
    return embed


def keep_first_lines(lines: Sequence[str], limit: int) -> tuple[list[str], int]:
    """The leading `lines` that fit in `limit` characters once joined by newlines,
    and how many were left out."""
    shown: list[str] = []
    used = 0
    for line in lines:
        cost = len(line) + (1 if shown else 0)
        if used + cost > limit:
            break
        shown.append(line)
        used += cost
    return shown, len(lines) - len(shown)


def overview_card(answer: Answer) -> discord.Embed:
    embed = _embed(answer.title, answer.lead, NEUTRAL_COLOUR, answer.footer)
    rows = answer.overview
    # A big table must not break the card: stop at Discord's field and size
    # limits (keeping room for the note) and say how many rows are left out.
    room = TOTAL_LIMIT - len(embed) - len(messages.OVERVIEW_MORE.format(count=len(rows))) - 1
    for row in rows[:FIELD_COUNT_LIMIT]:
        name = clip(row.title, FIELD_NAME_LIMIT)
        value = "\n".join(f"{cell.emoji} {cell.system_name}: {cell.headline}" for cell in row.cells)
        value = clip(value, FIELD_VALUE_LIMIT)
        if len(name) + len(value) > room:
            break
        embed.add_field(name=name, value=value, inline=False)
        room -= len(name) + len(value)
    hidden = len(rows) - len(embed.fields)
    if hidden:
        note = (
            messages.OVERVIEW_MORE_ONE
            if hidden == 1
            else messages.OVERVIEW_MORE.format(count=hidden)
        )
        text = f"{embed.description}\n{note}" if embed.description else note
        embed.description = clip(text, DESCRIPTION_LIMIT)
    return embed


def faq_card(answer: Answer) -> discord.Embed:
    assert answer.faq is not None
    # Entries are moderator text: shown as written, never as pings (the
    # message is sent with no allowed mentions) and never as a title link.
    embed = _embed(
        discord.utils.escape_markdown(answer.faq.question),
        answer.faq.answer,
        NEUTRAL_COLOUR,
        answer.footer,
    )
    _add_faq_suggestions(embed, answer)
    return embed


def _add_faq_suggestions(embed: discord.Embed, answer: Answer) -> None:
    """Entries worth a look: their questions, and how to open them."""
    if not answer.faq_suggestions:
        return
    lines = [
        messages.FAQ_SUGGESTION_LINE.format(
            question=discord.utils.escape_markdown(view.question), name=view.name
        )
        for view in answer.faq_suggestions
    ]
    embed.add_field(
        name=clip(messages.FAQ_SUGGESTIONS_TITLE, FIELD_NAME_LIMIT),
        value=clip("\n".join(lines), FIELD_VALUE_LIMIT),
        inline=False,
    )


def unknown_card(answer: Answer) -> discord.Embed:
    embed = _embed(answer.title, answer.text, NEUTRAL_COLOUR, "")
    _add_faq_suggestions(embed, answer)
    return embed


def card_for(answer: Answer) -> discord.Embed:
    if answer.kind == "feature":
        return feature_card(answer)
    if answer.kind == "overview":
        return overview_card(answer)
    if answer.kind == "faq":
        return faq_card(answer)
    return unknown_card(answer)


def card_text(embed: discord.Embed) -> str:
    """A card as a plain message, for channels where the bot may not embed.

    Discord drops a bot's embeds there without an error, leaving the buttons
    alone. The text keeps the card's order (title, lead, fields, source) within
    a message's 2000 characters; what does not fit is cut at a whole block, and
    the note says where the full card can be seen.
    """
    blocks: list[str] = []
    if embed.title:
        blocks.append(f"**{embed.title}**")
    if embed.description:
        blocks.append(embed.description)
    blocks.extend(f"**{field.name}**\n{field.value}" for field in embed.fields)
    footer = f"*{embed.footer.text}*" if embed.footer.text else ""
    room = CONTENT_LIMIT - (len(footer) + 1 if footer else 0)
    shown, hidden = keep_first_lines([clip(block, room) for block in blocks], room)
    if hidden:
        room -= len(messages.CARD_TEXT_CUT) + 1
        shown, _ = keep_first_lines([clip(block, room) for block in blocks], room)
        shown.append(messages.CARD_TEXT_CUT)
    if footer:
        shown.append(footer)
    return "\n".join(shown)
