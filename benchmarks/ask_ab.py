"""Warm `Engine.ask` on the shipped base: an earlier commit against the working tree.

Usage: .venv/bin/python benchmarks/ask_ab.py COMMIT [--rounds 4] [--instructions]

Each side runs in its own child process over dev + extra: one warm-up pass,
then 8 passes in a reshuffled order, each call timed alone, garbage collector
on. The sides alternate for `--rounds` rounds, so load on the machine hits
both alike; every round is printed, since wall-clock p99 on a shared machine
moves by tens of percent between runs.

`--instructions` also counts the instructions of each warm `ask` with
valgrind's callgrind (a marker call between questions dumps the counter), once
per side: other processes do not disturb these counts, so they show what
changed in the code where the wall clock cannot. Slow: a few minutes a side.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QUESTIONS = ("tests/data/dev.jsonl", "knowledge/training/extra.jsonl")

# Run in the child: the tree to import is argv[1], the mode argv[2].
_CHILD = """
import gc, json, os, random, sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from bot.core.engine import Engine
from bot.core.knowledge import load_knowledge_dir
import bot
assert Path(bot.__file__).resolve().is_relative_to(Path(sys.argv[1]).resolve())
questions = json.loads(sys.argv[3])
engine = Engine(load_knowledge_dir(Path(sys.argv[1]) / "knowledge"))
for question in questions:
    engine.ask(question)
if sys.argv[2] == "instructions":
    for question in questions:
        os.getppid()  # callgrind dumps its counter here
        engine.ask(question)
    os.getppid()
else:
    rnd, times = random.Random(0), []
    for _ in range(8):
        rnd.shuffle(questions)
        for question in questions:
            start = time.perf_counter_ns()
            engine.ask(question)
            times.append(time.perf_counter_ns() - start)
    print(json.dumps(times))
"""


def load_questions() -> list[str]:
    return [
        json.loads(line)["q"]
        for name in QUESTIONS
        for line in (ROOT / name).read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]


def extract(commit: str, into: Path) -> Path:
    """`bot/` and `knowledge/` of `commit`, unpacked under `into`."""
    archive = subprocess.run(
        ["git", "archive", commit, "bot", "knowledge"], cwd=ROOT, capture_output=True, check=True
    ).stdout
    target = into / commit
    target.mkdir()
    archive_path = into / f"{commit}.tar"
    archive_path.write_bytes(archive)
    with tarfile.open(archive_path) as tar:
        tar.extractall(target, filter="data")
    return target


def percentile(values: list[int], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def wall(tree: Path, questions: list[str]) -> str:
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, str(tree), "wall", json.dumps(questions)],
        capture_output=True,
        text=True,
        check=True,
    )
    times = json.loads(done.stdout)
    mean = sum(times) / len(times)
    return (
        f"p50 {percentile(times, 0.5) / 1e6:.3f}  p99 {percentile(times, 0.99) / 1e6:.3f}  "
        f"mean {mean / 1e6:.3f} ms"
    )


def instructions(tree: Path, questions: list[str], scratch: Path) -> list[int]:
    """Instructions of each warm `ask`, in question order."""
    out = scratch / f"callgrind-{tree.name}"
    out.mkdir()
    subprocess.run(
        [
            "valgrind",
            "--tool=callgrind",
            "--dump-before=getppid",
            f"--callgrind-out-file={out}/cg",
            sys.executable,
            "-c",
            _CHILD,
            str(tree),
            "instructions",
            json.dumps(questions),
        ],
        capture_output=True,
        check=True,
    )
    dumps = sorted(out.glob("cg.*"), key=lambda path: int(path.suffix[1:]))
    totals = []
    for dump in dumps:
        for line in dump.read_text().splitlines():
            if line.startswith(("summary:", "totals:")):
                totals.append(int(line.split()[1]))
                break
    # The first dump holds the start-up and warm-up, the last the interpreter's exit.
    return totals[1 : 1 + len(questions)]


def describe(counts: list[int]) -> str:
    mean = sum(counts) / len(counts)
    parts = [f"mean {mean / 1e3:.0f}K"] + [
        f"{name} {percentile(counts, share) / 1e3:.0f}K"
        for name, share in (("p50", 0.5), ("p90", 0.9), ("p99", 0.99))
    ]
    return "  ".join([*parts, f"max {max(counts) / 1e3:.0f}K"])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("commit", help="the earlier side, e.g. a commit on main")
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--instructions", action="store_true")
    args = parser.parse_args()
    questions = load_questions()
    with tempfile.TemporaryDirectory() as folder:
        scratch = Path(folder)
        sides = {args.commit: extract(args.commit, scratch), "working tree": ROOT}
        print(f"{len(questions)} questions (dev + extra), warm `Engine.ask`")
        for number in range(1, args.rounds + 1):
            for name, tree in sides.items():
                print(f"round {number}  {name:>12}: {wall(tree, questions)}")
        if args.instructions:
            counts = {name: instructions(tree, questions, scratch) for name, tree in sides.items()}
            for name, values in counts.items():
                print(f"instructions per ask  {name:>12}: {describe(values)}")
            before, after = counts.values()
            slowest = sorted(range(len(questions)), key=lambda i: -before[i])[:8]
            print("slowest questions before (instructions before -> after, words):")
            for i in slowest:
                change = f"{before[i] / 1e3:5.0f}K -> {after[i] / 1e3:5.0f}K"
                print(f"  {change}  {len(questions[i].split()):3d}  {questions[i][:60]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
