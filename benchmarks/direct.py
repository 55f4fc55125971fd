"""Score the `direct` lead (the short answer the bot opens with) per question form.

Usage: python benchmarks/direct.py [DIRECT.jsonl] [--errors] [--speed]

Each line is {"q", "feature", "system", "form", "direct"}; `direct` is "si",
"no", "parziale" or null (no yes/no lead). Two columns per form:

* engine: `python -m bot ask --json` as a user gets it, end to end. Before the
  `direct` field existed the lead was always the verdict of the answered cell,
  so that is what an answer without the field is scored as.
* gold: the lead computed from the expected feature and system, which isolates
  the reading of the question's form from the matcher.

--speed times, in one run on dev + extra + the direct sets, the matcher alone
(the cost before the lead existed, as the baseline), the lead reading alone and
the whole `Engine.ask`.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.core.engine import Engine  # noqa: E402
from bot.core.knowledge import KnowledgeBase, load_knowledge_dir  # noqa: E402

Item = dict[str, Any]
FORMS = ("has", "limitation", "negated-confirmation", "open", "comparison")


def _cell_verdict(kb: KnowledgeBase, feature: str | None, system: str | None) -> str | None:
    if feature is None or system not in kb.system_ids:
        return None
    return kb.feature(feature).cells[system].verdict


def engine_direct(engine: Engine) -> Callable[[Item], str | None]:
    def predict(item: Item) -> str | None:
        reply = engine.ask(item["q"]).to_json()
        if "direct" in reply:
            return reply["direct"]  # type: ignore[no-any-return]
        if reply["kind"] != "feature":
            return None
        return _cell_verdict(engine.kb, reply["feature"], reply["system"])  # type: ignore[arg-type]

    return predict


def gold_direct(kb: KnowledgeBase) -> Callable[[Item], str | None]:
    try:
        from bot.core.lead import read_lead  # type: ignore[attr-defined]
    except ImportError:
        read_lead = None

    def predict(item: Item) -> str | None:
        if read_lead is None:
            return _cell_verdict(kb, item["feature"], item["system"])
        return read_lead(kb, item["q"], item["feature"], item["system"]).direct  # type: ignore[no-any-return]

    return predict


def score(
    items: list[Item], predict: Callable[[Item], str | None]
) -> tuple[dict[str, list[int]], list[tuple[Item, str | None]]]:
    tally: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    misses = []
    for item in items:
        got = predict(item)
        ok = got == item["direct"]
        for key in (item["form"], "all"):
            tally[key][0] += ok
            tally[key][1] += 1
        if not ok:
            misses.append((item, got))
    return tally, misses


def commit() -> str:
    head = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    dirty = subprocess.run(
        ["git", "status", "--porcelain", "bot", "knowledge"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    ).stdout.strip()
    return head + (" + uncommitted changes" if dirty else "")


def speed(kb: KnowledgeBase, items: list[Item]) -> None:
    from benchmarks.common import fmt_ms, load_items, time_calls
    from bot.core.lead import LeadReader

    engine = Engine(kb)
    reader = LeadReader(kb)
    questions = [item["q"] for item in (*load_items("dev"), *load_items("extra"), *items)]
    intents = {question: engine.matcher.match(question) for question in questions}

    def lead(question: str) -> object:
        intent = intents[question]
        return reader.read(question, intent.feature or "failover", intent.system)

    print(f"\n{len(questions)} questions, 20 passes each, warm\n")
    print("| call | p50 ms | p99 ms | max ms |")
    print("|---|---|---|---|")
    for name, call in (
        ("matcher.match (baseline)", engine.matcher.match),
        ("LeadReader.read", lead),
        ("Engine.ask (with the lead)", engine.ask),
    ):
        timing = time_calls(call, questions, passes=20)
        cells = [fmt_ms(value) for value in (timing.p50_ms, timing.p99_ms, timing.max_ms)]
        print(f"| {name} | {' | '.join(cells)} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("path", nargs="?", type=Path, default=ROOT / "tests/data/direct.jsonl")
    parser.add_argument("--errors", action="store_true")
    parser.add_argument("--speed", action="store_true")
    args = parser.parse_args()
    items = [
        json.loads(line)
        for line in args.path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    kb = load_knowledge_dir(ROOT / "knowledge")
    engine_tally, engine_misses = score(items, engine_direct(Engine(kb)))
    gold_tally, gold_misses = score(items, gold_direct(kb))
    print(f"{args.path.name} at {commit()}\n")
    print("| form | n | engine | gold feature+system |")
    print("|---|---|---|---|")
    for form in (*FORMS, "all"):
        n = engine_tally[form][1]
        if n:
            engine_rate, gold_rate = engine_tally[form][0] / n, gold_tally[form][0] / n
            print(f"| {form} | {n} | {engine_rate:.2f} | {gold_rate:.2f} |")
    if args.speed:
        speed(kb, items)
    if args.errors:
        for title, misses in (("engine", engine_misses), ("gold", gold_misses)):
            print(f"\n{title} misses:")
            for item, got in misses:
                print(f"  [{item['form']}] {item['q']!r}: expected {item['direct']}, got {got}")


if __name__ == "__main__":
    main()
