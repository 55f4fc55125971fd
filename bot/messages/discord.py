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
    "• `/impostazioni` (amministratori) sceglie i canali in cui rispondo senza menzione, "
    "i ruoli da moderatore, l'attesa tra risposte uguali e la sensibilità; "
    "`/impostazioni pausa` mi fa tacere nei canali automatici. In un forum automatico "
    "rispondo a ogni nuovo post.\n"
    "• `/faq` (moderatori) gestisce le risposte del server; `/insegna` (moderatori) "
    "rivede le domande rimaste senza risposta o con 👎 e mi insegna come rispondere.\n"
    "• Per aggiungermi a un server: link di invito con gli scope `bot` e "
    "`applications.commands` e i permessi `277025475584`, poi `/impostazioni`.\n"
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
DIAGNOSE_NO_AUTO_CHANNELS = (
    "Nessun canale di risposta automatica: aggiungine uno con `/impostazioni canali aggiungi`."
)
DIAGNOSE_PAUSED = "⏸️ Risposte automatiche in pausa: riattivale con `/impostazioni riprendi`."
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

# --- /impostazioni ---------------------------------------------------------------
CMD_SETTINGS = "Configura Timoniere in questo server (solo amministratori)"
CMD_SETTINGS_SHOW = "Mostra le impostazioni del server"
CMD_SETTINGS_CHANNELS = "Canali in cui rispondo alle domande senza essere menzionato"
CMD_SETTINGS_CHANNEL_ADD = "Rispondi alle domande in un canale testuale o forum senza menzione"
CMD_SETTINGS_CHANNEL_REMOVE = "Smetti di rispondere senza menzione in un canale"
CMD_SETTINGS_CHANNEL_LIST = "Elenca i canali di risposta automatica"
CMD_SETTINGS_ROLES = "Ruoli da moderatore: gestiscono FAQ e impostazioni"
CMD_SETTINGS_ROLE_ADD = "Aggiungi un ruolo da moderatore (serve «Gestisci server»)"
CMD_SETTINGS_ROLE_REMOVE = "Togli un ruolo da moderatore (serve «Gestisci server»)"
CMD_SETTINGS_ROLE_LIST = "Elenca i ruoli da moderatore"
CMD_SETTINGS_COOLDOWN = (
    "Quanto aspetto prima di rispondere di nuovo alla stessa domanda in un canale"
)
CMD_SETTINGS_SENSITIVITY = "Quanto facilmente rispondo senza essere menzionato"
CMD_SETTINGS_PAUSE = "Metti in pausa le risposte automatiche (menzioni e comandi restano attivi)"
CMD_SETTINGS_RESUME = "Riprendi le risposte automatiche"
CMD_SETTINGS_HISTORY = "Chi ha cambiato le impostazioni e quando"
CMD_SETTINGS_EXPORT = "Esporta le impostazioni del server in un file JSON"
OPTION_SETTINGS_CHANNEL = "Il canale testuale o forum"
OPTION_SETTINGS_ROLE = "Il ruolo"
OPTION_SETTINGS_SECONDS = "Secondi, da 0 (nessuna attesa) a 86400 (un giorno)"
OPTION_SETTINGS_LEVEL = "Il livello di sensibilità"
# Shown in Discord's picker; the values are the level names of `bot.core.auto_reply`.
SENSITIVITY_CHOICES = {
    "bassa": "Bassa: solo domande chiare e risposte sicure",
    "normale": "Normale (consigliata)",
    "alta": "Alta: anche ricerche e domande senza punto interrogativo",
}
SENSITIVITY_EXPLAINED = {
    "bassa": "Senza menzione rispondo solo alle domande chiare, quando sono sicuro della risposta.",
    "normale": "Senza menzione rispondo alle domande, non ai commenti né ai sondaggi del canale.",
    "alta": "Senza menzione rispondo anche a ricerche brevi e a domande senza punto interrogativo.",
}

