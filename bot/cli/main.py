"""Command line: `python -m bot` / `timoniere`.

ask, chat and kb work offline with no Discord token; run starts the bot.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import sqlite3
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from bot import messages
from bot.cli import italian_argparse
from bot.cli.render import render, terminal_width, wrap
from bot.config import (
    ConfigError,
    Settings,
    format_config_error,
    load_settings,
    wants_json_logs,
)
from bot.core.answers import Answer
from bot.core.engine import Engine, next_context
from bot.core.faq import FaqEntry
from bot.core.faq_common_words import load_common_words
from bot.core.faq_decision import load_faq_decision
from bot.core.faq_terms import load_faq_terms
from bot.core.knowledge import KnowledgeBase, KnowledgeError, load_knowledge, load_knowledge_dir
from bot.core.matcher import Context, is_follow_up

if TYPE_CHECKING:
    from bot.core.taught import Lesson

EXIT_OK = 0
EXIT_USER_ERROR = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130  # 128 + SIGINT, like a shell
EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE, like `yes | head`

# The console's own commands. Their parser needs neither the FAQ's nor the
# lessons' command modules, which import the storage (asyncio, SQLite, metrics):
# a one-shot `ask` would load them for nothing. Other modules the commands
# need are imported where they are used, for the same reason.
OWN_COMMANDS = frozenset({"ask", "chat", "kb", "run"})


def _settings() -> Settings:
    return load_settings()


def _load_kb(path: Path | None, settings: Settings) -> KnowledgeBase:
    return load_knowledge_dir(path or settings.knowledge_dir)


async def _guild_data(database: Path, guild_id: int) -> tuple[list[FaqEntry], list[Lesson]]:
    """The server's FAQ entries and the lessons its moderators taught."""
    from bot.storage import Database, FaqRepository, LessonStore

    async with await Database.open(database) as db:
        entries = list(await FaqRepository(db).all_entries(guild_id))
        return entries, await LessonStore(db).live(guild_id)


def build_engine(args: argparse.Namespace, settings: Settings) -> Engine:
    engine = Engine(_load_kb(args.knowledge, settings), settings.confidence_threshold)
    if args.guild is not None:
        database = args.db or settings.database_path
        if not Path(database).exists():
            raise FileNotFoundError(messages.CONSOLE_NO_DATABASE.format(path=database))
        import asyncio

        entries, lessons = asyncio.run(_guild_data(Path(database), args.guild))
        engine.set_faq(args.guild, entries)
        engine.set_lessons(args.guild, lessons)
    return engine


def _titles(engine: Engine) -> dict[str, str]:
    return {feature.id: feature.title for feature in engine.kb.features}


def _questions(args: argparse.Namespace, stdin: TextIO) -> Iterable[str]:
    if args.question == ["-"]:
        for line in stdin:
            yield line.rstrip("\r\n")
    else:
        yield " ".join(args.question)


def _show(answer: Answer, context: Context | None, engine: Engine) -> str:
    """The answer as the console prints it.

    A bare follow-up ("e compose?") with nothing before it gets a one-line
    hint instead of the whole list of topics: the user knows what they want
    to ask, just not that the first question has to name it.
    """
    if answer.kind == "unknown" and context is None and is_follow_up(answer.question):
        return "\n".join(wrap(messages.CONSOLE_FOLLOW_UP_HINT, terminal_width()))
    return render(answer, titles=_titles(engine))


def cmd_ask(args: argparse.Namespace, settings: Settings, stdin: TextIO, stdout: TextIO) -> int:
    engine = build_engine(args, settings)
    context: Context | None = None
    for question in _questions(args, stdin):
        if args.context and not question.strip():
            context = None
        asked_with = context if args.context else None
        answer = engine.ask(question, asked_with, args.guild)
        if args.context:
            context = next_context(answer, context)
        if args.json:
            payload = answer.to_json()
            if args.auto:
                from bot.core.auto_reply import should_auto_reply

                payload["auto_reply"] = should_auto_reply(answer, question)
            stdout.write(json.dumps(payload, ensure_ascii=False) + "\n")
            stdout.flush()
        else:
            stdout.write(_show(answer, asked_with, engine) + "\n")
    return EXIT_OK


def _read_line(stdin: TextIO, stdout: TextIO, interactive: bool) -> str | None:
    """The next line of the chat, or None at the end of input.

    At a terminal `input()` is used, so readline gives line editing and the
    arrow keys walk back through the questions already asked.
    """
    if not interactive:
        line = stdin.readline()
        return line if line else None
    try:
        return input(messages.CONSOLE_PROMPT)
    except EOFError:  # Ctrl-D
        stdout.write("\n")
        return None


def cmd_chat(args: argparse.Namespace, settings: Settings, stdin: TextIO, stdout: TextIO) -> int:
    from bot.cli.chat_history import line_editing

    engine = build_engine(args, settings)
    interactive = stdin.isatty() and stdin is sys.stdin
    editing = line_editing() if interactive else contextlib.nullcontext()
    stdout.write("\n".join(wrap(messages.CONSOLE_CHAT_WELCOME, terminal_width())) + "\n")
    with editing:
        _chat(engine, args.guild, stdin, stdout, interactive)
    stdout.write(messages.CONSOLE_BYE + "\n")
    return EXIT_OK


