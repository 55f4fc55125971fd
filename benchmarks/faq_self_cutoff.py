"""A per-server FAQ cut-off from the server's own entries, measured leave-one-server-out.

Usage: python benchmarks/faq_self_cutoff.py [--limit N] [--curves FILE]

One cut-off for every server (`benchmarks/faq_decision.py`: the lowest at
which every fitting server declines 0.90 of its unanswerable questions) costs
the servers whose near topics look less answerable than the strictest
fitting server's. This measures whether a server can set its own from its
FAQ alone, with no labelled question:

* pseudo-unanswerable: each of an entry's own questions (its question and
  phrasings, or with --phrasings-only its phrasings alone when the FAQ has
  any; at most --limit of them, evenly spread) asked against the FAQ
  without that entry. The best remaining entry is a near topic, as for a
  real question the FAQ does not cover;
* pseudo-answerable: each phrasing asked against the FAQ with that phrasing
  taken out of its entry (reported, not used by the rules below).

For each held-out server, the models are fitted on the other nine
(`faq_decision.fit`), the held-out server's pseudo questions get their
decision probabilities, and its cut-off is the lowest that declines a share
q of its pseudo-unanswerable questions, optionally blended with the shared
cut-off. Its real labelled questions are then scored at that cut-off. The
curves (every rate at every cut-off, per server) can be written to a JSON
file to try other rules without fitting again.
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import sys
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.faq_decision import (  # noqa: E402
    DATA,
    SERVERS,
    Row,
    answers,
    choose,
    collect,
    fit,
    question_row,
    with_associations,
)
from benchmarks.faq_eval import GUILD, Item, load_faq, rates  # noqa: E402
from bot.core.engine import Engine  # noqa: E402
from bot.core.faq import FaqEntry  # noqa: E402
from bot.core.faq_decision import FaqModels, LinearModel  # noqa: E402
from bot.core.knowledge import load_knowledge_dir  # noqa: E402

GRID = tuple(step / 200 for step in range(50, 191))  # 0.250 ... 0.950
SHARES = (0.80, 0.85, 0.875, 0.90, 0.925, 0.95, 0.975)
BLENDS = (1.0, 0.5)  # weight of the server's own cut-off against the shared one
# A server's rates at each cut-off of GRID (a few one-value lists: the shared
# cut-off, the pseudo questions' counts).
Curve = dict[str, list[float]]


@dataclass(frozen=True)
class PseudoRows:
    answerable: list[Row]
    unanswerable: list[Row]


def spread(items: Sequence[tuple[FaqEntry, str]], limit: int) -> list[tuple[FaqEntry, str]]:
    """At most `limit` of `items`, evenly spaced, so every part of the FAQ is sampled."""
    if len(items) <= limit:
        return list(items)
    return [items[i * len(items) // limit] for i in range(limit)]


def collect_pseudo(server: str, limit: int, phrasings_only: bool) -> PseudoRows:
    faq_file, _ = SERVERS[server]
    engine = Engine(load_knowledge_dir(ROOT / "knowledge"), load_faq_models=False)
    entries = load_faq(DATA / faq_file)
    engine.set_faq(GUILD, entries)
    index = engine._faq[GUILD]

    def stems_now() -> dict[str, frozenset[str]]:
        return {
            entry.name: index.entry_stems(entry.name) for entry in entries if entry.name in index
        }

    heads = [
        (entry, head)
        for entry in entries
        for head in (
            entry.phrasings
            if phrasings_only and any(e.phrasings for e in entries)
            else (entry.question, *entry.phrasings)
        )
    ]
    answerable: list[Row] = []
    unanswerable: list[Row] = []
    for entry, head in spread(heads, limit):
        if head != entry.question:
            rest = tuple(p for p in entry.phrasings if p != head)
            engine.upsert_faq(GUILD, replace(entry, phrasings=rest))
            item: Item = {"q": head, "expect": "faq", "entry": entry.name}
            answerable.append(question_row(engine, item, stems_now()))
        engine.remove_faq(GUILD, entry.name)
        item = {"q": head, "expect": "none", "entry": None}
        unanswerable.append(question_row(engine, item, stems_now()))
        engine.upsert_faq(GUILD, entry)
    return PseudoRows(answerable, unanswerable)


def unshifted(decision: LinearModel, cut_off: float) -> LinearModel:
    """The decision before `fit` folded `cut_off` into its bias."""
    return replace(decision, bias=decision.bias + math.log(cut_off / (1.0 - cut_off)))


def curves(
    rows: list[Row], pseudo: PseudoRows, models_and_cut_off: tuple[FaqModels, float]
) -> Curve:
    """Every rate of the server at every cut-off of GRID."""
    models, shared = models_and_cut_off
    rows = with_associations(rows, models.associations)
    fake_a = with_associations(pseudo.answerable, models.associations)
    fake_u = with_associations(pseudo.unanswerable, models.associations)
    ranker = models.ranker
    raw = unshifted(models.decision, shared)
    chosen = {id(row.item): choose(row, ranker) for row in (*rows, *fake_a, *fake_u)}
    by_id = {id(row.item): row for row in rows}
    out: dict[str, list[float]] = {
        "right": [],
        "table": [],
        "declined": [],
        "pseudo_declined": [],
        "pseudo_right": [],
    }
    for cut_off in GRID:
        decision = raw.shifted(cut_off)

        def entry_of(item: Item, decision: LinearModel = decision) -> str | None:
            return answers(chosen[id(item)], by_id[id(item)], decision)

        real = rates([row.item for row in rows], entry_of)
        out["right"].append(real.right_entry)
        out["table"].append(real.table_kept)
        out["declined"].append(real.declined)
        out["pseudo_declined"].append(
            sum(answers(chosen[id(r.item)], r, decision) is None for r in fake_u)
            / max(1, len(fake_u))
        )
        out["pseudo_right"].append(
            sum(answers(chosen[id(r.item)], r, decision) == r.item["entry"] for r in fake_a)
            / max(1, len(fake_a))
        )
    return {
        "shared": [shared],
        "pseudo_answerable": [float(len(fake_a))],
        "pseudo_unanswerable": [float(len(fake_u))],
        **out,
    }


def at(curve: Curve, key: str, cut_off: float) -> float:
    values = curve[key]
    position = min(range(len(GRID)), key=lambda i: abs(GRID[i] - cut_off))
    return float(values[position])


def own_cut_off(curve: Curve, share: float) -> float:
    """The lowest cut-off that declines `share` of the server's pseudo-unanswerable questions."""
    declined = curve["pseudo_declined"]
    for cut_off, value in zip(GRID, declined, strict=True):
        if value >= share:
            return cut_off
    return GRID[-1]


