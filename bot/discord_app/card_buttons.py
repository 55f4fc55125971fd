"""Buttons under a card whose meaning lives in their `custom_id`.

Each button is a `discord.ui.DynamicItem`: the client matches the id of a
pressed button against the templates below (registered once, in
`TimoniereBot.setup_hook`) and rebuilds the button from it. So a card keeps
working after any restart and for as long as the message exists, and the bot
holds no view object, and runs no timeout task, per reply.

The ids are a stable format: cards already posted carry them, so a change
here must keep parsing the old ones.

    card:overview                               full comparison
    card:suggest:<feature>:<system>              "Forse: ..." (system may be empty)
    card:vote:<up|down>:<asker>:<kind>:<topic>   👍/👎 (topic: feature id or FAQ name)

A press the bot can no longer honour (the feature left the table, the FAQ
entry was deleted) gets a short private explanation, never a failed
interaction. discord.py only logs a dynamic item's exceptions, so every
callback reports its own failures.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, Final, Self, cast

import discord

from bot import messages
from bot.core.answers import Answer
from bot.core.knowledge import KnowledgeBase
from bot.discord_app.cards import card_for, clip
from bot.discord_app.errors import report_error
from bot.discord_app.limits import BUTTON_LABEL_LIMIT
from bot.discord_app.threads import question_text
from bot.discord_app.views import NO_MENTIONS, Feedback, send_ephemeral

if TYPE_CHECKING:
    from bot.discord_app.client import TimoniereBot

# Feature ids, system ids and FAQ names are all lowercase ASCII words joined by
# hyphens, at most 32 characters (knowledge.MAX_FEATURE_ID, faq.NAME_MAX).
_SLUG: Final = r"[a-z0-9-]{1,32}"
VOTE_KINDS: Final = ("feature", "overview", "faq")

Button = discord.ui.Button[discord.ui.View]


def _bot(interaction: discord.Interaction) -> TimoniereBot:
    return cast("TimoniereBot", interaction.client)


class OverviewButton(discord.ui.DynamicItem[Button], template=r"card:overview"):
    """The full comparison, shown only to whoever pressed."""

    def __init__(self) -> None:
        super().__init__(
            discord.ui.Button(
                label=messages.BUTTON_OVERVIEW,
                style=discord.ButtonStyle.primary,
                custom_id="card:overview",
            )
        )

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> Self:
        return cls()

    async def callback(self, interaction: discord.Interaction) -> None:
        await guarded(interaction, "the full comparison button", lambda: show_overview(interaction))


class SuggestionButton(
    discord.ui.DynamicItem[Button],
    template=rf"card:suggest:(?P<feature>{_SLUG}):(?P<system>{_SLUG})?",
):
    """ "Forse: <feature>": that feature's card, for everyone, with its own buttons."""

    def __init__(self, feature_id: str, system: str | None, title: str = "") -> None:
        super().__init__(
            discord.ui.Button(
                label=clip(messages.BUTTON_SUGGESTION.format(title=title), BUTTON_LABEL_LIMIT),
                style=discord.ButtonStyle.secondary,
                custom_id=f"card:suggest:{feature_id}:{system or ''}",
            )
        )
        self.feature_id = feature_id
        self.system = system

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> Self:
        return cls(match["feature"], match["system"])

    async def callback(self, interaction: discord.Interaction) -> None:
        await guarded(
            interaction,
            f"the suggestion button for {self.feature_id}",
            lambda: show_feature(interaction, self.feature_id, self.system),
        )


