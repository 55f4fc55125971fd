"""Auto-answers end to end: the production bot, real discord.py, the fake Discord.

Every assertion is on what the bot actually sent (the recorded JSON bodies).
"""

from __future__ import annotations

import logging
import sqlite3
from contextlib import closing
from typing import Any

import pytest
from discord_double import DiscordDouble, Intent
from e2e_support import AUTO_CHANNEL, PLAIN_CHANNEL, Chat, button_labels, eventually, mention

from bot import messages

CARD_TITLE = "Auto-scaling · Kubernetes vs Docker Compose"


def card(chat: Chat, reply: dict[str, Any]) -> dict[str, Any]:
    """The one embed the bot sent with `reply`."""
    (embed,) = chat.body(reply)["embeds"]
    result: dict[str, Any] = embed
    return result


def assert_reply_etiquette(chat: Chat, msg: dict[str, Any], reply: dict[str, Any]) -> None:
    """A reply to the question, pinging nobody (not even the asker)."""
    body = chat.body(reply)
    assert body["message_reference"]["message_id"] == int(msg["id"])
    allowed = body["allowed_mentions"]
    assert allowed["parse"] == []
    assert not allowed.get("replied_user", False)
    assert {k for k in allowed if k not in ("parse", "replied_user")} == set()
    assert reply["mentions"] == [] and not reply["mention_everyone"]


async def test_question_in_auto_channel_gets_the_card(timoniere: Chat) -> None:
    msg, reply = await timoniere.ask("Compose fa auto-scaling?", channel=AUTO_CHANNEL)

    embed = card(timoniere, reply)
    assert embed["title"] == CARD_TITLE
    assert embed["description"].startswith("**No.**")
    assert "Docker Compose" in embed["description"]
    compose, kubernetes = embed["fields"]
    assert compose["inline"] and kubernetes["inline"]
    assert compose["name"] == "❌ Docker Compose: No"  # the system asked about first
    assert kubernetes["name"] == "✅ Kubernetes: Sì"
    assert embed["footer"]["text"] == (
        "Fonte: Tabella «Differenze tra Kubernetes e Docker Compose»"
    )
    assert_reply_etiquette(timoniere, msg, reply)
    assert button_labels(reply) == ["Confronto completo", "👍", "👎"]
    # The bot's own echoed card does not make it talk again.
    await timoniere.barrier()
    assert len(timoniere.double.sent_messages(AUTO_CHANNEL)) == 1
    assert not timoniere.rb.errors


async def test_mention_in_a_plain_channel_and_a_dm_are_answered(timoniere: Chat) -> None:
    msg, reply = await timoniere.ask(
        mention("Kubernetes fa rolling update?"), channel=PLAIN_CHANNEL
    )
    embed = card(timoniere, reply)
    assert embed["title"] == "Rolling updates e rollback · Kubernetes vs Docker Compose"
    assert embed["description"].startswith("**Sì.** Kubernetes")
    assert_reply_etiquette(timoniere, msg, reply)

    dm, dm_reply = await timoniere.ask("Come gestisce i segreti Compose?", dm=True)
    embed = card(timoniere, dm_reply)
    assert embed["title"] == "Gestione dei segreti · Kubernetes vs Docker Compose"
    assert [field["name"].split(" ", 1)[1].split(":")[0] for field in embed["fields"]] == [
        "Docker Compose",
        "Kubernetes",
    ]
    assert dm_reply["channel_id"] == dm["channel_id"]
    assert timoniere.body(dm_reply)["message_reference"]["message_id"] == int(dm["id"])
    assert not timoniere.rb.errors


async def test_overview_question_in_auto_channel(timoniere: Chat) -> None:
    msg, reply = await timoniere.ask("Kubernetes o Compose, quale scegliere?", channel=AUTO_CHANNEL)
    embed = card(timoniere, reply)
    assert embed["title"] == "Confronto completo · Kubernetes vs Docker Compose"
    assert len(embed["fields"]) == 6
    assert button_labels(reply) == ["👍", "👎"]
    assert_reply_etiquette(timoniere, msg, reply)


async def test_a_discord_reply_to_the_card_is_a_follow_up(timoniere: Chat) -> None:
    _, card_msg = await timoniere.ask(mention("compose fa autoscaling?"), channel=PLAIN_CHANNEL)
    # Replying to the bot's card addresses the bot (Discord adds the mention).
    msg, reply = await timoniere.ask("e kubernetes?", channel=PLAIN_CHANNEL, reply_to=card_msg)
    embed = card(timoniere, reply)
    assert embed["title"] == CARD_TITLE
    assert embed["description"].startswith("**Sì.** Kubernetes")
    assert_reply_etiquette(timoniere, msg, reply)