def snap(cut_off: float) -> float:
    return min(GRID, key=lambda value: abs(value - cut_off))


def report(all_curves: dict[str, Curve]) -> None:
    print("Per held-out server: right entry / table kept / declined (cut-off)")
    print()
    rules: list[tuple[str, dict[str, float]]] = [
        ("shared (shipped rule)", {s: c["shared"][0] for s, c in all_curves.items()}),
    ]
    for blend in BLENDS:
        for share in SHARES:
            cut_offs = {
                server: snap(blend * own_cut_off(c, share) + (1 - blend) * c["shared"][0])
                for server, c in all_curves.items()
            }
            rules.append((f"own q={share:.3f} w={blend:.1f}", cut_offs))
    for share in SHARES:
        for name, pick in (("larger", max), ("smaller", min)):
            cut_offs = {
                server: pick(own_cut_off(c, share), c["shared"][0])
                for server, c in all_curves.items()
            }
            rules.append((f"{name} of own q={share:.3f} and shared", cut_offs))
    oracle = {}
    for server, c in all_curves.items():
        oracle[server] = next(
            (g for g, d in zip(GRID, c["declined"], strict=True) if d >= 0.9), GRID[-1]
        )
    rules.append(("oracle (own labels, declined >= 0.90)", oracle))
    servers = list(all_curves)
    print("| rule | " + " | ".join(servers) + " | mean right | min declined | servers < 0.90 |")
    print("| :--- | " + " | ".join("---:" for _ in servers) + " | ---: | ---: | ---: |")
    for name, cut_offs in rules:
        cells = []
        rights = []
        declines = []
        for server in servers:
            c = all_curves[server]
            right = at(c, "right", cut_offs[server])
            declined = at(c, "declined", cut_offs[server])
            table = at(c, "table", cut_offs[server])
            rights.append(right)
            declines.append(declined)
            cells.append(f"{right:.3f} / {table:.2f} / {declined:.3f} ({cut_offs[server]:.3f})")
        below = sum(d < 0.9 - 1e-9 for d in declines)
        print(
            f"| {name} | "
            + " | ".join(cells)
            + f" | **{sum(rights) / len(rights):.3f}** | {min(declines):.3f} | {below} |"
        )


