"""Missing channel permissions end to end: the bot degrades instead of failing.

The double enforces what Discord does (a reply without Read Message History is
refused with 403, embeds vanish without Embed Links), so each test denies one
permission to the bot's role in the auto-answer channel and checks what
members actually get there, the log line (once per channel and permission)
and the metric (every affected reply).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import pytest
from discord_double import DiscordDouble, Perm
from discord_double.world import BOT_ROLE_ID
from e2e_support import AUTO_CHANNEL, Chat, button_labels, mention

from bot import messages, metrics
from bot.discord_app.limits import CONTENT_LIMIT

ANSWERS_LOG = "bot.discord_app.cogs.answers"


def missing_count(permission: str) -> float:
    value = metrics.REGISTRY.get_sample_value(
        "timoniere_missing_permission_total", {"permission": permission}
    )
    assert value is not None
    return value


def gap_lines(caplog: pytest.LogCaptureFixture, permission: str) -> list[str]:
    return [
        r.getMessage()
        for r in caplog.records
        if r.name == ANSWERS_LOG and r.levelno == logging.WARNING and permission in r.getMessage()
    ]


@dataclass(frozen=True)
class Gap:
    """A running bot whose role lacks `permission` in the auto-answer channel."""

    chat: Chat
    permission: str
    counted_before: float

    def counted(self) -> float:
        """Replies counted as affected since the launch (the metric is process-wide)."""
        return missing_count(self.permission) - self.counted_before


async def launch_without(
    launch: Any, double: DiscordDouble, caplog: pytest.LogCaptureFixture, permission: str
) -> Gap:
    """Deny `permission` (a metric label, e.g. "embed_links") to the bot, then launch it."""
    double.guild.overwrite(AUTO_CHANNEL, BOT_ROLE_ID, deny=getattr(Perm, permission.upper()))
    chat: Chat = await launch()
    gap = Gap(chat, permission, missing_count(permission))
    caplog.set_level(logging.WARNING, logger=ANSWERS_LOG)
    return gap


async def answer_in_auto_channel(chat: Chat, question: str) -> tuple[dict[str, Any], Any]:
    """A question in the auto-answer channel and the bot's message there (reply or not)."""
    mark = chat.double.mark()
    msg = await chat.send(question, channel=AUTO_CHANNEL)
    sent = await chat.double.wait_reply(AUTO_CHANNEL, start=mark)
    return msg, sent


async def test_without_read_message_history_it_answers_without_a_reference(
    launch: Any, discord_double: DiscordDouble, caplog: pytest.LogCaptureFixture
) -> None:
    gap = await launch_without(launch, discord_double, caplog, "read_message_history")
    chat = gap.chat

    _, sent = await answer_in_auto_channel(chat, "Compose fa auto-scaling?")
    body = chat.body(sent)
    assert "message_reference" not in body
    assert body["embeds"][0]["title"] == "Auto-scaling · Kubernetes vs Docker Compose"
    assert body["allowed_mentions"]["parse"] == [] and not sent["mentions"]
    assert button_labels(sent) == ["Confronto completo", "👍", "👎"]
    _, second = await answer_in_auto_channel(chat, "Kubernetes gestisce i segreti?")
    assert "message_reference" not in chat.body(second)

    assert not chat.double.find_requests("POST", f"/channels/{AUTO_CHANNEL}/messages", status=403)
    assert gap.counted() == 2
    assert len(gap_lines(caplog, "read_message_history")) == 1
    assert not chat.rb.errors


async def test_without_embed_links_the_card_is_plain_text(
    launch: Any, discord_double: DiscordDouble, caplog: pytest.LogCaptureFixture
) -> None:
    gap = await launch_without(launch, discord_double, caplog, "embed_links")
    chat = gap.chat

    msg, sent = await answer_in_auto_channel(chat, "Compose fa auto-scaling?")
    body = chat.body(sent)
    assert "embeds" not in body or body["embeds"] == []
    text = sent["content"]
    assert len(text) <= CONTENT_LIMIT
    lines = text.splitlines()
    assert lines[0] == "**Auto-scaling · Kubernetes vs Docker Compose**"
    assert lines[1].startswith("**No.**")
    assert "**❌ Docker Compose: No**" in lines and "**✅ Kubernetes: Sì**" in lines
    assert lines[-1] == "*Fonte: Tabella «Differenze tra Kubernetes e Docker Compose»*"
    assert body["message_reference"]["message_id"] == int(msg["id"])
    assert button_labels(sent) == ["Confronto completo", "👍", "👎"]
    # The buttons still work under a text card.
    callback = await chat.click(sent, "Confronto completo")
    assert callback["data"]["embeds"][0]["title"]

    await answer_in_auto_channel(chat, "Kubernetes gestisce i segreti?")
    assert gap.counted() == 2
    assert len(gap_lines(caplog, "embed_links")) == 1
    assert not discord_double.dropped_embeds  # nothing was sent for Discord to drop
    assert not chat.rb.errors


