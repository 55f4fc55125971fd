"""What every section shares: the run mode, the report being built and the table helpers."""

from __future__ import annotations

import os
import platform
import subprocess
import sys
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from benchmarks.common import Latency, fmt_ms, fmt_rate

ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Mode:
    quick: bool
    passes: int  # warm passes over the questions, shipped base and baselines
    first_passes: int  # first-sight passes (caches reset before each), shipped base
    scale_sizes: tuple[int, ...]
    cold_runs: int
    profile: bool
    edits: int  # timed FAQ edits per scale point

    def scale_passes(self, size: int) -> int:
        """Warm passes at one scale point."""
        if self.quick:
            return 3 if size <= 1_000 else 1
        return {1_000: 20, 10_000: 6}.get(size, 2)

    def scale_first_passes(self, size: int) -> int:
        """First-sight passes (spell-checker cache reset before each) at one scale point."""
        if self.quick:
            return 1
        return 3 if size <= 10_000 else 1


FULL = Mode(False, 40, 5, (1_000, 10_000, 100_000), 10, True, 10)
QUICK = Mode(True, 8, 2, (1_000, 10_000), 3, False, 3)


@dataclass
class Report:
    sections: list[str] = field(default_factory=list)
    targets: list[tuple[str, str, str]] = field(default_factory=list)

    def add(self, text: str) -> None:
        print(text, flush=True)
        print(flush=True)
        self.sections.append(text)

    def target(self, what: str, measured: str, met: bool | None) -> None:
        verdict = "n/a" if met is None else ("yes" if met else "**no**")
        self.targets.append((what, measured, verdict))


def rss_bytes() -> int:
    """Current resident set size of this process (Linux /proc)."""
    with open("/proc/self/statm", encoding="ascii") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def latency_row(label: str, latency: Latency) -> list[str]:
    return [
        label,
        f"{latency.calls:,}",
        fmt_rate(latency.per_second),
        fmt_ms(latency.mean_ms),
        fmt_ms(latency.p50_ms),
        fmt_ms(latency.p90_ms),
        fmt_ms(latency.p99_ms),
        fmt_ms(latency.max_ms),
    ]


LATENCY_HEADERS = ["path", "calls", "q/s", "mean ms", "p50 ms", "p90 ms", "p99 ms", "max ms"]


def environment(mode: Mode) -> str:
    cpu = platform.processor() or "unknown CPU"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            for line in info:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--", "bot", "knowledge"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        ).stdout.splitlines()
    except OSError:
        commit, dirty = "?", []
    if dirty:
        paths = ", ".join(f"`{line[3:]}`" for line in dirty[:5])
        more = f" and {len(dirty) - 5} more" if len(dirty) > 5 else ""
        commit += f" + uncommitted changes in {paths}{more}"
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    from importlib.metadata import version

    libraries = ", ".join(
        f"{name} {version(name)}"
        for name in ("rapidfuzz", "snowballstemmer", "PyStemmer", "PyYAML")
    )
    return (
        f"# Timoniere benchmarks\n\n"
        f"- date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, commit `{commit}`, "
        f"mode: {'--quick' if mode.quick else 'full'}\n"
        f"- machine: {cpu}, {os.cpu_count()} logical CPUs, {platform.system()} "
        f"{platform.release()}, load average at start {load}\n"
        f"- Python {platform.python_version()} ({sys.executable}); {libraries}\n"
        f"- command: `.venv/bin/python benchmarks/run.py{' --quick' if mode.quick else ''}`"
    )
