"""Who may use which FAQ command: everyone in a server reads, moderators write.

A refusal raises `Refused` with its Italian text; the command tree's error
handler shows it. Forms and confirmations call `require_faq_moderator` again
when submitted or pressed, because a member may lose the role meanwhile.
"""

from __future__ import annotations

import logging

import discord
from discord import app_commands

from bot import messages
from bot.discord_app.permissions import Refused, require_moderator

log = logging.getLogger(__name__)


def faq_guild(interaction: discord.Interaction) -> int:
    """The server whose FAQ this is about (entries belong to one server)."""
    if interaction.guild_id is None:
        raise Refused(messages.FAQ_GUILD_ONLY)
    return interaction.guild_id


def require_faq_moderator(interaction: discord.Interaction) -> int:
    """The server, if the user may manage its FAQ: Manage Messages or a moderator role."""
    guild_id = faq_guild(interaction)
    try:
        require_moderator(interaction, "manage_messages", messages.FAQ_NOT_MODERATOR)
    except Refused:
        log.info("faq: refused user %s in guild %s", interaction.user.id, guild_id)
        raise
    return guild_id


def _moderator(interaction: discord.Interaction) -> bool:
    require_faq_moderator(interaction)
    return True


moderators_only = app_commands.check(_moderator)
"""Decorator for the `/faq` commands that write or show moderator-only data."""
