"""Score the matcher on an eval set in the shared format (see tests/data/dev.jsonl).

Usage: python benchmarks/evaluate.py [EVAL.jsonl] [--errors]
Prints joint accuracy overall and per tag; --errors lists every miss.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.core.engine import Engine  # noqa: E402
from bot.core.knowledge import load_knowledge_dir  # noqa: E402


def is_correct(item: dict[str, object], kind: str, feature: str | None, system: str | None) -> bool:
    expected = item["feature"]
    if expected is None:
        return kind == "unknown"
    if expected == "overview":
        return kind == "overview"
    accepted = {expected, *item.get("accept", [])}  # type: ignore[misc]
    return kind == "feature" and feature in accepted and system == item["system"]


def evaluate(path: Path, show_errors: bool) -> float:
    engine = Engine(load_knowledge_dir(ROOT / "knowledge"))
    items = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    per_tag: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    correct = 0
    for item in items:
        answer = engine.ask(item["q"])
        ok = is_correct(item, answer.kind, answer.feature, answer.system)
        correct += ok
        tags = item["tags"] or ["(none)"]
        for tag in tags:
            per_tag[tag][0] += ok
            per_tag[tag][1] += 1
        if show_errors and not ok:
            print(
                f"MISS {item['id']}: {item['q']!r}\n"
                f"   expected {item['feature']}/{item['system']} accept={item['accept']}"
                f" got {answer.kind}/{answer.feature}/{answer.system} conf={answer.confidence}"
            )
    accuracy = correct / len(items)
    print(f"joint accuracy: {accuracy:.3f} ({correct}/{len(items)})")
    for tag in sorted(per_tag):
        good, total = per_tag[tag]
        print(f"  {tag:<20} {good / total:6.3f}  ({good}/{total})")
    return accuracy


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("path", nargs="?", type=Path, default=ROOT / "tests/data/dev.jsonl")
    parser.add_argument("--errors", action="store_true")
    args = parser.parse_args()
    evaluate(args.path, args.errors)
