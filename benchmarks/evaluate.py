"""Score the matcher on an eval set in the shared format (see tests/data/dev.jsonl).

Usage: python benchmarks/evaluate.py [EVAL.jsonl] [--errors]
Prints joint accuracy overall and per tag; --errors lists every miss.
The scoring rules live in bot/core/evaluation.py, shared with the tests.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.core.engine import Engine  # noqa: E402
from bot.core.evaluation import Prediction, evaluate, load_items  # noqa: E402
from bot.core.knowledge import load_knowledge_dir  # noqa: E402


def run(path: Path, show_errors: bool) -> float:
    engine = Engine(load_knowledge_dir(ROOT / "knowledge"))

    def predict(question: str) -> Prediction:
        answer = engine.ask(question)
        return Prediction(answer.kind, answer.feature, answer.system, answer.confidence)

    report = evaluate(load_items(path), predict)
    print("\n".join(report.lines(show_errors)))
    return report.accuracy


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("path", nargs="?", type=Path, default=ROOT / "tests/data/dev.jsonl")
    parser.add_argument("--errors", action="store_true")
    args = parser.parse_args()
    run(args.path, args.errors)
