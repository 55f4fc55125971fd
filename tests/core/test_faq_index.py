"""FaqIndex candidate nomination (bot/core/faq_index.py)."""

from __future__ import annotations

import random

from bot.core.faq import FaqEntry
from bot.core.faq_index import MAX_CANDIDATES, FaqIndex

GUILD = 1


def _twins(count: int) -> list[FaqEntry]:
    """`count` entries that share every searched word: each gets the same vote."""
    return [
        FaqEntry(
            GUILD,
            f"voce-{number:02d}",
            f"Come configuro il frobnicatore quantico (variante {number:02d})?",
            "Apri il pannello del frobnicatore quantico e salva.",
        )
        for number in range(count)
    ]


def test_equal_votes_at_the_last_candidate_place_go_by_entry_name() -> None:
    entries = _twins(MAX_CANDIDATES + 20)
    first_by_name = [f"voce-{number:02d}" for number in range(MAX_CANDIDATES)]
    for seed in range(5):
        shuffled = entries[:]
        random.Random(seed).shuffle(shuffled)
        index = FaqIndex(shuffled)
        hits = index.rank("frobnicatore quantico", limit=len(entries))
        # Only the nominated candidates are scored, whatever the order entries came in.
        assert [hit.entry.name for hit in hits] == first_by_name
