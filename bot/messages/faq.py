"""FAQ entries: validation, history and list lines, the console's FAQ commands."""

from __future__ import annotations

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
FAQ_FIELD_MASKED_LINK = (
    "{field} contiene un link ingannevole: il testo «{label}» sembra un indirizzo ma porta"
    " a {target}. Usa come testo l'indirizzo vero, oppure parole che non sembrino un indirizzo."
)
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
    "\n# oppure con `python -m bot faq importa` (da console)."
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
DB_ALREADY_IN_USE = (
    "Il database {path} è già usato da un altro Timoniere (PID {pid}): può girarne uno solo"
    " per database. Ferma l'altro processo oppure usa un DATABASE_PATH diverso."
)
DB_MISSING_NEEDS_INIT = (
    "Il database {path} non c'è, ma la cartella {folder} mostra che esisteva ({evidence}):"
    " forse è stato cancellato o spostato. Ripristinalo da un backup; per ripartire davvero"
    " da un database vuoto avvia una volta con `python -m bot run --init`."
)
# A FAQ change the database refused (shown after "Non ho salvato nulla:").
DB_WRITE_READ_ONLY = (
    "La voce NON è stata salvata: il database è in sola lettura (file o disco protetti"
    " da scrittura). Avvisa chi gestisce il bot."
)
DB_WRITE_DISK_FULL = (
    "La voce NON è stata salvata: il disco del database è pieno. Avvisa chi gestisce il bot."
)
DB_WRITE_LOCKED = (
    "La voce NON è stata salvata: il database è occupato da un'altra operazione."
    " Riprova tra qualche secondo."
)
DB_WRITE_FILE_GONE = (
    "La voce NON è stata salvata: il file del database è stato cancellato o sostituito"
    " mentre il bot era acceso. Avvisa chi gestisce il bot."
)
DB_WRITE_FAILED = (
    "La voce NON è stata salvata: il database ha dato un errore. Avvisa chi gestisce il bot."
)
FAQ_SAME_QUESTION = (
    "Esiste già la voce «{name}» con questa domanda: modifica quella,"
    " oppure dai un nome diverso alla nuova voce."
)
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
    "unanswered": "elenca le domande senza risposta più frequenti, da trasformare in FAQ",
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
    "limit": "quante righe mostrare al massimo",
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
FAQ_CLI_REMOVED = "FAQ «{name}» eliminata. Puoi ripristinarla con `faq ripristina {name}`."
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
