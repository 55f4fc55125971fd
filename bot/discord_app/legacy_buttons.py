"""Buttons of cards posted before the buttons had stable ids.

Those cards carry discord.py's random ids (32 hex digits), which no running
bot knows any more, so without this every press would fail. The button's
label still says what it was for: the full comparison and a "Forse: <title>"
suggestion are answered as before; a vote cannot be (the old id does not say
who asked, nor about what), so the member is told to ask again.

Random ids are also used by live, short-lived views (the FAQ panels), which
discord.py dispatches itself: `interaction_check` lets this item act only on
a card's buttons, which those panels never have.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Final, Self, cast

import discord

from bot import messages
from bot.discord_app.card_buttons import guarded, show_feature, show_overview
from bot.discord_app.views import send_ephemeral

if TYPE_CHECKING:
    from bot.discord_app.client import TimoniereBot

VOTE_EMOJIS: Final = frozenset({"👍", "👎"})
_SUGGESTION_PREFIX: Final = messages.BUTTON_SUGGESTION.split("{title}")[0]


class LegacyCardButton(
    discord.ui.DynamicItem[discord.ui.Button[discord.ui.View]], template=r"[0-9a-f]{32}"
):
    def __init__(self, custom_id: str, label: str | None, emoji: str | None) -> None:
        super().__init__(discord.ui.Button(label=label, emoji=emoji, custom_id=custom_id))
        self.label = label or ""
        self.emoji_name = emoji or ""

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> Self:
        label = getattr(item, "label", None)
        emoji = getattr(item, "emoji", None)
        return cls(match.group(0), label, emoji.name if emoji is not None else None)

    @property
    def role(self) -> str | None:
        """What the button did on an old card, or None for any other random-id button."""
        if self.label == messages.BUTTON_OVERVIEW:
            return "overview"
        if self.label.startswith(_SUGGESTION_PREFIX):
            return "suggestion"
        if not self.label and self.emoji_name in VOTE_EMOJIS:
            return "vote"
        return None

    async def interaction_check(self, interaction: discord.Interaction, /) -> bool:
        message = interaction.message
        me = interaction.client.user
        from_the_bot = message is not None and me is not None and message.author.id == me.id
        return from_the_bot and self.role is not None

    async def callback(self, interaction: discord.Interaction) -> None:
        await guarded(
            interaction, f"an old card's {self.role} button", lambda: self._run(interaction)
        )

    async def _run(self, interaction: discord.Interaction) -> None:
        if self.role == "overview":
            await show_overview(interaction)
        elif self.role == "suggestion":
            await show_feature(interaction, self._suggested_feature(interaction), None)
        else:
            await send_ephemeral(interaction, messages.FEEDBACK_OLD_CARD)

    def _suggested_feature(self, interaction: discord.Interaction) -> str | None:
        title = self.label.removeprefix(_SUGGESTION_PREFIX)
        kb = cast("TimoniereBot", interaction.client).engine.kb
        for feature in kb.features:
            # Long titles were cut to the label's 80 characters, ending in "…".
            if feature.title == title or (
                title.endswith("…") and feature.title.startswith(title[:-1])
            ):
                return feature.id
        return None