def _chat(
    engine: Engine, guild: int | None, stdin: TextIO, stdout: TextIO, interactive: bool
) -> None:
    context: Context | None = None
    while True:
        line = _read_line(stdin, stdout, interactive)
        if line is None:
            return
        question = line.strip()
        if question.lower() in {"esci", "exit", "quit", ":q"}:
            return
        if question.lower() in {"reset", "ricomincia"}:
            context = None
            stdout.write(messages.CONSOLE_CONTEXT_RESET + "\n")
            continue
        if not question:
            continue
        answer = engine.ask(question, context, guild)
        stdout.write(_show(answer, context, engine) + "\n\n")
        stdout.flush()
        context = next_context(answer, context)


def _table_dir(target: Path) -> Path:
    """The knowledge directory of a table: the folder itself, or a YAML file's folder."""
    return target.parent if target.is_file() else target


def cmd_kb(args: argparse.Namespace, settings: Settings, stdin: TextIO, stdout: TextIO) -> int:
    if args.kb_command == "check":
        from bot.core.intent_training import check_model
        from bot.core.table_import import todo_lines

        target = args.path or settings.knowledge_dir
        kb = load_knowledge(target) if Path(target).is_file() else load_knowledge_dir(target)
        check_model(kb, _table_dir(Path(target)))
        # The FAQ's word groups, common words and models sit next to the table:
        # a broken or stale file fails here too, not at the bot's start.
        load_faq_terms(target)
        load_common_words(target)
        load_faq_decision(target)
        stdout.write(
            messages.CLI_KB_OK.format(
                path=kb.path,
                features=messages.count_features(len(kb.features)),
                systems=", ".join(kb.system_ids),
            )
            + "\n"
        )
        for path, line in todo_lines(target):
            sys.stderr.write(messages.CLI_KB_TODO.format(path=path, line=line) + "\n")
        return EXIT_OK
    if args.kb_command == "train":
        from bot.core.intent_training import train_table

        target = Path(args.path or settings.knowledge_dir)
        kb = load_knowledge(target) if target.is_file() else load_knowledge_dir(target)
        path, model, examples = train_table(kb, _table_dir(target))
        stdout.write(
            messages.CLI_KB_TRAINED.format(examples=examples, path=path, weights=model.size) + "\n"
        )
        return EXIT_OK
    if args.kb_command == "import":
        from bot.core.table_import import markdown_table_to_yaml

        text = Path(args.table).read_text(encoding="utf-8")
        yaml_text = markdown_table_to_yaml(text, source=Path(args.table).name)
        if args.output:
            if Path(args.output).exists() and not args.force:
                sys.stderr.write(messages.CLI_KB_IMPORT_EXISTS.format(path=args.output) + "\n")
                return EXIT_USER_ERROR
            Path(args.output).write_text(yaml_text, encoding="utf-8")
        else:
            stdout.write(yaml_text)
        return EXIT_OK
    if args.kb_command == "reload":
        from bot.cli.reload import request_reload

        return request_reload(settings, stdout)
    raise AssertionError(args.kb_command)


def cmd_run(args: argparse.Namespace, settings: Settings, stdin: TextIO, stdout: TextIO) -> int:
    from bot.discord_app.runner import run_bot

    return run_bot(load_settings(require_token=True), init=args.init)


