"""The console: help texts, knowledge-base tools, the learned model's checks."""

from __future__ import annotations

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