SETTINGS_NOT_ALLOWED = (
    "Solo gli amministratori possono cambiare le impostazioni: serve il permesso "
    "«Gestisci server» o un ruolo da moderatore. Non ho modificato nulla."
)
SETTINGS_ROLES_NEED_MANAGE_GUILD = (
    "Solo chi ha il permesso «Gestisci server» può cambiare i ruoli da moderatore. "
    "Non ho modificato nulla."
)
# A change the database refused, by cause (see `bot.storage.failures`).
SETTINGS_NOT_SAVED = {
    "read_only": (
        "Non ho salvato nulla: il database è in sola lettura. Avvisa chi gestisce il bot."
    ),
    "disk_full": "Non ho salvato nulla: il disco del database è pieno. Avvisa chi gestisce il bot.",
    "locked": (
        "Non ho salvato nulla: il database è occupato da un'altra operazione. "
        "Riprova tra qualche secondo."
    ),
    "file_gone": (
        "Non ho salvato nulla: il file del database è stato cancellato o sostituito mentre il "
        "bot era acceso. Avvisa chi gestisce il bot."
    ),
    "other": "Non ho salvato nulla: il database ha dato un errore. Avvisa chi gestisce il bot.",
}

SETTINGS_CHANNEL_ADDED = (
    "Fatto: da ora rispondo alle domande in {channel} anche senza essere menzionato."
)
SETTINGS_STILL_PAUSED = (
    "Le risposte automatiche però sono in pausa: riattivale con `/impostazioni riprendi`."
)
SETTINGS_CHANNEL_REMOVED = "Fatto: in {channel} rispondo solo a chi mi menziona."
SETTINGS_CHANNEL_LIST = "Canali di risposta automatica:\n{channels}"
SETTINGS_CHANNEL_LIST_EMPTY = (
    "Nessun canale di risposta automatica: aggiungine uno con `/impostazioni canali aggiungi`."
)
SETTINGS_CHANNEL_ALREADY = "Rispondo già in quel canale senza menzione: non ho cambiato nulla."
SETTINGS_CHANNEL_NOT_THERE = (
    "Quel canale non è tra quelli di risposta automatica: non ho cambiato nulla."
)
SETTINGS_TOO_MANY_CHANNELS = (
    "Posso avere al massimo {max} canali di risposta automatica: togline uno prima di "
    "aggiungerne un altro."
)
SETTINGS_CHANNEL_WRONG_KIND = (
    "Rispondo senza menzione solo nei canali testuali e nei forum: scegli uno di questi."
)

SETTINGS_ROLE_ADDED = (
    "Fatto: chi ha il ruolo {role} ora può gestire le FAQ e usare `/impostazioni` e `/diagnostica`."
)
SETTINGS_ROLE_REMOVED = "Fatto: {role} non è più un ruolo da moderatore."
SETTINGS_ROLE_LIST = "Ruoli da moderatore:\n{roles}"
SETTINGS_ROLE_LIST_EMPTY = (
    "Nessun ruolo da moderatore: per ora solo chi ha «Gestisci server» gestisce impostazioni "
    "e FAQ (le FAQ anche chi ha «Gestisci messaggi»)."
)
SETTINGS_ROLE_ALREADY = "Quel ruolo è già un ruolo da moderatore: non ho cambiato nulla."
SETTINGS_ROLE_NOT_THERE = "Quel ruolo non è un ruolo da moderatore: non ho cambiato nulla."
SETTINGS_TOO_MANY_ROLES = (
    "Posso avere al massimo {max} ruoli da moderatore: togline uno prima di aggiungerne un altro."
)
SETTINGS_ROLE_EVERYONE = (
    "@everyone non può essere un ruolo da moderatore: chiunque potrebbe cambiare FAQ e "
    "impostazioni. Non ho cambiato nulla."
)
SETTINGS_ROLE_MANAGED = (
    "Quel ruolo appartiene a un bot o a un'integrazione: scegli un ruolo assegnato a persone."
)

SETTINGS_COOLDOWN_SET = (
    "Fatto: nello stesso canale rispondo di nuovo alla stessa domanda solo dopo {seconds}."
)
SETTINGS_COOLDOWN_OFF = "Fatto: nessuna attesa, rispondo anche alle domande appena ripetute."
SETTINGS_COOLDOWN_RANGE = "L'attesa va da 0 a {max} secondi (un giorno): non ho cambiato nulla."
SETTINGS_SENSITIVITY_SET = "Fatto: sensibilità «{level}». {explanation}"
SETTINGS_SENSITIVITY_UNKNOWN = "Livello sconosciuto: scegli tra {levels}."
SETTINGS_PAUSED = (
    "Fatto: risposte automatiche in pausa. Rispondo ancora a menzioni, messaggi privati e "
    "comandi; riattivale con `/impostazioni riprendi`."
)
SETTINGS_RESUMED = "Fatto: risposte automatiche di nuovo attive."
SETTINGS_ALREADY_PAUSED = "Le risposte automatiche sono già in pausa: non ho cambiato nulla."
SETTINGS_NOT_PAUSED = "Le risposte automatiche sono già attive: non ho cambiato nulla."

