"""Slash commands end to end: the synced tree, each command and what the bot sent back."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from e2e_support import Chat, button_labels, knowledge

from bot import messages
from bot.core.knowledge import KnowledgeBase
from bot.core.text import normalize

COMPARISON = "Kubernetes vs Docker Compose"
SYSTEM_NAMES = {"kubernetes": "Kubernetes", "compose": "Docker Compose"}
EPHEMERAL = 1 << 6
CHANNEL_MESSAGE = 4  # interaction callback type: respond with a message
AUTOCOMPLETE_RESULT = 8
FEATURES = knowledge().features


def assert_public_card(chat: Chat, callback: dict[str, Any]) -> dict[str, Any]:
    assert callback["type"] == CHANNEL_MESSAGE
    data = callback["data"]
    assert not (data.get("flags") or 0) & EPHEMERAL
    assert data["allowed_mentions"] == {"parse": []}
    (embed,) = data["embeds"]
    result: dict[str, Any] = embed
    return result


def field_systems(embed: dict[str, Any]) -> list[str]:
    """System names of the card's fields, in order ("✅ Kubernetes: Sì" -> "Kubernetes")."""
    return [field["name"].split(" ", 1)[1].rsplit(":", 1)[0] for field in embed["fields"]]


async def test_every_feature_has_a_command_with_an_optional_system(timoniere: Chat) -> None:
    synced = {command["name"] for command in timoniere.double.commands[None]}
    assert {feature.id for feature in FEATURES} | {"chiedi", "confronto", "aiuto"} <= synced

    for feature in FEATURES:
        title = f"{feature.title} · {COMPARISON}"

        # Without `sistema` (and with "Entrambi"): both systems, neutral lead.
        for options in (None, {"sistema": "both"}):
            callback = await timoniere.slash(feature.id, options)
            embed = assert_public_card(timoniere, callback)
            assert embed["title"] == title
            assert embed["description"] == messages.FEATURE_BOTH_LEAD.format(feature=feature.title)
            assert [field["inline"] for field in embed["fields"]] == [True, True]
            assert embed["footer"]["text"].startswith("Fonte: ")

        # With `sistema`: that system's verdict leads and its field comes first.
        for system_id, name in SYSTEM_NAMES.items():
            callback = await timoniere.slash(feature.id, {"sistema": system_id})
            embed = assert_public_card(timoniere, callback)
            verdict = messages.VERDICT_WORD[feature.cells[system_id].verdict]
            assert embed["title"] == title
            assert embed["description"].startswith(f"**{verdict}.** {name}")
            assert field_systems(embed)[0] == name
            assert len(embed["fields"]) == 2
            assert button_labels(timoniere.original()) == ["Confronto completo", "👍", "👎"]
    assert not timoniere.rb.errors


async def test_chiedi_answers_a_free_question(timoniere: Chat) -> None:
    callback = await timoniere.slash("chiedi", {"domanda": "Compose fa auto-scaling?"})
    embed = assert_public_card(timoniere, callback)
    assert embed["title"] == f"Auto-scaling · {COMPARISON}"
    assert embed["description"].startswith("**No.** Docker Compose")
    assert field_systems(embed) == ["Docker Compose", "Kubernetes"]

    callback = await timoniere.slash("chiedi", {"domanda": "Come si cucina la carbonara?"})
    embed = assert_public_card(timoniere, callback)
    assert embed["title"] == messages.UNKNOWN_TITLE
    assert "Posso rispondere su" in embed["description"]
    assert not timoniere.rb.errors


async def autocomplete(chat: Chat, typed: str) -> list[dict[str, Any]]:
    payload = chat.payloads.autocomplete("chiedi", {"domanda": typed}, "domanda")
    callback = await chat.interact(payload)
    assert callback["type"] == AUTOCOMPLETE_RESULT
    choices: list[dict[str, Any]] = callback["data"]["choices"]
    return choices


