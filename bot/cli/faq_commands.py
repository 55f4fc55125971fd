"""Console `faq` command: manage a server's FAQ entries without Discord.

    timoniere faq aggiungi --guild ID --question ... --answer ... [--name N] [--phrasing P]...
    timoniere faq modifica NAME --guild ID [--question Q] [--answer A] [--rename N] ...
    timoniere faq rimuovi|ripristina|mostra|storia NAME --guild ID
    timoniere faq elenco --guild ID [--offset N] [--limit N]
    timoniere faq senza-risposta --guild ID [--limit N]
    timoniere faq esporta --guild ID [--output FILE]
    timoniere faq importa FILE --guild ID

The actions have Discord's Italian names (`/faq aggiungi`, ...); the English
names (add, edit, remove, restore, list, show, history, unanswered, export,
import) still work as aliases, and the handlers are keyed by them.

Every action takes `--db PATH` (default: DATABASE_PATH) and `--actor ID` (the
Discord id recorded in the history; none means "console"). Exit codes: 0 ok,
1 a problem the operator can fix (message in Italian on stderr), 2 bad usage.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sqlite3
import sys
import tempfile
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from bot import messages as msg
from bot.cli import faq_probe
from bot.config import ConfigError, Settings, format_config_error, load_settings
from bot.core.faq import (
    FaqEntry,
    FaqError,
)
from bot.core.faq_text import actor, entry_line, history_line
from bot.core.faq_yaml import FaqRecord, dump_entries, load_entries
from bot.storage import Database, DatabaseError, FaqRepository, UnansweredLog

EXIT_OK = 0
EXIT_USER_ERROR = 1
EXIT_USAGE = 2

# Italian name (as on Discord) -> English alias, which is also the handler's key.
ITALIAN_NAMES = {
    "add": "aggiungi",
    "edit": "modifica",
    "remove": "rimuovi",
    "restore": "ripristina",
    "list": "elenco",
    "show": "mostra",
    "history": "storia",
    "unanswered": "senza-risposta",
    "export": "esporta",
    "import": "importa",
}
ACTIONS = tuple(ITALIAN_NAMES)
_WRITES = frozenset({"add", "edit", "remove", "restore", "import"})
_HELP = msg.FAQ_CLI_ARG_HELP


def _discord_id(value: str) -> int:
    text = value.strip()
    if not text.isdigit() or int(text) <= 0:
        raise argparse.ArgumentTypeError(msg.FAQ_CLI_BAD_ID.format(value=value))
    return int(text)


def _count(value: str) -> int:
    text = value.strip()
    if not text.isdigit():
        raise argparse.ArgumentTypeError(msg.FAQ_CLI_BAD_NUMBER.format(value=value))
    return int(text)


def register(
    subparsers: argparse._SubParsersAction[argparse.ArgumentParser],
) -> argparse.ArgumentParser:
    """Add the `faq` command and its actions to the main CLI's subparsers."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--guild", type=_discord_id, required=True, metavar="ID", help=_HELP["guild"]
    )
    common.add_argument("--db", type=Path, default=None, metavar="FILE", help=_HELP["db"])
    writes = argparse.ArgumentParser(add_help=False, parents=[common])
    writes.add_argument(
        "--actor", type=_discord_id, default=None, metavar="ID", help=_HELP["actor"]
    )

    faq = subparsers.add_parser("faq", help=msg.FAQ_CLI_HELP, description=msg.FAQ_CLI_HELP)
    actions = faq.add_subparsers(
        dest="faq_action", required=True, title=msg.CLI_COMMANDS_TITLE, metavar="AZIONE"
    )

    def action(name: str) -> argparse.ArgumentParser:
        help_text = msg.FAQ_CLI_ACTION_HELP[name]
        parent = writes if name in _WRITES else common
        parser = actions.add_parser(
            ITALIAN_NAMES[name],
            aliases=[name],
            parents=[parent],
            help=help_text,
            description=help_text,
        )
        # argparse records the name as typed; the handlers know the English one.
        parser.set_defaults(faq_action=name)
        return parser

    def text_option(parser: argparse._ActionsContainer, flag: str, key: str, **kw: Any) -> None:
        parser.add_argument(flag, metavar="TESTO", help=_HELP[key], **kw)

    def answer_options(parser: argparse.ArgumentParser, *, required: bool) -> None:
        group = parser.add_mutually_exclusive_group(required=required)
        text_option(group, "--answer", "answer")
        group.add_argument("--answer-file", type=Path, metavar="FILE", help=_HELP["answer_file"])

    def name_argument(parser: argparse.ArgumentParser) -> None:
        parser.add_argument("name", metavar="NOME", help=_HELP["name"])

    add = action("add")
    add.add_argument("--name", metavar="NOME", help=_HELP["add_name"])
    text_option(add, "--question", "question", required=True)
    answer_options(add, required=True)
    text_option(add, "--phrasing", "phrasing", action="append", default=[])

    edit = action("edit")
    name_argument(edit)
    text_option(edit, "--question", "question")
    answer_options(edit, required=False)
    phrasings = edit.add_mutually_exclusive_group()
    text_option(phrasings, "--phrasing", "edit_phrasing", action="append")
    phrasings.add_argument("--no-phrasings", action="store_true", help=_HELP["no_phrasings"])
    edit.add_argument("--rename", metavar="NOME", help=_HELP["rename"])

    name_argument(action("remove"))
    name_argument(action("restore"))

    listing = action("list")
    listing.add_argument("--offset", type=_count, default=0, metavar="N", help=_HELP["offset"])
    listing.add_argument("--limit", type=_count, default=50, metavar="N", help=_HELP["limit"])

    name_argument(action("show"))
    name_argument(action("history"))
    unanswered = action("unanswered")
    unanswered.add_argument("--limit", type=_count, default=10, metavar="N", help=_HELP["limit"])
    action("export").add_argument("--output", "-o", type=Path, metavar="FILE", help=_HELP["output"])
    action("import").add_argument("file", metavar="FILE", help=_HELP["file"])
    faq_probe.register(actions, common)
    return faq


