"""Answer cards (`bot/discord_app/cards.py`): the real engine's answers rendered as embeds.

Every card is also checked with the fake Discord's validator, which refuses what
Discord refuses (sizes, field counts), so a card that passes here sends.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import discord
import pytest
from discord_double.limits import validate_message

from bot import messages
from bot.core.engine import Engine
from bot.core.faq import new_entry
from bot.core.knowledge import (
    MAX_CELL_TEXT,
    MAX_HEADLINE,
    MAX_SYSTEMS,
    MAX_TITLE,
    Cell,
    KnowledgeBase,
    System,
    load_knowledge_dir,
)
from bot.discord_app.cards import card_for, clip
from tests.core.faq_models import constant_models

ROOT = Path(__file__).resolve().parents[2]
GUILD = 7


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_knowledge_dir(ROOT / "knowledge")


@pytest.fixture(scope="module")
def engine(kb: KnowledgeBase) -> Engine:
    return Engine(kb)


def sendable(embed: discord.Embed) -> list[str]:
    """Discord's objections to a message carrying this embed (none means it sends)."""
    return validate_message({"embeds": [embed.to_dict()]}).flat()


def test_clip_keeps_short_text_and_marks_a_cut() -> None:
    assert clip("breve", 5) == "breve"
    clipped = clip("un testo troppo lungo", 10)
    assert len(clipped) == 10
    assert clipped == "un testo …"


def test_a_feature_card_shows_every_system_with_its_verdict(
    engine: Engine, kb: KnowledgeBase
) -> None:
    answer = engine.feature("autoscaling", "kubernetes")
    embed = card_for(answer)
    assert embed.title == answer.title
    assert embed.description == answer.lead
    assert embed.footer.text == answer.footer
    feature = kb.feature("autoscaling")
    assert len(embed.fields) == len(feature.cells)
    for field, cell in zip(embed.fields, answer.cells, strict=True):
        assert field.inline
        assert field.name is not None and cell.system_name in field.name
        assert messages.VERDICT_WORD[cell.verdict] in field.name
        assert field.value == f"**{cell.headline}**\n{cell.text}"
    assert sendable(embed) == []


def test_the_card_colour_follows_the_asked_systems_verdict(engine: Engine) -> None:
    def colour(system: str) -> discord.Colour | None:
        return card_for(engine.feature("autoscaling", system)).colour

    kubernetes = engine.feature("autoscaling", "kubernetes")
    verdicts = {cell.system_id: cell.verdict for cell in kubernetes.cells}
    assert verdicts["kubernetes"] != verdicts["compose"]  # the table's premise
    assert colour("kubernetes") != colour("compose")
    # Both systems asked: no single verdict, so the neutral colour of the overview.
    assert colour("both") == card_for(engine.overview()).colour


def test_the_overview_lists_every_feature_of_a_small_table(
    engine: Engine, kb: KnowledgeBase
) -> None:
    embed = card_for(engine.overview())
    assert [field.name for field in embed.fields] == [f.title for f in kb.features]
    assert all(not field.inline for field in embed.fields)
    assert messages.OVERVIEW_MORE_ONE not in (embed.description or "")
    assert sendable(embed) == []


def test_one_row_over_the_field_limit_is_announced_in_the_singular(kb: KnowledgeBase) -> None:
    template = kb.features[0]
    rows = [replace(template, id=f"riga-{n:02d}", title=f"Riga {n:02d}") for n in range(1, 27)]
    embed = card_for(Engine(replace(kb, features=tuple(rows))).overview())
    assert len(embed.fields) == 25  # Discord's most fields per embed
    assert embed.description is not None
    assert embed.description.endswith(messages.OVERVIEW_MORE_ONE)
    assert sendable(embed) == []


