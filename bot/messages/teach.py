"""Moderators teach the bot: the review queue, `/insegna` and the taught-phrasings export."""

from __future__ import annotations

# --- commands -------------------------------------------------------------------
TEACH_CMD_GROUP = "Insegna al bot come rispondere (solo moderatori)"
TEACH_CMD_QUEUE = "Rivedi le domande votate 👎 o rimaste senza risposta"
TEACH_CMD_UNDO = "Annulla una lezione data al bot"
TEACH_CMD_EXPORT = "Esporta le frasi insegnate in YAML, per il file di conoscenza"

# --- the queue ------------------------------------------------------------------
TEACH_QUEUE_TITLE = "Domande da rivedere"
TEACH_QUEUE_EMPTY = (
    "Non ci sono domande da rivedere. Arrivano qui quando qualcuno vota 👎 una risposta"
    " o quando non so rispondere."
)
TEACH_QUEUE_ROW = "{number}. «{question}» — {why}, {times}"
TEACH_QUEUE_HINT = "Scegli una domanda dal menu per dirmi come rispondere."
TEACH_QUEUE_PLACEHOLDER = "Scegli una domanda da rivedere…"
TEACH_WHY_UNHELPFUL = "votata 👎"
TEACH_WHY_UNANSWERED = "senza risposta"
TEACH_OPTION_DESCRIPTION = "{why}, {times}"

# --- one question -----------------------------------------------------------------
TEACH_PANEL = "Come devo rispondere a domande come «{question}»?"
TEACH_PANEL_WAS_FEATURE = "Finora ho risposto su «{feature}»."
TEACH_PANEL_WAS_FAQ = "Finora ho risposto con la FAQ `{name}`."
TEACH_PANEL_WAS_OTHER = "Finora ho risposto con il confronto generale."
TEACH_PANEL_WAS_UNANSWERED = "Finora non ho saputo rispondere."
TEACH_FEATURE_PLACEHOLDER = "La caratteristica giusta, e per quale sistema…"
TEACH_FAQ_PLACEHOLDER = "Una FAQ del server…"
TEACH_FEATURE_OPTION = "{feature} — {system}"
TEACH_BOTH_SYSTEMS = "entrambi i sistemi"
TEACH_BUTTON_SILENCE = "Non rispondere a domande così"
TEACH_BUTTON_DISMISS = "Ignora"
TEACH_BUTTON_UNDO = "Annulla"
TEACH_BUTTON_NEXT = "Prossima domanda"

# --- outcomes ---------------------------------------------------------------------
TEACH_DONE_FEATURE = (
    "Fatto: a «{question}» e alle domande simili risponderò su «{feature}» ({system})."
)
TEACH_DONE_FAQ = "Fatto: a «{question}» e alle domande simili risponderò con la FAQ `{name}`."
TEACH_DONE_SILENCE = "Fatto: a domande come «{question}» non risponderò più."
TEACH_DONE_DISMISS = "Fatto: «{question}» esce dalla coda e le mie risposte non cambiano."
TEACH_UNDONE = (
    "Annullato: a «{question}» risponderò di nuovo come prima, e la domanda torna in coda."
)
TEACH_ALSO_SETTLED_ONE = "Vale anche per una domanda simile in coda, che esce con questa."
TEACH_ALSO_SETTLED = "Vale anche per {count} domande simili in coda, che escono con questa."
TEACH_ITEM_GONE = "Questa domanda non è più in coda."
TEACH_ITEM_SETTLED = "Un altro moderatore ha già deciso per questa domanda."
TEACH_LESSON_GONE = "Questa lezione è già stata annullata."

# --- undo -------------------------------------------------------------------------
TEACH_UNDO_EMPTY = "Non c'è nessuna lezione da annullare."
TEACH_UNDO_PLACEHOLDER = "Scegli la lezione da annullare…"
TEACH_LESSON_FEATURE = "«{feature}» ({system})"
TEACH_LESSON_FAQ = "FAQ `{name}`"
TEACH_LESSON_SILENCE = "nessuna risposta"
TEACH_LESSON_DISMISS = "ignorata"
TEACH_LESSON_DESCRIPTION = "{what} · {when}"

# --- export -----------------------------------------------------------------------
TEACH_EXPORTED = (
    "Ecco {count} frasi insegnate in questo server, pronte da aggiungere agli `examples`"
    " delle caratteristiche nel file di conoscenza."
)
TEACH_EXPORTED_ONE = (
    "Ecco una frase insegnata in questo server, pronta da aggiungere agli `examples`"
    " della sua caratteristica nel file di conoscenza."
)
TEACH_EXPORT_EMPTY = (
    "Non c'è ancora nessuna frase da esportare: si esportano le domande collegate"
    " a una caratteristica della tabella."
)
TEACH_EXPORT_HEADER = (
    "Frasi insegnate dai moderatori del server {guild}.\n"
    "Aggiungi ogni elenco agli `examples` della caratteristica con lo stesso id"
    " nel file di conoscenza."
)

# --- console ----------------------------------------------------------------------
TEACH_CLI_HELP = "Lezioni dei moderatori: esporta le frasi insegnate"
TEACH_CLI_EXPORT_HELP = "Stampa in YAML le frasi insegnate in un server, per il file di conoscenza"
TEACH_CLI_GUILD_HELP = "L'id del server Discord"
