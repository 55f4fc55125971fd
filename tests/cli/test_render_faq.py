"""The console shows the FAQ entries it offers, answered or not."""

from __future__ import annotations

from pathlib import Path

from bot import messages
from bot.cli.render import render
from bot.core.engine import Engine
from bot.core.faq import FaqEntry
from bot.core.knowledge import load_knowledge
from tests.core.faq_models import constant_models

SHIPPED = Path(__file__).resolve().parents[2] / "knowledge" / "kubernetes-vs-compose.yaml"
GUILD = 3
RULES = FaqEntry(GUILD, "regole", "Quali sono le regole del server?", "Niente spam.")


def test_an_unsure_entry_is_offered_under_the_unknown_answer() -> None:
    # Every FAQ decision says 0.38: below the threshold, above the floor.
    engine = Engine(load_knowledge(SHIPPED), faq_decision=constant_models(-0.5))
    engine.set_faq(GUILD, [RULES])
    answer = engine.ask("cosa e vietato nel server", guild_id=GUILD)
    assert answer.kind == "unknown"
    shown = render(answer, width=200)
    offer = messages.FAQ_SUGGESTIONS.format(options=f"«{RULES.question}»")
    assert shown.startswith(answer.text.split("\n")[0])
    assert shown.endswith("\n\n" + offer)
    # Sure of it, the same engine answers with the entry and offers nothing more.
    sure = Engine(load_knowledge(SHIPPED), faq_decision=constant_models(3.0))
    sure.set_faq(GUILD, [RULES])
    answered = sure.ask("cosa e vietato nel server", guild_id=GUILD)
    assert answered.kind == "faq" and messages.FAQ_SUGGESTIONS.split("{")[0] not in render(
        answered, width=200
    )
