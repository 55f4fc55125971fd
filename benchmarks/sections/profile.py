"""The FAQ index under cProfile and tracemalloc (full runs only, after section 2)."""

from __future__ import annotations

import cProfile
import gc
import io
import linecache
import os
import pstats
import tracemalloc
from collections.abc import Sequence
from pathlib import Path

from benchmarks.common import table
from benchmarks.sections.report import ROOT, Report
from benchmarks.synthetic import SyntheticFaq
from bot.core.engine import Engine
from bot.core.faq_index import FaqIndex


def section_profile(
    report: Report, engine: Engine, entries: Sequence[SyntheticFaq], questions: list[str]
) -> None:
    """cProfile of the FAQ index: a build, and one warm pass of questions at the largest size."""
    build_size = 10_000
    profiler = cProfile.Profile()
    profiler.enable()
    FaqIndex(entries[:build_size])
    profiler.disable()
    build_table = _profile_table(profiler, 8)

    guild = len(entries)
    profiler = cProfile.Profile()
    profiler.enable()
    for question in questions:
        engine.ask(question, guild_id=guild)
    profiler.disable()
    search_table = _profile_table(profiler, 8)

    memory = _memory_breakdown(entries[:build_size])

    index = engine._faq[guild]
    common = sorted(((len(names), value) for value, names in index._postings.items()), reverse=True)
    heads = ", ".join(f"`{value}` {count / len(index):.0%}" for count, value in common[:10])
    report.add(
        "## Profile of the FAQ index (cProfile)\n\n"
        f"**Build of {build_size:,} entries** (sorted by own time):\n\n{build_table}\n\n"
        f"**One warm pass of dev+extra questions at {len(entries):,} entries:**\n\n"
        f"{search_table}\n\n"
        "cProfile adds its overhead to every Python-level call, so it overstates "
        "`heapq.nlargest` (one key call per voted entry); section 2's work table times "
        "the vote and top-40 steps without the profiler.\n\n"
        f"Share of entries containing the commonest stems at {len(entries):,}: {heads}.\n\n"
        f"{memory}\n\n"
        "See `benchmarks/README.md` for what this means and what to change."
    )


def _memory_breakdown(entries: Sequence[SyntheticFaq]) -> str:
    """Where a built index's memory goes: tracemalloc, by the source line that allocated it."""
    gc.collect()
    tracemalloc.start()
    index = FaqIndex(entries)
    gc.collect()
    total = tracemalloc.get_traced_memory()[0]
    snapshot = tracemalloc.take_snapshot()
    tracemalloc.stop()
    lines = snapshot.filter_traces([tracemalloc.Filter(True, str(ROOT / "bot") + "/*")])
    top = []
    for stat in lines.statistics("lineno")[:5]:
        frame = stat.traceback[0]
        source = linecache.getline(frame.filename, frame.lineno).strip()
        where = f"{os.path.relpath(frame.filename, ROOT)}:{frame.lineno}"
        share = f"{stat.size / len(entries):,.0f} B ({stat.size / total:.0%})"
        top.append(f"`{where}` `{source}` {share}")
    del index
    return (
        f"**Memory** (tracemalloc, index of {len(entries):,} entries, entry objects not "
        f"counted): {total / len(entries):,.0f} B/entry. Per entry, by the line that "
        f"allocated it: {'; '.join(top)}."
    )


def _profile_table(profiler: cProfile.Profile, limit: int) -> str:
    stream = io.StringIO()
    stats = pstats.Stats(profiler, stream=stream)
    total = stats.total_tt  # type: ignore[attr-defined]
    rows = []
    entries = stats.stats  # type: ignore[attr-defined]
    ranked = sorted(entries.items(), key=lambda item: -item[1][2])[:limit]
    for (filename, line, name), (_, calls, tottime, cumtime, _) in ranked:
        where = filename
        if str(ROOT) in filename:
            where = os.path.relpath(filename, ROOT)
        elif filename == "~":
            where = "(builtin)"
        else:
            where = Path(filename).name
        label = f"`{where}:{line} {name}`" if line else f"`{name}`"
        rows.append(
            [
                label,
                f"{calls:,}",
                f"{tottime:.3f}",
                f"{cumtime:.3f}",
                f"{tottime / total:.0%}" if total else "",
            ]
        )
    return table(["function", "calls", "own s", "cumulative s", "own share"], rows)
