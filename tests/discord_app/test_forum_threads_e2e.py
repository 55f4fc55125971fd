"""Forum posts and threads: answered where they are asked, with the post's context."""

from __future__ import annotations

from typing import Any

import pytest
from discord_double import DiscordDouble, Perm
from discord_double.world import BOT_ROLE_ID
from e2e_support import AUTO_CHANNEL, PLAIN_CHANNEL, Chat, mention, spy_on_feedback

from bot import metrics

JSON = dict[str, Any]


@pytest.fixture
def forum(discord_double: DiscordDouble) -> JSON:
    """An auto-answer help forum, as many Italian dev servers run their help desk."""
    channel: JSON = discord_double.world.add_forum_channel("aiuto-devops")
    return channel


async def launch_with_forum(launch: Any, forum: JSON) -> Chat:
    chat: Chat = await launch(
        auto_answer_channel_ids=(int(AUTO_CHANNEL), int(forum["id"])),
        channel_cooldown_seconds=0.0,
    )
    return chat


async def post(chat: Chat, title: str, body: str, **kwargs: Any) -> tuple[JSON, JSON, JSON]:
    """Publish a post in the forum; return the thread, its starter and the bot's reply."""
    mark = chat.double.mark()
    thread, starter = await chat.forum_post("aiuto-devops", title, body, **kwargs)
    reply = await chat.reply_to(starter, start=mark)
    return thread, starter, reply


def title_of(chat: Chat, reply: JSON) -> str:
    (embed,) = chat.body(reply)["embeds"]
    title: str = embed["title"]
    return title


async def test_a_forum_post_is_answered_inside_the_post(launch: Any, forum: JSON) -> None:
    chat = await launch_with_forum(launch, forum)
    thread, starter, reply = await post(
        chat, "Autoscaling dei servizi", "Docker Compose può scalare da solo quando sale il carico?"
    )
    assert starter["id"] == thread["id"]
    assert reply["channel_id"] == thread["id"]  # in the post, not in the forum
    assert title_of(chat, reply) == "Auto-scaling · Kubernetes vs Docker Compose"
    # A vote on the card knows the whole question: the post's title and body.
    votes = spy_on_feedback(chat)
    await chat.click(reply, "👎")
    assert [vote.question for vote in votes] == [
        "Autoscaling dei servizi. Docker Compose può scalare da solo quando sale il carico?"
    ]
    assert not chat.rb.errors


async def test_the_title_is_part_of_the_question(launch: Any, forum: JSON) -> None:
    chat = await launch_with_forum(launch, forum)
    # The body alone says nothing the table knows; the title says what it is about.
    _, _, reply = await post(chat, "Compose e i segreti", "Come si gestiscono?")
    assert title_of(chat, reply).startswith("Gestione dei segreti")
    assert not chat.rb.errors


async def test_a_starter_that_comes_before_its_thread_is_answered_once(
    launch: Any, forum: JSON
) -> None:
    chat = await launch_with_forum(launch, forum)
    # Discord does not promise THREAD_CREATE first: the bot waits for the thread,
    # then reads the post with its title.
    thread, starter, reply = await post(
        chat, "Compose e i segreti", "Come si gestiscono?", message_first=True
    )
    assert reply["channel_id"] == thread["id"]
    assert title_of(chat, reply).startswith("Gestione dei segreti")
    await chat.barrier()
    assert len(chat.replies_to(starter)) == 1
    assert not chat.rb.errors


async def test_a_follow_up_in_the_post_keeps_its_context(launch: Any, forum: JSON) -> None:
    chat = await launch_with_forum(launch, forum)
    thread, _, first = await post(chat, "Segreti", "Compose gestisce i segreti?")
    assert title_of(chat, first).startswith("Gestione dei segreti")
    # Someone else follows up inside the post: the post's subject carries over.
    _, reply = await chat.ask("e Kubernetes invece?", author="mod", channel=thread["id"])
    assert reply["channel_id"] == thread["id"]
    assert title_of(chat, reply).startswith("Gestione dei segreti")
    # The same words in another post start afresh: no subject to carry over.
    other, _, _ = await post(chat, "Cluster", "Compose regge un cluster di più nodi?")
    _, reply = await chat.ask("e Kubernetes invece?", author="mod", channel=other["id"])
    assert title_of(chat, reply).startswith("Cluster")
    assert not chat.rb.errors


