"""The custom_ids of card buttons: within Discord's 100 characters, each read back by
exactly one registered template, and validated by the fake Discord as a message."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import discord
import pytest
from discord_double.limits import validate_message

from bot.core.engine import Engine
from bot.core.faq import NAME_MAX, new_entry
from bot.core.knowledge import MAX_FEATURE_ID, load_knowledge_dir
from bot.discord_app.card_buttons import CARD_BUTTONS, card_view
from bot.discord_app.legacy_buttons import LegacyCardButton

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = [item.__discord_ui_compiled_template__ for item in (*CARD_BUTTONS, LegacyCardButton)]
LONGEST_SNOWFLAKE = 2**64 - 1  # 20 digits
CUSTOM_ID_LIMIT = 100


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine(load_knowledge_dir(ROOT / "knowledge"))


def ids(view: discord.ui.View) -> list[str]:
    return [item.custom_id for item in view.children]  # type: ignore[attr-defined]


def readers(custom_id: str) -> int:
    return sum(template.fullmatch(custom_id) is not None for template in TEMPLATES)


def test_every_card_id_is_short_and_read_by_one_template(engine: Engine) -> None:
    longest_feature = "f" * MAX_FEATURE_ID
    answers = [engine.overview(), engine.ask("carico e server", None, None)]
    for feature in engine.kb.features:
        answers.append(engine.feature(feature.id, "compose"))
    # The longest ids the formats allow: 32-character topics, a 20-digit asker.
    answers.append(replace(answers[-1], feature=longest_feature, suggestions=()))
    faq = new_entry(1, "n" * NAME_MAX, "Domanda?", "Risposta.")
    engine.set_faq(1, [faq])
    answers.append(engine.ask("Domanda?", None, 1))
    assert answers[-1].kind == "faq"
    seen = set()
    for answer in answers:
        view = card_view(engine.kb, answer, LONGEST_SNOWFLAKE)
        for custom_id in ids(view):
            assert len(custom_id) <= CUSTOM_ID_LIMIT, custom_id
            assert readers(custom_id) == 1, custom_id
            seen.add(custom_id.split(":")[1])
        body = {"components": [row for row in view.to_components()], "content": "x"}
        assert not validate_message(body), body
    assert seen == {"overview", "suggest", "vote"}


def test_ids_say_what_the_button_does(engine: Engine) -> None:
    answer = engine.feature("autoscaling", "compose")
    view = card_view(engine.kb, answer, 42)
    assert ids(view) == [
        "card:overview",
        "card:vote:up:42:feature:autoscaling",
        "card:vote:down:42:feature:autoscaling",
    ]
    overview = card_view(engine.kb, engine.overview(), 42)
    assert ids(overview) == ["card:vote:up:42:overview:", "card:vote:down:42:overview:"]
