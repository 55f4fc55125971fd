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
FAQ_SUGGESTIONS = "Forse cercavi: {options}?"
FAQ_SUGGESTIONS_TITLE = "Forse cercavi"
FAQ_SUGGESTION_LINE = "{question} · `/faq-mostra nome:{name}`"

# --- faq --------------------------------------------------------------------
# Validation of a single entry (core/faq.py).
FAQ_NAME_EMPTY = "Il nome della FAQ è obbligatorio."
FAQ_NAME_TOO_LONG = "Il nome può avere al massimo {max} caratteri (ora ne ha {length})."
FAQ_NAME_INVALID = (
    "Il nome «{name}» non va bene: usa solo lettere minuscole senza accenti, cifre e trattini"
    " (niente spazi né trattini all'inizio o alla fine)."
)
FAQ_NAME_INVALID_SUGGEST = " Per esempio: «{suggestion}»."
FAQ_NAME_TAKEN = (
    "Esiste già una FAQ chiamata «{name}». Scegli un altro nome, per esempio «{suggestion}»."
)
FAQ_FIELD_QUESTION = "La domanda"
FAQ_FIELD_ANSWER = "La risposta"
FAQ_FIELD_PHRASING = "La variante n. {number}"
FAQ_FIELD_EMPTY = "{field} non può essere vuota."
FAQ_FIELD_TOO_LONG = "{field} può avere al massimo {max} caratteri (ora ne ha {length})."
FAQ_FIELD_CONTROL = "{field} contiene caratteri di controllo non ammessi."
FAQ_FIELD_NEWLINE = "{field} deve stare su una sola riga."
FAQ_PHRASINGS_TOO_MANY = (
    "Puoi indicare al massimo {max} varianti della domanda (ne hai indicate {count})."
)
# Errors raised by the FAQ store.
FAQ_NOT_FOUND = "Non esiste nessuna FAQ chiamata «{name}» in questo server."
FAQ_NOT_DELETED = "Non c'è nessuna FAQ eliminata chiamata «{name}» da ripristinare."
FAQ_RESTORE_TAKEN = (
    "Non posso ripristinare «{name}»: nel frattempo è stata creata un'altra FAQ con lo stesso"
    " nome. Rinomina o elimina prima quella."
)
FAQ_LIMIT_REACHED = (
    "Questo server ha già {max} FAQ, il massimo consentito. Elimina quelle che non servono più"
    " prima di aggiungerne altre."
)
FAQ_IMPORT_LIMIT = (
    "Con questa importazione le FAQ del server diventerebbero {total}, oltre il massimo di"
    " {max}: non ho importato nulla."
)
FAQ_EDIT_NOTHING = "Indica almeno un campo da modificare."
FAQ_EDIT_UNCHANGED = "Nessuna modifica da salvare: i valori indicati sono uguali a quelli attuali."
FAQ_IMPORT_EMPTY = "Il file non contiene nessuna FAQ da importare."
FAQ_IMPORT_ENTRY_PROBLEM = "Voce n. {number} («{name}»): {problem}"
FAQ_IMPORT_DUPLICATE = "Voce n. {number}: il nome «{name}» compare più volte nel file."
FAQ_IMPORT_REJECTED = "Importazione annullata, non ho modificato nessuna FAQ:"
# YAML export/import format.
FAQ_YAML_HEADER = (
    "# FAQ di Timoniere: modifica pure il file e reimportalo con /faq importa (su Discord)"
    "\n# oppure con `python -m bot faq import` (da console)."
)
FAQ_YAML_INVALID = "Il file non è un YAML valido (errore alla riga {line}, colonna {column})."
FAQ_YAML_INVALID_NOPOS = "Il file non è un YAML valido."
FAQ_YAML_TOO_BIG = "Il file è troppo grande: al massimo {max} caratteri."
FAQ_YAML_SHAPE = (
    "Il file deve contenere un elenco «faq» di voci, ognuna con name, question e answer."
)
FAQ_YAML_VERSION = "Versione del formato non supportata: {version} (conosco solo la {supported})."
FAQ_YAML_TOP_KEYS = "Campi sconosciuti in cima al file: {keys}."
FAQ_YAML_ENTRY_NOT_MAPPING = "Voce n. {number}: deve essere una mappa con name, question e answer."
FAQ_YAML_MISSING = "Voce n. {number}: manca il campo «{field}»."
FAQ_YAML_NOT_TEXT = (
    "Voce n. {number}: il campo «{field}» deve essere un testo"
    " (se è un numero o sì/no, mettilo tra virgolette)."
)
FAQ_YAML_PHRASINGS = "Voce n. {number}: «phrasings» deve essere un elenco di testi."
FAQ_YAML_UNKNOWN = "Voce n. {number}: campi sconosciuti: {fields}."
FAQ_YAML_ALIASES = (
    "Il file usa ancore o alias YAML (& e *; il primo alias è alla riga {line}), che non accetto:"
    " scrivi ogni voce per intero."
)
FAQ_YAML_TOO_MANY = "Il file contiene {count} voci: al massimo {max} per importazione."
# Database.
DB_TOO_NEW = (
    "Il database {path} è alla versione {found} dello schema, ma questa versione di Timoniere"
    " arriva solo alla {supported}. Aggiorna il bot oppure usa un backup compatibile."
)
DB_MIGRATION_GAP = (
    "Le migrazioni del database sono incoerenti: attesa la {expected:04d}, trovata {found}."
)
DB_NO_WAL = "Non riesco ad attivare la modalità WAL sul database {path}."
# Console (`timoniere faq ...`).
FAQ_CLI_HELP = "gestisci le FAQ di un server"
FAQ_CLI_ACTION_HELP = {
    "add": "aggiungi una FAQ",
    "edit": "modifica una FAQ",
    "remove": "elimina una FAQ (si può ripristinare)",
    "restore": "ripristina una FAQ eliminata",
    "list": "elenca le FAQ",
    "show": "mostra una FAQ per intero",
    "history": "mostra la cronologia delle modifiche di una FAQ",
    "export": "esporta le FAQ in YAML",
    "import": "importa le FAQ da un file YAML (tutto o niente)",
}
FAQ_CLI_ARG_HELP = {
    "guild": "ID del server Discord",
    "db": "file del database (predefinito: DATABASE_PATH)",
    "actor": "ID Discord di chi fa la modifica, per la cronologia",
    "name": "nome della FAQ (lettere minuscole, cifre e trattini)",
    "add_name": "nome della FAQ (predefinito: ricavato dalla domanda)",
    "question": "la domanda",
    "answer": "la risposta",
    "answer_file": "legge la risposta da un file (- per lo standard input)",
    "phrasing": "un altro modo di fare la domanda (ripetibile)",
    "edit_phrasing": "sostituisce le varianti della domanda (ripetibile)",
    "no_phrasings": "toglie tutte le varianti della domanda",
    "rename": "nuovo nome della FAQ",
    "offset": "quante FAQ saltare",
    "limit": "quante FAQ mostrare al massimo",
    "output": "file in cui scrivere (predefinito: standard output)",
    "file": "file YAML da importare (- per lo standard input)",
}
FAQ_CLI_PROBE_HELP = "mostra quale FAQ risponderebbe a una domanda, e la seconda scelta"
FAQ_CLI_PROBE_QUESTION = "la domanda da provare"
FAQ_PROBE_FAQ = "Risponderebbe la FAQ «{name}» (confidenza {confidence})."
FAQ_PROBE_TABLE = "Risponderebbe la tabella: {title} (confidenza {confidence})."
FAQ_PROBE_NOTHING = "Il bot non risponderebbe (soglia {threshold})."
FAQ_PROBE_CLOSEST = "FAQ più vicina: «{name}» (confidenza {confidence})."
FAQ_PROBE_NO_FAQ = "Nessuna FAQ ha parole in comune con questa domanda."
FAQ_PROBE_RUNNER_UP = "Seconda scelta: «{name}» (confidenza {confidence})."
FAQ_PROBE_ALSO = "Proporrebbe anche: {names}."
FAQ_CLI_NOW_ANSWERED = "Domande rimaste senza risposta a cui ora risponde una FAQ:"
FAQ_CLI_NOW_ANSWERED_ROW = "- «{question}» → {name}"
FAQ_CLI_ADDED = "FAQ «{name}» aggiunta."
FAQ_CLI_EDITED = "FAQ «{name}» aggiornata."
FAQ_CLI_RENAMED = "FAQ «{old}» aggiornata e rinominata in «{name}»."
FAQ_CLI_REMOVED = "FAQ «{name}» eliminata. Puoi ripristinarla con `faq restore {name}`."
FAQ_CLI_RESTORED = "FAQ «{name}» ripristinata."
FAQ_CLI_LIST_EMPTY = "Questo server non ha ancora nessuna FAQ."
FAQ_CLI_LIST_HEADER = "FAQ del server {guild}: {first}–{last} di {total}."
FAQ_CLI_LIST_PAST_END = "Nessuna FAQ da mostrare: il server ne ha {total}."
FAQ_CLI_SHOW = "Nome: {name}\nDomanda: {question}\nRisposta:\n{answer}"
FAQ_CLI_SHOW_PHRASINGS = "Varianti:"
FAQ_CLI_SHOW_META = "Autore: {author} · creata il {created} · modificata il {updated}"
FAQ_CLI_ACTOR_USER = "utente {id}"
FAQ_CLI_TIME = "%d/%m/%Y %H:%M UTC"
# Shown by both the console and Discord (bot/core/faq_text.py), filled by each.
FAQ_LIST_ROW = "{name} — {question}"
FAQ_HISTORY_ROW = "{at} · {action} · {actor}{details}"
FAQ_HISTORY_CHANGED = " · campi: {fields}"
FAQ_ACTOR_CONSOLE = "console"
FAQ_ACTIONS = {
    "add": "aggiunta",
    "edit": "modifica",
    "remove": "eliminazione",
    "restore": "ripristino",
    "import": "importazione",
}
FAQ_FIELD_NAMES = {
    "name": "nome",
    "question": "domanda",
    "answer": "risposta",
    "phrasings": "varianti",
}
FAQ_CLI_EXPORTED = "FAQ esportate in {path}: {count}."
FAQ_CLI_IMPORTED = (
    "Importazione completata. FAQ nuove: {added}, aggiornate: {updated}, invariate: {unchanged}."
)
FAQ_CLI_FILE_MISSING = "Non trovo il file {path}."
FAQ_CLI_FILE_UNREADABLE = "Non riesco a leggere il file {path}: {reason}"
FAQ_CLI_FILE_UNWRITABLE = "Non riesco a scrivere il file {path}: {reason}"
FAQ_CLI_NOT_UTF8 = "Il file {path} non è in UTF-8."
FAQ_CLI_BAD_ID = "«{value}» non è un ID Discord valido (serve un numero intero positivo)."
FAQ_CLI_BAD_NUMBER = "«{value}» non è un numero intero non negativo."
FAQ_CLI_DB_ERROR = "Errore del database {path}: {reason}"
FAQ_CLI_NOT_SQLITE = "Il file {path} non è un database SQLite (o è danneggiato)."

