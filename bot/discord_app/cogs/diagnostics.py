"""/diagnostica: what the bot can and cannot do here, and which permission to grant.

For this channel and every auto-answer channel of the server it lists the
permissions answers depend on (`ANSWER_PERMISSIONS`) and whether the Message
Content intent is on. Admins only (Manage Server or a moderator role), and
private: it shows the server's setup.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

import discord
from discord import app_commands
from discord.ext import commands

from bot import messages
from bot.discord_app.cards import clip
from bot.discord_app.limits import (
    FIELD_COUNT_LIMIT,
    FIELD_NAME_LIMIT,
    NEUTRAL_COLOUR,
    TOTAL_LIMIT,
)
from bot.discord_app.permissions import ANSWER_PERMISSIONS, bot_permissions, moderators_only
from bot.discord_app.views import NO_MENTIONS

if TYPE_CHECKING:
    from bot.discord_app.client import TimoniereBot

# One field per channel.
MAX_CHANNELS: Final = FIELD_COUNT_LIMIT


def permission_lines(permissions: discord.Permissions) -> str:
    lines = []
    for name in ANSWER_PERMISSIONS:
        label = messages.PERMISSION_NAMES[name]
        if getattr(permissions, name):
            lines.append(messages.DIAGNOSE_GRANTED.format(permission=label))
        else:
            effect = messages.PERMISSION_MISSING_EFFECTS[name]
            lines.append(messages.DIAGNOSE_MISSING.format(permission=label, effect=effect))
    return "\n".join(lines)


def channel_title(name: str, *, here: bool, auto: bool) -> str:
    if here and auto:
        template = messages.DIAGNOSE_THIS_AUTO_CHANNEL
    elif here:
        template = messages.DIAGNOSE_THIS_CHANNEL
    else:
        template = messages.DIAGNOSE_AUTO_CHANNEL
    return clip(template.format(channel=name), FIELD_NAME_LIMIT)


class Diagnostics(commands.Cog):
    def __init__(self, bot: TimoniereBot) -> None:
        self.bot = bot

    @app_commands.command(name="diagnostica", description=messages.CMD_DIAGNOSE)
    @app_commands.guild_only()
    @app_commands.default_permissions(manage_guild=True)
    @moderators_only("manage_guild", messages.DIAGNOSE_NOT_ALLOWED)
    async def diagnostica(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message(
            embed=self.report(interaction), ephemeral=True, allowed_mentions=NO_MENTIONS
        )

    def report(self, interaction: discord.Interaction) -> discord.Embed:
        guild = interaction.guild
        assert guild is not None  # guild_only
        intent = (
            messages.DIAGNOSE_INTENT_ON
            if self.bot.intents.message_content
            else messages.DIAGNOSE_INTENT_OFF
        )
        server = self.bot.server_settings(guild.id)
        auto_ids = list(server.auto_answer_channels)
        lines = [intent, messages.DIAGNOSE_HINT]
        if not auto_ids:
            lines.append(messages.DIAGNOSE_NO_AUTO_CHANNELS)
        elif server.paused:
            lines.append(messages.DIAGNOSE_PAUSED)
        embed = discord.Embed(
            title=messages.DIAGNOSE_TITLE, description="\n".join(lines), colour=NEUTRAL_COLOUR
        )
        here = interaction.channel
        here_id = interaction.channel_id
        # The same reading the answers use (discord.py's, with Discord's implicit
        # denials); Discord's own figure for this interaction if the cache lacks it.
        here_permissions = bot_permissions(here)
        if here_permissions is None:
            here_permissions = interaction.app_permissions
        embed.add_field(
            name=channel_title(
                getattr(here, "name", None) or str(here_id), here=True, auto=here_id in auto_ids
            ),
            value=permission_lines(here_permissions),
            inline=False,
        )
        fields: list[tuple[str, str]] = []
        for channel_id in auto_ids:
            if channel_id == here_id:
                continue
            channel = self.bot.get_channel(channel_id)
            if channel is not None and getattr(channel, "guild", None) != guild:
                continue  # another server's channel (the environment's default is shared)
            permissions = bot_permissions(channel) if channel is not None else None
            if channel is None or permissions is None:
                fields.append(
                    (
                        messages.DIAGNOSE_UNKNOWN_CHANNEL.format(channel_id=channel_id),
                        messages.DIAGNOSE_UNKNOWN_CHANNEL_TEXT,
                    )
                )
            else:
                name = getattr(channel, "name", str(channel_id))
                fields.append(
                    (channel_title(name, here=False, auto=True), permission_lines(permissions))
                )
        # Many auto-answer channels must not break the embed's limits (25 fields,
        # 6000 characters): stop early and say how many are left out.
        note_room = len(messages.DIAGNOSE_MORE_CHANNELS.format(count=len(fields))) + 1
        shown = 0
        for name, value in fields:
            too_big = len(embed) + len(name) + len(value) + note_room > TOTAL_LIMIT
            if too_big or len(embed.fields) == MAX_CHANNELS:
                break
            embed.add_field(name=name, value=value, inline=False)
            shown += 1
        if shown < len(fields):
            embed.description = "\n".join(
                [*lines, messages.DIAGNOSE_MORE_CHANNELS.format(count=len(fields) - shown)]
            )
        return embed


async def setup(bot: TimoniereBot) -> None:
    await bot.add_cog(Diagnostics(bot))
