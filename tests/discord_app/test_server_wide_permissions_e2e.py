"""Moderator commands follow the member's server-wide permissions, not one channel's.

Discord resolves an interaction's `permissions` for the channel it came from,
overwrites included. A channel overwrite that grants Manage Messages to one member
makes Discord offer `/faq` to them in that channel, but the FAQ and the settings
belong to the whole server, so the bot refuses them there; a role that grants the
permission server-wide is enough. The permissions come only from the double's
world (roles and overwrites): discord.py computes them as in production.
"""

from __future__ import annotations

from typing import Any

import pytest
from discord_double import DiscordDouble, Perm
from discord_double.command_access import CommandUnavailable
from e2e_support import AUTO_CHANNEL, PLAIN_CHANNEL, Chat

from bot import messages

EPHEMERAL = 1 << 6
ENTRY = {
    "Nome": "orari",
    "Domanda": "Quando è aperto il canale vocale?",
    "Risposta": "Dalle 18 alle 23, tutti i giorni.",
}


@pytest.fixture
async def chat(launch: Any, discord_double: DiscordDouble) -> Chat:
    world = discord_double.world
    # Allowed in "domande" only: a helper for one channel, not a server moderator.
    helper = world.add_user("channel_helper", "luca")
    discord_double.guild.overwrite(
        AUTO_CHANNEL, helper["id"], allow=Perm.MANAGE_MESSAGES, member=True
    )
    # Manage Server through a role, as Discord grants it (it has no channel overwrite).
    world.add_role("Gestione", Perm.EVERYONE_DEFAULT | Perm.MANAGE_GUILD)
    world.add_user("manager", "paola", roles=["Gestione"])
    chat: Chat = await launch()
    return chat


async def private_text(chat: Chat, name: str, options: Any = None, **kwargs: Any) -> str:
    body = await chat.slash(name, options, channel=AUTO_CHANNEL, **kwargs)
    assert body["type"] == 4, body
    assert body["data"]["flags"] & EPHEMERAL
    text: str = body["data"]["content"]
    return text


async def test_a_channel_overwrite_does_not_make_a_server_moderator(
    chat: Chat, discord_double: DiscordDouble
) -> None:
    # Discord offers /faq and /insegna to the helper in "domande" (its overwrite gives
    # Manage Messages there), and nowhere else.
    for name in ("faq aggiungi", "insegna coda"):
        discord_double.payloads.slash_command(name, user="channel_helper", channel=AUTO_CHANNEL)
        with pytest.raises(CommandUnavailable):
            discord_double.payloads.slash_command(
                name, user="channel_helper", channel=PLAIN_CHANNEL
            )
    for name in ("faq aggiungi", "faq esporta", "insegna coda", "insegna esporta"):
        text = await private_text(chat, name, user="channel_helper")
        assert text == messages.FAQ_NOT_MODERATOR, name

    # Manage Server commands, once an admin shows the bot's commands to everyone.
    everyone = {"id": discord_double.guild.id, "type": 1, "permission": True}
    discord_double.set_command_permissions(None, [everyone])
    for name, refusal in (
        ("impostazioni mostra", messages.SETTINGS_NOT_ALLOWED),
        ("diagnostica", messages.DIAGNOSE_NOT_ALLOWED),
        ("kb ricarica", messages.DISCORD_NOT_ALLOWED),
    ):
        assert await private_text(chat, name, user="channel_helper") == refusal, name

    assert await chat.bot.storage.faq.list_entries(int(discord_double.guild.id)) == []
    assert not chat.rb.errors


async def test_a_role_granting_the_permission_server_wide_is_enough(
    chat: Chat, discord_double: DiscordDouble
) -> None:
    # "mod" has Manage Messages from the Moderatore role.
    command = chat.payloads.slash_command("faq aggiungi", user="mod", channel=AUTO_CHANNEL)
    body = await chat.interact(command)
    assert body["type"] == 9, body
    modal = discord_double.modal_for(command["id"])
    saved = await chat.interact(
        chat.payloads.modal_submit(modal, ENTRY, user="mod", channel=AUTO_CHANNEL)
    )
    assert saved["data"]["content"] == messages.FAQ_ADDED.format(name="orari")
    assert await private_text(chat, "insegna coda", user="mod") == messages.TEACH_QUEUE_EMPTY

    # "manager" has Manage Server from the Gestione role, which Discord shows the
    # Manage Server commands to.
    shown = await chat.slash("impostazioni mostra", user="manager", channel=AUTO_CHANNEL)
    assert [embed["title"] for embed in shown["data"]["embeds"]] == [messages.SETTINGS_TITLE]
    diagnosis = await chat.slash("diagnostica", user="manager", channel=AUTO_CHANNEL)
    assert [embed["title"] for embed in diagnosis["data"]["embeds"]] == [messages.DIAGNOSE_TITLE]
    reloaded = await chat.slash("kb ricarica", user="manager", channel=AUTO_CHANNEL)
    features = messages.count_features(len(chat.bot.engine.kb.features))
    assert reloaded["data"]["content"] == messages.KB_RELOAD_DONE.format(features=features)
    assert not chat.rb.errors
