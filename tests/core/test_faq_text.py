"""FAQ lines the console and Discord share: one template, filled by each adapter."""

from __future__ import annotations

from datetime import UTC, datetime

from bot import messages
from bot.core.faq import HistoryRecord
from bot.core.faq_text import actor, entry_line, history_line

AT = datetime(2025, 3, 1, 9, 30, tzinfo=UTC)
BEFORE = {"name": "orari", "question": "Quando aprite?", "answer": "9-18", "phrasings": []}


def _when(moment: datetime) -> str:
    return moment.strftime("%d/%m %H:%M")


def _user(user_id: int) -> str:
    return f"utente {user_id}"


def test_an_edit_names_the_fields_it_changed() -> None:
    after = {**BEFORE, "name": "orari-supporto", "answer": "Dalle 9 alle 18."}
    record = HistoryRecord("edit", 7, AT, BEFORE, after)
    line = history_line(record, when=_when, user=_user)
    assert line == "01/03 09:30 · modifica · utente 7 · campi: nome, risposta"


def test_an_addition_by_the_console_has_no_fields_and_takes_emphasis() -> None:
    record = HistoryRecord("add", None, AT, None, BEFORE)
    line = history_line(record, when=_when, user=_user, emphasis=lambda text: f"**{text}**")
    assert line == f"01/03 09:30 · **aggiunta** · {messages.FAQ_ACTOR_CONSOLE}"


def test_actor_and_entry_line() -> None:
    assert actor(None, _user) == messages.FAQ_ACTOR_CONSOLE
    assert actor(42, _user) == "utente 42"
    assert entry_line("`orari`", "Quando aprite?") == "`orari` — Quando aprite?"