def signal(all_curves: dict[str, Curve]) -> None:
    """Does the pseudo-unanswerable set rank the servers as their real questions do?"""
    print()
    print(
        "| server | pseudo answerable / unanswerable | shared cut-off | declined there: "
        "pseudo / real | oracle cut-off | pseudo declined at the oracle |"
    )
    print("| :--- | ---: | ---: | ---: | ---: | ---: |")
    pseudo, real = [], []
    for server, c in all_curves.items():
        shared = c["shared"][0]
        oracle = next((g for g, d in zip(GRID, c["declined"], strict=True) if d >= 0.9), GRID[-1])
        pseudo.append(at(c, "pseudo_declined", shared))
        real.append(at(c, "declined", shared))
        print(
            f"| {server} | {c['pseudo_answerable'][0]:.0f} / {c['pseudo_unanswerable'][0]:.0f} "
            f"| {shared:.3f} | {pseudo[-1]:.3f} / {real[-1]:.3f} | {oracle:.3f} "
            f"| {at(c, 'pseudo_declined', oracle):.3f} |"
        )
    print()
    print(
        f"rank correlation of declined at the shared cut-off, pseudo vs real: "
        f"{_rank_correlation(pseudo, real):.2f}"
    )


def _rank_correlation(first: Sequence[float], second: Sequence[float]) -> float:
    def ranks(values: Sequence[float]) -> list[float]:
        order = sorted(range(len(values)), key=lambda i: values[i])
        out = [0.0] * len(values)
        for rank, i in enumerate(order):
            out[i] = float(rank)
        return out

    return statistics.correlation(ranks(first), ranks(second))


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--limit", type=int, default=200)
    parser.add_argument("--l2", type=float, default=1.0)
    parser.add_argument(
        "--phrasings-only",
        action="store_true",
        help="probe with phrasings only (entries' questions on a FAQ without phrasings)",
    )
    parser.add_argument("--curves", type=Path, help="write the curves here (JSON)")
    parser.add_argument("--from-curves", type=Path, help="report curves written before")
    args = parser.parse_args(argv)
    if args.from_curves:
        saved = json.loads(args.from_curves.read_text(encoding="utf-8"))
        report(saved)
        signal(saved)
        return
    rows_by_server = {server: collect(server) for server in SERVERS}
    pseudo = {server: collect_pseudo(server, args.limit, args.phrasings_only) for server in SERVERS}
    all_curves: dict[str, Curve] = {}
    for server, rows in rows_by_server.items():
        others = {name: r for name, r in rows_by_server.items() if name != server}
        all_curves[server] = curves(rows, pseudo[server], fit(others, args.l2))
        print(f"{server}: fitted and scored", file=sys.stderr)
    if args.curves:
        args.curves.write_text(json.dumps(all_curves), encoding="utf-8")
    report(all_curves)
    signal(all_curves)


if __name__ == "__main__":
    main()
