"""Moderator slash commands: /kb ricarica (reload the knowledge base).

`default_permissions` only hides the command from members without Manage
Server until a server admin changes the integration settings, so the check is
repeated in code: Manage Server (or Administrator) or one of `MOD_ROLE_IDS`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot import messages
from bot.discord_app.permissions import moderators_only
from bot.discord_app.views import send_ephemeral

if TYPE_CHECKING:
    from bot.discord_app.client import TimoniereBot


class Admin(commands.Cog):
    kb = app_commands.Group(
        name="kb",
        description=messages.CMD_KB,
        guild_only=True,
        default_permissions=discord.Permissions(manage_guild=True),
    )

    def __init__(self, bot: TimoniereBot) -> None:
        self.bot = bot

    @kb.command(name="ricarica", description=messages.CMD_KB_RELOAD)
    @moderators_only("manage_guild", messages.DISCORD_NOT_ALLOWED)
    async def ricarica(self, interaction: discord.Interaction) -> None:
        # A reload may wait for one in progress and re-sync commands with
        # Discord (rate-limited): acknowledge first, answer when done.
        await interaction.response.defer(ephemeral=True, thinking=True)
        refusal = await self.bot.reload_knowledge()
        if refusal is None:
            text = messages.KB_RELOAD_DONE.format(
                features=messages.count_features(len(self.bot.engine.kb.features))
            )
        else:
            text = refusal
        await send_ephemeral(interaction, text)


async def setup(bot: TimoniereBot) -> None:
    await bot.add_cog(Admin(bot))
