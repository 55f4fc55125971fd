"""Discord: replies, buttons, slash commands and the FAQ commands."""

from __future__ import annotations

# --- discord ----------------------------------------------------------------
CHOICE_BOTH = "Entrambi"
OPTION_SYSTEM = "Di quale sistema vuoi sapere (predefinito: entrambi)"
CMD_ASK = "Fai una domanda su Kubernetes e Docker Compose"
OPTION_QUESTION = "La tua domanda, in italiano"
CMD_OVERVIEW = "Mostra il confronto completo tra i due sistemi"
CMD_HELP = "Come usare Timoniere"
HELP_TITLE = "Come usare Timoniere"
HELP_TEXT = (
    "Rispondo a domande su {comparison}.\n\n"
    "• Scrivimi in privato o menzionami con una domanda, per esempio "
    "«Compose fa auto-scaling?».\n"
    "• `/chiedi` per una domanda libera, `/confronto` per la tabella completa.\n"
    "• `/diagnostica` (amministratori) dice cosa posso fare qui e nei canali di risposta "
    "automatica, e quali permessi concedermi.\n"
    "• Un comando per ogni caratteristica:\n{commands}\n\n"
    "Dopo una risposta puoi continuare con «e kubernetes?» o «e per i segreti?»."
)
DISCORD_GENERIC_ERROR = "Qualcosa è andato storto. Riprova tra poco."
DISCORD_NOT_ALLOWED = "Non hai i permessi per usare questo comando."
DISCORD_SLOW_DOWN = "Stai andando un po' veloce: riprova tra qualche secondo."
DISCORD_EMPTY_MENTION = (
    "Ciao! Fammi una domanda su Kubernetes e Docker Compose, "
    "per esempio «Compose fa auto-scaling?». Usa `/aiuto` per saperne di più."
)
BUTTON_OVERVIEW = "Confronto completo"
OVERVIEW_MORE = "…e altre {count} caratteristiche: trovi i comandi con `/aiuto`."
OVERVIEW_MORE_ONE = "…e un'altra caratteristica: trovi i comandi con `/aiuto`."
HELP_MORE_COMMANDS = "• …e altri {count} comandi: scrivi `/` per vederli tutti."
HELP_MORE_COMMANDS_ONE = "• …e un altro comando: scrivi `/` per vederli tutti."
OPS_RUN_CONNECTION_CLOSED = "connessione chiusa"
BUTTON_SUGGESTION = "Forse: {title}"
FEEDBACK_NOT_YOURS = "Solo chi ha fatto la domanda può votare questa risposta."
FEEDBACK_THANKS = "Grazie del feedback! 👍"
FEEDBACK_SORRY = "Grazie, ne terremo conto per migliorare la risposta."
# --- /diagnostica -------------------------------------------------------------
CMD_DIAGNOSE = "Cosa può fare il bot qui e quali permessi gli mancano (solo amministratori)"
DIAGNOSE_NOT_ALLOWED = (
    "Solo gli amministratori possono usare la diagnostica: serve il permesso «Gestisci server» "
    "o un ruolo da moderatore."
)
DIAGNOSE_TITLE = "Diagnostica di Timoniere"
DIAGNOSE_INTENT_ON = (
    "✅ Intent «Message Content» attivo: leggo le domande nei canali di risposta automatica."
)
DIAGNOSE_INTENT_OFF = (
    "❌ Intent «Message Content» non attivo: rispondo solo a menzioni, messaggi privati e "
    "comandi. Per le risposte automatiche attivalo nel Developer Portal (Bot → Privileged "
    "Gateway Intents) e imposta `MESSAGE_CONTENT_INTENT=true`."
)
DIAGNOSE_HINT = (
    "Dove vedi ❌, concedi il permesso al ruolo del bot, nel server o nelle impostazioni "
    "del canale."
)
DIAGNOSE_NO_AUTO_CHANNELS = "Nessun canale di risposta automatica configurato."
DIAGNOSE_THIS_CHANNEL = "#{channel} (questo canale)"
DIAGNOSE_AUTO_CHANNEL = "#{channel} (risposta automatica)"
DIAGNOSE_THIS_AUTO_CHANNEL = "#{channel} (questo canale, risposta automatica)"
DIAGNOSE_UNKNOWN_CHANNEL = "Canale {channel_id}"
DIAGNOSE_UNKNOWN_CHANNEL_TEXT = (
    "Non trovo questo canale di risposta automatica: è stato eliminato o non posso vederlo."
)
DIAGNOSE_MORE_CHANNELS = "…e altri {count} canali di risposta automatica."
DIAGNOSE_GRANTED = "✅ «{permission}»"
DIAGNOSE_MISSING = "❌ «{permission}»: {effect}"
# Permission names as Discord's Italian client shows them.
PERMISSION_NAMES = {
    "view_channel": "Visualizza canali",
    "send_messages": "Invia messaggi",
    "send_messages_in_threads": "Invia messaggi nei thread",
    "read_message_history": "Leggi la cronologia dei messaggi",
    "embed_links": "Incorpora link",
}
# What the bot does without each permission, and what granting it brings.
PERMISSION_MISSING_EFFECTS = {
    "view_channel": "non vedo il canale; concedilo perché io legga le domande e risponda.",
    "send_messages": "non posso scrivere qui; concedilo perché io risponda.",
    "send_messages_in_threads": (
        "non posso scrivere nei thread; concedilo per le risposte nei thread e nei post dei forum."
    ),
    "read_message_history": (
        "rispondo senza citare la domanda; concedilo per le risposte in citazione."
    ),
    "embed_links": "invio le risposte come testo semplice; concedilo per le schede.",
}