async def test_posts_in_other_forums_need_a_mention(
    launch: Any, discord_double: DiscordDouble
) -> None:
    discord_double.world.add_forum_channel("vetrina")
    chat = await launch()
    mark = discord_double.mark()
    thread, starter = await chat.forum_post("vetrina", "Autoscaling", "Compose fa auto-scaling?")
    await chat.assert_silent(starter)
    _, reply = await chat.ask(mention("Compose fa auto-scaling?"), channel=thread["id"])
    assert reply["channel_id"] == thread["id"]
    assert [m["id"] for m in discord_double.sent_messages(thread["id"], start=mark)] == [
        reply["id"]
    ]


async def test_threads_of_an_auto_answer_channel_are_answered(
    launch: Any, discord_double: DiscordDouble
) -> None:
    chat = await launch(channel_cooldown_seconds=0.0)
    # Threads opened while the bot runs (THREAD_CREATE), in both kinds of channel.
    auto_thread = await discord_double.start_thread(AUTO_CHANNEL, "domanda sui segreti")
    plain_thread = await discord_double.start_thread(PLAIN_CHANNEL, "chiacchiere")
    _, reply = await chat.ask("Kubernetes gestisce i segreti?", channel=auto_thread["id"])
    assert reply["channel_id"] == auto_thread["id"]
    assert title_of(chat, reply).startswith("Gestione dei segreti")
    unprompted = await chat.send("Kubernetes gestisce i segreti?", channel=plain_thread["id"])
    await chat.assert_silent(unprompted)
    _, reply = await chat.ask(mention("Kubernetes gestisce i segreti?"), channel=plain_thread["id"])
    assert reply["channel_id"] == plain_thread["id"]
    assert not chat.rb.errors


async def test_a_forum_without_send_messages_in_threads_gets_no_answer(
    launch: Any, discord_double: DiscordDouble, forum: JSON, caplog: pytest.LogCaptureFixture
) -> None:
    # Send Messages alone lets the bot post in the forum's list, not inside a post.
    discord_double.guild.overwrite(
        forum["id"], BOT_ROLE_ID, allow=Perm.SEND_MESSAGES, deny=Perm.SEND_MESSAGES_IN_THREADS
    )
    chat = await launch_with_forum(launch, forum)
    before = missing_count("send_messages_in_threads")
    mark = discord_double.mark()
    thread, starter = await chat.forum_post("aiuto-devops", "Segreti", "Compose ha i segreti?")
    await chat.assert_silent(starter)
    assert discord_double.find_requests("POST", f"/channels/{thread['id']}/*", start=mark) == []
    assert missing_count("send_messages_in_threads") == before + 1
    gaps = [r.getMessage() for r in caplog.records if "send_messages_in_threads" in r.getMessage()]
    (line,) = gaps
    assert thread["id"] in line


def missing_count(permission: str) -> float:
    value = metrics.REGISTRY.get_sample_value(
        "timoniere_missing_permission_total", {"permission": permission}
    )
    return value or 0.0


async def test_each_post_gets_its_answer_despite_the_channel_cooldown(
    launch: Any, forum: JSON
) -> None:
    # The cooldown stops a burst of one question in one channel; every post is a
    # conversation of its own, so two members asking the same thing both get the card.
    chat = await launch(auto_answer_channel_ids=(int(forum["id"]),), channel_cooldown_seconds=600)
    _, _, first = await post(chat, "Segreti", "Compose gestisce i segreti?")
    _, _, second = await post(chat, "Segreti", "Compose gestisce i segreti?", author="mod")
    assert first["channel_id"] != second["channel_id"]
    assert title_of(chat, second) == title_of(chat, first)