def build_parser(server_commands: bool = True) -> argparse.ArgumentParser:
    """The console's parser; `server_commands` adds `faq` and `insegna` (see OWN_COMMANDS)."""
    italian_argparse.install()
    parser = argparse.ArgumentParser(
        prog="timoniere",
        description=messages.CLI_DESCRIPTION,
    )
    sub = parser.add_subparsers(
        dest="command",
        required=True,
        title=messages.CLI_COMMANDS_TITLE,
        metavar=messages.CLI_COMMAND_METAVAR,
    )

    def command(
        parent: argparse._SubParsersAction[argparse.ArgumentParser], name: str, help_text: str
    ) -> argparse.ArgumentParser:
        return parent.add_parser(name, help=help_text, description=help_text)

    def engine_options(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--knowledge", type=Path, metavar="PERCORSO", help=messages.CLI_HELP_KNOWLEDGE
        )
        p.add_argument("--guild", type=int, metavar="ID", help=messages.CLI_HELP_GUILD)
        p.add_argument("--db", type=Path, metavar="FILE", help=messages.CLI_HELP_DB)

    ask = command(sub, "ask", messages.CLI_HELP_ASK)
    ask.add_argument("question", nargs="+", metavar="DOMANDA", help=messages.CLI_HELP_QUESTION)
    ask.add_argument("--json", action="store_true", help=messages.CLI_HELP_JSON)
    ask.add_argument("--context", action="store_true", help=messages.CLI_HELP_CONTEXT)
    ask.add_argument("--auto", action="store_true", help=messages.CLI_HELP_AUTO)
    engine_options(ask)

    chat = command(sub, "chat", messages.CLI_HELP_CHAT)
    engine_options(chat)

    kb = command(sub, "kb", messages.CLI_HELP_KB)
    kb_sub = kb.add_subparsers(
        dest="kb_command",
        required=True,
        title=messages.CLI_COMMANDS_TITLE,
        metavar=messages.CLI_ACTION_METAVAR,
        help=messages.CLI_HELP_KB_ACTIONS,
    )
    check = command(kb_sub, "check", messages.CLI_HELP_KB_CHECK)
    check.add_argument(
        "path", nargs="?", type=Path, metavar="PERCORSO", help=messages.CLI_HELP_KB_PATH
    )
    train = command(kb_sub, "train", messages.CLI_HELP_KB_TRAIN)
    train.add_argument(
        "path", nargs="?", type=Path, metavar="PERCORSO", help=messages.CLI_HELP_KB_PATH
    )
    imp = command(kb_sub, "import", messages.CLI_HELP_KB_IMPORT)
    imp.add_argument("table", type=Path, metavar="TABELLA", help=messages.CLI_HELP_KB_TABLE)
    imp.add_argument(
        "--output", "-o", type=Path, metavar="FILE", help=messages.CLI_HELP_KB_IMPORT_OUTPUT
    )
    imp.add_argument("--force", action="store_true", help=messages.CLI_HELP_KB_IMPORT_FORCE)
    command(kb_sub, "reload", messages.CLI_HELP_KB_RELOAD)

    run = command(sub, "run", messages.CLI_HELP_RUN)
    run.add_argument("--init", action="store_true", help=messages.CLI_HELP_RUN_INIT)
    if server_commands:
        from bot.cli import faq_commands, taught_commands

        faq_commands.register(sub)
        taught_commands.register(sub)
    return parser


COMMANDS = {"ask": cmd_ask, "chat": cmd_chat, "kb": cmd_kb, "run": cmd_run}


def _utf8_streams() -> None:
    """Read and write UTF-8 whatever the locale says, and never die on a bad byte.

    A pasted message with an undecodable byte is answered with U+FFFD in its
    place, and every other line of a batch is still answered; output is always
    valid UTF-8, so `ask --json` stays parseable.
    """
    for stream in (sys.stdin, sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(encoding="utf-8", errors="replace")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the console; Ctrl-C and a closed pipe end it without a traceback."""
    try:
        return _main(argv)
    except KeyboardInterrupt:
        # The ^C the terminal echoed is left mid-line: end it before the shell prompt.
        with contextlib.suppress(OSError, ValueError):
            sys.stderr.write("\n")
            sys.stderr.flush()
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # Whoever read the output (`| head`) has gone: nothing left to say. Point
        # stdout at /dev/null so the interpreter's final flush stays quiet too.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_BROKEN_PIPE


def _fixable_errors() -> tuple[type[Exception], ...]:
    """Errors the user can fix. Called only once an exception is raised, so
    the modules that define them are not imported for a question that works."""
    from bot.core.table_import import TableImportError
    from bot.storage import DatabaseError

    return KnowledgeError, TableImportError, DatabaseError


def _main(argv: Sequence[str] | None) -> int:
    _utf8_streams()
    arguments = list(sys.argv[1:] if argv is None else argv)
    # `timoniere ask ...` is parsed by the ask parser alone: the other
    # commands' definitions cannot change how it reads.
    own = bool(arguments) and arguments[0] in OWN_COMMANDS
    parser = build_parser(server_commands=not own)
    args = parser.parse_args(arguments)
    try:
        settings = _settings()
    except ConfigError as exc:
        sys.stderr.write(format_config_error(exc, as_json=wants_json_logs()) + "\n")
        return EXIT_USAGE
    if args.command == "faq":
        from bot.cli import faq_commands

        return faq_commands.run(args, settings)
    if args.command == "insegna":
        from bot.cli import taught_commands

        return taught_commands.run(args, settings)
    try:
        return COMMANDS[args.command](args, settings, sys.stdin, sys.stdout)
    except ConfigError as exc:
        sys.stderr.write(format_config_error(exc, as_json=wants_json_logs()) + "\n")
        return EXIT_USAGE
    except _fixable_errors() as exc:
        sys.stderr.write(f"{exc}\n")
        return EXIT_USER_ERROR
    except sqlite3.DatabaseError:
        path = args.db or settings.database_path
        sys.stderr.write(messages.FAQ_CLI_NOT_SQLITE.format(path=path) + "\n")
        return EXIT_USER_ERROR
    except UnicodeDecodeError:
        path = getattr(args, "table", None) or args.command
        sys.stderr.write(messages.FAQ_CLI_NOT_UTF8.format(path=path) + "\n")
        return EXIT_USER_ERROR
    except BrokenPipeError:
        raise
    except (FileNotFoundError, OSError) as exc:
        sys.stderr.write(f"{exc}\n")
        return EXIT_USER_ERROR
