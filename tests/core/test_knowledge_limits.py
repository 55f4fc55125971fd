"""A table that loads is one whose slash commands Discord can register (issue 10, item 5)."""

from __future__ import annotations

import pytest
from knowledge_tables import table_with_rows

from bot import messages
from bot.core.knowledge import (
    MAX_COMMANDS,
    MAX_FEATURES,
    RESERVED_FEATURE_IDS,
    KnowledgeError,
    parse_knowledge,
)


def test_the_rows_that_fit_beside_the_built_in_commands_load() -> None:
    assert MAX_FEATURES + len(RESERVED_FEATURE_IDS) == MAX_COMMANDS == 100
    kb = parse_knowledge(table_with_rows(MAX_FEATURES), "tabella.yaml")
    assert len(kb.features) == MAX_FEATURES


@pytest.mark.parametrize("rows", [MAX_FEATURES + 1, 96])
def test_more_rows_than_discord_registers_are_refused(rows: int) -> None:
    with pytest.raises(KnowledgeError) as refused:
        parse_knowledge(table_with_rows(rows), "tabella.yaml")
    expected = messages.KB_TOO_MANY_FEATURES.format(
        count=rows, builtin=len(RESERVED_FEATURE_IDS), limit=MAX_COMMANDS, most=MAX_FEATURES
    )
    assert str(refused.value).startswith("tabella.yaml:")
    assert str(refused.value).endswith(expected)


def test_a_description_longer_than_a_command_description_is_refused() -> None:
    text = table_with_rows(7).replace(
        "description: Una riga generata per provare i limiti di Discord",
        "description: " + "d" * 101,
        1,
    )
    with pytest.raises(KnowledgeError, match="description is 101 characters long"):
        parse_knowledge(text, "tabella.yaml")


@pytest.mark.parametrize("name", sorted(RESERVED_FEATURE_IDS))
def test_a_row_named_like_a_built_in_command_is_refused(name: str) -> None:
    text = table_with_rows(7).replace("id: voce-000", f"id: {name}", 1)
    with pytest.raises(KnowledgeError, match="built-in command"):
        parse_knowledge(text, "tabella.yaml")