CARD_TEXT_CUT = "…la risposta continua: usa `/chiedi` per vederla tutta."

# --- faq discord --------------------------------------------------------------
FAQ_CMD_GROUP = "Gestisci le FAQ del server (solo moderatori)"
FAQ_CMD_ADD = "Aggiungi una FAQ con un modulo"
FAQ_CMD_EDIT = "Modifica una FAQ con un modulo già compilato"
FAQ_CMD_REMOVE = "Elimina una FAQ (potrai ripristinarla)"
FAQ_CMD_RESTORE = "Ripristina una FAQ eliminata"
FAQ_CMD_HISTORY = "Mostra chi ha cambiato una FAQ e quando"
FAQ_CMD_UNANSWERED = "Le domande senza risposta più frequenti, da trasformare in FAQ"
FAQ_CMD_EXPORT = "Esporta le FAQ del server in un file YAML"
FAQ_CMD_IMPORT = "Importa le FAQ da un file YAML: tutto o niente"
FAQ_CMD_SHOW = "Mostra una FAQ del server"
FAQ_CMD_LIST = "Elenca le FAQ del server"
FAQ_OPTION_NAME = "Il nome della FAQ"
FAQ_OPTION_REMOVED_NAME = "Il nome della FAQ eliminata"
FAQ_OPTION_FILE = "Il file YAML, per esempio quello di /faq esporta"
FAQ_CMD_PROBE = "Mostra quale FAQ risponderebbe a una domanda, e la seconda scelta"
FAQ_OPTION_PROBE_QUESTION = "La domanda da provare, scritta come la scriverebbe un utente"
FAQ_NOW_ANSWERS = "Ora risponde anche a queste domande rimaste senza risposta:"
FAQ_NOW_ANSWERS_ROW = "- {question}"
FAQ_NOW_ANSWERS_MORE = "…e a {count} altre."

FAQ_MODAL_ADD_TITLE = "Nuova FAQ"
FAQ_MODAL_EDIT_TITLE = "Modifica FAQ"
FAQ_MODAL_NAME = "Nome"
FAQ_MODAL_NAME_HINT = "Minuscole, cifre e trattini, es. orari-assistenza"
FAQ_MODAL_NAME_PLACEHOLDER = "Se lo lasci vuoto lo ricavo dalla domanda"
FAQ_MODAL_QUESTION = "Domanda"
FAQ_MODAL_QUESTION_HINT = "La domanda come la farebbe un utente, su una riga"
FAQ_MODAL_ANSWER = "Risposta"
FAQ_MODAL_ANSWER_HINT = "Il testo della risposta (puoi usare il markdown di Discord)"
FAQ_MODAL_PHRASINGS = "Altre formulazioni"
FAQ_MODAL_PHRASINGS_HINT = "Altri modi di fare la stessa domanda, uno per riga (facoltativo)"

