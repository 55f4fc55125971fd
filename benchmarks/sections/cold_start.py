"""Section 3: cold start of `python -m bot ask`, timed and sized in a child process."""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass

from benchmarks.common import table
from benchmarks.sections.report import ROOT, Mode, Report

COLD_QUESTION = "Compose fa auto-scaling?"
TARGET_COLD_S = 0.6


@dataclass(frozen=True)
class Run:
    seconds: float
    max_rss_mb: float
    returncode: int
    stdout: str
    stderr: str


# A child's ru_maxrss starts at the RSS of the process it was forked from (the
# forked copy counts until exec), so a child of this big benchmark process would
# report this process's size. A minimal launcher (`python -I -S`, a few MB) forks
# the command instead, times it from fork to exit and reports wait4's ru_maxrss.
_LAUNCHER = """
import os, sys, time
out, argv = sys.argv[1], sys.argv[2:]
start = time.perf_counter()
pid = os.fork()
if pid == 0:
    try:
        os.execv(argv[0], argv)
    finally:
        os._exit(127)
_, status, usage = os.wait4(pid, 0)
seconds = time.perf_counter() - start
with open(out, "w") as f:
    f.write(f"{seconds} {usage.ru_maxrss} {os.waitstatus_to_exitcode(status)}")
"""


def run_child(argv: Sequence[str]) -> Run:
    """Run a command through the launcher; wall time (fork to exit) and its own peak RSS."""
    with tempfile.NamedTemporaryFile("r", suffix=".txt") as result:
        launcher = [sys.executable, "-I", "-S", "-c", _LAUNCHER, result.name]
        done = subprocess.run([*launcher, *argv], cwd=ROOT, capture_output=True, text=True)
        fields = result.read().split()
    if len(fields) != 3:
        return Run(float("nan"), float("nan"), done.returncode or 1, done.stdout, done.stderr)
    seconds, max_rss_kb, returncode = float(fields[0]), int(fields[1]), int(fields[2])
    return Run(seconds, max_rss_kb / 1024, returncode, done.stdout, done.stderr)


def section_cold_start(report: Report, mode: Mode) -> None:
    title = "## 3. Cold start: `python -m bot ask`\n\n"
    if not (ROOT / "bot" / "cli" / "main.py").exists():
        report.add(
            title + "Skipped: `bot/cli/main.py` does not exist yet, so `python -m bot ask` "
            "cannot run. Re-run this script once the console CLI has landed."
        )
        report.target(f"cold `ask` < {TARGET_COLD_S:g} s", "not measured (no CLI yet)", None)
        return
    commands = [
        ("interpreter only: `python -c pass`", [sys.executable, "-c", "pass"]),
        (
            "imports only: `python -c 'import bot.cli.main'`",
            [sys.executable, "-c", "import bot.cli.main"],
        ),
        (
            f'`python -m bot ask "{COLD_QUESTION}"`',
            [sys.executable, "-m", "bot", "ask", COLD_QUESTION],
        ),
        (
            "same `ask`, PyStemmer hidden (pure-Python snowballstemmer fallback)",
            [
                sys.executable,
                "-c",
                "import runpy, sys; sys.modules['Stemmer'] = None; "
                f"sys.argv = ['bot', 'ask', {COLD_QUESTION!r}]; "
                "runpy.run_module('bot', run_name='__main__', alter_sys=True)",
            ],
        ),
    ]
    rows = []
    ask_medians: list[float] = []
    for label, argv in commands:
        warmup = run_child(argv)  # fills the page cache; not counted
        if warmup.returncode != 0:
            tail = (warmup.stderr or warmup.stdout).strip().splitlines()[-3:]
            rows.append(
                [label, "failed", f"exit {warmup.returncode}: {' / '.join(tail)}", "", "", ""]
            )
            continue
        runs = [run_child(argv) for _ in range(mode.cold_runs)]
        seconds = sorted(run.seconds for run in runs)
        median = statistics.median(seconds)
        rows.append(
            [
                label,
                str(len(runs)),
                f"{median:.3f}",
                f"{seconds[0]:.3f}",
                f"{seconds[-1]:.3f}",
                f"{statistics.median(run.max_rss_mb for run in runs):.1f}",
            ]
        )
        if COLD_QUESTION in " ".join(argv):
            ask_medians.append(median)
            if not any(run.stdout.strip() for run in runs):
                rows[-1][0] += " (no output!)"
    report.add(
        title + "Wall time of the whole child process (fork to exit, `sys.executable -m bot`), "
        f"one unmeasured warm-up run each, then the median of {mode.cold_runs} runs. Peak RSS "
        "is the child's own `ru_maxrss` from `os.wait4`, taken by a minimal launcher "
        "(`python -I -S`) that forks the command: forked from this benchmark process, the "
        "child would inherit its size in `ru_maxrss`. PyStemmer is a runtime dependency, "
        "and snowballstemmer hands out its C stemmer whenever it can be imported; the last "
        "row hides it to show what an install without it (no wheel for the platform, say) "
        "would pay with snowballstemmer's pure-Python code.\n\n"
        + table(["command", "runs", "median s", "min s", "max s", "peak RSS MB"], rows)
    )
    worst = max(ask_medians, default=float("nan"))
    report.target(
        f"cold `ask` < {TARGET_COLD_S:g} s (median, slower of the two `ask` rows)",
        f"{worst:.3f} s" if ask_medians else "failed",
        bool(ask_medians) and worst < TARGET_COLD_S,
    )
