"""A burst right after a restart, on a server with a big FAQ (issue 10, item 2).

The real TimoniereBot against the fake Discord, which refuses an interaction
acknowledged more than 3 seconds after it was created (10062, "Unknown
interaction"), as Discord does. The server's 2,000 entries are in SQLite
before the bot starts, so the burst is what loads them.
"""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import Any, Final

import pytest
from discord_double import DiscordDouble, RecordedRequest, RunningBot
from e2e_support import PLAIN_CHANNEL, make_bot, mention, settled

from bot import messages
from bot.core.faq_yaml import FaqRecord
from bot.storage import Storage

BIG_FAQ: Final = 2_000
SUBMITS: Final = 40
ASKS: Final = 20
JSON = dict[str, Any]

# Words of a gaming server's FAQ: enough variety that the index is a real one.
TOPICS: Final = (
    "torneo iscrizione premio classifica squadra evento calendario orario canale ruolo "
    "regolamento moderatore avviso livello musica stanza vocale streaming sondaggio badge"
).split()


def question(number: int) -> str:
    if number == 7:  # the one asked after the burst
        return "Dove si parcheggia il furgone della band?"
    return f"Quando apre la sala prove numero {number}?"


def big_faq() -> list[FaqRecord]:
    records: list[FaqRecord] = []
    for number in range(BIG_FAQ):
        first, second, third = (TOPICS[(number * step) % len(TOPICS)] for step in (1, 3, 7))
        records.append(
            {
                "name": f"voce-{number:04}",
                "question": f"Come funziona {first} con {second} nel gruppo {number}?",
                "answer": f"Per {second} e {third} scrivi nel canale numero {number}.",
                "phrasings": [f"{first} {third} {number}"],
            }
        )
    return records


async def seed(database: Path, guild_id: int) -> None:
    storage = await Storage.open(database, faq_max_entries=BIG_FAQ + SUBMITS)
    try:
        result = await storage.faq.import_entries(guild_id, big_faq(), actor_id=None)
        assert result.added == BIG_FAQ
    finally:
        await storage.close()


