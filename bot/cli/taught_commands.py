"""Console `insegna esporta`: the phrasings moderators taught, as YAML for the knowledge file.

    timoniere insegna esporta --guild ID [--db FILE] [--output FILE]

The Discord twin is `/insegna esporta`; both print what `bot.core.taught_export`
builds, so a maintainer can move the examples upstream without Discord.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

from bot import messages as msg
from bot.config import Settings
from bot.core.knowledge import KnowledgeError, load_knowledge_dir
from bot.core.taught import Lesson
from bot.core.taught_export import dump_taught_examples, taught_examples
from bot.storage import Database, DatabaseError, LessonStore

EXIT_OK = 0
EXIT_USER_ERROR = 1


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    help_text = msg.TEACH_CLI_HELP
    teach = subparsers.add_parser("insegna", help=help_text, description=help_text)
    actions = teach.add_subparsers(dest="teach_action", required=True, metavar="AZIONE")
    export = actions.add_parser(
        "esporta", help=msg.TEACH_CLI_EXPORT_HELP, description=msg.TEACH_CLI_EXPORT_HELP
    )
    export.add_argument(
        "--guild", type=int, required=True, metavar="ID", help=msg.TEACH_CLI_GUILD_HELP
    )
    export.add_argument("--db", type=Path, default=None, metavar="FILE", help=msg.CLI_HELP_DB)
    export.add_argument(
        "--output", "-o", type=Path, metavar="FILE", help=msg.FAQ_CLI_ARG_HELP["output"]
    )


async def _lessons(path: Path, guild_id: int) -> list[Lesson]:
    async with await Database.open(path) as db:
        return await LessonStore(db).live(guild_id)


def run(args: argparse.Namespace, settings: Settings) -> int:
    path = Path(args.db) if args.db is not None else settings.database_path
    if not path.exists():
        print(msg.CONSOLE_NO_DATABASE.format(path=path), file=sys.stderr)
        return EXIT_USER_ERROR
    try:
        kb = load_knowledge_dir(settings.knowledge_dir)
        lessons = asyncio.run(_lessons(path, args.guild))
    except (DatabaseError, KnowledgeError) as exc:
        print(getattr(exc, "message", str(exc)), file=sys.stderr)
        return EXIT_USER_ERROR
    examples = taught_examples(lessons, kb)
    if not examples:
        print(msg.TEACH_EXPORT_EMPTY, file=sys.stderr)
        return EXIT_OK
    text = dump_taught_examples(examples, kb, msg.TEACH_EXPORT_HEADER.format(guild=args.guild))
    if args.output is None:
        sys.stdout.write(text)
    else:
        args.output.write_text(text, encoding="utf-8")
    return EXIT_OK
