"""Buttons under a card: full comparison, suggestions, and 👍/👎 feedback."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Final

import discord

from bot import messages
from bot.core.answers import Answer
from bot.core.engine import Engine
from bot.discord_app.cards import card_for, clip
from bot.discord_app.limits import BUTTON_LABEL_LIMIT

log = logging.getLogger(__name__)

VIEW_TIMEOUT: Final = 15 * 60.0
NO_MENTIONS: Final = discord.AllowedMentions.none()


@dataclass(frozen=True)
class Feedback:
    """One 👍/👎 press, as the storage layer records it."""

    guild_id: int | None
    channel_id: int | None
    message_id: int | None
    user_id: int
    kind: str
    topic: str | None
    helpful: bool
    question: str | None = None  # what the asker asked, for the review queue


FeedbackSink = Callable[[Feedback], Awaitable[None]]


async def _log_feedback(feedback: Feedback) -> None:
    log.info("feedback %s", feedback)


class CardView(discord.ui.View):
    """Buttons for an answer card; feedback only from the person who asked."""

    def __init__(
        self,
        engine: Engine,
        answer: Answer,
        asker_id: int,
        on_feedback: FeedbackSink | None = None,
        *,
        show_overview: bool = True,
    ) -> None:
        super().__init__(timeout=VIEW_TIMEOUT)
        self.engine = engine
        self.answer = answer
        self.asker_id = asker_id
        self.on_feedback = on_feedback or _log_feedback
        for feature_id in answer.suggestions:
            if feature_id == answer.feature:
                continue
            self.add_item(SuggestionButton(engine, feature_id, answer.system))
        if show_overview and answer.kind in {"feature", "faq", "unknown"}:
            self.add_item(OverviewButton(engine))
        if answer.kind in {"feature", "overview", "faq"}:
            self.add_item(FeedbackButton(helpful=True))
            self.add_item(FeedbackButton(helpful=False))

    async def on_error(
        self, interaction: discord.Interaction, error: Exception, item: discord.ui.Item[Any]
    ) -> None:
        log.exception("button %s failed", item, exc_info=error)
        await send_ephemeral(interaction, messages.DISCORD_GENERIC_ERROR)


class OverviewButton(discord.ui.Button[CardView]):
    def __init__(self, engine: Engine) -> None:
        super().__init__(label=messages.BUTTON_OVERVIEW, style=discord.ButtonStyle.primary)
        self.engine = engine

    async def callback(self, interaction: discord.Interaction) -> None:
        answer = self.engine.overview()
        await interaction.response.send_message(
            embed=card_for(answer), ephemeral=True, allowed_mentions=NO_MENTIONS
        )


class SuggestionButton(discord.ui.Button[CardView]):
    def __init__(self, engine: Engine, feature_id: str, system: str | None) -> None:
        title = engine.kb.feature(feature_id).title
        super().__init__(
            label=clip(messages.BUTTON_SUGGESTION.format(title=title), BUTTON_LABEL_LIMIT),
            style=discord.ButtonStyle.secondary,
        )
        self.engine = engine
        self.feature_id = feature_id
        self.system = system

    async def callback(self, interaction: discord.Interaction) -> None:
        answer = self.engine.feature(self.feature_id, self.system)
        view = CardView(self.engine, answer, interaction.user.id, show_overview=True)
        if self.view is not None:
            view.on_feedback = self.view.on_feedback
        await interaction.response.send_message(
            embed=card_for(answer), view=view, allowed_mentions=NO_MENTIONS
        )


class FeedbackButton(discord.ui.Button[CardView]):
    def __init__(self, *, helpful: bool) -> None:
        super().__init__(
            emoji="👍" if helpful else "👎",
            style=discord.ButtonStyle.secondary,
        )
        self.helpful = helpful

    async def callback(self, interaction: discord.Interaction) -> None:
        view = self.view
        assert view is not None
        if interaction.user.id != view.asker_id:
            await send_ephemeral(interaction, messages.FEEDBACK_NOT_YOURS)
            return
        answer = view.answer
        topic = answer.feature or (answer.faq.name if answer.faq else None)
        # Thank first: the vote is stored after, so a slow database never
        # makes the interaction miss Discord's 3-second deadline.
        await send_ephemeral(
            interaction, messages.FEEDBACK_THANKS if self.helpful else messages.FEEDBACK_SORRY
        )
        await view.on_feedback(
            Feedback(
                guild_id=interaction.guild_id,
                channel_id=interaction.channel_id,
                message_id=interaction.message.id if interaction.message else None,
                user_id=interaction.user.id,
                kind=answer.kind,
                topic=topic,
                helpful=self.helpful,
                question=answer.question,
            )
        )


async def send_ephemeral(interaction: discord.Interaction, text: str) -> None:
    """Answer privately, whether or not the interaction was already acknowledged."""
    if interaction.response.is_done():
        await interaction.followup.send(text, ephemeral=True, allowed_mentions=NO_MENTIONS)
    else:
        await interaction.response.send_message(text, ephemeral=True, allowed_mentions=NO_MENTIONS)