class _UserError(Exception):
    """A problem reported to the operator with exit code 1."""


@dataclass(frozen=True)
class _Inputs:
    """Files read before the database is opened, so a typo creates nothing."""

    answer: str | None = None
    records: list[FaqRecord] = field(default_factory=list)


def run(args: argparse.Namespace, settings: Settings | None = None) -> int:
    """Run a parsed `faq` command; returns the process exit code.

    `main` passes the settings it already read, so `.env` is read (and its
    warnings printed) once.
    """
    if args.faq_action in faq_probe.ACTIONS:
        return faq_probe.run(args, settings)
    if args.faq_action == "edit" and not _has_edits(args):
        print(msg.FAQ_EDIT_NOTHING, file=sys.stderr)
        return EXIT_USAGE
    if settings is None:
        try:
            settings = load_settings()
        except ConfigError as exc:
            print(format_config_error(exc), file=sys.stderr)
            return EXIT_USAGE
    path = Path(args.db) if args.db is not None else settings.database_path
    try:
        return asyncio.run(_run(args, path, settings))
    except (FaqError, DatabaseError) as exc:
        print(exc.message, file=sys.stderr)
    except _UserError as exc:
        print(str(exc), file=sys.stderr)
    except sqlite3.DatabaseError as exc:
        if "not a database" in str(exc):
            print(msg.FAQ_CLI_NOT_SQLITE.format(path=path), file=sys.stderr)
        else:
            print(msg.FAQ_CLI_DB_ERROR.format(path=path, reason=exc), file=sys.stderr)
    except BrokenPipeError:
        raise  # the reader went away: the console's main ends quietly
    except (sqlite3.Error, OSError) as exc:
        print(msg.FAQ_CLI_DB_ERROR.format(path=path, reason=exc), file=sys.stderr)
    return EXIT_USER_ERROR


async def _run(args: argparse.Namespace, path: Path, settings: Settings) -> int:
    inputs = _Inputs(
        answer=_read_answer(args) if args.faq_action in ("add", "edit") else None,
        records=load_entries(_read_text(args.file)) if args.faq_action == "import" else [],
    )
    async with await Database.open(path) as db:
        if args.faq_action == "unanswered":
            await _unanswered(UnansweredLog(db), args)
            return EXIT_OK
        repo = FaqRepository(db, max_entries=settings.faq_max_entries)
        await _HANDLERS[args.faq_action](repo, args, inputs)
        if args.faq_action in faq_probe.REPORTS_ANSWERABLE:
            await faq_probe.print_answerable(db, args, settings)
    return EXIT_OK


Handler = Callable[[FaqRepository, argparse.Namespace, _Inputs], Awaitable[None]]


async def _add(repo: FaqRepository, args: argparse.Namespace, inputs: _Inputs) -> None:
    assert inputs.answer is not None
    name = args.name if args.name is not None else ""  # derived by the repository
    entry = FaqEntry(args.guild, name, args.question, inputs.answer, tuple(args.phrasing))
    stored = await repo.add(entry, actor_id=args.actor)
    _out(msg.FAQ_CLI_ADDED.format(name=stored.name))


def _has_edits(args: argparse.Namespace) -> bool:
    given = (args.question, args.answer, args.answer_file, args.phrasing, args.rename)
    return args.no_phrasings or any(value is not None for value in given)


async def _edit(repo: FaqRepository, args: argparse.Namespace, inputs: _Inputs) -> None:
    phrasings = [] if args.no_phrasings else args.phrasing
    edited = await repo.edit(
        args.guild,
        args.name,
        question=args.question,
        answer=inputs.answer,
        phrasings=phrasings,
        new_name=args.rename,
        actor_id=args.actor,
    )
    if args.rename is not None:
        _out(msg.FAQ_CLI_RENAMED.format(old=args.name.strip().lower(), name=edited.name))
    else:
        _out(msg.FAQ_CLI_EDITED.format(name=edited.name))


async def _remove(repo: FaqRepository, args: argparse.Namespace, _: _Inputs) -> None:
    removed = await repo.remove(args.guild, args.name, actor_id=args.actor)
    _out(msg.FAQ_CLI_REMOVED.format(name=removed.name))


