"""Timoniere benchmarks: speed, scale, cold start, baselines and stemmers, in one run.

Usage: .venv/bin/python benchmarks/run.py [--quick] [--out benchmarks/results.md]

Every number in the report is measured by this run on this machine; the
baselines run on the same questions in the same process. The Markdown report
is printed and written to benchmarks/results.md. `--quick` (under 30 s) drops
the 100,000-entry scale point and the profile, and repeats less. Each section
lives in its own module under `benchmarks/sections/`.
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import sys
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.common import load_items, table  # noqa: E402
from benchmarks.sections.accuracy import section_baselines  # noqa: E402
from benchmarks.sections.cold_start import section_cold_start  # noqa: E402
from benchmarks.sections.profile import section_profile  # noqa: E402
from benchmarks.sections.report import FULL, QUICK, Report, environment  # noqa: E402
from benchmarks.sections.scale import section_scale  # noqa: E402
from benchmarks.sections.speed import section_speed  # noqa: E402
from benchmarks.sections.stemmers import section_stemmers  # noqa: E402
from bot.core.knowledge import load_knowledge_dir  # noqa: E402


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="under 30 s: fewer passes, no 100k")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results.md")
    args = parser.parse_args(argv)
    mode = QUICK if args.quick else FULL
    random.seed(0)
    started = time.perf_counter()

    report = Report()
    report.add(environment(mode))
    kb = load_knowledge_dir(ROOT / "knowledge")
    dev, extra = load_items("dev"), load_items("extra")
    questions = [str(item["q"]) for item in dev + extra]

    durations: list[tuple[str, float]] = []
    mark = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal mark
        now = time.perf_counter()
        durations.append((name, now - mark))
        mark = now

    shipped = section_speed(report, kb, questions, mode)
    lap("1. speed")
    engine, entries = section_scale(report, kb, questions, shipped, mode)
    lap("2. scale")
    if mode.profile:
        section_profile(report, engine, entries, questions)
        lap("profile")
    del engine, entries
    gc.collect()
    section_cold_start(report, mode)
    lap("3. cold start")
    section_baselines(report, kb, dev, extra, mode)
    lap("4. baselines")
    section_stemmers(report, mode)
    lap("5. stemmers")

    elapsed = time.perf_counter() - started
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    report.add(
        "## Targets\n\n"
        + table(["target", "measured", "met"], report.targets)
        + f"\n\nWhole run: {elapsed:.0f} s ("
        + ", ".join(f"{name} {seconds:.0f} s" for name, seconds in durations)
        + f"); load average at the end {load}. Other work on this machine during the run "
        "shows up as noise, mostly in p99 and max."
    )
    args.out.write_text("\n\n".join(report.sections) + "\n", encoding="utf-8")
    print(f"written to {os.path.relpath(args.out, Path.cwd())}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
