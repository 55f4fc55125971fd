"""A burst right after a restart, on a server with a big FAQ: the bot against the fake Discord.

Usage: .venv/bin/python benchmarks/burst.py [BASE] [--entries 2000] [--forms 100] [--asks 50]
       [--unanswered 200]

One process per side (the working tree, and BASE if given, extracted with
`git archive` as in `compare_index.py`), each running the real TimoniereBot
and discord.py against `tests/discord_double` on loopback, in one event loop.
The database holds `--entries` synthetic FAQ entries (`synthetic.py`) before
the bot starts, and `--unanswered` logged unanswered questions (each add
re-checks the 200 most asked). Then, all at once: `--forms` FAQ form submits (the forms were
opened beforehand, which touches no storage), `--asks` /chiedi commands and
`--asks` mentions from different members in one channel (at most 65: the
reply budget drops what would be over a minute late). The same burst runs
a second time in the same process once the FAQ is loaded: that warm burst is
the baseline. Times are from the double's clock: the interaction's creation
to its first response (Discord drops it after 3 s: "interaction failed"), to
the answer the user reads (the response or its first followup), and a
mention's dispatch to the reply.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEADLINE_S = 3.0
JSON = dict[str, Any]


# --- child: one side, one process ---------------------------------------------------


async def _burst(double: Any, tag: str, channel: str, forms: int, asks: int) -> JSON:
    from discord_double.world import APP_ID

    payloads = double.payloads
    modals = []
    for _ in range(forms):
        opened = payloads.slash_command("faq aggiungi", None, user="mod")
        await double.dispatch_interaction(opened)
        await double.wait_callback(opened["id"], timeout=30.0)
        modals.append(double.modal_for(opened["id"]))
    submits = [
        payloads.modal_submit(
            modal,
            {
                "Nome": f"{tag}-{number:03}",
                "Domanda": f"Dove trovo la guida {tag} numero {number}?",
                "Risposta": f"Nel canale guide, messaggio {number}.",
            },
            user="mod",
        )
        for number, modal in enumerate(modals)
    ]
    commands = [
        payloads.slash_command("chiedi", {"domanda": f"come configuro il reverse proxy {n}?"})
        for n in range(asks)
    ]
    users = [double.world.add_user(f"{tag}{n}", f"{tag}{n}") for n in range(asks)]
    mentions = [
        payloads.message(
            f"<@{APP_ID}> come faccio il backup del database? ({n})",
            author=user,
            channel=channel,
        )
        for n, user in enumerate(users)
    ]
    loop = asyncio.get_running_loop()
    mark = double.mark()
    sent_at: dict[str, float] = {}
    for payload in submits + commands:
        await double.dispatch_interaction(payload)
    for message in mentions:
        sent_at[message["id"]] = loop.time()
        await double.dispatch_message(message)

    acks: list[float] = []
    answers: list[float] = []
    in_time = 0
    for payload in submits + commands:
        created = double.interactions[payload["id"]].created
        callback = await double.wait_callback(payload["id"], timeout=600.0)
        acks.append(callback.at - created)
        if callback.status not in (200, 204):
            continue
        in_time += 1
        answer = callback
        if callback.json["type"] == 5:
            webhook = f"/webhooks/{APP_ID}/{payload['token']}"
            answer = await double.wait_request(
                None, lambda r, w=webhook: r.path.startswith(w), start=callback.index, timeout=600
            )
        answers.append(answer.at - created)

    def replies() -> dict[str, float] | None:
        found = {
            ref: request.at
            for request in double.requests[mark:]
            if request.done and request.created
            for ref in [
                str(((request.json or {}).get("message_reference") or {}).get("message_id"))
            ]
            if ref in sent_at
        }
        return found if len(found) == len(sent_at) else None

    replied = await double.wait_until(replies, timeout=600.0, what="every mention answered")
    return {
        "interactions": len(submits) + len(commands),
        "in_time": in_time,
        "ack_s": acks,
        "answer_s": answers,
        "reply_s": [replied[mid] - sent_at[mid] for mid in sent_at],
    }


async def _child(entries: int, forms: int, asks: int, unanswered: int) -> JSON:
    import pytest
    from discord_double import DiscordDouble, running_bot
    from discord_double.world import GENERAL_CHANNEL_ID, QUESTIONS_CHANNEL_ID

    sys.path.insert(0, str(ROOT / "benchmarks"))
    from synthetic import generate, probe_questions

    from bot.config import Settings
    from bot.core.engine import Engine
    from bot.core.knowledge import load_knowledge_dir
    from bot.core.text import normalize
    from bot.discord_app.client import TimoniereBot
    from bot.storage import Storage

    double = DiscordDouble()
    await double.start()
    try:
        with tempfile.TemporaryDirectory() as tmp, pytest.MonkeyPatch.context() as patch:
            database = Path(tmp) / "db.sqlite3"
            guild_id = int(double.guild.id)
            limit = entries + 4 * forms
            storage = await Storage.open(database, faq_max_entries=limit)
            records = [
                {
                    "name": e.name,
                    "question": e.question,
                    "answer": e.answer,
                    "phrasings": list(e.phrasings),
                }
                for e in generate(entries)
            ]
            await storage.faq.import_entries(guild_id, records, actor_id=None)  # type: ignore[arg-type]
            # A server that has been running: questions nobody answered, which
            # every add re-checks (the 200 most asked).
            for question, _ in probe_questions(generate(entries), unanswered):
                await storage.unanswered.record(guild_id, normalize(question), question)
            await storage.close()
            settings = Settings(
                database_path=database,
                knowledge_dir=ROOT / "knowledge",
                faq_max_entries=limit,
                channel_cooldown_seconds=0.0,
                user_rate_limit_per_minute=1000,
            )
            kb = load_knowledge_dir(settings.knowledge_dir)
            bot = TimoniereBot(settings, Engine(kb, settings.confidence_threshold))
            async with running_bot(double, bot, patch, guild_ready_timeout=0.01):
                # One channel each: a channel's reply budget (65 a minute) is not shared.
                cold = await _burst(double, "fredda", GENERAL_CHANNEL_ID, forms, asks)
                warm = await _burst(double, "calda", QUESTIONS_CHANNEL_ID, forms, asks)
    finally:
        await double.stop()
    return {"cold": cold, "warm": warm}


# --- parent: sides, table -------------------------------------------------------------


def _run_side(bot_root: Path, args: argparse.Namespace) -> JSON:
    env = dict(os.environ)
    paths = [str(bot_root), str(ROOT / "tests"), str(ROOT)]
    env["PYTHONPATH"] = os.pathsep.join(paths)
    result = subprocess.run(
        [
            sys.executable,
            str(Path(__file__).resolve()),
            "--child",
            "--entries",
            str(args.entries),
            "--forms",
            str(args.forms),
            "--asks",
            str(args.asks),
            "--unanswered",
            str(args.unanswered),
        ],
        env=env,
        cwd=bot_root,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise SystemExit(f"side {bot_root} failed:\n{result.stderr[-4000:]}")
    data: JSON = json.loads(result.stdout.splitlines()[-1])
    return data


def _extract(commit: str, into: Path) -> Path:
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", "--format=tar", commit, "bot"],
        check=True,
        capture_output=True,
    ).stdout
    tar_path = into / "base.tar"
    tar_path.write_bytes(archive)
    with tarfile.open(tar_path) as tar:
        tar.extractall(into, filter="data")
    return into


def _ms(values: list[float], fraction: float) -> str:
    sys.path.insert(0, str(ROOT))
    from benchmarks.common import fmt_ms, percentile

    return fmt_ms(1000 * percentile(sorted(values), fraction))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base", nargs="?", help="a commit to compare with the working tree")
    parser.add_argument("--entries", type=int, default=2000)
    parser.add_argument("--forms", type=int, default=100)
    parser.add_argument("--asks", type=int, default=50)
    parser.add_argument("--unanswered", type=int, default=200)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        logging.basicConfig(level=logging.CRITICAL)
        data = asyncio.run(_child(args.entries, args.forms, args.asks, args.unanswered))
        print(json.dumps(data))
        return

    sys.path.insert(0, str(ROOT))
    from benchmarks.common import table

    sides = [("working tree", ROOT)]
    with tempfile.TemporaryDirectory() as tmp:
        if args.base:
            sides.insert(0, (args.base, _extract(args.base, Path(tmp))))
        results = [(name, _run_side(path, args)) for name, path in sides]
    rows = []
    for name, data in results:
        for phase in ("cold", "warm"):
            run = data[phase]
            rows.append(
                [
                    name,
                    "after start" if phase == "cold" else "warm (baseline)",
                    f"{run['in_time']}/{run['interactions']}",
                    _ms(run["ack_s"], 0.5),
                    _ms(run["ack_s"], 0.99),
                    _ms(run["answer_s"], 0.5),
                    _ms(run["answer_s"], 0.99),
                    _ms(run["reply_s"], 0.5),
                    _ms(run["reply_s"], 0.99),
                ]
            )
    load = os.getloadavg()[0]
    print(
        f"Burst on a {args.entries}-entry server with {args.unanswered} logged unanswered"
        f" questions: {args.forms} form submits, {args.asks} /chiedi, {args.asks} mentions"
        f" at once (load average {load:.1f}).\n"
    )
    print(
        table(
            [
                "bot",
                "burst",
                f"acknowledged in {DEADLINE_S:g} s",
                "ack p50 ms",
                "ack p99 ms",
                "answer p50 ms",
                "answer p99 ms",
                "mention reply p50 ms",
                "mention reply p99 ms",
            ],
            rows,
        )
    )


if __name__ == "__main__":
    main()
