"""Memory and tasks kept per card reply: the old per-reply CardView against the dynamic buttons.

    .venv/bin/python benchmarks/card_views.py [--replies 2000] [--legacy-commit 14dac94]

For each reply the script does what discord.py does when the bot sends a card
with a view: build the view, then `ViewStore.add_view(view, message_id)`.
Baseline: `CardView` as it was at `--legacy-commit` (random custom_ids, a
15-minute timeout, a reference to the engine and the answer), loaded from git
into this same process. New: `card_buttons.card_view` (only `DynamicItem`s,
no timeout). Answers come from the real engine on a rotating set of chat
questions, one new `Answer` per reply as in production. Reported: bytes still
allocated per reply after a GC (tracemalloc), views the store keeps, and
live asyncio tasks per reply (the views' timeout tasks).
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import subprocess
import sys
import tracemalloc
import types
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import discord  # noqa: E402
from discord.ui.view import ViewStore  # noqa: E402

from bot.core.engine import Engine  # noqa: E402
from bot.core.knowledge import load_knowledge_dir  # noqa: E402
from bot.discord_app.card_buttons import card_view  # noqa: E402

QUESTIONS = (
    "Compose fa auto-scaling?",
    "Kubernetes gestisce i segreti?",
    "come si fa il rolling update con compose?",
    "carico e server",
    "compose regge un cluster di più nodi?",
)


def legacy_card_view(commit: str) -> Callable[..., discord.ui.View]:
    """`CardView` from `bot/discord_app/views.py` at `commit`, as a module of its own."""
    source = subprocess.run(
        ["git", "show", f"{commit}:bot/discord_app/views.py"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    module = types.ModuleType("legacy_views")
    sys.modules[module.__name__] = module  # dataclasses look their module up there
    exec(compile(source, f"{commit}:bot/discord_app/views.py", "exec"), module.__dict__)
    card_view_class: Callable[..., discord.ui.View] = module.CardView
    return card_view_class


MakeView = Callable[[Engine, Any, int], discord.ui.View]


async def measure(make: MakeView, replies: int) -> dict[str, float]:
    engine = Engine(load_knowledge_dir(ROOT / "knowledge"))
    store = ViewStore(state=None)  # type: ignore[arg-type]  # add_view never touches the state
    for question in QUESTIONS:  # warm the engine's caches outside the measurement
        engine.ask(question, None, None)
    gc.collect()
    tasks_before = len(asyncio.all_tasks())
    tracemalloc.start()
    start, _ = tracemalloc.get_traced_memory()
    for number in range(replies):
        answer = engine.ask(QUESTIONS[number % len(QUESTIONS)], None, None)
        view = make(engine, answer, 1000 + number)
        store.add_view(view, 10_000 + number)  # what discord.py does on send
        del view, answer
    gc.collect()
    end, _ = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    tasks = len(asyncio.all_tasks()) - tasks_before
    kept = len(store._synced_message_views)
    for task in asyncio.all_tasks():  # the legacy timeout tasks: stop them before the next run
        if task is not asyncio.current_task():
            task.cancel()
    await asyncio.sleep(0)
    return {
        "bytes_per_reply": (end - start) / replies,
        "views_kept": kept,
        "tasks_per_reply": tasks / replies,
    }


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replies", type=int, default=2000)
    parser.add_argument("--legacy-commit", default="14dac94")
    args = parser.parse_args()
    legacy = legacy_card_view(args.legacy_commit)

    rows = {
        f"CardView at {args.legacy_commit} (baseline)": await measure(
            lambda engine, answer, asker: legacy(engine, answer, asker), args.replies
        ),
        "card_view (dynamic items)": await measure(
            lambda engine, answer, asker: card_view(engine.kb, answer, asker), args.replies
        ),
    }
    print(
        f"{args.replies} card replies, Python {sys.version.split()[0]}, "
        f"discord.py {discord.__version__}\n"
    )
    print("| views | bytes kept per reply | views kept | timeout tasks per reply |")
    print("|---|---:|---:|---:|")
    for name, row in rows.items():
        print(
            f"| {name} | {row['bytes_per_reply']:.0f} | {row['views_kept']:.0f} |"
            f" {row['tasks_per_reply']:.2f} |"
        )


if __name__ == "__main__":
    asyncio.run(main())
