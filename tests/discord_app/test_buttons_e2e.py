"""Buttons under the cards: full comparison, suggestions and 👍/👎 feedback."""

from __future__ import annotations

from e2e_support import (
    AUTO_CHANNEL,
    CHANNEL_MESSAGE,
    EPHEMERAL,
    GUILD_ID,
    MEMBER_ID,
    PLAIN_CHANNEL,
    Chat,
    button_labels,
    ephemeral_text,
    eventually,
    feedback_rows,
    mention,
)

from bot import messages


async def test_full_comparison_button(timoniere: Chat) -> None:
    _, reply = await timoniere.ask("Compose fa auto-scaling?", channel=AUTO_CHANNEL)
    # Anyone may open the full comparison; it is shown only to them.
    callback = await timoniere.click(reply, "Confronto completo", user="mod")
    assert callback["type"] == CHANNEL_MESSAGE
    data = callback["data"]
    assert data["flags"] & EPHEMERAL
    (embed,) = data["embeds"]
    assert embed["title"] == "Confronto completo · Kubernetes vs Docker Compose"
    assert len(embed["fields"]) == 6
    assert not timoniere.rb.errors


async def test_suggestion_buttons_for_two_close_features(timoniere: Chat) -> None:
    # "carico e server" sits between "Cluster distribuiti" and "Auto-scaling".
    _, reply = await timoniere.ask(mention("carico e server"), channel=PLAIN_CHANNEL)
    (embed,) = timoniere.body(reply)["embeds"]
    assert "Forse intendevi: Cluster distribuiti o Auto-scaling?" in embed["description"]
    assert button_labels(reply) == [
        "Forse: Cluster distribuiti",
        "Forse: Auto-scaling",
        "Confronto completo",
    ]

    callback = await timoniere.click(reply, "Forse: Auto-scaling")
    assert callback["type"] == CHANNEL_MESSAGE
    data = callback["data"]
    assert not (data.get("flags") or 0) & EPHEMERAL
    assert data["allowed_mentions"] == {"parse": []}
    (card,) = data["embeds"]
    assert card["title"] == "Auto-scaling · Kubernetes vs Docker Compose"
    assert len(card["fields"]) == 2
    shown = timoniere.original()
    assert button_labels(shown) == ["Confronto completo", "👍", "👎"]

    # The suggested card takes votes from whoever clicked the suggestion.
    thanks = await timoniere.click(shown, "👍")
    assert ephemeral_text(thanks) == messages.FEEDBACK_THANKS
    rows = await eventually(lambda: feedback_rows(timoniere.bot.settings.database_path), bool)
    assert rows == [
        (int(GUILD_ID), int(PLAIN_CHANNEL), int(shown["id"]), int(MEMBER_ID), "feature",
         "autoscaling", 1)
    ]  # fmt: skip
    assert not timoniere.rb.errors


async def test_feedback_only_from_the_asker_and_stored(timoniere: Chat) -> None:
    _, reply = await timoniere.ask("Compose fa auto-scaling?", channel=AUTO_CHANNEL)
    database = timoniere.bot.settings.database_path

    refused = await timoniere.click(reply, "👍", user="mod")
    assert ephemeral_text(refused) == messages.FEEDBACK_NOT_YOURS
    assert feedback_rows(database) == []

    thanks = await timoniere.click(reply, "👍")
    assert ephemeral_text(thanks) == messages.FEEDBACK_THANKS
    vote = (int(GUILD_ID), int(AUTO_CHANNEL), int(reply["id"]), int(MEMBER_ID), "feature")
    expected = [(*vote, "autoscaling", 1)]
    assert await eventually(lambda: feedback_rows(database), expected.__eq__) == expected

    # Changing one's mind replaces the vote: one per user and answer.
    sorry = await timoniere.click(reply, "👎")
    assert ephemeral_text(sorry) == messages.FEEDBACK_SORRY
    expected = [(*vote, "autoscaling", 0)]
    assert await eventually(lambda: feedback_rows(database), expected.__eq__) == expected
    assert not timoniere.rb.errors


async def test_feedback_on_a_slash_command_card(timoniere: Chat) -> None:
    await timoniere.slash("segreti", {"sistema": "compose"}, user="owner")
    card = timoniere.original()
    refused = await timoniere.click(card, "👎")
    assert ephemeral_text(refused) == messages.FEEDBACK_NOT_YOURS
    thanks = await timoniere.click(card, "👎", user="owner")
    assert ephemeral_text(thanks) == messages.FEEDBACK_SORRY
    ((*_, subject, helpful),) = await eventually(
        lambda: feedback_rows(timoniere.bot.settings.database_path), bool
    )
    assert (subject, helpful) == ("segreti", 0)
    assert not timoniere.rb.errors


async def test_feedback_in_a_dm(timoniere: Chat) -> None:
    _, reply = await timoniere.ask("Kubernetes gestisce i segreti?", dm=True)
    thanks = await timoniere.click(reply, "👍")
    assert ephemeral_text(thanks) == messages.FEEDBACK_THANKS
    (row,) = await eventually(lambda: feedback_rows(timoniere.bot.settings.database_path), bool)
    assert row[0] == 0 and row[2:] == (int(reply["id"]), int(MEMBER_ID), "feature", "segreti", 1)
    assert not timoniere.rb.errors