@pytest.fixture
async def restarted(
    discord_double: DiscordDouble, start_bot: Any, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> RunningBot:
    """The bot just started over a database whose server has 2,000 entries."""
    caplog.set_level(logging.INFO, logger="bot.discord_app.client")
    await seed(tmp_path / "db.sqlite3", int(discord_double.guild.id))
    running: RunningBot = await start_bot(
        lambda: make_bot(
            tmp_path,
            faq_max_entries=BIG_FAQ + SUBMITS,
            channel_cooldown_seconds=0.0,
            user_rate_limit_per_minute=1000,
        ),
        guild_ready_timeout=0.01,
    )
    return running


def index_builds(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [
        record.getMessage()
        for record in caplog.records
        if record.getMessage().startswith("FAQ index of guild")
    ]


async def final_answer(double: DiscordDouble, payload: JSON, callback: RecordedRequest) -> JSON:
    """What the user finally reads: the callback's message, or the followup after a deferral."""
    data: JSON = (await settled(double, payload, callback, timeout=30.0))["data"]
    return data


async def test_a_burst_after_a_restart_is_acknowledged_in_time(
    restarted: RunningBot, discord_double: DiscordDouble, caplog: pytest.LogCaptureFixture
) -> None:
    double = discord_double
    payloads = double.payloads
    # Moderators open their forms (no storage involved), then everyone submits at once,
    # while members ask in the channel and with /chiedi.
    forms = []
    for _ in range(SUBMITS):
        opened = payloads.slash_command("faq aggiungi", None, user="mod")
        await double.dispatch_interaction(opened)
        assert (await double.wait_callback(opened["id"])).status in (200, 204)
        forms.append(double.modal_for(opened["id"]))
    assert index_builds(caplog) == []  # nothing loaded yet: this is the cold start

    submits = [
        payloads.modal_submit(
            form,
            {
                "Nome": f"nuova-{number:02}",
                "Domanda": question(number),
                "Risposta": f"La sala {number} apre alle 21.",
            },
            user="mod",
        )
        for number, form in enumerate(forms)
    ]
    asks = [payloads.slash_command("chiedi", {"domanda": "come funziona il torneo?"})]
    asks += [
        payloads.slash_command("chiedi", {"domanda": f"come funziona il premio {n}?"})
        for n in range(ASKS // 2 - 1)
    ]
    mark = double.mark()
    mentions = [
        payloads.message(mention(f"Compose fa auto-scaling? ({n})"), channel=PLAIN_CHANNEL)
        for n in range(ASKS // 2)
    ]
    interactions = submits + asks
    for payload in interactions:
        await double.dispatch_interaction(payload)
    for message in mentions:
        await double.dispatch_message(message)

    callbacks = [await double.wait_callback(p["id"], timeout=30.0) for p in interactions]
    late = [(c.status, c.response) for c in callbacks if c.status not in (200, 204)]
    assert late == [], f"{len(late)} of {len(callbacks)} interactions failed: {late[:3]}"

    answers = [await final_answer(double, p, c) for p, c in zip(submits, callbacks, strict=False)]
    for number, answer in enumerate(answers):
        name = f"nuova-{number:02}"
        assert answer["content"].startswith(messages.FAQ_ADDED.format(name=name)), answer
    stored = await restarted.bot.storage.faq.count(int(double.guild.id))  # type: ignore[attr-defined]
    assert stored == BIG_FAQ + SUBMITS
    for payload, callback in zip(asks, callbacks[SUBMITS:], strict=True):
        assert (await final_answer(double, payload, callback))["embeds"]

    def replied() -> bool:
        ids = {
            (sent.get("message_reference") or {}).get("message_id")
            for sent in double.sent_messages(PLAIN_CHANNEL, start=mark)
        }
        return all(message["id"] in ids for message in mentions)

    await double.wait_until(lambda: replied() or None, timeout=30.0, what="every mention answered")
    # One read and one index for the whole burst.
    assert len(index_builds(caplog)) == 1, index_builds(caplog)
    # An entry added in the burst answers at once.
    asked = payloads.message(
        mention("dove parcheggio il furgone della band?"), channel=PLAIN_CHANNEL
    )
    start = double.mark()
    await double.dispatch_message(asked)
    reply = await double.wait_reply(PLAIN_CHANNEL, start=start)
    assert double.body_for_message(reply)["embeds"][0]["footer"]["text"] == (
        messages.FAQ_FOOTER.format(name="nuova-07")
    )
    assert not restarted.errors


async def test_the_first_messages_of_a_burst_are_the_ones_answered(
    discord_double: DiscordDouble, start_bot: Any, tmp_path: Path
) -> None:
    """Over the per-user limit, the messages dropped are the last ones, not the first."""
    double = discord_double
    await seed(tmp_path / "db.sqlite3", int(double.guild.id))
    limit = 4
    running: RunningBot = await start_bot(
        lambda: make_bot(
            tmp_path,
            faq_max_entries=BIG_FAQ + SUBMITS,
            channel_cooldown_seconds=0.0,
            user_rate_limit_per_minute=limit,
        ),
        guild_ready_timeout=0.01,
    )
    questions = [
        "Compose fa auto-scaling?",
        "kubernetes ha il failover?",
        "come gestisco i segreti con compose?",
        "compose fa rolling update?",
        "kubernetes scala da solo?",
        "compose ha un cluster?",
        "e i segreti in kubernetes?",
    ]
    mark = double.mark()
    sent = [
        double.payloads.message(mention(q), channel=PLAIN_CHANNEL, author="member")
        for q in questions
    ]
    # The first few arrive together and start the FAQ load; the rest come
    # while it is under way and once it is done.
    for number, message in enumerate(sent):
        await double.dispatch_message(message)
        if number >= 2:
            await asyncio.sleep(0.1)

    def answered() -> list[str] | None:
        replies = double.sent_messages(PLAIN_CHANNEL, start=mark)
        ids = [(r.get("message_reference") or {}).get("message_id") for r in replies]
        return ids if len(ids) >= limit else None

    await double.wait_until(answered, timeout=30.0, what=f"{limit} replies")
    # Let the rest be decided (they are refused by the limit) before looking.
    probe = double.payloads.message(mention(""), channel=PLAIN_CHANNEL, author="owner")
    start = double.mark()
    await double.dispatch_message(probe)
    await double.wait_reply(PLAIN_CHANNEL, start=start)
    ids = [
        (r.get("message_reference") or {}).get("message_id")
        for r in double.sent_messages(PLAIN_CHANNEL, start=mark)
        if (r.get("message_reference") or {}).get("message_id") != probe["id"]
    ]
    assert ids == [message["id"] for message in sent[:limit]]
    assert not running.errors
