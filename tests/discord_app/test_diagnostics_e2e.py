"""/diagnostica end to end: what the bot can do here and in the auto-answer channels.

The permissions are set in the double's guild (role overwrites on channels),
discord.py computes them from the gateway data like in production, and the
test reads the private embed the admin got.
"""

from __future__ import annotations

from typing import Any

import pytest
from discord_double import DiscordDouble, Perm
from discord_double.command_access import CommandUnavailable
from discord_double.world import BOT_ROLE_ID, MOD_ROLE_ID
from e2e_support import AUTO_CHANNEL, PLAIN_CHANNEL, Chat

from bot import messages

EPHEMERAL = 1 << 6


def lines_for(missing: set[str]) -> list[str]:
    """The five permission lines, with `missing` ones explained."""
    out = []
    for name in (
        "view_channel",
        "send_messages",
        "send_messages_in_threads",
        "read_message_history",
        "embed_links",
    ):
        label = messages.PERMISSION_NAMES[name]
        if name in missing:
            effect = messages.PERMISSION_MISSING_EFFECTS[name]
            out.append(messages.DIAGNOSE_MISSING.format(permission=label, effect=effect))
        else:
            out.append(messages.DIAGNOSE_GRANTED.format(permission=label))
    return out


def private_embed(callback: dict[str, Any]) -> dict[str, Any]:
    data = callback["data"]
    assert data["flags"] & EPHEMERAL
    assert data["allowed_mentions"] == {"parse": []}
    (embed,) = data["embeds"]
    result: dict[str, Any] = embed
    return result


async def test_an_admin_sees_what_is_missing_where(
    launch: Any, discord_double: DiscordDouble
) -> None:
    discord_double.guild.overwrite(
        AUTO_CHANNEL, BOT_ROLE_ID, deny=Perm.EMBED_LINKS | Perm.READ_MESSAGE_HISTORY
    )
    unknown_channel = 1999999999999999999
    chat: Chat = await launch(auto_answer_channel_ids=(int(AUTO_CHANNEL), unknown_channel))

    embed = private_embed(await chat.slash("diagnostica", user="owner", channel=PLAIN_CHANNEL))

    assert embed["title"] == messages.DIAGNOSE_TITLE
    assert embed["description"].splitlines() == [
        messages.DIAGNOSE_INTENT_ON,
        messages.DIAGNOSE_HINT,
    ]
    here, auto, unknown = embed["fields"]
    assert here["name"] == messages.DIAGNOSE_THIS_CHANNEL.format(channel="generale")
    assert here["value"].splitlines() == lines_for(set())
    assert auto["name"] == messages.DIAGNOSE_AUTO_CHANNEL.format(channel="domande")
    assert auto["value"].splitlines() == lines_for({"read_message_history", "embed_links"})
    assert unknown == {
        "name": messages.DIAGNOSE_UNKNOWN_CHANNEL.format(channel_id=unknown_channel),
        "value": messages.DIAGNOSE_UNKNOWN_CHANNEL_TEXT,
        "inline": False,
    }
    assert not chat.rb.errors


async def test_run_in_an_auto_channel_without_send_and_the_intent_off(
    launch: Any, discord_double: DiscordDouble
) -> None:
    discord_double.guild.overwrite(AUTO_CHANNEL, BOT_ROLE_ID, deny=Perm.SEND_MESSAGES)
    chat: Chat = await launch(message_content_intent=False)

    embed = private_embed(await chat.slash("diagnostica", user="owner", channel=AUTO_CHANNEL))

    assert embed["description"].splitlines()[0] == messages.DIAGNOSE_INTENT_OFF
    (here,) = embed["fields"]  # this channel is the only auto-answer channel
    assert here["name"] == messages.DIAGNOSE_THIS_AUTO_CHANNEL.format(channel="domande")
    # Without Send Messages Discord implicitly denies Embed Links too (docs:
    # topics/permissions "Implicit Permissions"), and the report says so.
    assert here["value"].splitlines() == lines_for({"send_messages", "embed_links"})


async def test_members_are_refused_and_moderator_roles_allowed(
    launch: Any, discord_double: DiscordDouble
) -> None:
    chat: Chat = await launch(mod_role_ids=(int(MOD_ROLE_ID),))
    # Discord shows /diagnostica only to Manage Server (default_member_permissions)...
    with pytest.raises(CommandUnavailable):
        discord_double.payloads.slash_command("diagnostica", user="member")
    with pytest.raises(CommandUnavailable):
        discord_double.payloads.slash_command("diagnostica", user="mod")
    # ...until an admin opens it wider (Server Settings > Integrations): the bot still
    # lets only Manage Server or its moderator roles through.
    everyone = {"id": discord_double.guild.id, "type": 1, "permission": True}
    discord_double.set_command_permissions("diagnostica", [everyone])

    refused = await chat.slash("diagnostica", user="member")
    assert refused["data"]["content"] == messages.DIAGNOSE_NOT_ALLOWED
    assert refused["data"]["flags"] & EPHEMERAL
    assert "embeds" not in refused["data"] or not refused["data"]["embeds"]

    embed = private_embed(await chat.slash("diagnostica", user="mod"))
    assert embed["title"] == messages.DIAGNOSE_TITLE
    command = discord_double.find_command("diagnostica")
    assert int(command["default_member_permissions"]) == Perm.MANAGE_GUILD
    assert command["contexts"] == [0]  # guild only
    assert not chat.rb.errors


async def test_aiuto_names_diagnostica(timoniere: Chat) -> None:
    callback = await timoniere.slash("aiuto")
    (embed,) = callback["data"]["embeds"]
    assert "`/diagnostica`" in embed["description"]
