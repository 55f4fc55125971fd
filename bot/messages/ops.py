"""Operators: settings validation, runner and health, reload, logs."""

from __future__ import annotations

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
# Discord accepted the connection but did not let the bot in within LOGIN_TIMEOUT_SECONDS.
OPS_RUN_DISCORD_SILENT = (
    "Discord non ha risposto entro {seconds:g} secondi ({stage}): il bot si ferma."
    " Controlla la rete e lo stato di Discord (https://discordstatus.com), poi riavvia;"
    " il limite si cambia con LOGIN_TIMEOUT_SECONDS."
)
OPS_RUN_STAGE_LOGIN = "accesso con il token"
OPS_RUN_STAGE_GATEWAY = "collegamento al gateway"
OPS_RUN_CRASHED = "Il bot si è fermato per un errore inatteso ({error}): i dettagli sono nel log."
OPS_RUN_DATA_FOLDER = (
    "Non riesco a usare la cartella dei dati {path} ({error}): controlla DATABASE_PATH"
    " e che l'utente del bot (uid {uid}) possa scriverci."
)
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
# A table refused because its slash commands would not fit (bot/core/knowledge.py).
KB_TOO_MANY_FEATURES = (
    "{count} caratteristiche sono troppe: ognuna diventa un comando slash e, con i {builtin}"
    " comandi del bot, Discord ne accetta al massimo {limit}. Tieni al massimo {most}"
    " caratteristiche."
)
# /kb ricarica when Discord refuses the new table's commands: nothing switched.
KB_RELOAD_NOT_REGISTERED = (
    "Ricarica annullata: Discord non ha accettato i comandi slash della nuova tabella,"
    " quindi restano attivi la tabella e i comandi precedenti.\n```\n{error}\n```"
)
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
    # "compose non scala per niente?": the total absence claimed is false.
    "actually-in-part": "In realtà sì, in parte.",
    "only": "No, solo {system}.",
    "this-one-does": "No, {system} sì.",
    "yes-only": "Sì, solo {system}.",
}
FEATURE_OTHER = "{system}: {verdict} ({headline})."
FEATURE_BOTH_LEAD = "{feature}: ecco come si comportano i due sistemi."
FEATURE_CELL_LINE = "{emoji} {system}: {verdict}. {headline}: {text}"
OVERVIEW_TITLE = "Confronto completo · {comparison}"
UNKNOWN_TITLE = "Non ho una risposta"
