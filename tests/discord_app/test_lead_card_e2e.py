"""The card leads with the same short answer as the console and the JSON."""

from __future__ import annotations

from e2e_support import AUTO_CHANNEL, Chat, knowledge

from bot.cli.render import render
from bot.core.answers import plain
from bot.core.engine import Engine


async def test_card_and_console_share_the_lead_for_the_question_as_asked(
    timoniere: Chat,
) -> None:
    engine = Engine(knowledge())
    for question, start in [
        ("docker compose è vincolato a un unico host?", "**Sì.** Docker Compose — "),
        ("compose non fa l'autoscaling, giusto?", "**Esatto, non lo fa.** Docker Compose — "),
    ]:
        _, reply = await timoniere.ask(question, channel=AUTO_CHANNEL)
        (embed,) = timoniere.body(reply)["embeds"]
        answer = engine.ask(question)
        assert embed["description"].startswith(start)
        assert embed["description"] == answer.lead
        # The console opens with the same words (wrapped to the terminal).
        assert render(answer, width=200).startswith(plain(answer.lead))
    assert not timoniere.rb.errors