class VoteButton(
    discord.ui.DynamicItem[Button],
    template=(
        r"card:vote:(?P<vote>up|down):(?P<asker>[0-9]{1,20}):"
        rf"(?P<kind>{'|'.join(VOTE_KINDS)}):(?P<topic>{_SLUG})?"
    ),
):
    """👍/👎 on a card; only the person who asked may vote."""

    def __init__(self, *, helpful: bool, asker_id: int, kind: str, topic: str | None) -> None:
        vote = "up" if helpful else "down"
        super().__init__(
            discord.ui.Button(
                emoji="👍" if helpful else "👎",
                style=discord.ButtonStyle.secondary,
                custom_id=f"card:vote:{vote}:{asker_id}:{kind}:{topic or ''}",
            )
        )
        self.helpful = helpful
        self.asker_id = asker_id
        self.kind = kind
        self.topic = topic

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> Self:
        return cls(
            helpful=match["vote"] == "up",
            asker_id=int(match["asker"]),
            kind=match["kind"],
            topic=match["topic"],
        )

    async def callback(self, interaction: discord.Interaction) -> None:
        await guarded(interaction, "a feedback button", lambda: self._vote(interaction))

    async def _vote(self, interaction: discord.Interaction) -> None:
        if interaction.user.id != self.asker_id:
            await send_ephemeral(interaction, messages.FEEDBACK_NOT_YOURS)
            return
        gone = await self._gone(interaction)
        if gone is not None:
            await send_ephemeral(interaction, gone)
            return
        # Thank first: the vote is stored after, so a slow database never
        # makes the interaction miss Discord's 3-second deadline.
        await send_ephemeral(
            interaction, messages.FEEDBACK_THANKS if self.helpful else messages.FEEDBACK_SORRY
        )
        message = interaction.message
        await _bot(interaction).record_feedback(
            Feedback(
                guild_id=interaction.guild_id,
                channel_id=interaction.channel_id,
                message_id=message.id if message else None,
                user_id=interaction.user.id,
                kind=self.kind,
                topic=self.topic,
                helpful=self.helpful,
                question=asked_question(message),
            )
        )

    async def _gone(self, interaction: discord.Interaction) -> str | None:
        """Why this vote no longer means anything, or None while its subject exists."""
        bot = _bot(interaction)
        topic = self.topic
        if self.kind == "feature" and topic is not None and not _has_feature(bot.engine.kb, topic):
            return messages.FEEDBACK_FEATURE_GONE
        if self.kind == "faq" and self.topic is not None and interaction.guild_id is not None:
            await bot.ensure_faq_loaded(interaction.guild_id)
            names = {name for name, _ in bot.engine.faq_questions(interaction.guild_id) or []}
            if self.topic not in names:
                return messages.FEEDBACK_FAQ_GONE
        return None


async def show_overview(interaction: discord.Interaction) -> None:
    """The full comparison, privately."""
    answer = _bot(interaction).engine.overview()
    await interaction.response.send_message(
        embed=card_for(answer), ephemeral=True, allowed_mentions=NO_MENTIONS
    )


async def show_feature(
    interaction: discord.Interaction, feature_id: str | None, system: str | None
) -> None:
    """A feature's card for everyone, or why it cannot be shown any more."""
    engine = _bot(interaction).engine
    if feature_id is None or not _has_feature(engine.kb, feature_id):
        await send_ephemeral(interaction, messages.BUTTON_FEATURE_GONE)
        return
    answer = engine.feature(feature_id, system if system in engine.kb.system_ids else None)
    await interaction.response.send_message(
        embed=card_for(answer),
        view=card_view(engine.kb, answer, interaction.user.id),
        allowed_mentions=NO_MENTIONS,
    )


async def guarded(
    interaction: discord.Interaction, what: object, run: Callable[[], Awaitable[None]]
) -> None:
    """Run a button's work; whatever breaks, the user hears back (discord.py would
    only log a dynamic item's exception and let the interaction fail)."""
    try:
        await run()
    except Exception as exc:
        await report_error(interaction, exc, what)


def asked_question(card: discord.Message | None) -> str | None:
    """The question a card answered, as the bot read it, when the card is a reply
    to it (chat answers, forum posts with their title).

    Nothing is stored per card: the reply reference is the record. Slash-command
    cards carry no question, and without the Message Content intent it is blank.
    """
    reference = card.reference if card is not None else None
    resolved = reference.resolved if reference is not None else None
    if isinstance(resolved, discord.Message):
        return question_text(resolved) or None
    return None


def _has_feature(kb: KnowledgeBase, feature_id: str) -> bool:
    return any(feature.id == feature_id for feature in kb.features)


def card_view(
    kb: KnowledgeBase, answer: Answer, asker_id: int, *, show_overview: bool = True
) -> discord.ui.View:
    """The buttons for a card. The view only carries them to Discord: with no
    timeout and only dynamic items, discord.py keeps nothing of it after sending."""
    view = discord.ui.View(timeout=None)
    for feature_id in answer.suggestions:
        if feature_id == answer.feature:
            continue
        title = kb.feature(feature_id).title
        view.add_item(SuggestionButton(feature_id, answer.system, title))
    if show_overview and answer.kind in {"feature", "faq", "unknown"}:
        view.add_item(OverviewButton())
    if answer.kind in VOTE_KINDS:
        topic = answer.feature or (answer.faq.name if answer.faq else None)
        for helpful in (True, False):
            view.add_item(
                VoteButton(helpful=helpful, asker_id=asker_id, kind=answer.kind, topic=topic)
            )
    return view


CARD_BUTTONS: Final = (OverviewButton, SuggestionButton, VoteButton)

__all__ = ["CARD_BUTTONS", "card_view"]