# --- ops --------------------------------------------------------------------
# Settings validation (bot/config.py), printed by the CLI before exiting with 2.
OPS_CONFIG_INVALID = "Configurazione non valida:"
OPS_CONFIG_SEE_EXAMPLE = "Trovi ogni impostazione descritta in .env.example."
OPS_CONFIG_PROBLEM = "{name}={value}: {error}"
OPS_CONFIG_ENV_NOT_UTF8 = "{path}: il file non è in UTF-8; salvalo di nuovo come UTF-8."
OPS_CONFIG_ENV_UNREADABLE = "{path}: impossibile leggere il file ({reason})."
OPS_CONFIG_ENV_TYPO = "{path}: impostazione sconosciuta {key}; forse intendevi {close}?"
OPS_CONFIG_TOKEN_MISSING = (
    "DISCORD_TOKEN mancante: metti il token del bot (https://discord.com/developers/applications)"
    " nella variabile d'ambiente DISCORD_TOKEN: nel file .env, con `docker run -e` o in un"
    " Secret di Kubernetes. Senza Discord prova `python -m bot chat`."
)
OPS_CONFIG_TOKEN_PLACEHOLDER = (
    "è ancora il valore di esempio: incolla il token del bot (Bot > Reset Token nel portale)"
)
OPS_CONFIG_TOKEN_PREFIX = "togli il prefisso «Bot »: serve solo il token"
OPS_CONFIG_TOKEN_SHAPE = (
    "non sembra un token di bot (tre parti separate da punti): forse hai copiato"
    " il Client Secret o l'Application ID?"
)
OPS_CONFIG_EXPECTED_BOOL = "valori ammessi: true o false"
OPS_CONFIG_EXPECTED_ID = "serve un ID Discord: un numero intero positivo di al massimo 20 cifre"
OPS_CONFIG_EXPECTED_ID_IN_LIST = (
    "«{value}» non è un ID Discord (un numero intero positivo di al massimo 20 cifre)"
)
OPS_CONFIG_EXPECTED_PORT = "serve una porta TCP tra 1 e 65535 (vuoto o 0 per disattivare)"
OPS_CONFIG_EXPECTED_HOST = "serve un indirizzo IP o un nome host, senza spazi"
OPS_CONFIG_EXPECTED_CHOICE = "valori ammessi: {choices}"
OPS_CONFIG_EXPECTED_POSITIVE_INT = "serve un numero intero positivo"
OPS_CONFIG_EXPECTED_NUMBER = "serve un numero"
OPS_CONFIG_EXPECTED_RANGE = "serve un numero tra {low:g} e {high:g}"
# Shown to a Discord user who asks something while the bot is shutting down.
OPS_SHUTTING_DOWN = "Mi sto riavviando: riprova tra qualche secondo."
# `python -m bot run` start-up failures (bot/discord_app/runner.py), printed before exit 2/1.
OPS_RUN_KNOWLEDGE_ERROR = (
    "Base di conoscenza non valida, il bot non parte:\n  {error}\n"
    "Correggi il file (verifica con `python -m bot kb check`) e riavvia."
)
OPS_RUN_LOGIN_FAILED = (
    "Discord ha rifiutato il token (DISCORD_TOKEN): è sbagliato o è stato rigenerato."
    " Copia quello nuovo dal portale sviluppatori"
    " (https://discord.com/developers/applications > il tuo bot > Bot > Reset Token)."
)
OPS_RUN_PRIVILEGED_INTENTS = (
    "Discord non concede l'intent privilegiato Message Content a questo bot."
    " Attivalo nel portale sviluppatori (https://discord.com/developers/applications"
    " > il tuo bot > Bot > Privileged Gateway Intents > Message Content Intent)"
    " oppure imposta MESSAGE_CONTENT_INTENT=false: il bot risponderà solo a menzioni,"
    " messaggi privati e comandi slash."
)
OPS_RUN_UNREACHABLE = (
    "Non riesco a raggiungere Discord: {error}. Controlla la connessione e riprova."
)
OPS_RUN_CRASHED = "Il bot si è fermato per un errore inatteso ({error}): i dettagli sono nel log."
OPS_RUN_HEALTH_PORT_BUSY = "Non riesco ad aprire il server di salute su {host}:{port}: {error}"
# Knowledge reload: `python -m bot kb reload` (bot/cli/reload.py) and /kb ricarica.
OPS_RELOAD_INVALID = "La base di conoscenza non è valida, nessuna ricarica richiesta:\n  {error}"
OPS_RELOAD_SENT = (
    "Ricarica richiesta al bot (PID {pid}): {features}, tutto valido."
    " L'esito finale è nel log del bot."
)
OPS_RELOAD_NO_PIDFILE = (
    "Il bot non sembra in esecuzione: manca {path}. Avvialo con `python -m bot run`"
    " (con lo stesso DATABASE_PATH), oppure usa /kb ricarica su Discord."
)
OPS_RELOAD_BAD_PIDFILE = "Il file {path} non contiene un PID valido: cancellalo e riavvia il bot."
OPS_RELOAD_STALE_PID = (
    "Il file {path} indica il processo {pid}, che non è in esecuzione: il bot si è fermato"
    " senza pulire. Avvialo con `python -m bot run`."
)
OPS_RELOAD_NOT_PERMITTED = (
    "Non ho i permessi per mandare un segnale al processo {pid}: usa lo stesso utente del bot."
)
OPS_RELOAD_UNSUPPORTED = (
    "Su questo sistema la ricarica via segnale non è disponibile: usa /kb ricarica su Discord."
)
CMD_KB = "Base di conoscenza (solo moderatori)"
CMD_KB_RELOAD = "Ricarica le tabelle di confronto dai file YAML"
KB_RELOAD_DONE = "Base di conoscenza ricaricata: {features}."
KB_RELOAD_FAILED = "Ricarica non riuscita, resta attiva la versione precedente:\n```\n{error}\n```"
FEATURE_LEAD = "**{lead}** {system} — **{headline}**: {text}"
# An open question ("come...?", "perché...?") gets the cell, no yes or no.
FEATURE_OPEN_LEAD = "{system} — **{headline}**: {text}"
FEATURE_BOTH_DIRECT_LEAD = "**{lead}** {feature}: ecco come si comportano i due sistemi."
# The short answer to the question as asked (bot/core/lead.py picks the key).
LEAD = {
    "si": "Sì.",
    "no": "No.",
    "parziale": "In parte.",
    "right-it-does-not": "Esatto, non lo fa.",
    "right": "Esatto.",
    "actually-yes": "In realtà sì.",
    "not-entirely": "Non del tutto.",
    "only": "No, solo {system}.",
    "this-one-does": "No, {system} sì.",
    "yes-only": "Sì, solo {system}.",
}
FEATURE_OTHER = "{system}: {verdict} ({headline})."
FEATURE_BOTH_LEAD = "{feature}: ecco come si comportano i due sistemi."
FEATURE_CELL_LINE = "{emoji} {system}: {verdict}. {headline}: {text}"
OVERVIEW_TITLE = "Confronto completo · {comparison}"
UNKNOWN_TITLE = "Non ho una risposta"

