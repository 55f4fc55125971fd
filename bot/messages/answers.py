"""Answers and cards: verdicts, unknown, suggestions, overview (the core's answer builder)."""

from __future__ import annotations

# --- answers (core) ---------------------------------------------------------
VERDICT_WORD = {"si": "Sì", "no": "No", "parziale": "In parte"}
VERDICT_EMOJI = {"si": "✅", "no": "❌", "parziale": "⚠️"}
UNKNOWN_INTRO = "Non ho trovato una risposta a questa domanda."
UNKNOWN_TOPICS = "Posso rispondere su {comparison}: {topics}."
UNKNOWN_HINT = "Prova a chiedere, per esempio: «{example}»"
# Said back to a greeting or thanks addressed to the bot (bot/core/small_talk.py).
SMALL_TALK_GREETING = "Ciao! Chiedimi pure di {systems}."
SMALL_TALK_THANKS = "Figurati! Se hai altre domande su {systems}, sono qui."
SUGGESTIONS = "Forse intendevi: {options}?"
SUGGESTIONS_JOIN = " o "
OVERVIEW_INTRO = "{comparison} in breve:"
CARD_TITLE = "{feature} · {comparison}"
CARD_FOOTER = "Fonte: {source}"
FAQ_FOOTER = "FAQ del server · {name}"
FAQ_SUGGESTIONS = "Forse cercavi: {options}?"
FAQ_SUGGESTIONS_TITLE = "Forse cercavi"
FAQ_SUGGESTION_LINE = "{question} · `/faq-mostra nome:{name}`"
