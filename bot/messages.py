"""Every user-facing Italian string, in one catalogue.

Adapters and the core format these with `str.format`; nothing user-visible is
written inline elsewhere. Keep them short, natural and correctly accented.
Sections: answers (core), console, discord, faq, ops.
"""

from __future__ import annotations

# --- answers (core) ---------------------------------------------------------
VERDICT_WORD = {"si": "Sì", "no": "No", "parziale": "In parte"}
VERDICT_EMOJI = {"si": "✅", "no": "❌", "parziale": "⚠️"}
UNKNOWN_INTRO = "Non ho trovato una risposta a questa domanda."
UNKNOWN_TOPICS = "Posso rispondere su {comparison}: {topics}."
UNKNOWN_HINT = "Prova a chiedere, per esempio: «{example}»"
SUGGESTIONS = "Forse intendevi: {options}?"
SUGGESTIONS_JOIN = " o "
OVERVIEW_INTRO = "{comparison} in breve:"
CARD_TITLE = "{feature} · {comparison}"
CARD_FOOTER = "Fonte: {source}"
FAQ_FOOTER = "FAQ del server · {name}"
