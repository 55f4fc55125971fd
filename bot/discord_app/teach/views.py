"""Components of `/insegna`: one queued question's choices, and what follows a lesson.

Plumbing only, like the FAQ views: what a choice *does* is passed in by the
cog, which owns storage and the engine. Only the moderator who opened a panel
may use it (`OwnedView`), and errors end in `report_error`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

import discord

from bot import messages
from bot.core.taught import Choice
from bot.discord_app.cards import clip
from bot.discord_app.faq.views import PANEL_TIMEOUT, OwnedView
from bot.discord_app.limits import (
    BUTTON_LABEL_LIMIT,
    SELECT_OPTION_LIMIT,
    SELECT_OPTIONS_LIMIT,
    SELECT_PLACEHOLDER_LIMIT,
)


@dataclass(frozen=True)
class Decision:
    """What a moderator picked for one question."""

    choice: Choice
    feature: str | None = None
    system: str | None = None
    faq_name: str | None = None


@dataclass(frozen=True)
class Option:
    label: str
    decision: Decision


DecisionHandler = Callable[[discord.Interaction, Decision], Awaitable[None]]
Press = Callable[[discord.Interaction], Awaitable[None]]


class _DecisionSelect(discord.ui.Select["TeachView"]):
    def __init__(self, placeholder: str, options: Sequence[Option], row: int) -> None:
        self.decisions = [option.decision for option in options[:SELECT_OPTIONS_LIMIT]]
        super().__init__(
            placeholder=clip(placeholder, SELECT_PLACEHOLDER_LIMIT),
            options=[
                discord.SelectOption(
                    label=clip(option.label, SELECT_OPTION_LIMIT) or "?", value=str(index)
                )
                for index, option in enumerate(options[:SELECT_OPTIONS_LIMIT])
            ],
            row=row,
        )

    async def callback(self, interaction: discord.Interaction) -> None:
        assert self.view is not None
        await self.view.decide(interaction, self.decisions[int(self.values[0])])


class _DecisionButton(discord.ui.Button["TeachView"]):
    def __init__(self, label: str, style: discord.ButtonStyle, decision: Decision) -> None:
        super().__init__(label=clip(label, BUTTON_LABEL_LIMIT), style=style, row=2)
        self.decision = decision

    async def callback(self, interaction: discord.Interaction) -> None:
        assert self.view is not None
        await self.view.decide(interaction, self.decision)


class TeachView(OwnedView):
    """The four ways to settle a question: feature and system, FAQ entry, silence, dismiss."""

    def __init__(
        self,
        owner_id: int,
        features: Sequence[Option],
        entries: Sequence[Option],
        on_decision: DecisionHandler,
    ) -> None:
        super().__init__(owner_id, timeout=PANEL_TIMEOUT)
        self.on_decision = on_decision
        if features:
            self.add_item(_DecisionSelect(messages.TEACH_FEATURE_PLACEHOLDER, features, row=0))
        if entries:
            self.add_item(_DecisionSelect(messages.TEACH_FAQ_PLACEHOLDER, entries, row=1))
        self.add_item(
            _DecisionButton(
                messages.TEACH_BUTTON_SILENCE, discord.ButtonStyle.danger, Decision("silence")
            )
        )
        self.add_item(
            _DecisionButton(
                messages.TEACH_BUTTON_DISMISS, discord.ButtonStyle.secondary, Decision("dismiss")
            )
        )

    async def decide(self, interaction: discord.Interaction, decision: Decision) -> None:
        await self.on_decision(interaction, decision)
        self.stop()


class TaughtView(OwnedView):
    """After a lesson: take it back, or go on with the next question."""

    def __init__(self, owner_id: int, *, on_undo: Press, on_next: Press) -> None:
        super().__init__(owner_id, timeout=PANEL_TIMEOUT)
        self.on_undo = on_undo
        self.on_next = on_next

    @discord.ui.button(label=messages.TEACH_BUTTON_UNDO, style=discord.ButtonStyle.danger)
    async def undo(
        self, interaction: discord.Interaction, button: discord.ui.Button[TaughtView]
    ) -> None:
        await self.on_undo(interaction)
        self.stop()

    @discord.ui.button(label=messages.TEACH_BUTTON_NEXT, style=discord.ButtonStyle.primary)
    async def next_question(
        self, interaction: discord.Interaction, button: discord.ui.Button[TaughtView]
    ) -> None:
        await self.on_next(interaction)
        self.stop()
