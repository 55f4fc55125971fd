"""The shipped YAML must quote the seed table word for word.

The seed Markdown is parsed here on its own, with a few lines of string
handling, so a bug in bot/core/table_import.py cannot hide a drift.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.core.knowledge import KnowledgeBase, load_knowledge

ROOT = Path(__file__).resolve().parents[2]
# A verbatim copy of the shared seed (/work/shared/seeds/000_511f7ba101002239.txt),
# kept in the repository so the check runs everywhere.
SEED = ROOT / "tests" / "fixtures" / "seed-kubernetes-vs-compose.md"
SHARED_SEED = Path("/work/shared/seeds/000_511f7ba101002239.txt")
SHIPPED = ROOT / "knowledge" / "kubernetes-vs-compose.yaml"

# Seed column header -> system id in the YAML; seed row title -> feature id.
SYSTEM_COLUMNS = {"Kubernetes": "kubernetes", "Docker Compose": "compose"}
FEATURE_ROWS = {
    "Scalabilità orizzontale": "scalabilita",
    "Alta disponibilità e failover": "failover",
    "Rolling updates e rollback": "rolling-update",
    "Gestione dei segreti": "segreti",
    "Cluster distribuiti": "cluster",
    "Auto-scaling": "autoscaling",
}


def seed_rows() -> tuple[list[str], list[list[str]]]:
    """Header cells and body rows of the seed table, `**` kept in the body."""
    lines = [line.strip() for line in SEED.read_text(encoding="utf-8").splitlines()]
    table = [line for line in lines if line.startswith("|")]
    header, separator, *body = (
        [cell.strip() for cell in line.strip("|").split("|")] for line in table
    )
    assert all(set(cell) == {"-"} for cell in separator)
    return [cell.strip("*") for cell in header], body


def split_cell(cell: str) -> tuple[str, str]:
    """'**Headline**: text' -> ('Headline', 'text')."""
    assert cell.startswith("**"), cell
    headline, text = cell[2:].split("**: ", 1)
    return headline, text


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_knowledge(SHIPPED)


@pytest.mark.skipif(not SHARED_SEED.exists(), reason="shared seed directory not mounted")
def test_fixture_is_a_verbatim_copy_of_the_shared_seed() -> None:
    assert SEED.read_bytes() == SHARED_SEED.read_bytes()


def test_seed_table_has_the_expected_shape() -> None:
    header, body = seed_rows()
    assert header == ["Caratteristica", *SYSTEM_COLUMNS]
    assert [row[0].strip("*") for row in body] == list(FEATURE_ROWS)
    assert all(len(row) == len(header) for row in body)


def test_feature_titles_match_the_seed_row_headers(kb: KnowledgeBase) -> None:
    _, body = seed_rows()
    assert [(f.id, f.title) for f in kb.features] == [
        (FEATURE_ROWS[row[0].strip("*")], row[0].strip("*")) for row in body
    ]


def test_system_names_match_the_seed_columns(kb: KnowledgeBase) -> None:
    assert {system.name: system.id for system in kb.systems} == SYSTEM_COLUMNS


def test_every_cell_is_copied_word_for_word(kb: KnowledgeBase) -> None:
    header, body = seed_rows()
    checked = 0
    for row in body:
        feature = kb.feature(FEATURE_ROWS[row[0].strip("*")])
        for column, cell in zip(header[1:], row[1:], strict=True):
            headline, text = split_cell(cell)
            yaml_cell = feature.cells[SYSTEM_COLUMNS[column]]
            assert yaml_cell.headline == headline, (feature.id, column)
            assert yaml_cell.text == text, (feature.id, column)
            checked += 1
    assert checked == 12


def test_inner_bold_survives(kb: KnowledgeBase) -> None:
    # Spelled out so the intent is visible even if the parsing above changed.
    assert "**milioni di container**" in kb.feature("scalabilita").cells["kubernetes"].text
    assert "**secrets** e **configurazioni sensibili**" in (
        kb.feature("segreti").cells["kubernetes"].text
    )
    assert (
        kb.feature("cluster").cells["kubernetes"].text.endswith("**l'infrastruttura distribuita**.")
    )
