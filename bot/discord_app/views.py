"""What every button and command shares: the feedback record, private replies, no pings.

The card's buttons themselves live in `card_buttons.py`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import discord

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
    # The question the card answered, when the card replies to it (chat answers).
    question: str | None = None


async def send_ephemeral(interaction: discord.Interaction, text: str) -> None:
    """Answer privately, whether or not the interaction was already acknowledged."""
    if interaction.response.is_done():
        await interaction.followup.send(text, ephemeral=True, allowed_mentions=NO_MENTIONS)
    else:
        await interaction.response.send_message(text, ephemeral=True, allowed_mentions=NO_MENTIONS)
