"""Card buttons outlive the bot: their meaning is in their custom_id.

Each test posts a card with one bot, stops it, starts a new TimoniereBot
(same database, same fake Discord) and presses the buttons of the old card,
as a member would a week later.
"""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
from discord_double import DiscordDouble, RunningBot, running_bot
from e2e_support import (
    AUTO_CHANNEL,
    EPHEMERAL,
    GUILD_ID,
    KNOWLEDGE_DIR,
    MEMBER_ID,
    PLAIN_CHANNEL,
    Chat,
    button_id,
    button_labels,
    ephemeral_text,
    eventually,
    feedback_rows,
    make_bot,
    mention,
    spy_on_feedback,
)

from bot import messages
from bot.core.faq import new_entry
from bot.core.knowledge import load_knowledge_dir

Start = Callable[..., AbstractAsyncContextManager[Chat]]


@pytest.fixture
def start(discord_double: DiscordDouble, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Start:
    """`async with start(**settings) as chat:` runs one bot's life on the shared database."""

    @asynccontextmanager
    async def run(**overrides: Any) -> AsyncIterator[Chat]:
        overrides.setdefault("channel_cooldown_seconds", 0.0)
        factory = lambda: make_bot(tmp_path, **overrides)  # noqa: E731
        async with running_bot(discord_double, factory, monkeypatch) as rb:
            yield Chat(discord_double, rb)

    return run


def kept_views(rb: RunningBot) -> int:
    """Views discord.py still holds for dispatch (random-id buttons need one per message)."""
    store = rb.bot._connection._view_store
    return len(store._views) + len(store._synced_message_views)


def without_feature(knowledge: Path, feature_id: str, into: Path) -> Path:
    """A copy of the knowledge directory whose table no longer has `feature_id`:
    its block under `features` and its `absence_cues` entry are cut, as a
    maintainer would delete them."""
    source = next(knowledge.glob("*.yaml"))
    kept: list[str] = []
    cutting_below: int | None = None
    for line in source.read_text(encoding="utf-8").splitlines(keepends=True):
        indent = len(line) - len(line.lstrip())
        if cutting_below is not None:
            if not line.strip() or line.lstrip().startswith("#") or indent > cutting_below:
                continue
            cutting_below = None
        if line.strip() in (f"- id: {feature_id}", f"{feature_id}:"):
            cutting_below = indent
            continue
        kept.append(line)
    into.mkdir()
    (into / source.name).write_text("".join(kept), encoding="utf-8")
    assert feature_id not in {f.id for f in load_knowledge_dir(into).features}
    return into


async def test_buttons_of_a_card_work_after_a_restart(start: Start) -> None:
    async with start() as chat:
        _, voted = await chat.ask("Compose fa auto-scaling?", channel=AUTO_CHANNEL)
        _, suggested = await chat.ask(mention("carico e server"), channel=PLAIN_CHANNEL)
        # Nothing is held per reply: no view objects, hence no 15-minute timeout tasks.
        assert kept_views(chat.rb) == 0

    # The ids say what each button does, and who may vote.
    assert button_id(voted, "👍") == f"card:vote:up:{MEMBER_ID}:feature:autoscaling"
    assert button_id(voted, "👎") == f"card:vote:down:{MEMBER_ID}:feature:autoscaling"
    assert button_id(voted, "Confronto completo") == "card:overview"
    assert button_id(suggested, "Forse: Auto-scaling").startswith("card:suggest:autoscaling:")

    async with start() as chat:
        votes = spy_on_feedback(chat)
        overview = await chat.click(voted, "Confronto completo", user="mod")
        assert overview["data"]["flags"] & EPHEMERAL
        (embed,) = overview["data"]["embeds"]
        assert embed["title"] == "Confronto completo · Kubernetes vs Docker Compose"

        refused = await chat.click(voted, "👍", user="mod")
        assert ephemeral_text(refused) == messages.FEEDBACK_NOT_YOURS
        thanks = await chat.click(voted, "👍")
        assert ephemeral_text(thanks) == messages.FEEDBACK_THANKS
        database = chat.bot.settings.database_path
        expected = [
            (int(GUILD_ID), int(AUTO_CHANNEL), int(voted["id"]), int(MEMBER_ID), "feature",
             "autoscaling", 1)
        ]  # fmt: skip
        assert await eventually(lambda: feedback_rows(database), expected.__eq__) == expected
        # The vote knows the question it judges: the card replies to it.
        assert [vote.question for vote in votes] == ["Compose fa auto-scaling?"]

        card = await chat.click(suggested, "Forse: Auto-scaling")
        assert not (card["data"].get("flags") or 0) & EPHEMERAL
        (embed,) = card["data"]["embeds"]
        assert embed["title"] == "Auto-scaling · Kubernetes vs Docker Compose"
        # The new card's buttons are as durable, and its votes belong to whoever clicked.
        shown = chat.original()
        assert button_labels(shown) == ["Confronto completo", "👍", "👎"]
        assert button_id(shown, "👎") == f"card:vote:down:{MEMBER_ID}:feature:autoscaling"
        assert kept_views(chat.rb) == 0
        assert not chat.rb.errors


async def test_a_feature_removed_from_the_yaml_is_explained(start: Start, tmp_path: Path) -> None:
    async with start() as chat:
        _, voted = await chat.ask("Compose fa auto-scaling?", channel=AUTO_CHANNEL)
        _, suggested = await chat.ask(mention("carico e server"), channel=PLAIN_CHANNEL)

    trimmed = without_feature(KNOWLEDGE_DIR, "autoscaling", tmp_path / "knowledge")
    async with start(knowledge_dir=trimmed, kb=load_knowledge_dir(trimmed)) as chat:
        gone = await chat.click(suggested, "Forse: Auto-scaling")
        assert ephemeral_text(gone) == messages.BUTTON_FEATURE_GONE
        vote = await chat.click(voted, "👍")
        assert ephemeral_text(vote) == messages.FEEDBACK_FEATURE_GONE
        assert feedback_rows(chat.bot.settings.database_path) == []
        # What still exists still answers.
        cluster = await chat.click(suggested, "Forse: Cluster distribuiti")
        assert cluster["data"]["embeds"][0]["title"].startswith("Cluster distribuiti")
        assert not chat.rb.errors


async def test_a_deleted_faq_entry_is_explained(start: Start) -> None:
    async with start() as chat:
        entry = new_entry(
            int(GUILD_ID),
            "orari",
            "Quali sono gli orari dell'assistenza?",
            "Dal lunedì al venerdì, dalle 9 alle 18.",
        )
        await chat.bot.storage.faq.add(entry, None)
        _, card = await chat.ask("quali sono gli orari dell'assistenza?", channel=AUTO_CHANNEL)
        assert button_id(card, "👍") == f"card:vote:up:{MEMBER_ID}:faq:orari"
        await chat.slash("faq rimuovi", {"nome": "orari"}, user="mod")
        panel = chat.original()
        await chat.click(panel, messages.FAQ_BUTTON_REMOVE, user="mod")

    async with start() as chat:
        vote = await chat.click(card, "👍")
        assert ephemeral_text(vote) == messages.FEEDBACK_FAQ_GONE
        assert feedback_rows(chat.bot.settings.database_path) == []
        assert not chat.rb.errors


def card_from_before_stable_ids(double: DiscordDouble) -> dict[str, Any]:
    """A card as the bot posted it before this change: discord.py's random
    32-hex custom_ids, which no running bot knows. A moderator panel's button
    (also a random id) sits next to them, to show it is left alone."""

    def button(style: int, **fields: Any) -> dict[str, Any]:
        return {"type": 2, "style": style, "custom_id": secrets.token_hex(16), **fields}

    row = [
        button(2, label="Forse: Auto-scaling"),
        button(2, label="Forse: Una caratteristica tolta"),
        button(1, label="Confronto completo"),
        button(2, emoji={"name": "👍"}),
        button(4, label=messages.FAQ_BUTTON_REMOVE),
    ]
    embed = {"type": "rich", "title": "Cluster distribuiti · Kubernetes vs Docker Compose"}
    return double.payloads.message(
        "", author="bot", channel=AUTO_CHANNEL, embeds=[embed],
        components=[{"type": 1, "components": row}],
    )  # fmt: skip


async def test_cards_from_before_stable_ids_still_answer(
    start: Start, discord_double: DiscordDouble
) -> None:
    old = card_from_before_stable_ids(discord_double)
    async with start() as chat:
        card = await chat.click(old, "Forse: Auto-scaling")
        assert card["data"]["embeds"][0]["title"] == "Auto-scaling · Kubernetes vs Docker Compose"
        gone = await chat.click(old, "Forse: Una caratteristica tolta")
        assert ephemeral_text(gone) == messages.BUTTON_FEATURE_GONE
        vote = await chat.click(old, "👍")
        assert ephemeral_text(vote) == messages.FEEDBACK_OLD_CARD

        # Not a card's button: left to whatever view owns it (none here).
        panel_click = discord_double.payloads.component_click(
            old, button_id(old, messages.FAQ_BUTTON_REMOVE)
        )
        await discord_double.dispatch_interaction(panel_click)
        overview = await chat.click(old, "Confronto completo")
        assert overview["data"]["embeds"][0]["title"].startswith("Confronto completo")
        assert discord_double.find_requests("POST", f"/interactions/{panel_click['id']}/*") == []
        assert not chat.rb.errors