# --- console ----------------------------------------------------------------
CONSOLE_ALSO = "Vedi anche: {options}"
CONSOLE_NO_DATABASE = (
    "Database non trovato: {path}. Aggiungi prima una FAQ con `python -m bot faq add`."
)
CONSOLE_CHAT_WELCOME = (
    "Ciao! Chiedimi di Kubernetes e Docker Compose. "
    "Scrivi «ricomincia» per azzerare il contesto, «esci» per uscire."
)
CONSOLE_PROMPT = "> "
CONSOLE_CONTEXT_RESET = "Contesto azzerato."
CONSOLE_BYE = "A presto!"

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

# --- console help -------------------------------------------------------------
CLI_DESCRIPTION = "Timoniere: domande e risposte in italiano su Kubernetes e Docker Compose."
CLI_HELP_KNOWLEDGE = "cartella o file YAML della base di conoscenza"
CLI_HELP_GUILD = "rispondi anche con le FAQ di questo server (ID Discord)"
CLI_HELP_DB = "file del database SQLite (predefinito: DATABASE_PATH)"
CLI_HELP_ASK = "rispondi a una domanda, o a una per riga dallo standard input con «-»"
CLI_HELP_QUESTION = "la domanda, o «-» per leggere lo standard input"
CLI_HELP_JSON = "un oggetto JSON per riga"
CLI_HELP_CONTEXT = "mantieni il contesto tra le righe; una riga vuota lo azzera"
CLI_HELP_AUTO = (
    'con --json, aggiungi "auto_reply": se il bot risponderebbe da solo, senza essere chiamato'
)
CLI_HELP_CHAT = "sessione interattiva che ricorda il contesto"
CLI_HELP_KB = "strumenti per la base di conoscenza"
CLI_HELP_KB_CHECK = "controlla un file o una cartella della base di conoscenza"
CLI_HELP_KB_IMPORT = "trasforma una tabella Markdown in uno scheletro YAML"
CLI_HELP_KB_RELOAD = "chiedi al bot in esecuzione di ricaricare la base di conoscenza"
CLI_HELP_RUN = "collegati a Discord (serve DISCORD_TOKEN)"
CLI_KB_OK = "OK {path}: {features}, sistemi: {systems}"
CLI_KB_TODO = "Attenzione: {path}:{line} contiene ancora un TODO da completare."
CLI_KB_IMPORT_EXISTS = "{path} esiste già: usa --force per sovrascriverlo."
CLI_HELP_KB_IMPORT_OUTPUT = "scrivi lo scheletro in questo file invece che a video"
CLI_HELP_KB_IMPORT_FORCE = "sovrascrivi il file di --output se esiste già"


