"""Faults: gateway drops, rate limits, server errors and odd messages never stop the bot."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from typing import Any

import discord.http
import pytest
from e2e_support import AUTO_CHANNEL, PLAIN_CHANNEL, Chat, eventually, mention

from bot import messages

SEND = f"/channels/{AUTO_CHANNEL}/messages"
CARD_TITLE = "Auto-scaling · Kubernetes vs Docker Compose"


def title(chat: Chat, reply: dict[str, Any]) -> str:
    (embed,) = chat.body(reply)["embeds"]
    text: str = embed["title"]
    return text


async def test_gateway_close_4000_resumes_and_answers(timoniere: Chat) -> None:
    double = timoniere.double
    start = double.gateway_mark()
    session_id = double.session.id if double.session else None
    await double.close_gateway(4000)
    resume = await double.wait_gateway(op=6, start=start)
    assert resume.d["session_id"] == session_id
    await double.wait_gateway(event="RESUMED", direction="send", start=start)
    _, reply = await timoniere.ask("Compose fa auto-scaling?", channel=AUTO_CHANNEL)
    assert title(timoniere, reply) == CARD_TITLE
    assert len(double.identify_payloads) == 1  # resumed, not re-identified
    assert not timoniere.rb.errors


async def test_a_message_sent_while_disconnected_is_answered(timoniere: Chat) -> None:
    double = timoniere.double
    await double.close_gateway(4000)
    # Dispatched before the bot is back: Discord replays it after RESUME.
    _, reply = await timoniere.ask("Compose fa auto-scaling?", channel=AUTO_CHANNEL)
    assert title(timoniere, reply) == CARD_TITLE
    assert not timoniere.rb.errors


async def test_429_on_the_send_is_retried(timoniere: Chat) -> None:
    double = timoniere.double
    fault = double.inject_429("POST", SEND, retry_after=0.05)
    mark = double.mark()
    _, reply = await timoniere.ask("Compose fa auto-scaling?", channel=AUTO_CHANNEL)
    assert title(timoniere, reply) == CARD_TITLE
    sends = double.find_requests("POST", SEND, start=mark)
    assert [r.status for r in sends] == [429, 200]
    assert fault.hits == [sends[0].index]
    assert len(double.sent_messages(AUTO_CHANNEL)) == 1  # retried, not duplicated
    assert not timoniere.rb.errors


@pytest.mark.usefixtures("fast_backoff")
async def test_500_on_the_send_is_retried(timoniere: Chat) -> None:
    double = timoniere.double
    double.inject_error("POST", SEND, status=500)
    mark = double.mark()
    _, reply = await timoniere.ask("Compose fa auto-scaling?", channel=AUTO_CHANNEL)
    assert title(timoniere, reply) == CARD_TITLE
    assert [r.status for r in double.find_requests("POST", SEND, start=mark)] == [500, 200]
    assert not timoniere.rb.errors


@pytest.mark.usefixtures("fast_backoff")
async def test_persistent_500_is_logged_and_the_bot_carries_on(timoniere: Chat) -> None:
    double = timoniere.double
    fault = double.inject_error("POST", SEND, status=500, times=5)  # every retry fails
    lost = await timoniere.send("Compose fa auto-scaling?", channel=AUTO_CHANNEL)
    record = await timoniere.rb.wait_error("could not reply")
    assert record.name == "bot.discord_app.cogs.answers"
    assert record.exc_info is not None
    assert isinstance(record.exc_info[1], discord.DiscordServerError)
    assert len(fault.hits) == 5 and timoniere.replies_to(lost) == []

    _, reply = await timoniere.ask("compose ha il failover?", channel=AUTO_CHANNEL)
    assert title(timoniere, reply).startswith("Alta disponibilità e failover")
    assert [r.getMessage() for r in timoniere.rb.errors] == [record.getMessage()]


async def test_refused_send_is_logged_and_the_bot_carries_on(timoniere: Chat) -> None:
    double = timoniere.double
    double.inject_error(
        "POST", SEND, status=403, body={"code": 50013, "message": "Missing Permissions"}
    )
    await timoniere.send("Compose fa auto-scaling?", channel=AUTO_CHANNEL)
    record = await timoniere.rb.wait_error("could not reply")
    assert record.exc_info is not None and isinstance(record.exc_info[1], discord.Forbidden)
    _, reply = await timoniere.ask("compose ha il failover?", channel=AUTO_CHANNEL)
    assert title(timoniere, reply).startswith("Alta disponibilità e failover")


# --- odd messages ----------------------------------------------------------------------

ODD_UNADDRESSED = [
    "x" * 100_000,
    "<@1000000000000000002> <@1000000000000000003> <@&1222222222222222221>",
    "😀🐳🚢⚓️" * 50,
    "@everyone **grassetto** `codice` ||spoiler|| '; DROP TABLE faq_entries; --",
    "@everyone ```sql\nSELECT * FROM answer_feedback; -- ?```",
    "",
    "\u200b\u200b?",
    "?" * 5000,
]


async def test_odd_messages_in_the_auto_channel_get_no_reply(timoniere: Chat) -> None:
    sent = [await timoniere.send(text, channel=AUTO_CHANNEL) for text in ODD_UNADDRESSED]
    await timoniere.assert_silent(*sent)
    assert not timoniere.rb.errors
    # A real question, 100,000 characters long: one card, as usual.
    _, reply = await timoniere.ask("Compose fa auto-scaling? " * 4000, channel=AUTO_CHANNEL)
    assert title(timoniere, reply) == CARD_TITLE
    assert not timoniere.rb.errors


async def test_odd_mentions_get_a_sane_reply(timoniere: Chat) -> None:
    chat = timoniere
    # 100,000 characters (Discord would never send that many): an "unknown" card.
    _, reply = await chat.ask(mention("x" * 100_000), channel=PLAIN_CHANNEL)
    assert title(chat, reply) == messages.UNKNOWN_TITLE
    # Only mentions: the hint, as for a bare mention.
    _, reply = await chat.ask(
        mention("<@1000000000000000002> <@&1222222222222222221> <#1333333333333333332>"),
        channel=PLAIN_CHANNEL,
    )
    assert reply["content"] == messages.DISCORD_EMPTY_MENTION
    # Only emoji: the list of topics.
    _, reply = await chat.ask(mention("😀🐳🚢⚓️"), channel=PLAIN_CHANNEL, author="mod")
    assert title(chat, reply) == messages.UNKNOWN_TITLE
    # @everyone, markdown and SQL: no ping, nothing echoed, nothing executed.
    nasty = "@everyone **grassetto** `x` '; DROP TABLE faq_entries; -- <@&1222222222222222221>?"
    _, reply = await chat.ask(mention(nasty), channel=PLAIN_CHANNEL, author="owner")
    assert title(chat, reply) == messages.UNKNOWN_TITLE
    assert chat.body(reply)["allowed_mentions"]["parse"] == []
    assert not reply["mention_everyone"] and reply["mention_roles"] == []
    assert reply["mentions"] == []
    # A real question wrapped in markdown and @everyone is still answered, quietly.
    _, reply = await chat.ask(
        mention("@everyone **Compose** fa _auto-scaling_?"), channel=PLAIN_CHANNEL, author="mod"
    )
    assert title(chat, reply) == CARD_TITLE
    assert not reply["mention_everyone"]

    hostile = "@everyone **grassetto** `x` '; DROP TABLE faq_entries; -- ?"

    def logged() -> list[str]:
        with closing(sqlite3.connect(chat.bot.settings.database_path)) as conn:
            return [row[0] for row in conn.execute("SELECT example FROM unanswered_questions")]

    # Stored as data (after the reply), verbatim but for the mentions.
    examples = await eventually(logged, lambda rows: hostile in rows)
    assert hostile in examples
    with closing(sqlite3.connect(chat.bot.settings.database_path)) as conn:
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
    assert {"faq_entries", "unanswered_questions", "answer_feedback"} <= tables
    assert all(len(example) <= 300 for example in examples)
    assert not chat.rb.errors
