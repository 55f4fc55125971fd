"""An entry stored before masked links were refused still shows where its links lead."""

from __future__ import annotations

from pathlib import Path

from bot.core.engine import Engine
from bot.core.faq import FaqEntry
from bot.core.faq_links import unmask_links
from bot.core.knowledge import load_knowledge_dir

ROOT = Path(__file__).resolve().parents[2]
MASKED = "Scaricalo da [https://discord.com/download](https://evil.example/x)."


def test_a_masked_link_is_shown_with_its_real_target() -> None:
    assert unmask_links(MASKED) == "Scaricalo da <https://evil.example/x>."
    honest = "Vedi [la guida](https://docs.example/guida) o [docs.example](https://docs.example/a)."
    assert unmask_links(honest) == honest


def test_an_old_entry_with_a_masked_link_is_answered_with_the_real_target() -> None:
    engine = Engine(load_knowledge_dir(ROOT / "knowledge"))
    # Stored as-is, as an entry saved before the check would be.
    engine.set_faq(7, [FaqEntry(7, "client", "Dove scarico il client?", MASKED)])
    answer = engine.ask("Dove scarico il client?", guild_id=7)
    assert answer.kind == "faq" and answer.faq is not None
    assert "https://evil.example/x" in answer.text
    assert "[https://discord.com/download]" not in answer.text
    assert "[https://discord.com/download]" not in answer.faq.answer