FAQ_NOT_MODERATOR = (
    "Solo i moderatori possono gestire le FAQ: serve il permesso «Gestisci messaggi» "
    "o un ruolo da moderatore. Non ho modificato nulla."
)
FAQ_GUILD_ONLY = "Le FAQ appartengono a un server: usa questo comando in un server."
FAQ_NOT_YOURS = "Solo chi ha usato il comando può usare questi pulsanti."
FAQ_NOT_SAVED = "Non ho salvato nulla:"
FAQ_RETRY_HINT = "Premi «Correggi» per riaprire il modulo con il testo che avevi scritto."
FAQ_BUTTON_RETRY = "Correggi"
FAQ_TOO_LONG_FOR_MODAL = (
    "La FAQ «{name}» ha testi troppo lunghi per il modulo di Discord: "
    "modificala con `/faq esporta` e `/faq importa`."
)
FAQ_ADDED = "FAQ «{name}» aggiunta: rispondo già alle domande che le somigliano."
FAQ_EDITED = "FAQ «{name}» aggiornata."
FAQ_RENAMED = "FAQ «{old}» aggiornata e rinominata in «{name}»."
FAQ_REMOVE_CONFIRM = (
    "Vuoi davvero eliminare la FAQ «{name}»?\n> {question}\n"
    "Potrai ripristinarla con `/faq ripristina`."
)
FAQ_BUTTON_REMOVE = "Elimina"
FAQ_BUTTON_CANCEL = "Annulla"
FAQ_REMOVED = "FAQ «{name}» eliminata. Puoi ripristinarla con `/faq ripristina nome:{name}`."
FAQ_REMOVE_CANCELLED = "Eliminazione annullata: la FAQ «{name}» resta com'è."
FAQ_RESTORED = "FAQ «{name}» ripristinata: rispondo di nuovo alle domande che le somigliano."

FAQ_LIST_TITLE = "FAQ del server"
FAQ_LIST_EMPTY = "Questo server non ha ancora nessuna FAQ."
FAQ_LIST_FOOTER = "Pagina {page} di {pages} · FAQ in tutto: {total}"

FAQ_HISTORY_TITLE = "Cronologia delle modifiche di «{name}»"
FAQ_HISTORY_OLDER_ONE = "…e un'altra modifica meno recente."
FAQ_HISTORY_OLDER_MANY = "…e altre {count} modifiche meno recenti."

FAQ_UNANSWERED_TITLE = "Domande senza risposta più frequenti"
FAQ_UNANSWERED_EMPTY = "Non ci sono domande senza risposta da mostrare."
FAQ_UNANSWERED_ROW = "{number}. «{question}» — {times}"
FAQ_UNANSWERED_HINT = "Scegli una domanda dal menu per trasformarla in una FAQ."
FAQ_UNANSWERED_PLACEHOLDER = "Trasforma una domanda in FAQ…"
FAQ_TIMES_ONE = "1 volta"
FAQ_TIMES_MANY = "{count} volte"

FAQ_EXPORTED = (
    "Ecco le FAQ del server (in tutto: {count}). "
    "Puoi modificare il file e reimportarlo con `/faq importa`."
)
FAQ_EXPORTED_SPLIT = (
    "Ecco le FAQ del server (in tutto: {count}), divise in {parts} file perché ogni file"
    " importabile può avere al massimo {max} MB. Puoi modificarli e reimportarli uno per"
    " volta con `/faq importa`."
)
FAQ_EXPORTED_PART = "File {number} di {parts}."
FAQ_IMPORT_TOO_BIG = "Il file è troppo grande: al massimo {max} MB."
FAQ_IMPORT_NOT_UTF8 = (
    "Il file non è testo UTF-8: salvalo come UTF-8 o esportalo con `/faq esporta`."
)
FAQ_IMPORT_UNREADABLE = "Non riesco a scaricare il file da Discord: riprova tra poco."
FAQ_IMPORTED = (
    "Importazione completata. FAQ nuove: {added}, aggiornate: {updated}, invariate: {unchanged}."
)

# --- card buttons that outlived their subject ----------------------------------
BUTTON_FEATURE_GONE = (
    "Questa caratteristica non è più nel confronto. Usa `/confronto` per vedere quelle di oggi."
)
FEEDBACK_FEATURE_GONE = (
    "Questa risposta parla di una caratteristica che non è più nel confronto: "
    "non registro il voto. Grazie comunque!"
)
FEEDBACK_FAQ_GONE = (
    "La FAQ di questa risposta è stata eliminata: non registro il voto. Grazie comunque!"
)
FEEDBACK_OLD_CARD = (
    "Questa risposta è di una versione precedente del bot e non raccoglie più voti: "
    "fai di nuovo la domanda se vuoi votarla."
)
