"""Shared helpers for the benchmark scripts: data, timing, statistics, Markdown."""

from __future__ import annotations

import gc
import json
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
# Our own labelled set is also the intent model's training data, so it lives in knowledge/.
EVAL_FILES = {"dev": DATA / "dev.jsonl", "extra": ROOT / "knowledge" / "training" / "extra.jsonl"}

Item = dict[str, Any]


def _scorer() -> tuple[Callable[[Item, str, str | None, str | None], bool], str]:
    """`is_correct` from benchmarks/evaluate.py, or from the module it now delegates to.

    The scoring rules are moving from benchmarks/evaluate.py to bot/core/evaluation.py,
    whose `is_correct` takes a parsed `EvalItem`; both take (item, kind, feature, system).
    """
    try:
        from benchmarks.evaluate import is_correct as legacy  # type: ignore[attr-defined]
    except ImportError:
        legacy = None
    if legacy is not None:
        return legacy, "`is_correct` from `benchmarks/evaluate.py`"
    from bot.core.evaluation import is_correct as shared
    from bot.core.evaluation import parse_item

    parsed: dict[str, Any] = {}

    def score(item: Item, kind: str, feature: str | None, system: str | None) -> bool:
        key = item["id"]
        if key not in parsed:
            parsed[key] = parse_item(json.dumps(item), key)
        return bool(shared(parsed[key], kind, feature, system))

    return score, "`is_correct` from `bot/core/evaluation.py` (used by `benchmarks/evaluate.py`)"


is_correct, SCORER = _scorer()


def load_items(name: str) -> list[Item]:
    """The items of one eval file in the shared format (`dev` or `extra`)."""
    path = EVAL_FILES.get(name, DATA / f"{name}.jsonl")
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def percentile(sorted_values: Sequence[float], fraction: float) -> float:
    """Nearest-rank percentile of an already sorted sequence."""
    if not sorted_values:
        return float("nan")
    rank = max(0, min(len(sorted_values) - 1, round(fraction * len(sorted_values) + 0.5) - 1))
    return sorted_values[rank]


@dataclass(frozen=True)
class Latency:
    """Per-call latencies of one measured loop."""

    calls: int
    wall_s: float
    p50_ms: float
    p90_ms: float
    p99_ms: float
    max_ms: float
    mean_ms: float

    @property
    def per_second(self) -> float:
        return self.calls / self.wall_s if self.wall_s else float("inf")

    @classmethod
    def from_ns(cls, samples: Sequence[int], wall_s: float) -> Latency:
        ordered = sorted(samples)
        ms = [value / 1e6 for value in ordered]
        return cls(
            calls=len(ms),
            wall_s=wall_s,
            p50_ms=percentile(ms, 0.50),
            p90_ms=percentile(ms, 0.90),
            p99_ms=percentile(ms, 0.99),
            max_ms=ms[-1] if ms else float("nan"),
            mean_ms=sum(ms) / len(ms) if ms else float("nan"),
        )


def time_calls(
    call: Callable[[str], object],
    questions: Sequence[str],
    passes: int,
    warmup_passes: int = 1,
    seed: int = 0,
    before_pass: Callable[[], object] | None = None,
    results: dict[str, object] | None = None,
) -> Latency:
    """Time `call(question)` once per question per pass, after warm-up passes.

    Every call is timed on its own with perf_counter_ns. The question order is
    reshuffled (seeded) each pass so no call always follows the same neighbour.
    `before_pass` runs untimed before each measured pass (to reset caches for
    first-sight measurements); `results`, if given, receives each question's
    return value, so a timed pass can also be scored. The garbage collector stays
    on: a bot answering chat does not switch it off.
    """
    for _ in range(warmup_passes):
        for question in questions:
            call(question)
    rng = random.Random(seed)
    order = list(questions)
    samples: list[int] = []
    clock = time.perf_counter_ns
    wall_ns = 0
    for _ in range(passes):
        if before_pass is not None:
            before_pass()
        gc.collect()
        rng.shuffle(order)
        start = clock()
        for question in order:
            before = clock()
            result = call(question)
            samples.append(clock() - before)
            if results is not None:
                results[question] = result
        wall_ns += clock() - start
    return Latency.from_ns(samples, wall_ns / 1e9)


def time_once(call: Callable[[str], object], questions: Sequence[str]) -> Latency:
    """One pass, no warm-up: what the first sight of each question costs."""
    return time_calls(call, questions, passes=1, warmup_passes=0)


def fmt_ms(value: float) -> str:
    if value != value:  # NaN
        return "n/a"
    if value < 1:
        return f"{value:.3f}"
    if value < 100:
        return f"{value:.2f}"
    return f"{value:.0f}"


def fmt_rate(value: float) -> str:
    return f"{value:,.0f}"


def fmt_pct(value: float) -> str:
    return f"{100 * value:.1f} %"


def table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A GitHub-flavoured Markdown table; numeric-looking columns are right-aligned."""

    def numeric(text: str) -> bool:
        stripped = text.replace(",", "").replace("%", "").replace("x", "").strip()
        try:
            float(stripped.split()[0] if stripped else "x")
        except ValueError:
            return False
        return True

    cells = [[str(cell) for cell in row] for row in rows]
    align = []
    for column in range(len(headers)):
        values = [row[column] for row in cells if row[column] not in ("", "n/a", "—")]
        align.append("---:" if values and all(numeric(v) for v in values) else ":---")
    lines = ["| " + " | ".join(headers) + " |", "| " + " | ".join(align) + " |"]
    lines += ["| " + " | ".join(row) + " |" for row in cells]
    return "\n".join(lines)
