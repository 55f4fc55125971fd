"""Console `faq prova`: which FAQ entry would answer a question, and the runner-up.

    timoniere faq prova "<domanda>" --guild ID [--db FILE]

Also the report printed after `faq add` and `faq edit`: questions of the
unanswered log that the server's FAQ now answers. The decisions are the core's
(`Engine.probe_faq`, `answerable_questions`); this module only loads and prints.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

from bot import messages as msg
from bot.config import ConfigError, Settings, format_config_error, load_settings
from bot.core.engine import Engine, FaqProbe
from bot.core.faq import clean_name, slugify
from bot.core.faq_review import answerable_questions, probe_lines
from bot.core.knowledge import KnowledgeError, load_knowledge_dir
from bot.storage import Database, DatabaseError, FaqRepository, UnansweredLog

# Italian like its Discord twin `/faq prova`; "probe" matches the English action names.
ACTIONS = ("prova", "probe")
# Actions after which the unanswered log is checked against the edited FAQ.
REPORTS_ANSWERABLE = frozenset({"add", "edit"})
# The most asked unanswered questions that are re-checked after an edit.
UNANSWERED_CHECKED = 500


def register(
    actions: argparse._SubParsersAction[argparse.ArgumentParser],
    common: argparse.ArgumentParser,
) -> None:
    probe = actions.add_parser(
        ACTIONS[0],
        aliases=list(ACTIONS[1:]),
        parents=[common],
        help=msg.FAQ_CLI_PROBE_HELP,
        description=msg.FAQ_CLI_PROBE_HELP,
    )
    probe.add_argument("question", nargs="+", metavar="DOMANDA", help=msg.FAQ_CLI_PROBE_QUESTION)


async def _engine(db: Database, guild_id: int, settings: Settings) -> Engine:
    engine = Engine(load_knowledge_dir(settings.knowledge_dir), settings.confidence_threshold)
    engine.set_faq(guild_id, await FaqRepository(db).all_entries(guild_id))
    return engine


def run(args: argparse.Namespace, settings: Settings | None = None) -> int:
    """`faq prova`; exit codes as for the other `faq` actions."""
    if settings is None:
        try:
            settings = load_settings()
        except ConfigError as exc:
            print(format_config_error(exc), file=sys.stderr)
            return 2
    path = Path(args.db) if args.db is not None else settings.database_path
    if not path.exists():
        print(msg.CONSOLE_NO_DATABASE.format(path=path), file=sys.stderr)
        return 1
    question = " ".join(args.question)
    try:
        probe, titles = asyncio.run(_probe(path, args.guild, settings, question))
    except (DatabaseError, KnowledgeError) as exc:
        print(getattr(exc, "message", str(exc)), file=sys.stderr)
        return 1
    for line in probe_lines(probe, titles):
        print(line)
    return 0


async def _probe(
    path: Path, guild_id: int, settings: Settings, question: str
) -> tuple[FaqProbe, dict[str, str]]:
    async with await Database.open(path) as db:
        engine = await _engine(db, guild_id, settings)
    titles = {feature.id: feature.title for feature in engine.kb.features}
    return engine.probe_faq(question, guild_id), titles


def _written_name(args: argparse.Namespace) -> str:
    """The name of the entry an `add` or `edit` just wrote (the repository keeps it as given)."""
    if args.faq_action == "add":
        name = args.name if args.name is not None else slugify(args.question)
    else:
        name = args.rename if args.rename is not None else args.name
    return clean_name(str(name))


async def print_answerable(db: Database, args: argparse.Namespace, settings: Settings) -> None:
    """After an add or edit: the logged unanswered questions that entry now answers."""
    logged = await UnansweredLog(db).top(args.guild, limit=UNANSWERED_CHECKED)
    if not logged:
        return
    engine = await _engine(db, args.guild, settings)
    questions = [row.example for row in logged]
    found = answerable_questions(engine, args.guild, questions, _written_name(args))
    if found:
        print(msg.FAQ_CLI_NOW_ANSWERED)
        for item in found:
            print(msg.FAQ_CLI_NOW_ANSWERED_ROW.format(question=item.question, name=item.entry))
