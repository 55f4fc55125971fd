"""`python -m bot kb reload`: ask the running bot to reload its knowledge base.

The files are validated here first, so a typo is reported to the person who
made it and the bot is not even asked. Then SIGHUP goes to the pid in the pid
file that `python -m bot run` keeps next to the database. The bot validates
again (the files may change in between) and keeps the old table on error.
"""

from __future__ import annotations

import os
import signal
import sys
from typing import TextIO

from bot import messages
from bot.config import Settings
from bot.core.knowledge import KnowledgeError, load_knowledge_dir
from bot.lifecycle import pid_file_path, pid_is_running, read_pid_file

EXIT_OK = 0
EXIT_ERROR = 1


def request_reload(settings: Settings, stdout: TextIO, stderr: TextIO | None = None) -> int:
    err = stderr if stderr is not None else sys.stderr
    try:
        kb = load_knowledge_dir(settings.knowledge_dir)
    except KnowledgeError as exc:
        err.write(messages.OPS_RELOAD_INVALID.format(error=exc) + "\n")
        return EXIT_ERROR

    path = pid_file_path(settings.database_path)
    try:
        record = read_pid_file(path)
    except ValueError:
        err.write(messages.OPS_RELOAD_BAD_PIDFILE.format(path=path) + "\n")
        return EXIT_ERROR
    if record is None:
        err.write(messages.OPS_RELOAD_NO_PIDFILE.format(path=path) + "\n")
        return EXIT_ERROR
    sighup = getattr(signal, "SIGHUP", None)
    if sighup is None:  # pragma: no cover - Windows
        err.write(messages.OPS_RELOAD_UNSUPPORTED + "\n")
        return EXIT_ERROR
    # A pid reused by another process after a crash must not get our signal
    # (SIGHUP's default action is to terminate).
    if not pid_is_running(record):
        err.write(messages.OPS_RELOAD_STALE_PID.format(path=path, pid=record.pid) + "\n")
        return EXIT_ERROR
    try:
        os.kill(record.pid, sighup)
    except ProcessLookupError:
        err.write(messages.OPS_RELOAD_STALE_PID.format(path=path, pid=record.pid) + "\n")
        return EXIT_ERROR
    except PermissionError:
        err.write(messages.OPS_RELOAD_NOT_PERMITTED.format(pid=record.pid) + "\n")
        return EXIT_ERROR
    stdout.write(
        messages.OPS_RELOAD_SENT.format(
            pid=record.pid, features=messages.count_features(len(kb.features))
        )
        + "\n"
    )
    return EXIT_OK
