"""A short welcome when the bot joins a server, naming the commands an admin needs next.

It goes to the server's system channel if the bot may write there, else to the
first text channel (in the order Discord shows them) where it may. Where it
may write nowhere it says nothing and logs why: `/diagnostica` explains more
once an admin looks.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord
from discord.ext import commands

from bot import messages
from bot.discord_app.permissions import send_plan
from bot.discord_app.views import NO_MENTIONS

if TYPE_CHECKING:
    from bot.discord_app.client import TimoniereBot

log = logging.getLogger(__name__)


def welcome_channel(guild: discord.Guild) -> discord.TextChannel | None:
    """Where the welcome may go: the system channel, else the first writable text channel."""
    candidates = [guild.system_channel, *sorted(guild.text_channels, key=lambda c: c.position)]
    for channel in candidates:
        if channel is not None and send_plan(channel).can_send:
            return channel
    return None


class Welcome(commands.Cog):
    def __init__(self, bot: TimoniereBot) -> None:
        self.bot = bot

    @commands.Cog.listener()
    async def on_guild_join(self, guild: discord.Guild) -> None:
        channel = welcome_channel(guild)
        if channel is None:
            log.warning("joined guild %s: no channel to post the welcome in", guild.id)
            return
        try:
            await channel.send(messages.WELCOME_TEXT, allowed_mentions=NO_MENTIONS)
        except discord.HTTPException:
            # A welcome is a courtesy: a refusal must not disturb anything else.
            log.exception("joined guild %s: could not post the welcome", guild.id)
        else:
            log.info("joined guild %s: welcome posted in channel %s", guild.id, channel.id)


async def setup(bot: TimoniereBot) -> None:
    await bot.add_cog(Welcome(bot))