def test_an_faq_card_shows_the_moderators_text_without_markdown_in_the_title(
    kb: KnowledgeBase,
) -> None:
    engine = Engine(kb)
    entry = new_entry(
        GUILD,
        "orari",
        "Quando è aperto il **canale** vocale?",
        "Dalle 18 alle 23, *tutti i giorni*.\n<@&123> non serve taggare.",
    )
    engine.set_faq(GUILD, [entry])
    answer = engine.ask("quando è aperto il canale vocale?", guild_id=GUILD)
    assert answer.kind == "faq"
    embed = card_for(answer)
    assert embed.title == discord.utils.escape_markdown(entry.question)
    assert "\\*\\*canale\\*\\*" in (embed.title or "")
    assert embed.description == entry.answer  # the answer keeps its formatting
    assert embed.url is None
    assert sendable(embed) == []


def test_an_faq_card_offers_a_genuinely_close_entry(kb: KnowledgeBase) -> None:
    engine = Engine(kb)
    volumes = new_entry(GUILD, "backup-volumi", "Come faccio il backup dei **volumi**?", "Con tar.")
    database = new_entry(GUILD, "backup-database", "Come faccio il backup del database?", "Dump.")
    engine.set_faq(GUILD, [volumes, database])
    answer = engine.ask("come faccio il backup?", guild_id=GUILD)
    assert answer.kind == "faq" and answer.faq is not None
    (field,) = card_for(answer).fields
    other = volumes if answer.faq.name == database.name else database
    assert field.name == messages.FAQ_SUGGESTIONS_TITLE
    assert field.value == messages.FAQ_SUGGESTION_LINE.format(
        question=discord.utils.escape_markdown(other.question), name=other.name
    )
    assert sendable(card_for(answer)) == []
    # A clear winner has no such field.
    alone = engine.ask("come faccio il backup del database?", guild_id=GUILD)
    assert card_for(alone).fields == []


def test_an_unknown_card_offers_the_entry_the_faq_was_unsure_of(kb: KnowledgeBase) -> None:
    # Every FAQ decision says 0.38: below the threshold, above the floor.
    engine = Engine(kb, faq_decision=constant_models(-0.5))
    rules = new_entry(GUILD, "regole", "Quali sono le **regole** del server?", "Niente spam.")
    engine.set_faq(GUILD, [rules])
    answer = engine.ask("cosa e vietato nel server", guild_id=GUILD)
    assert answer.kind == "unknown" and answer.faq_suggestions
    embed = card_for(answer)
    (field,) = embed.fields
    assert field.name == messages.FAQ_SUGGESTIONS_TITLE
    # Moderator text: markdown escaped, the way to open it named.
    assert field.value == messages.FAQ_SUGGESTION_LINE.format(
        question=discord.utils.escape_markdown(rules.question), name=rules.name
    )
    assert embed.description == answer.text
    assert sendable(embed) == []


def test_an_unknown_card_carries_the_answer_text_and_no_footer(engine: Engine) -> None:
    answer = engine.ask("che tempo fa domani a Bari?")
    assert answer.kind == "unknown"
    embed = card_for(answer)
    assert embed.title == answer.title
    assert embed.description == answer.text
    assert embed.footer.text is None
    assert sendable(embed) == []


def test_the_largest_cells_the_knowledge_check_allows_still_send(kb: KnowledgeBase) -> None:
    # MAX_SYSTEMS systems, each cell at the longest headline and text a knowledge
    # file may have: the card must still fit Discord's 6,000-character embed.
    systems = tuple(
        System(id=f"sistema-{n}", name=f"Sistema {n}", aliases=(f"sistema{n}",))
        for n in range(1, MAX_SYSTEMS + 1)
    )
    cells = {
        system.id: Cell("parziale", "h" * MAX_HEADLINE, "t" * MAX_CELL_TEXT) for system in systems
    }
    features = tuple(
        replace(feature, title=feature.title.ljust(MAX_TITLE, "x"), cells=cells)
        for feature in kb.features
    )
    engine = Engine(replace(kb, systems=systems, features=features))
    for system in (*systems, None):
        answer = engine.feature(features[0].id, system.id if system else None)
        embed = card_for(answer)
        assert len(embed.fields) == MAX_SYSTEMS
        assert sendable(embed) == []
    assert sendable(card_for(engine.overview())) == []
