"""A/B: the FAQ index of an earlier commit against the working tree's, same machine, same run.

Usage: .venv/bin/python benchmarks/compare_index.py BASE [--sizes 10000,100000]

Numbers from two separate `run.py` reports differ by whatever else the machine
was doing at the time. This script extracts `bot/` at BASE (`git archive`) and
runs the same measurements on both versions back to back, each in its own
interpreter (so each imports its own `bot` package): index build, the first
search after it, the index's memory (RSS growth over the build, entries
generated beforehand), warm `FaqIndex.search` latency over dev+extra plus one
FAQ probe per question, and what the answers are. Each side runs with its own
random string-hash seed, so ties between near-duplicate entries can break
differently: comparing a commit with itself gives the noise floor of the
answer columns. Only `FaqIndex(entries)` and
`index.search(question)` are used, so any version with those works; a version
with FAQ word groups (`bot/core/faq_terms.py`) gets the shipped ones.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
THRESHOLD = 0.5  # bot.core.engine.DEFAULT_THRESHOLD


def word_groups(tree: str) -> dict[str, dict[str, str]]:
    """The FAQ word groups as the bot uses them, for a version that has them."""
    try:
        from bot.core.faq_terms import load_faq_terms
    except ImportError:
        return {}
    return {"terms": load_faq_terms(ROOT / "knowledge")}


def worker(tree: str, size: int, passes: int) -> None:
    """Runs in a child interpreter whose `bot` package comes from `tree`."""
    sys.path.insert(0, tree)
    sys.path.insert(1, str(ROOT))  # for `benchmarks.synthetic` (stdlib only)
    import bot

    if not Path(bot.__file__).resolve().is_relative_to(Path(tree).resolve()):
        raise SystemExit(f"imported bot from {bot.__file__}, not from {tree}")
    from benchmarks.synthetic import generate, probe_questions
    from bot.core.faq_index import FaqIndex

    questions = []
    for path in (ROOT / "tests/data/dev.jsonl", ROOT / "knowledge/training/extra.jsonl"):
        questions += [json.loads(line)["q"] for line in path.read_text().splitlines() if line]
    entries = generate(size)
    probes = probe_questions(list(entries), len(questions), seed=size)
    texts = questions + [text for text, _ in probes]

    gc.collect()
    rss_before = rss_bytes()
    start = time.perf_counter()
    index = FaqIndex(entries, **word_groups(tree))
    build_s = time.perf_counter() - start
    gc.collect()
    memory_mb = (rss_bytes() - rss_before) / 1e6
    start = time.perf_counter()
    index.search(questions[0])
    first_ms = (time.perf_counter() - start) * 1e3
    for text in texts:  # warm-up pass
        index.search(text)
    samples, answers = [], {}
    clock = time.perf_counter_ns
    for _ in range(passes):
        for text in texts:
            before = clock()
            hit = index.search(text)
            samples.append(clock() - before)
            answers[text] = hit.entry.name if hit and hit.confidence >= THRESHOLD else None
    json.dump(
        {
            "build_s": build_s,
            "memory_mb": memory_mb,
            "first_ms": first_ms,
            "samples_ns": samples,
            "answers": answers,
            "questions": questions,
            "probes": probes,
        },
        sys.stdout,
    )


def rss_bytes() -> int:
    """Current resident set size of this process (Linux /proc)."""
    with open("/proc/self/statm", encoding="ascii") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(fraction * len(ordered) + 0.5) - 1))]


def measure(tree: Path, size: int, passes: int) -> dict[str, object]:
    argv = [sys.executable, __file__, "--worker", str(tree), str(size), str(passes)]
    done = subprocess.run(argv, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"worker failed for {tree}:\n{done.stderr[-2000:]}")
    result: dict[str, object] = json.loads(done.stdout)
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base", help="commit (or any git revision) to compare against")
    parser.add_argument("--sizes", default="10000,100000")
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    head = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    print(
        "| entries | `bot/` | build s | memory MB | 1st search ms | warm mean ms | warm p50 ms "
        "| warm p99 ms | probes → own entry | dev+extra FAQ hits | same answer |\n"
        "| ---: | :--- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
    )
    with tempfile.TemporaryDirectory() as scratch:
        archive = subprocess.run(
            ["git", "archive", "--format=tar", args.base, "bot"],
            cwd=ROOT,
            capture_output=True,
            check=True,
        ).stdout
        tar_path = Path(scratch) / "bot.tar"
        tar_path.write_bytes(archive)
        with tarfile.open(tar_path) as tar:
            tar.extractall(scratch, filter="data")
        for size in sizes:
            passes = 3 if size <= 10_000 else 1
            sides = [
                (f"`{args.base}`", measure(Path(scratch), size, passes)),
                (f"working tree (`{head}`)", measure(ROOT, size, passes)),
            ]
            reference = sides[0][1]["answers"]
            for label, result in sides:
                answers: dict[str, str | None] = result["answers"]  # type: ignore[assignment]
                ms = [value / 1e6 for value in result["samples_ns"]]  # type: ignore[attr-defined]
                probes = result["probes"]
                questions = result["questions"]
                own = sum(answers[text] == name for text, name in probes) / len(probes)  # type: ignore[attr-defined]
                hits = sum(answers[q] is not None for q in questions) / len(questions)  # type: ignore[attr-defined]
                same = sum(answers[t] == reference[t] for t in answers) / len(answers)  # type: ignore[index]
                print(
                    f"| {size:,} | {label} | {result['build_s']:.2f} | {result['memory_mb']:.0f} "
                    f"| {result['first_ms']:.1f} "
                    f"| {sum(ms) / len(ms):.3f} | {percentile(ms, 0.5):.3f} "
                    f"| {percentile(ms, 0.99):.3f} | {100 * own:.1f} % | {100 * hits:.1f} % "
                    f"| {100 * same:.1f} % |",
                    flush=True,
                )
    return 0


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "--worker":
        worker(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
    else:
        raise SystemExit(main())
