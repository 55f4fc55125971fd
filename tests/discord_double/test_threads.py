"""Forum channels and threads made while the bot runs, seen by an unmodified discord.py."""

from __future__ import annotations

import asyncio
from typing import Any

import discord

from .harness import DoubleBotMixin, RunningBot
from .server import DiscordDouble
from .world import BOT_ROLE_ID, Perm


class ThreadBot(DoubleBotMixin, discord.Client):
    def __init__(self) -> None:
        intents = discord.Intents.default()
        intents.message_content = True
        super().__init__(intents=intents)
        self.created: list[discord.Thread] = []
        self.seen: list[discord.Message] = []

    async def on_thread_create(self, thread: discord.Thread) -> None:
        self.created.append(thread)

    async def on_message(self, message: discord.Message) -> None:
        self.seen.append(message)


async def started(start_bot: Any) -> tuple[RunningBot, ThreadBot]:
    rb: RunningBot = await start_bot(ThreadBot())
    bot = rb.bot
    assert isinstance(bot, ThreadBot)
    return rb, bot


async def test_a_forum_post_arrives_as_a_thread_then_its_starter(
    discord_double: DiscordDouble, start_bot: Any
) -> None:
    forum = discord_double.world.add_forum_channel("aiuto", topic="Una domanda per post")
    rb, bot = await started(start_bot)
    assert isinstance(bot.get_channel(int(forum["id"])), discord.ForumChannel)

    arrived = asyncio.ensure_future(bot.wait_for("message"))
    thread, starter = await discord_double.create_forum_post("aiuto", "Titolo", "Il testo")
    await rb.wait_for(arrived, what="the starter message")
    (created,) = bot.created
    (message,) = bot.seen
    assert created.id == message.id == int(thread["id"]) == int(starter["id"])
    assert isinstance(message.channel, discord.Thread)
    assert isinstance(message.channel.parent, discord.ForumChannel)
    assert (message.channel.name, message.content) == ("Titolo", "Il testo")
    assert created.starter_message is message  # the docs' "same ID as the thread"
    assert not rb.errors


async def test_messages_go_in_posts_not_in_the_forum(
    discord_double: DiscordDouble, start_bot: Any
) -> None:
    forum = discord_double.world.add_forum_channel("aiuto")
    rb, bot = await started(start_bot)
    arrived = asyncio.ensure_future(bot.wait_for("message"))
    thread, _ = await discord_double.create_forum_post("aiuto", "Titolo", "Il testo")
    await rb.wait_for(arrived, what="the starter message")

    channel = bot.get_channel(int(forum["id"]))
    assert isinstance(channel, discord.ForumChannel)
    try:
        await bot.http.send_message(channel.id, params=discord.http.handle_message_parameters("x"))
    except discord.HTTPException as exc:
        assert (exc.status, exc.code) == (400, 50008)
    else:
        raise AssertionError("the double accepted a message sent straight to a forum")
    post = bot.get_channel(int(thread["id"]))
    assert isinstance(post, discord.Thread)
    sent = await post.send("risposta nel post")
    assert sent.channel.id == int(thread["id"])


async def test_the_starter_may_arrive_before_the_thread(
    discord_double: DiscordDouble, start_bot: Any
) -> None:
    discord_double.world.add_forum_channel("aiuto")
    rb, bot = await started(start_bot)
    created = asyncio.ensure_future(bot.wait_for("thread_create"))
    await discord_double.create_forum_post("aiuto", "Titolo", "Il testo", message_first=True)
    await rb.wait_for(created, what="THREAD_CREATE")
    (message,) = bot.seen
    # discord.py did not know the thread yet: the message's channel is a partial one.
    assert isinstance(message.channel, discord.PartialMessageable)
    assert bot.created[0].starter_message is message


async def test_no_thread_events_where_the_bot_cannot_see(
    discord_double: DiscordDouble, start_bot: Any
) -> None:
    discord_double.world.add_forum_channel("privato")
    discord_double.guild.overwrite("privato", BOT_ROLE_ID, deny=Perm.VIEW_CHANNEL)
    rb, bot = await started(start_bot)
    await discord_double.create_forum_post("privato", "Titolo", "Il testo")
    created = asyncio.ensure_future(bot.wait_for("thread_create"))
    thread = await discord_double.start_thread("generale", "discussione")
    await rb.wait_for(created, what="THREAD_CREATE")
    assert [t.id for t in bot.created] == [int(thread["id"])]
    assert [event for event, *_ in discord_double.dropped_events] == ["THREAD_CREATE"]
    assert bot.seen == []