async def _restore(repo: FaqRepository, args: argparse.Namespace, _: _Inputs) -> None:
    restored = await repo.restore(args.guild, args.name, actor_id=args.actor)
    _out(msg.FAQ_CLI_RESTORED.format(name=restored.name))


async def _list(repo: FaqRepository, args: argparse.Namespace, _: _Inputs) -> None:
    total = await repo.count(args.guild)
    entries = await repo.list_entries(args.guild, offset=args.offset, limit=args.limit)
    if total == 0:
        _out(msg.FAQ_CLI_LIST_EMPTY)
        return
    if not entries:
        _out(msg.FAQ_CLI_LIST_PAST_END.format(total=total))
        return
    first = args.offset + 1
    last = args.offset + len(entries)
    _out(msg.FAQ_CLI_LIST_HEADER.format(guild=args.guild, first=first, last=last, total=total))
    for entry in entries:
        _out(entry_line(entry.name, entry.question))


async def _show(repo: FaqRepository, args: argparse.Namespace, _: _Inputs) -> None:
    entry = await repo.get(args.guild, args.name)
    if entry is None:
        raise _UserError(msg.FAQ_NOT_FOUND.format(name=args.name.strip().lower()))
    _out(msg.FAQ_CLI_SHOW.format(name=entry.name, question=entry.question, answer=entry.answer))
    if entry.phrasings:
        _out(msg.FAQ_CLI_SHOW_PHRASINGS)
        for phrasing in entry.phrasings:
            _out(f"- {phrasing}")
    _out(
        msg.FAQ_CLI_SHOW_META.format(
            author=actor(entry.author_id, _user),
            created=_when(entry.created_at),
            updated=_when(entry.updated_at),
        )
    )


async def _history(repo: FaqRepository, args: argparse.Namespace, _: _Inputs) -> None:
    for record in await repo.history(args.guild, args.name):
        _out(history_line(record, when=_when, user=_user))


async def _unanswered(log: UnansweredLog, args: argparse.Namespace) -> None:
    questions = await log.top(args.guild, args.limit)
    if not questions:
        _out(msg.CONSOLE_UNANSWERED_EMPTY)
        return
    _out(msg.CONSOLE_UNANSWERED_HEADER.format(guild=args.guild))
    for number, question in enumerate(questions, start=1):
        example = " ".join(question.example.split())
        times = msg.count_times(question.count)
        _out(msg.CONSOLE_UNANSWERED_ROW.format(number=number, question=example, times=times))
    _out(msg.CONSOLE_UNANSWERED_HINT.format(guild=args.guild))


async def _export(repo: FaqRepository, args: argparse.Namespace, _: _Inputs) -> None:
    entries = await repo.export(args.guild)
    text = dump_entries(entries)
    if args.output is None:
        sys.stdout.write(text)
        return
    _write_atomically(args.output, text)
    _out(msg.FAQ_CLI_EXPORTED.format(count=len(entries), path=args.output))


async def _import(repo: FaqRepository, args: argparse.Namespace, inputs: _Inputs) -> None:
    result = await repo.import_entries(args.guild, inputs.records, actor_id=args.actor)
    _out(
        msg.FAQ_CLI_IMPORTED.format(
            added=result.added, updated=result.updated, unchanged=result.unchanged
        )
    )


_HANDLERS: dict[str, Handler] = {
    "add": _add,
    "edit": _edit,
    "remove": _remove,
    "restore": _restore,
    "list": _list,
    "show": _show,
    "history": _history,
    "export": _export,
    "import": _import,
}


# --- helpers ------------------------------------------------------------------


def _out(text: str) -> None:
    print(text, file=sys.stdout)


def _user(user_id: int) -> str:
    return msg.FAQ_CLI_ACTOR_USER.format(id=user_id)


def _when(moment: datetime | None) -> str:
    return moment.strftime(msg.FAQ_CLI_TIME) if moment is not None else "?"


def _read_answer(args: argparse.Namespace) -> str | None:
    if args.answer_file is not None:
        return _read_text(str(args.answer_file))
    answer: str | None = args.answer
    return answer


def _read_text(name: str) -> str:
    """A UTF-8 text file, or standard input for "-"."""
    if name == "-":
        return sys.stdin.read()
    path = Path(name)
    try:
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError as exc:
        raise _UserError(msg.FAQ_CLI_FILE_MISSING.format(path=path)) from exc
    except UnicodeDecodeError as exc:
        raise _UserError(msg.FAQ_CLI_NOT_UTF8.format(path=path)) from exc
    except OSError as exc:
        reason = exc.strerror or exc
        raise _UserError(msg.FAQ_CLI_FILE_UNREADABLE.format(path=path, reason=reason)) from exc


def _write_atomically(path: Path, text: str) -> None:
    """Write next to the target and rename, so a crash never leaves half a file."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temp, path)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
    except OSError as exc:
        reason = exc.strerror or exc
        raise _UserError(msg.FAQ_CLI_FILE_UNWRITABLE.format(path=path, reason=reason)) from exc