async def test_without_send_messages_it_stays_silent_and_says_why_once(
    launch: Any, discord_double: DiscordDouble, caplog: pytest.LogCaptureFixture
) -> None:
    gap = await launch_without(launch, discord_double, caplog, "send_messages")
    chat = gap.chat
    mark = discord_double.mark()

    first = await chat.send("Compose fa auto-scaling?", channel=AUTO_CHANNEL)
    second = await chat.send(
        f"<@{discord_double.app_id}> Kubernetes gestisce i segreti?", channel=AUTO_CHANNEL
    )
    await chat.assert_silent(first, second)

    # Not even a refused request: the bot checked before sending.
    assert not discord_double.find_requests("POST", f"/channels/{AUTO_CHANNEL}/*", start=mark)
    assert gap.counted() == 2
    (line,) = gap_lines(caplog, "send_messages")
    assert AUTO_CHANNEL in line
    assert not chat.rb.errors


def test_card_text_keeps_a_long_card_within_a_message() -> None:
    from dataclasses import replace

    from e2e_support import knowledge

    from bot.core.engine import Engine
    from bot.discord_app.cards import card_for, card_text

    kb = knowledge()
    template = kb.features[0]
    features = tuple(
        replace(template, id=f"caratteristica-{n:02d}", title=f"Caratteristica {n:02d} " * 4)
        for n in range(1, 41)
    )
    engine = Engine(replace(kb, features=features))
    overview = engine.overview()
    text = card_text(card_for(overview))
    assert len(text) <= CONTENT_LIMIT
    lines = text.splitlines()
    assert lines[0] == f"**{overview.title}**"
    assert messages.CARD_TEXT_CUT in lines
    assert lines[-1] == f"*{overview.footer}*"


async def test_in_threads_send_messages_in_threads_decides(
    launch: Any, discord_double: DiscordDouble, caplog: pytest.LogCaptureFixture
) -> None:
    world = discord_double.world
    world.add_text_channel("supporto")
    open_thread = world.add_thread("deploy", "supporto")
    discord_double.guild.overwrite("supporto", BOT_ROLE_ID, deny=Perm.SEND_MESSAGES)
    world.add_text_channel("vetrina")
    closed_thread = world.add_thread("commenti", "vetrina")
    discord_double.guild.overwrite("vetrina", BOT_ROLE_ID, deny=Perm.SEND_MESSAGES_IN_THREADS)
    chat: Chat = await launch()
    before = missing_count("send_messages_in_threads")
    caplog.set_level(logging.WARNING, logger=ANSWERS_LOG)

    # No Send Messages in the parent, but the thread permission: answered in the thread.
    msg, reply = await chat.ask(mention("Compose fa auto-scaling?"), channel="deploy")
    assert reply["channel_id"] == open_thread["id"]
    assert chat.body(reply)["message_reference"]["message_id"] == int(msg["id"])

    mark = discord_double.mark()
    silent = [
        await chat.send(mention(question), channel="commenti")
        for question in ("Compose fa auto-scaling?", "Kubernetes gestisce i segreti?")
    ]
    await chat.assert_silent(*silent)
    assert not discord_double.find_requests(
        "POST", f"/channels/{closed_thread['id']}/*", start=mark
    )
    assert missing_count("send_messages_in_threads") == before + 2
    (line,) = gap_lines(caplog, "send_messages_in_threads")
    assert closed_thread["id"] in line
    assert not chat.rb.errors


async def test_a_channel_discord_py_has_not_cached_is_still_answered(
    timoniere: Chat, discord_double: DiscordDouble
) -> None:
    # Created after GUILD_CREATE and never announced: discord.py sees a
    # PartialMessageable, whose permissions read as "none". The bot must try anyway.
    discord_double.world.add_text_channel("appena-creato")
    channel = discord_double.guild.channel("appena-creato")
    assert timoniere.bot.get_channel(int(channel["id"])) is None
    _, reply = await timoniere.ask(mention("Compose fa auto-scaling?"), channel="appena-creato")
    assert reply["embeds"][0]["title"] == "Auto-scaling · Kubernetes vs Docker Compose"
    assert not timoniere.rb.errors


async def test_a_gap_is_logged_again_once_fixed_and_lost_again(
    launch: Any, discord_double: DiscordDouble, caplog: pytest.LogCaptureFixture
) -> None:
    chat = (await launch_without(launch, discord_double, caplog, "embed_links")).chat
    channel = discord_double.guild.channel(AUTO_CHANNEL)

    async def set_overwrites(deny: int) -> None:
        """A moderator edits the channel: Discord sends CHANNEL_UPDATE."""
        discord_double.guild.overwrite(AUTO_CHANNEL, BOT_ROLE_ID, deny=deny)
        await discord_double.dispatch("CHANNEL_UPDATE", dict(channel))

    questions = iter(
        ["Compose fa auto-scaling?", "Kubernetes gestisce i segreti?", "Compose fa failover?"]
    )
    _, sent = await answer_in_auto_channel(chat, next(questions))
    assert "embeds" not in chat.body(sent) or not chat.body(sent)["embeds"]
    await set_overwrites(0)
    _, sent = await answer_in_auto_channel(chat, next(questions))
    assert chat.body(sent)["embeds"]  # the card again, and nothing to log
    await set_overwrites(Perm.EMBED_LINKS)
    _, sent = await answer_in_auto_channel(chat, next(questions))
    assert not chat.body(sent).get("embeds")
    assert len(gap_lines(caplog, "embed_links")) == 2
    assert not chat.rb.errors
