"""Section 1: matcher speed on the shipped knowledge base, first sight and warm."""

from __future__ import annotations

import time

from benchmarks.common import Latency, fmt_ms, table, time_calls
from benchmarks.sections.report import LATENCY_HEADERS, Mode, Report, latency_row
from bot.core.engine import Engine
from bot.core.knowledge import KnowledgeBase
from bot.core.text import stem

TARGET_P99_SHIPPED_MS = 1.0


def section_speed(report: Report, kb: KnowledgeBase, questions: list[str], mode: Mode) -> Latency:
    start = time.perf_counter()
    engine = Engine(kb)
    build_ms = (time.perf_counter() - start) * 1e3
    fresh = [engine]

    def new_engine() -> None:
        stem.cache_clear()
        fresh[0] = Engine(kb)

    first_sight = time_calls(
        lambda question: fresh[0].ask(question),
        questions,
        mode.first_passes,
        warmup_passes=0,
        before_pass=new_engine,
    )
    match = time_calls(engine.matcher.match, questions, mode.passes)
    ask = time_calls(engine.ask, questions, mode.passes)
    rows = [
        latency_row("`Engine.ask`, first sight (fresh engine, stem cache cleared)", first_sight),
        latency_row("`Matcher.match`, warm", match),
        latency_row("`Engine.ask` (match + answer card), warm", ask),
    ]
    report.add(
        "## 1. Matcher speed, shipped knowledge base\n\n"
        f"{len(questions)} questions (dev + extra), each call timed alone with "
        f"`perf_counter_ns`. First sight: {mode.first_passes} passes, each on a new Engine "
        f"with the stem cache cleared; warm rows: 1 warm-up pass, then {mode.passes} passes, "
        f"each in a reshuffled order. Engine construction (KB already parsed): "
        f"{build_ms:.1f} ms.\n\n" + table(LATENCY_HEADERS, rows)
    )
    report.target(
        f"p99 < {TARGET_P99_SHIPPED_MS:g} ms, shipped base, warm `Engine.ask`",
        f"{fmt_ms(ask.p99_ms)} ms",
        ask.p99_ms < TARGET_P99_SHIPPED_MS,
    )
    report.target(
        f"p99 < {TARGET_P99_SHIPPED_MS:g} ms, shipped base, first sight",
        f"{fmt_ms(first_sight.p99_ms)} ms",
        first_sight.p99_ms < TARGET_P99_SHIPPED_MS,
    )
    return ask