async def test_chiedi_autocomplete_filters_what_was_typed(timoniere: Chat) -> None:
    everything = await autocomplete(timoniere, "")
    assert len(everything) == 25  # more phrases than that: Discord's cap
    assert everything[0]["name"] == FEATURES[0].title

    for typed in ("segreti", "AUTO scal", "nodi"):
        choices = await autocomplete(timoniere, typed)
        assert 0 < len(choices) <= 25
        for choice in choices:
            assert all(word in normalize(choice["name"]) for word in normalize(typed).split())
            assert 1 <= len(choice["name"]) <= 100 and choice["value"] == choice["name"]

    assert await autocomplete(timoniere, "carbonara") == []
    # A picked suggestion is a question the bot answers.
    (pick, *_) = await autocomplete(timoniere, "segreti")
    callback = await timoniere.slash("chiedi", {"domanda": pick["value"]})
    assert assert_public_card(timoniere, callback)["title"].startswith("Gestione dei segreti")
    assert not timoniere.rb.errors


async def test_confronto_shows_the_whole_table(timoniere: Chat) -> None:
    callback = await timoniere.slash("confronto")
    embed = assert_public_card(timoniere, callback)
    assert embed["title"] == f"Confronto completo · {COMPARISON}"
    assert len(embed["fields"]) == len(FEATURES) == 6
    assert [field["name"] for field in embed["fields"]] == [f.title for f in FEATURES]
    for field in embed["fields"]:
        assert not field["inline"]
        assert 0 < len(field["value"]) <= 1024
        assert "Kubernetes" in field["value"] and "Docker Compose" in field["value"]
    size = len(embed["title"]) + len(embed.get("description", "")) + len(embed["footer"]["text"])
    size += sum(len(field["name"]) + len(field["value"]) for field in embed["fields"])
    assert size <= 6000
    assert button_labels(timoniere.original()) == [
        "👍",
        "👎",
    ]  # no "Confronto completo" under itself


async def test_aiuto_is_private(timoniere: Chat) -> None:
    callback = await timoniere.slash("aiuto")
    assert callback["type"] == CHANNEL_MESSAGE
    data = callback["data"]
    assert data["flags"] & EPHEMERAL
    (embed,) = data["embeds"]
    assert embed["title"] == messages.HELP_TITLE
    for feature in FEATURES:
        assert f"`/{feature.id}`" in embed["description"]
    assert "/chiedi" in embed["description"] and "/confronto" in embed["description"]


@pytest.mark.parametrize("where", ["dm", "other-channel"])
async def test_commands_work_in_dms_and_any_channel(timoniere: Chat, where: str) -> None:
    kwargs: dict[str, Any] = {"dm": True} if where == "dm" else {"channel": "domande"}
    callback = await timoniere.slash("autoscaling", {"sistema": "kubernetes"}, **kwargs)
    embed = assert_public_card(timoniere, callback)
    assert embed["description"].startswith("**Sì.** Kubernetes")


def big_table(count: int = 40) -> KnowledgeBase:
    """The real table grown to `count` rows with long (but valid) texts."""
    kb = knowledge()
    template = kb.features[0]
    features = []
    for n in range(1, count + 1):
        cells = {
            system_id: replace(cell, headline=f"Titoletto {n:02d} " + "molto lungo " * 8)
            for system_id, cell in template.cells.items()
        }
        features.append(
            replace(
                template,
                id=f"caratteristica-{n:02d}",
                title=f"Caratteristica numero {n:02d} con un titolo lungo",
                description=f"Descrizione {n:02d} " + "abbastanza lunga " * 5,
                cells=cells,
            )
        )
    return replace(kb, features=tuple(features))


async def test_a_big_table_still_fits_discords_limits(launch: Any) -> None:
    kb = big_table()
    chat: Chat = await launch(kb=kb)

    # The double refuses anything over Discord's limits (25 fields, 6000 characters
    # per embed, 4096 per description): these calls would fail with a 400.
    callback = await chat.slash("confronto")
    embed = assert_public_card(chat, callback)
    shown = len(embed["fields"])
    assert 0 < shown <= 25
    assert [field["name"] for field in embed["fields"]] == [f.title for f in kb.features[:shown]]
    assert embed["description"].endswith(
        messages.OVERVIEW_MORE.format(count=len(kb.features) - shown)
    )
    callback = await chat.slash("aiuto")
    (embed,) = callback["data"]["embeds"]
    assert f"`/{kb.features[0].id}`" in embed["description"]
    assert "…e altri" in embed["description"]
    callback = await chat.slash(kb.features[-1].id, {"sistema": "compose"})
    assert_public_card(chat, callback)
    callback = await chat.click(chat.original(), "Confronto completo")
    assert callback["data"]["flags"] & EPHEMERAL
    assert not chat.rb.errors
