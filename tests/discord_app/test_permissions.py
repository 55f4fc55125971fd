"""`has_permission_or_role`, on interactions that real discord.py parsed from the fake Discord.

A minimal bot registers one global command that reports the check twice: with the
server's moderator role configured, and with no moderator role at all. Permissions
come from roles and channel overwrites in the double's world, as on Discord (which
computes the interaction's `permissions` from them), never from a patched payload.
"""

from __future__ import annotations

from typing import Any

import discord
import pytest
from discord import app_commands
from discord.ext import commands
from discord_double import DiscordDouble, DoubleBotMixin, Perm
from discord_double.world import MOD_ROLE_ID, QUESTIONS_CHANNEL_ID

from bot.discord_app.permissions import has_permission_or_role

MOD_ROLES = (int(MOD_ROLE_ID),)


@app_commands.command(name="posso", description="Posso gestire il server?")
async def posso(interaction: discord.Interaction) -> None:
    with_role = has_permission_or_role(interaction, "manage_guild", MOD_ROLES)
    without_role = has_permission_or_role(interaction, "manage_guild", ())
    await interaction.response.send_message(f"{with_role} {without_role}")


@app_commands.command(name="modero", description="Posso moderare i messaggi?")
async def modero_command(interaction: discord.Interaction) -> None:
    await interaction.response.send_message(
        str(has_permission_or_role(interaction, "manage_messages", ()))
    )


class ProbeBot(DoubleBotMixin, commands.Bot):
    def __init__(self) -> None:
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=discord.Intents.default(),
            guild_ready_timeout=0.05,
        )

    async def setup_hook(self) -> None:
        self.tree.add_command(posso)
        self.tree.add_command(modero_command)
        await self.tree.sync()


async def verdict(double: DiscordDouble, **payload: Any) -> str:
    """What the check said for one /posso (with the role configured, without it)."""
    return await probe(double, "posso", **payload)


async def modero(double: DiscordDouble, **payload: Any) -> str:
    """What the Manage Messages check (no moderator role) said for one /modero."""
    return await probe(double, "modero", **payload)


async def probe(double: DiscordDouble, name: str, **payload: Any) -> str:
    interaction = await double.dispatch_interaction(double.payloads.slash_command(name, **payload))
    await double.wait_callback(interaction["id"])
    message = double.original_message(interaction["id"])
    assert message is not None
    return str(message["content"])


@pytest.fixture
async def double(start_bot: Any, discord_double: DiscordDouble) -> DiscordDouble:
    world = discord_double.world
    for name, permissions in (
        ("Gestione", Perm.MANAGE_GUILD),
        ("Amministrazione", Perm.ADMINISTRATOR),
        ("Tuttofare", Perm.VIEW_CHANNEL | Perm.MANAGE_MESSAGES | Perm.MANAGE_ROLES),
    ):
        world.add_role(name, Perm.EVERYONE_DEFAULT | permissions)
        world.add_user(name.lower(), name.lower(), roles=[name])
    # Manage Server cannot be granted per channel on Discord; the nearest a member gets
    # is every channel permission in one channel ("domande").
    helper = world.add_user("channel_helper", "luca")
    channel_permissions = Perm.MANAGE_MESSAGES | Perm.MANAGE_CHANNELS | Perm.MANAGE_ROLES
    discord_double.guild.overwrite(
        QUESTIONS_CHANNEL_ID, helper["id"], allow=channel_permissions, member=True
    )
    await start_bot(ProbeBot())
    return discord_double


async def test_a_plain_member_is_refused(double: DiscordDouble) -> None:
    assert await verdict(double, user="member") == "False False"


async def test_the_moderator_role_counts_only_when_configured(double: DiscordDouble) -> None:
    # "mod" has the Moderatore role (Manage Messages), not Manage Server.
    assert await verdict(double, user="mod") == "True False"


async def test_the_permission_itself_is_enough(double: DiscordDouble) -> None:
    assert await verdict(double, user="gestione") == "True True"


async def test_administrator_implies_every_permission(double: DiscordDouble) -> None:
    assert await verdict(double, user="amministrazione") == "True True"
    assert await verdict(double, user="owner") == "True True"


async def test_a_different_permission_does_not_count(double: DiscordDouble) -> None:
    assert await verdict(double, user="tuttofare") == "False False"


async def test_only_server_wide_permissions_count(double: DiscordDouble) -> None:
    # What Discord puts in the payload for the helper in "domande" includes the overwrite...
    payload = double.payloads.slash_command("posso", user="channel_helper", channel="domande")
    assert int(payload["member"]["permissions"]) & Perm.MANAGE_MESSAGES
    # ...but the check reads the server's roles, in that channel as everywhere else.
    assert await modero(double, user="channel_helper", channel="domande") == "False"
    assert await modero(double, user="channel_helper", channel="generale") == "False"
    assert await modero(double, user="tuttofare", channel="domande") == "True"


async def test_nobody_moderates_in_direct_messages(double: DiscordDouble) -> None:
    # Outside a server there are no roles and no server permissions, even for a moderator.
    assert await verdict(double, user="mod", dm=True) == "False False"
    assert await verdict(double, user="owner", dm=True) == "False False"
