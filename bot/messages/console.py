"""The console: help texts, knowledge-base tools, the learned model's checks."""

from __future__ import annotations

# --- console ----------------------------------------------------------------
CONSOLE_ALSO = "Vedi anche: {options}"
CONSOLE_NO_DATABASE = (
    "Database non trovato: {path}. Aggiungi prima una FAQ con `python -m bot faq aggiungi`."
)
CONSOLE_CHAT_WELCOME = (
    "Ciao! Chiedimi di Kubernetes e Docker Compose. "
    "Scrivi «ricomincia» per azzerare il contesto, «esci» per uscire."
)
CONSOLE_PROMPT = "> "
CONSOLE_CONTEXT_RESET = "Contesto azzerato."
CONSOLE_BYE = "A presto!"

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
CLI_HELP_RUN_INIT = (
    "crea un database vuoto anche se la cartella dei dati mostra che ce n'era uno"
    " (solo per ripartire da zero: le FAQ salvate non tornano)"
)
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

# --- argparse's own texts (usage, help, errors), in Italian -----------------------
# Keys are argparse's English templates (Python 3.11+), looked up through its
# gettext hook by bot/cli/italian_argparse.py; placeholders stay as they are.
ARGPARSE_TEXTS = {
    "usage: ": "uso: ",
    "positional arguments": "argomenti",
    "options": "opzioni",
    "show this help message and exit": "mostra questo aiuto ed esci",
    "%(prog)s: error: %(message)s\n": "%(prog)s: errore: %(message)s\n",
    "argument %(argument_name)s: %(message)s": "argomento %(argument_name)s: %(message)s",
    "the following arguments are required: %s": "mancano argomenti obbligatori: %s",
    "one of the arguments %s is required": "serve uno di questi argomenti: %s",
    "not allowed with argument %s": "non si può usare insieme a %s",
    "unrecognized arguments: %s": "argomenti non riconosciuti: %s",
    "invalid choice: %(value)r (choose from %(choices)s)": (
        "scelta non valida: %(value)r (scegli tra %(choices)s)"
    ),
    "invalid choice: %(value)r, choose from %(choices)s": (
        "scelta non valida: %(value)r (scegli tra %(choices)s)"
    ),
    "invalid %(type)s value: %(value)r": "valore non valido: %(value)r",
    "expected one argument": "serve un valore",
    "expected at most one argument": "al massimo un valore",
    "expected at least one argument": "serve almeno un valore",
    "ambiguous option: %(option)s could match %(matches)s": (
        "opzione ambigua: %(option)s può essere %(matches)s"
    ),
    "unknown parser %(parser_name)r (choices: %(choices)s)": (
        "comando sconosciuto %(parser_name)r (scegli tra %(choices)s)"
    ),
    "ignored explicit argument %r": "valore %r ignorato: questa opzione non ne prende",
    "can't open '%(filename)s': %(error)s": "non riesco ad aprire «%(filename)s»: %(error)s",
}
ARGPARSE_PLURALS = {
    "expected %s argument": ("serve %s valore", "servono %s valori"),
}
CLI_COMMANDS_TITLE = "comandi"
CLI_COMMAND_METAVAR = "COMANDO"
CLI_ACTION_METAVAR = "AZIONE"
CLI_HELP_KB_PATH = "file YAML o cartella della base di conoscenza (predefinito: KNOWLEDGE_DIR)"
CLI_HELP_KB_TABLE = "file Markdown con la tabella di confronto"
CLI_HELP_KB_ACTIONS = "controlla, addestra, importa o ricarica la base di conoscenza"
# The console's chat.
CONSOLE_FOLLOW_UP_HINT = (
    "Di quale argomento? Fai prima una domanda completa, per esempio"
    " «kubernetes fa auto-scaling?», poi continua con «e compose?»."
)
CONSOLE_UNANSWERED_EMPTY = "Non ci sono domande senza risposta da mostrare."
CONSOLE_UNANSWERED_HEADER = "Domande senza risposta più frequenti nel server {guild}:"
CONSOLE_UNANSWERED_ROW = "{number}. «{question}» — {times}"
CONSOLE_UNANSWERED_HINT = (
    "Per rispondere: python -m bot faq aggiungi --guild {guild} --question … --answer …"
)


def count_times(count: int) -> str:
    """ "1 volta", "3 volte"."""
    return "1 volta" if count == 1 else f"{count} volte"
