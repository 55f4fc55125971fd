"""The learned FAQ models' cost: `Engine.ask` at 10,000 synthetic FAQ entries, with and without.

Usage: python benchmarks/faq_decision_speed.py [--entries N] [--rounds R]

One engine, one index; the learned decision is switched on and off between
rounds (interleaved, so load on the machine hits both alike). Questions: the
dev and extra sets (table questions and chat against a big FAQ) and one
reworded probe per sampled entry, as in `benchmarks/run.py`'s scale section.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.common import load_items  # noqa: E402
from benchmarks.synthetic import generate, probe_questions  # noqa: E402
from bot.core.engine import Engine  # noqa: E402
from bot.core.knowledge import load_knowledge_dir  # noqa: E402

GUILD = 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    engine = Engine(load_knowledge_dir(ROOT / "knowledge"))
    model = engine.faq_decision
    entries = generate(args.entries)
    engine.set_faq(GUILD, entries)
    questions = [item["q"] for item in load_items("dev") + load_items("extra")]
    questions += [question for question, _ in probe_questions(entries, 442)]
    for question in questions:  # warm the spell-checker and the matcher
        engine.ask(question, guild_id=GUILD)
    timings: dict[str, list[float]] = {"calibrated rule": [], "ranker + decision": []}
    for _ in range(args.rounds):
        for label, decision in (("calibrated rule", None), ("ranker + decision", model)):
            engine.faq_decision = decision
            for question in questions:
                start = time.perf_counter()
                engine.ask(question, guild_id=GUILD)
                timings[label].append((time.perf_counter() - start) * 1e3)
    print(f"{args.entries:,} entries, {len(questions)} questions x {args.rounds} rounds, warm")
    print("| engine | mean ms | p50 ms | p99 ms |")
    print("| :--- | ---: | ---: | ---: |")
    for label, values in timings.items():
        cuts = statistics.quantiles(values, n=100)
        print(f"| {label} | {statistics.mean(values):.2f} | {cuts[49]:.2f} | {cuts[98]:.2f} |")


if __name__ == "__main__":
    main()