def count_features(count: int) -> str:
    """ "1 caratteristica", "6 caratteristiche"."""
    return "1 caratteristica" if count == 1 else f"{count} caratteristiche"


# --- learned intent model (`python -m bot kb check` / `kb train`) ---------------
CLI_HELP_KB_TRAIN = "addestra il modello delle intenzioni sulle domande etichettate"
CLI_KB_TRAINED = "Modello addestrato su {examples} domande: {path} ({weights} pesi)"
KB_TRAINING_UNKNOWN_LABEL = (
    "{where}: l'etichetta «{label}» non è una caratteristica della tabella (ammesse: {known})"
)
KB_MODEL_MISSING = (
    "Manca il modello delle intenzioni {path}: ci sono domande di addestramento ma nessun"
    " modello. Esegui `python -m bot kb train`."
)
KB_MODEL_UNREADABLE = (
    "Il modello delle intenzioni non si legge ({error}). Rigeneralo con `python -m bot kb train`."
)
KB_MODEL_CLASSES = (
    "Il modello {path} conosce le classi {model}, ma la tabella ha {table}."
    " Riaddestralo con `python -m bot kb train`."
)
KB_MODEL_STALE = (
    "Il modello {path} non è aggiornato: le domande di addestramento o gli esempi del YAML"
    " sono cambiati. Riaddestralo con `python -m bot kb train`."
)
