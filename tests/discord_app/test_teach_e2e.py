"""Moderators teach the bot, end to end: the production TimoniereBot (real discord.py,
real SQLite) against the fake Discord.

A question the bot could not answer, and one a member voted 👎, reach the review
queue; a moderator settles them with `/insegna coda`; a paraphrase is then
answered as taught, and as before once the lesson is undone.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
import yaml
from discord_double import DiscordDouble
from discord_double.command_access import CommandUnavailable
from e2e_support import (
    GUILD_ID,
    PLAIN_CHANNEL,
    Chat,
    knowledge,
    mention,
)

from bot import messages
from bot.storage import ReviewItem

EPHEMERAL = 1 << 6
JSON = dict[str, Any]
Launch = Callable[..., Awaitable[Chat]]

UNANSWERED = "se si spegne la macchina del database che fine fanno i dati?"
UNANSWERED_PARAPHRASE = "che fine fanno i dati se la macchina del database si spegne?"
OFF_TOPIC = "kubernetes è meglio per la mia tesi di laurea?"
OFF_TOPIC_PARAPHRASE = "per la tesi di laurea è meglio kubernetes?"


@pytest.fixture
async def chat(launch: Launch) -> Chat:
    return await launch(channel_cooldown_seconds=0.0, user_rate_limit_per_minute=1000)


class Asker:
    """Each question from a new member, so no conversation context carries over."""

    def __init__(self, chat: Chat) -> None:
        self.chat = chat
        self.count = 0

    def member(self) -> JSON:
        self.count += 1
        return self.chat.double.world.add_user(f"asker{self.count}", f"utente{self.count}")

    async def ask(self, question: str) -> tuple[JSON, JSON]:
        return await self.chat.ask(mention(question), author=self.member(), channel=PLAIN_CHANNEL)


def select(message: JSON, row: int = 0) -> JSON:
    component: JSON = message["components"][row]["components"][0]
    assert component["type"] == 3, component
    return component


def option_value(component: JSON, label: str) -> str:
    for option in component["options"]:
        if option["label"] == label:
            value: str = option["value"]
            return value
    raise AssertionError(f"no option {label!r} in {[o['label'] for o in component['options']]}")


async def choose(chat: Chat, message: JSON, component: JSON, label: str) -> JSON:
    """Pick `label` in a select menu of `message` as the moderator; the updated message."""
    payload = chat.payloads.component_click(
        message, component["custom_id"], user="mod", values=[option_value(component, label)]
    )
    body = await chat.interact(payload)
    assert body["type"] == 7, body
    return chat.original(payload)


async def press(chat: Chat, message: JSON, label: str) -> JSON:
    """Press the button labelled `label` as the moderator; the updated message."""
    button = next(
        component
        for row in message["components"]
        for component in row["components"]
        if component.get("label") == label
    )
    payload = chat.payloads.component_click(message, button["custom_id"], user="mod")
    body = await chat.interact(payload)
    assert body["type"] == 7, body
    return chat.original(payload)


async def open_queue(chat: Chat) -> JSON:
    body = await chat.slash("insegna coda", user="mod")
    assert body["type"] == 4 and body["data"]["flags"] & EPHEMERAL
    return chat.original()


async def queue_rows(chat: Chat) -> list[ReviewItem]:
    """Every queued question of the test server, settled or not."""
    rows = await chat.bot.storage.database.fetch_all(
        "SELECT id FROM review_queue WHERE guild_id = ?", (int(GUILD_ID),)
    )
    found = [await chat.bot.storage.review.item(int(GUILD_ID), int(row[0])) for row in rows]
    return [item for item in found if item is not None]


def title(reply: JSON) -> str:
    text: str = reply["embeds"][0]["title"]
    return text


async def test_teach_a_paraphrase_then_undo(chat: Chat, discord_double: DiscordDouble) -> None:
    kb = knowledge()
    asker = Asker(chat)
    # Before any lesson: no answer to one question, the overview card for the other.
    _, unknown = await asker.ask(UNANSWERED_PARAPHRASE)
    unknown_title = title(unknown)
    assert unknown_title == messages.UNKNOWN_TITLE
    msg, card = await asker.ask(OFF_TOPIC)
    overview_title = title(card)
    assert overview_title == messages.OVERVIEW_TITLE.format(
        comparison=chat.bot.engine.builder.comparison
    )

    # Both reach the queue: one unanswered, one voted 👎 by the member who asked.
    await asker.ask(UNANSWERED)
    down = next(
        c["custom_id"]
        for row in card["components"]
        for c in row["components"]
        if (c.get("emoji") or {}).get("name") == "👎"
    )
    await chat.interact(chat.payloads.component_click(card, down, user=msg["author"]))
    queue = chat.bot.storage.review

    async def waiting() -> set[str]:
        return {item.question for item in await queue.waiting(int(GUILD_ID))}

    # The vote and the unanswered question are stored after the replies.
    deadline = asyncio.get_running_loop().time() + 5.0
    while len(await waiting()) < 3 and asyncio.get_running_loop().time() < deadline:
        await asyncio.sleep(0.01)
    assert await waiting() == {UNANSWERED_PARAPHRASE, OFF_TOPIC, UNANSWERED}

    # Teach: the unanswered question is about failover, for both systems.
    panel = await open_queue(chat)
    assert panel["embeds"][0]["title"] == messages.TEACH_QUEUE_TITLE
    item = await choose(chat, panel, select(panel), UNANSWERED)
    assert item["content"].startswith(messages.TEACH_PANEL.format(question=UNANSWERED))
    assert messages.TEACH_PANEL_WAS_UNANSWERED in item["content"]
    failover = kb.feature("failover").title
    label = messages.TEACH_FEATURE_OPTION.format(
        feature=failover, system=messages.TEACH_BOTH_SYSTEMS
    )
    taught = await choose(chat, item, select(item), label)
    done = messages.TEACH_DONE_FEATURE.format(
        question=UNANSWERED, feature=failover, system=messages.TEACH_BOTH_SYSTEMS
    )
    # The paraphrase asked earlier was waiting too: the lesson settles it as well.
    assert taught["content"] == f"{done} {messages.TEACH_ALSO_SETTLED_ONE}"
    assert await waiting() == {OFF_TOPIC}

    # A paraphrase is now answered with the failover card, at once.
    _, reply = await asker.ask(UNANSWERED_PARAPHRASE)
    assert failover in title(reply)
    assert title(reply) != unknown_title

    # Teach silence for the off-topic question, from "Prossima domanda".
    panel = await press(chat, taught, messages.TEACH_BUTTON_NEXT)
    item = await choose(chat, panel, select(panel), OFF_TOPIC)
    assert messages.TEACH_PANEL_WAS_OTHER in item["content"]
    silenced = await press(chat, item, messages.TEACH_BUTTON_SILENCE)
    assert silenced["content"] == messages.TEACH_DONE_SILENCE.format(question=OFF_TOPIC)
    quiet = await chat.send(
        mention(OFF_TOPIC_PARAPHRASE), author=asker.member(), channel=PLAIN_CHANNEL
    )
    await chat.assert_silent(quiet)

    # The export holds the taught phrasing under its feature, as the knowledge file lays it out.
    body = await chat.slash("insegna esporta", user="mod")
    assert body["data"]["content"] == messages.TEACH_EXPORTED_ONE
    exported = yaml.safe_load(discord_double.attachment(chat.original()).decode("utf-8"))
    assert exported == {"id": kb.id, "features": [{"id": "failover", "examples": [UNANSWERED]}]}

    # Undo both: from the panel's button, and from /insegna annulla.
    undone = await press(chat, silenced, messages.TEACH_BUTTON_UNDO)
    assert undone["content"] == messages.TEACH_UNDONE.format(question=OFF_TOPIC)
    _, again = await asker.ask(OFF_TOPIC_PARAPHRASE)
    assert title(again) == overview_title

    body = await chat.slash("insegna annulla", user="mod")
    undo_panel = chat.original()
    undo_menu = select(undo_panel)
    assert [option["label"] for option in undo_menu["options"]] == [UNANSWERED]
    payload = chat.payloads.component_click(
        undo_panel, undo_menu["custom_id"], user="mod", values=["0"]
    )
    assert (await chat.interact(payload))["type"] == 7
    assert chat.original(payload)["content"] == messages.TEACH_UNDONE.format(question=UNANSWERED)

    _, again = await asker.ask(UNANSWERED_PARAPHRASE)
    assert title(again) == unknown_title
    # Undone, the questions are back in the queue, the paraphrase with its question.
    assert await waiting() == {UNANSWERED_PARAPHRASE, OFF_TOPIC, UNANSWERED}
    assert not chat.rb.errors


async def test_members_cannot_teach(chat: Chat, discord_double: DiscordDouble) -> None:
    # Hidden from members by default (Manage Messages), as on Discord.
    with pytest.raises(CommandUnavailable):
        chat.payloads.slash_command("insegna coda", user="member")
    # An admin who shows it to everyone still leaves the writes to moderators.
    everyone = {"id": GUILD_ID, "type": 1, "permission": True}
    discord_double.set_command_permissions("insegna", [everyone])
    for name in ("insegna coda", "insegna annulla", "insegna esporta"):
        body = await chat.slash(name, user="member")
        assert body["data"]["content"] == messages.FAQ_NOT_MODERATOR, name
    body = await chat.slash("insegna coda", user="mod")
    assert body["data"]["content"] == messages.TEACH_QUEUE_EMPTY
    assert not chat.rb.errors


VOICE = "a che ora si può chiacchierare a voce con gli altri?"
VOICE_PARAPHRASE = "con gli altri a che ora si può chiacchierare a voce?"
BOOK = "qualcuno sa consigliarmi un buon libro di cucina?"


async def test_teach_an_faq_entry_and_dismiss(chat: Chat, discord_double: DiscordDouble) -> None:
    # A moderator writes an entry the bot does not connect to the question by itself.
    body = await chat.slash("faq aggiungi", user="mod")
    assert body["type"] == 9
    assert chat.last_interaction is not None
    modal = discord_double.modal_for(chat.last_interaction["id"])
    fields = {
        "Nome": "vocale",
        "Domanda": "Quando è aperto il canale vocale?",
        "Risposta": "Tutte le sere dalle 21 alle 23.",
    }
    await chat.interact(chat.payloads.modal_submit(modal, fields, user="mod"))
    asker = Asker(chat)
    _, before = await asker.ask(VOICE)
    assert title(before) == messages.UNKNOWN_TITLE
    await asker.ask(BOOK)
    queue = chat.bot.storage.review
    deadline = asyncio.get_running_loop().time() + 5.0
    while len(await queue.waiting(int(GUILD_ID))) < 2:
        assert asyncio.get_running_loop().time() < deadline, "questions never queued"
        await asyncio.sleep(0.01)

    panel = await open_queue(chat)
    item = await choose(chat, panel, select(panel), VOICE)
    entries = select(item, row=1)
    taught = await choose(chat, item, entries, "vocale — Quando è aperto il canale vocale?")
    assert taught["content"] == messages.TEACH_DONE_FAQ.format(question=VOICE, name="vocale")
    _, reply = await asker.ask(VOICE_PARAPHRASE)
    assert reply["embeds"][0]["footer"]["text"] == messages.FAQ_FOOTER.format(name="vocale")

    # Dismissing empties the queue and changes no answer.
    panel = await press(chat, taught, messages.TEACH_BUTTON_NEXT)
    item = await choose(chat, panel, select(panel), BOOK)
    dismissed = await press(chat, item, messages.TEACH_BUTTON_DISMISS)
    assert dismissed["content"] == messages.TEACH_DONE_DISMISS.format(question=BOOK)
    assert await queue.waiting(int(GUILD_ID)) == []
    (book,) = [row for row in await queue_rows(chat) if row.question == BOOK]
    _, again = await asker.ask(BOOK)
    assert title(again) == messages.UNKNOWN_TITLE
    # Asked again after the dismissal: counted, but it stays out of the queue.
    deadline = asyncio.get_running_loop().time() + 5.0
    while (await queue.item(int(GUILD_ID), book.id)).count < 2:  # type: ignore[union-attr]
        assert asyncio.get_running_loop().time() < deadline, "the question was not counted"
        await asyncio.sleep(0.01)
    assert await queue.waiting(int(GUILD_ID)) == []
    body = await chat.slash("insegna esporta", user="mod")
    assert body["data"]["content"] == messages.TEACH_EXPORT_EMPTY  # no feature was taught
    assert not chat.rb.errors
