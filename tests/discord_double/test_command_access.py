"""Commands Discord's client does not offer are never delivered: default_member_permissions,
Integrations overwrites, and guild-only commands in DMs (real discord.py syncs them)."""

from __future__ import annotations

import discord
import pytest
from discord import app_commands

from .command_access import CommandUnavailable
from .harness import RunningBot
from .server import DiscordDouble
from .test_double import SampleBot
from .world import GUILD_ID, MOD_ROLE_ID, Perm


@app_commands.command(name="segreto", description="Solo per chi gestisce il server")
@app_commands.default_permissions(manage_guild=True)
async def segreto(interaction: discord.Interaction) -> None:
    await interaction.response.send_message("ok", ephemeral=True)


@app_commands.command(name="server", description="Solo nei server")
@app_commands.guild_only()
async def solo_server(interaction: discord.Interaction) -> None:
    await interaction.response.send_message("ok", ephemeral=True)


@app_commands.command(name="ovunque", description="Anche in privato")
async def ovunque(interaction: discord.Interaction) -> None:
    await interaction.response.send_message("ok", ephemeral=True)


@pytest.fixture
async def rb(start_bot) -> RunningBot:
    return await start_bot(SampleBot(extra_commands=[segreto, solo_server, ovunque]))


def offered(double: DiscordDouble, name: str, **kwargs) -> bool:
    try:
        double.payloads.slash_command(name, **kwargs)
    except CommandUnavailable:
        return False
    return True


async def test_default_member_permissions_hide_a_command(
    rb: RunningBot, discord_double: DiscordDouble
) -> None:
    d = discord_double
    assert int(d.find_command("segreto")["default_member_permissions"]) == Perm.MANAGE_GUILD
    assert not offered(d, "segreto", user="member")
    assert not offered(d, "segreto", user="mod")  # Manage Messages is not Manage Server
    assert offered(d, "segreto", user="owner")
    assert offered(d, "segreto", user="member", member_permissions=Perm.MANAGE_GUILD)
    assert offered(d, "segreto", user="member", member_permissions=Perm.ADMINISTRATOR)
    assert offered(d, "ovunque", user="member")  # no default permissions: everyone

    # An offered command is delivered and answered as usual.
    inter = await d.dispatch_interaction(d.payloads.slash_command("segreto", user="owner"))
    assert (await d.wait_callback(inter["id"])).status == 200


async def test_integrations_overwrites_show_and_hide_commands(
    rb: RunningBot, discord_double: DiscordDouble
) -> None:
    d = discord_double
    mods = {"id": MOD_ROLE_ID, "type": 1, "permission": True}
    d.set_command_permissions(None, [mods])  # app-wide: every command without its own
    assert offered(d, "segreto", user="mod") and not offered(d, "segreto", user="member")

    member = d.world.user("member")["id"]
    d.set_command_permissions(
        "segreto",
        [
            {"id": member, "type": 2, "permission": True},
            {"id": MOD_ROLE_ID, "type": 1, "permission": False},
        ],
    )
    assert offered(d, "segreto", user="member")
    assert not offered(d, "segreto", user="mod")  # the command's own overwrites win
    assert offered(d, "segreto", user="owner")  # owners and admins always see everything

    domande = d.guild.channel("domande")["id"]
    d.set_command_permissions("ovunque", [{"id": domande, "type": 3, "permission": False}])
    assert not offered(d, "ovunque", channel="domande")
    assert offered(d, "ovunque", channel="generale")
    all_channels = str(int(GUILD_ID) - 1)
    d.set_command_permissions(
        "ovunque",
        [
            {"id": all_channels, "type": 3, "permission": False},
            {"id": domande, "type": 3, "permission": True},
        ],
    )
    assert offered(d, "ovunque", channel="domande")
    assert not offered(d, "ovunque", channel="generale")


async def test_guild_only_and_guild_commands_are_not_delivered_in_dms(
    rb: RunningBot, discord_double: DiscordDouble
) -> None:
    d = discord_double
    assert d.find_command("server")["contexts"] == [0]
    assert not offered(d, "server", dm=True)
    assert offered(d, "server")
    assert not offered(d, "domanda", dm=True, options={"testo": "x"})  # a guild command
    assert offered(d, "ovunque", dm=True)
    inter = await d.dispatch_interaction(d.payloads.slash_command("ovunque", dm=True))
    assert (await d.wait_callback(inter["id"])).status == 200
