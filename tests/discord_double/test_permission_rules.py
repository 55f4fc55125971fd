"""Permission rules the double enforces like Discord: replies need Read Message History,
embeds vanish without Embed Links, threads need Send Messages in Threads (real discord.py,
the sample bot of ``test_double``)."""

from __future__ import annotations

import discord

from .harness import RunningBot
from .server import DiscordDouble
from .test_double import SampleBot
from .world import BOT_ROLE_ID, Perm


async def test_reply_without_read_message_history_is_forbidden(
    start_bot, discord_double: DiscordDouble
) -> None:
    d = discord_double
    d.guild.overwrite("domande", BOT_ROLE_ID, deny=Perm.READ_MESSAGE_HISTORY)
    rb: RunningBot = await start_bot(SampleBot())
    mark = d.mark()
    await d.dispatch_message(d.payloads.message("Kubernetes o Compose?", channel="domande"))
    record = await rb.wait_error("Missing Permissions")
    assert isinstance(record.exc_info[1], discord.Forbidden)
    assert record.exc_info[1].code == 50013
    (refused,) = d.find_requests("POST", "/channels/*/messages", start=mark)
    assert refused.status == 403 and refused.json["message_reference"]
    assert d.sent_messages(start=mark) == []
    # A plain send (no reference) in the same channel still goes through.
    channel = rb.bot.get_channel(int(d.guild.channel("domande")["id"]))
    assert isinstance(channel, discord.TextChannel)
    sent = await channel.send("senza riferimento")
    assert d.messages[str(sent.id)]["content"] == "senza riferimento"


async def test_embeds_are_dropped_without_embed_links(
    start_bot, discord_double: DiscordDouble
) -> None:
    d = discord_double
    d.guild.overwrite("domande", BOT_ROLE_ID, deny=Perm.EMBED_LINKS)
    rb: RunningBot = await start_bot(SampleBot())
    mark = d.mark()
    msg = await d.dispatch_message(d.payloads.message("Kubernetes o Compose?", channel="domande"))
    reply = await d.wait_reply(msg["channel_id"], start=mark)
    sent_body = d.request_for_message(reply).json
    assert sent_body["embeds"][0]["title"] == "Risposta"  # discord.py sent it...
    assert reply["embeds"] == []  # ...and Discord kept the message without it, no error
    assert d.dropped_embeds == [(msg["channel_id"], sent_body["embeds"])]
    # In a channel where the bot may embed, the same reply keeps its card.
    mark = d.mark()
    msg = await d.dispatch_message(d.payloads.message("Kubernetes o Compose?", channel="generale"))
    reply = await d.wait_reply(msg["channel_id"], start=mark)
    assert reply["embeds"][0]["title"] == "Risposta"
    assert not rb.errors


async def test_threads_need_send_messages_in_threads_not_send_messages(
    start_bot, discord_double: DiscordDouble
) -> None:
    d = discord_double
    open_thread = d.world.add_thread("aiuto-deploy", "domande")
    d.guild.overwrite("domande", BOT_ROLE_ID, deny=Perm.SEND_MESSAGES)
    closed = d.world.add_text_channel("annunci")
    closed_thread = d.world.add_thread("commenti", "annunci")
    d.guild.overwrite("annunci", BOT_ROLE_ID, deny=Perm.SEND_MESSAGES_IN_THREADS)
    rb: RunningBot = await start_bot(SampleBot())
    thread = rb.bot.get_channel(int(open_thread["id"]))
    assert isinstance(thread, discord.Thread) and thread.parent_id == int(open_thread["parent_id"])

    # Send Messages is denied on the parent, yet the thread is open to the bot.
    mark = d.mark()
    question = d.payloads.message("Come faccio il deploy?", channel="aiuto-deploy")
    msg = await d.dispatch_message(question)
    reply = await d.wait_reply(open_thread["id"], start=mark)
    assert reply["message_reference"]["message_id"] == msg["id"]
    assert not d.find_requests("POST", "/channels/*/messages", start=mark, status=403)
    # Send Messages in Threads denied: the thread refuses, its parent does not.
    mark = d.mark()
    await d.dispatch_message(d.payloads.message("E qui?", channel="commenti"))
    record = await rb.wait_error("Missing Permissions")
    assert record.exc_info[1].code == 50013
    assert d.find_requests("POST", f"/channels/{closed_thread['id']}/messages", status=403)
    parent = rb.bot.get_channel(int(closed["id"]))
    assert isinstance(parent, discord.TextChannel)
    await parent.send("nel canale sì")