async def test_a_plain_question_outside_the_auto_channels_is_ignored(timoniere: Chat) -> None:
    msg = await timoniere.send("Compose fa auto-scaling?", channel=PLAIN_CHANNEL)
    await timoniere.assert_silent(msg)


async def test_chat_and_other_bots_get_no_reply(timoniere: Chat) -> None:
    chat = await timoniere.send("oggi piove", channel=AUTO_CHANNEL)
    from_bot = await timoniere.send(
        "Compose fa auto-scaling?", author="other_bot", channel=AUTO_CHANNEL
    )
    bot_mention = await timoniere.send(
        mention("Compose fa auto-scaling?"), author="other_bot", channel=PLAIN_CHANNEL
    )
    await timoniere.assert_silent(chat, from_bot, bot_mention)
    assert not timoniere.rb.errors


async def test_unknown_question_only_answered_when_addressed(timoniere: Chat) -> None:
    question = "Come si cucina la carbonara?"
    unaddressed = await timoniere.send(question, channel=AUTO_CHANNEL)
    await timoniere.assert_silent(unaddressed)

    msg, reply = await timoniere.ask(mention(question), channel=AUTO_CHANNEL)
    embed = card(timoniere, reply)
    assert embed["title"] == "Non ho una risposta"
    assert embed["description"].startswith(messages.UNKNOWN_INTRO)
    assert (
        "Posso rispondere su Kubernetes vs Docker Compose: Scalabilità orizzontale, "
        "Alta disponibilità e failover, Rolling updates e rollback, Gestione dei segreti, "
        "Cluster distribuiti e Auto-scaling." in embed["description"]
    )
    assert_reply_etiquette(timoniere, msg, reply)
    assert button_labels(reply) == ["Confronto completo"]  # nothing to vote on

    # The addressed miss is logged for the moderators (the unaddressed one is not).
    def logged() -> list[tuple[str, int]]:
        with closing(sqlite3.connect(timoniere.bot.settings.database_path)) as conn:
            return conn.execute("SELECT example, count FROM unanswered_questions").fetchall()

    assert await eventually(logged, bool) == [(question, 1)]


async def test_a_bare_mention_gets_a_hint(timoniere: Chat) -> None:
    msg, reply = await timoniere.ask(mention(""), channel=AUTO_CHANNEL)
    assert reply["content"] == messages.DISCORD_EMPTY_MENTION
    assert reply["embeds"] == []
    assert_reply_etiquette(timoniere, msg, reply)


async def test_a_greeting_is_answered_in_kind_and_not_logged(timoniere: Chat) -> None:
    unaddressed = await timoniere.send("ciao a tutti!", channel=AUTO_CHANNEL)
    await timoniere.assert_silent(unaddressed)

    msg, reply = await timoniere.ask(mention("grazie mille!"), channel=AUTO_CHANNEL)
    assert reply["content"] == messages.SMALL_TALK_THANKS.format(
        systems="Kubernetes e Docker Compose"
    )
    assert reply["embeds"] == []
    assert_reply_etiquette(timoniere, msg, reply)

    # A miss asked next is logged; the thanks before it was not.
    question = "Come si cucina la carbonara?"
    await timoniere.ask(mention(question), channel=AUTO_CHANNEL)

    def logged() -> list[str]:
        with closing(sqlite3.connect(timoniere.bot.settings.database_path)) as conn:
            return [row[0] for row in conn.execute("SELECT example FROM unanswered_questions")]

    assert await eventually(logged, bool) == [question]


async def test_follow_up_keeps_the_context_of_the_same_user(timoniere: Chat) -> None:
    await timoniere.ask("compose fa autoscaling?", channel=AUTO_CHANNEL)

    _, reply = await timoniere.ask("e kubernetes?", channel=AUTO_CHANNEL)
    embed = card(timoniere, reply)
    assert embed["title"] == CARD_TITLE
    assert embed["description"].startswith("**Sì.** Kubernetes")
    assert embed["fields"][0]["name"] == "✅ Kubernetes: Sì"

    # Another user's follow-up in the same channel inherits nothing: unaddressed
    # it is not a question the bot knows, addressed it gets the list of topics.
    other = await timoniere.send("e kubernetes?", author="mod", channel=AUTO_CHANNEL)
    await timoniere.assert_silent(other)
    _, reply = await timoniere.ask(mention("e kubernetes?"), author="mod", channel=AUTO_CHANNEL)
    assert card(timoniere, reply)["title"] == "Non ho una risposta"
    # Nor does the same user in another channel.
    _, reply = await timoniere.ask(mention("e kubernetes?"), channel=PLAIN_CHANNEL)
    assert card(timoniere, reply)["title"] == "Non ho una risposta"
    assert not timoniere.rb.errors