SETTINGS_TITLE = "Impostazioni di Timoniere"
SETTINGS_DEFAULTS_NOTE = "«predefinito» indica un valore che questo server non ha ancora cambiato."
SETTINGS_DEFAULT_MARK = "{value} (predefinito)"
SETTINGS_NONE = "nessuno"
SETTINGS_STATE_ACTIVE = "attive"
SETTINGS_STATE_PAUSED = "in pausa"
SETTINGS_SECONDS = "{seconds} secondi"
SETTINGS_ONE_SECOND = "1 secondo"
# Labels of the settings, in /impostazioni mostra and in the history.
SETTING_LABELS = {
    "auto_answer_channels": "Canali di risposta automatica",
    "mod_roles": "Ruoli da moderatore",
    "cooldown_seconds": "Attesa tra risposte uguali",
    "sensitivity": "Sensibilità",
    "paused": "Risposte automatiche",
}
SETTINGS_HISTORY_TITLE = "Modifiche alle impostazioni"
SETTINGS_HISTORY_EMPTY = "Nessuna modifica: il server usa le impostazioni predefinite."
SETTINGS_HISTORY_ROW = "<t:{timestamp}:f> · <@{user}> · {setting}: {old} → {new}"
SETTINGS_HISTORY_DEFAULT = "predefinito"
SETTINGS_HISTORY_MORE = "…e altre {count} modifiche meno recenti."
SETTINGS_EXPORTED = (
    "Ecco le impostazioni che questo server ha cambiato (in tutto: {count}). "
    "Puoi reimportarle con `/impostazioni importa`."
)
CMD_SETTINGS_IMPORT = "Importa le impostazioni da un file di /impostazioni esporta: tutto o niente"
OPTION_SETTINGS_FILE = "Il file JSON di /impostazioni esporta"
SETTINGS_IMPORTED = "Importazione completata. Impostazioni cambiate: {count}."
SETTINGS_IMPORT_NOT_OURS = (
    "Questo file non è un'esportazione di `/impostazioni esporta`: non ho modificato nulla."
)
SETTINGS_IMPORT_VERSION = (
    "Questo file viene da un'altra versione di Timoniere (so leggere la versione {version}): "
    "non ho modificato nulla."
)
SETTINGS_IMPORT_UNKNOWN_KEY = "- impostazione sconosciuta «{key}»"
SETTINGS_IMPORT_BAD_VALUE = "- valore non valido per «{key}»"
SETTINGS_IMPORT_INVALID = "Non ho importato nulla, il file ha questi problemi:\n{problems}"
SETTINGS_IMPORT_TOO_BIG = "Il file è troppo grande per essere un'esportazione delle impostazioni."
SETTINGS_IMPORT_UNREADABLE = "Non riesco a leggere il file: riprova tra poco."
SETTINGS_IMPORT_MISSING = (
    "Non ho importato nulla: in questo server non trovo {items}. Il file viene forse da un "
    "altro server?"
)
SETTINGS_IMPORT_MISSING_CHANNEL = "il canale {id}"
SETTINGS_IMPORT_MISSING_ROLE = "il ruolo {id}"

# --- welcome, when the bot joins a server ------------------------------------------
WELCOME_TEXT = (
    "Ciao! Sono Timoniere: rispondo in italiano alle domande su Kubernetes e Docker Compose "
    "e alle FAQ del server.\n"
    "• `/aiuto` spiega come farmi domande.\n"
    "• `/impostazioni` (amministratori) sceglie i canali in cui rispondo senza menzione, "
    "i ruoli da moderatore e quanto spesso intervengo.\n"
    "• `/diagnostica` (amministratori) dice quali permessi mi mancano e dove."
)
