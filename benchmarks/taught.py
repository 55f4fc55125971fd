"""What moderators' lessons cost and catch: `Engine.ask` with 0 to 1,000 lessons in a server.

Usage: .venv/bin/python benchmarks/taught.py [--passes N]

The lessons are labelled questions of our own training files (knowledge/training/,
taught to their labelled feature and system); the questions timed and scored are
the dev set (tests/data/dev.jsonl), which no lesson comes from. The baseline row
is the same engine, in the same process, asking in a server with no lessons.

Per size: latency of `ask` (p50, p99, mean), how many dev questions fall under a
lesson (a close paraphrase of a taught question), and how many of those the
lesson answers right by the dev labels (`is_correct`, as in the other benchmarks),
next to how many of the same questions the table alone answers right.
Lessons are not meant to catch unrelated questions: the "taken" column is the
share of dev questions a lesson would answer instead of the table.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import SCORER, fmt_ms, is_correct, load_items, table, time_calls
from bot.core.engine import Engine
from bot.core.knowledge import load_knowledge_dir
from bot.core.taught import Lesson

ROOT = Path(__file__).resolve().parent.parent
SIZES = (10, 100, 1000)


def lessons(guild_id: int, count: int) -> list[Lesson]:
    found: list[Lesson] = []
    if count == 0:
        return found
    for path in sorted((ROOT / "knowledge" / "training").glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            item = json.loads(line) if line.strip() else None
            if not item or not item.get("feature") or item["feature"] == "none":
                continue
            system = item.get("system") or "both"
            found.append(
                Lesson(len(found) + 1, guild_id, item["q"], "feature", item["feature"], system)
            )
            if len(found) == count:
                return found
    return found


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--passes", type=int, default=3)
    args = parser.parse_args()
    engine = Engine(load_knowledge_dir(ROOT / "knowledge"))
    items = load_items("dev")
    questions = [item["q"] for item in items]
    rows = []
    for size in (0, *SIZES):
        guild = 1000 + size
        taught = lessons(guild, size)
        engine.set_lessons(guild, taught)
        latency = time_calls(lambda q, g=guild: engine.ask(q, guild_id=g), questions, args.passes)
        index = engine._taught[guild]
        taken = [item for item in items if index.match(item["q"]) is not None]
        right = table_right = 0
        for item in taken:
            answer = engine.ask(item["q"], guild_id=guild)
            right += is_correct(item, answer.kind, answer.feature, answer.system)
            plain = engine.ask(item["q"])  # no server: the table alone
            table_right += is_correct(item, plain.kind, plain.feature, plain.system)
        rows.append(
            [
                "baseline (no lessons)" if size == 0 else f"{len(taught)} lessons",
                fmt_ms(latency.p50_ms),
                fmt_ms(latency.p99_ms),
                fmt_ms(latency.mean_ms),
                f"{len(taken)} / {len(items)}",
                f"{right} / {len(taken)}" if taken else "-",
                f"{table_right} / {len(taken)}" if taken else "-",
            ]
        )
    print(f"Dev questions: {len(items)}; {args.passes} timed passes after one warm-up.")
    print(f"Scoring: {SCORER}.\n")
    headers = ["server", "p50 ms", "p99 ms", "mean ms", "taken by a lesson", "right", "table right"]
    print(table(headers, rows))


if __name__ == "__main__":
    main()