async def test_cooldown_one_card_for_a_burst_of_the_same_question(timoniere: Chat) -> None:
    _, reply = await timoniere.ask("Compose fa auto-scaling?", channel=AUTO_CHANNEL)
    assert card(timoniere, reply)["title"] == CARD_TITLE
    again = await timoniere.send("Compose fa auto-scaling?", author="mod", channel=AUTO_CHANNEL)
    await timoniere.assert_silent(again)
    # Another topic in the same channel is still answered.
    _, reply = await timoniere.ask("compose ha il failover?", author="mod", channel=AUTO_CHANNEL)
    assert card(timoniere, reply)["title"].startswith("Alta disponibilità e failover")
    # Whoever addresses the bot gets an answer, cooldown or not.
    _, reply = await timoniere.ask(
        mention("Compose fa auto-scaling?"), author="owner", channel=AUTO_CHANNEL
    )
    assert card(timoniere, reply)["title"] == CARD_TITLE


async def test_per_user_rate_limit(launch: Any) -> None:
    chat: Chat = await launch(user_rate_limit_per_minute=2)
    await chat.ask("Compose fa auto-scaling?", dm=True)
    await chat.ask("Kubernetes fa rolling update?", dm=True)
    third = await chat.send("compose ha il failover?", dm=True)
    fourth = await chat.send(mention("compose ha il failover?"), channel=PLAIN_CHANNEL)
    await chat.assert_silent(third, fourth)
    # Other people are not affected.
    _, reply = await chat.ask("compose ha il failover?", author="mod", dm=True)
    assert card(chat, reply)["title"].startswith("Alta disponibilità e failover")
    assert not chat.rb.errors


async def test_rate_limit_counts_replies_not_chatter(launch: Any) -> None:
    chat: Chat = await launch(user_rate_limit_per_minute=2)
    # Question-shaped chat the bot stays silent on does not use up the allowance.
    chatter = [
        await chat.send(f"qualcuno viene a cena stasera {n}?", channel=AUTO_CHANNEL)
        for n in range(4)
    ]
    await chat.assert_silent(*chatter)
    _, reply = await chat.ask(mention("kubernetes fa autoscaling?"), channel=PLAIN_CHANNEL)
    assert card(chat, reply)["title"] == CARD_TITLE
    assert not chat.rb.errors


async def test_a_locked_database_does_not_cost_the_reply(
    launch: Any, caplog: pytest.LogCaptureFixture
) -> None:
    chat: Chat = await launch()
    # Don't wait the production 5 s for the lock in a test.
    await chat.bot.database._conn.execute("PRAGMA busy_timeout = 50")
    with closing(sqlite3.connect(chat.bot.settings.database_path)) as locker:
        locker.execute("BEGIN IMMEDIATE")  # another writer, e.g. `faq import`
        _, reply = await chat.ask(mention("come si fa la carbonara?"), channel=PLAIN_CHANNEL)
        assert card(chat, reply)["title"] == messages.UNKNOWN_TITLE
        await eventually(lambda: caplog.text, lambda text: "unanswered" in text)
        locker.rollback()
    assert "could not log an unanswered question" in caplog.text
    chat.rb.errors.clear()  # the logged database error above is expected


# --- without the Message Content intent ------------------------------------------------


async def test_without_message_content_intent(
    launch: Any, discord_double: DiscordDouble, caplog: pytest.LogCaptureFixture
) -> None:
    # Switched off in the developer portal: asking for it would be refused (4014).
    discord_double.portal_intents = Intent.PRIVILEGED & ~Intent.MESSAGE_CONTENT
    chat: Chat = await launch(message_content_intent=False)
    assert not discord_double.identify_payloads[0]["intents"] & Intent.MESSAGE_CONTENT
    assert any(
        record.levelno == logging.WARNING and "Message Content intent is off" in record.message
        for record in caplog.records
    )

    plain = await chat.send("Compose fa auto-scaling?", channel=AUTO_CHANNEL)
    await chat.assert_silent(plain)
    msg, reply = await chat.ask(mention("Compose fa auto-scaling?"), channel=AUTO_CHANNEL)
    assert card(chat, reply)["title"] == CARD_TITLE
    assert_reply_etiquette(chat, msg, reply)
    _, reply = await chat.ask("Kubernetes fa rolling update?", dm=True)
    assert card(chat, reply)["title"].startswith("Rolling updates e rollback")
    callback = await chat.slash("chiedi", {"domanda": "Kubernetes gestisce i segreti?"})
    assert callback["data"]["embeds"][0]["title"].startswith("Gestione dei segreti")
    # The plain question did reach the bot, with its content blanked by Discord.
    (delivered,) = [
        frame.d
        for frame in discord_double.gateway_frames
        if frame.direction == "send"
        and frame.t == "MESSAGE_CREATE"
        and frame.d["id"] == plain["id"]
    ]
    assert delivered["content"] == ""
    assert not chat.rb.errors
