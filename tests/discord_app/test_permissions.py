"""`has_permission_or_role`, on interactions that real discord.py parsed from the fake Discord.

A minimal bot registers one global command that reports the check twice: with the
server's moderator role configured, and with no moderator role at all.
"""

from __future__ import annotations

from typing import Any

import discord
import pytest
from discord import app_commands
from discord.ext import commands
from discord_double import DiscordDouble, DoubleBotMixin, Perm
from discord_double.world import MOD_ROLE_ID

from bot.discord_app.permissions import has_permission_or_role

MOD_ROLES = (int(MOD_ROLE_ID),)


@app_commands.command(name="posso", description="Posso gestire il server?")
async def posso(interaction: discord.Interaction) -> None:
    with_role = has_permission_or_role(interaction, "manage_guild", MOD_ROLES)
    without_role = has_permission_or_role(interaction, "manage_guild", ())
    await interaction.response.send_message(f"{with_role} {without_role}")


class ProbeBot(DoubleBotMixin, commands.Bot):
    def __init__(self) -> None:
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=discord.Intents.default(),
            guild_ready_timeout=0.05,
        )

    async def setup_hook(self) -> None:
        self.tree.add_command(posso)
        await self.tree.sync()


async def verdict(double: DiscordDouble, **payload: Any) -> str:
    """What the check said for one /posso (with the role configured, without it)."""
    interaction = await double.dispatch_interaction(
        double.payloads.slash_command("posso", **payload)
    )
    await double.wait_callback(interaction["id"])
    message = double.original_message(interaction["id"])
    assert message is not None
    return str(message["content"])


@pytest.fixture
async def double(start_bot: Any, discord_double: DiscordDouble) -> DiscordDouble:
    await start_bot(ProbeBot())
    return discord_double


async def test_a_plain_member_is_refused(double: DiscordDouble) -> None:
    assert await verdict(double, user="member") == "False False"


async def test_the_moderator_role_counts_only_when_configured(double: DiscordDouble) -> None:
    # "mod" has the Moderatore role (Manage Messages), not Manage Server.
    assert await verdict(double, user="mod") == "True False"


async def test_the_permission_itself_is_enough(double: DiscordDouble) -> None:
    assert await verdict(double, user="member", member_permissions=Perm.MANAGE_GUILD) == (
        "True True"
    )


async def test_administrator_implies_every_permission(double: DiscordDouble) -> None:
    assert await verdict(double, user="member", member_permissions=Perm.ADMINISTRATOR) == (
        "True True"
    )
    assert await verdict(double, user="owner") == "True True"


async def test_a_different_permission_does_not_count(double: DiscordDouble) -> None:
    granted = Perm.VIEW_CHANNEL | Perm.MANAGE_MESSAGES | Perm.MANAGE_ROLES
    assert await verdict(double, user="member", member_permissions=granted) == "False False"


async def test_nobody_moderates_in_direct_messages(double: DiscordDouble) -> None:
    # Outside a server there are no roles and no server permissions, even for a moderator.
    assert await verdict(double, user="mod", dm=True) == "False False"
    assert await verdict(double, user="owner", dm=True) == "False False"
