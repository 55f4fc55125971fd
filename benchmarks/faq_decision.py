"""Fit the FAQ's learned answer decision and measure it leave-one-server-out.

Usage: python benchmarks/faq_decision.py [--write] [--l2 L2]

Every labelled server FAQ in tests/data/ is loaded into a real engine; for each
member's question the engine's evidence about its best entry is one row,
labelled "right" when the question expects that very entry (table questions
and unanswerable ones are never right). Servers weigh the same in fitting,
whatever their number of questions.

Fitting has two steps: the logistic regression, then the lowest cut-off
(0.30, 0.35, ... 0.90) at which every fitting server still declines at least
DECLINED_FLOOR of its unanswerable questions and keeps TABLE_FLOOR of its
table questions; the cut-off is folded into the bias, so the engine's one 0.5
threshold applies. For each server, a model fitted that way on the *other*
servers decides, and its three rates are printed next to the
calibrated-threshold rule's: that is the figure for a new server.

--write fits on every server and stores the model in knowledge/faq/decision.json.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.faq_eval import GUILD, Item, Rates, load_faq, load_questions, rates  # noqa: E402
from bot.core.engine import Engine  # noqa: E402
from bot.core.faq_decision import (  # noqa: E402
    DECISION_FILE,
    DecisionInput,
    FaqDecision,
    faq_takes,
    fit_decision,
)
from bot.core.knowledge import load_knowledge_dir  # noqa: E402

DATA = ROOT / "tests" / "data"
THRESHOLD = 0.5
DECLINED_FLOOR = 0.9
DECLINED_GIVE = 0.025
TABLE_FLOOR = 0.95
CUT_OFFS = tuple(step / 20 for step in range(6, 19))
SERVERS: dict[str, tuple[str, tuple[str, ...]]] = {
    "A": ("faq_server.yaml", ("faq_questions.jsonl",)),
    "B": (
        "faq_server_b.yaml",
        tuple(f"faq_questions_b{n}.jsonl" for n in ("", "2", "3", "4", "5")),
    ),
    "C": ("faq_server_c.yaml", ("faq_questions_c.jsonl",)),
    "D": ("faq_server_d.yaml", ("faq_questions_d.jsonl",)),
}


@dataclass(frozen=True)
class Row:
    item: Item
    evidence: DecisionInput | None  # None: no entry shares a word with the question
    top: str | None
    rule_entry: str | None  # what the calibrated-threshold rule answers

    @property
    def right(self) -> bool:
        return self.item["expect"] == "faq" and self.top == self.item["entry"]


def collect(server: str) -> list[Row]:
    faq_file, question_files = SERVERS[server]
    engine = Engine(load_knowledge_dir(ROOT / "knowledge"))
    engine.faq_decision = None  # the rule's own answers, and raw evidence
    engine.set_faq(GUILD, load_faq(DATA / faq_file))
    rows = []
    for question_file in question_files:
        for item in load_questions(DATA / question_file):
            question = item["q"]
            intent = engine.matcher.match(question)
            hits = engine._faq_hits(question, GUILD)
            answer = engine.probe_faq(question, GUILD).answer
            rule = answer.faq.name if answer.kind == "faq" and answer.faq else None
            evidence = engine.decision_input(question, hits, intent) if hits else None
            top = hits[0].entry.name if hits else None
            rows.append(Row(item, evidence, top, rule))
    return rows


def fit_weights(rows_by_server: dict[str, list[Row]], l2: float) -> FaqDecision:
    inputs: list[DecisionInput] = []
    labels: list[bool] = []
    weights: list[float] = []
    for rows in rows_by_server.values():
        # The model is a second look at the questions the rule leaves silent.
        usable = [row for row in rows if row.evidence is not None and row.rule_entry is None]
        for row in usable:
            assert row.evidence is not None
            inputs.append(row.evidence)
            labels.append(row.right)
            weights.append(1000.0 / len(usable))
    return fit_decision(inputs, labels, weights, l2=l2)


def decide(model: FaqDecision, row: Row) -> str | None:
    """The entry the engine answers with under `model` (as `Engine._faq_wins`)."""
    if row.rule_entry is not None:
        return row.rule_entry
    if row.evidence is None:
        return None
    confidence = 1.0 if row.evidence.exact else model.probability(row.evidence)
    return row.top if faq_takes(confidence, row.evidence, THRESHOLD) else None


def rule_rates(rows: Sequence[Row]) -> Rates:
    by_id = {row.item["id"]: row for row in rows}
    return rates([row.item for row in rows], lambda i: by_id[i["id"]].rule_entry)


def top_rates(rows: Sequence[Row]) -> Rates:
    """The search's best entry, never abstaining."""
    by_id = {row.item["id"]: row for row in rows}
    return rates([row.item for row in rows], lambda i: by_id[i["id"]].top)


def server_rates(model: FaqDecision, rows: Sequence[Row]) -> Rates:
    by_id = {row.item["id"]: row for row in rows}
    return rates([row.item for row in rows], lambda i: decide(model, by_id[i["id"]]))


def fit(rows_by_server: dict[str, list[Row]], l2: float) -> tuple[FaqDecision, float]:
    """The model, its cut-off folded into the bias, and the cut-off."""
    model = fit_weights(rows_by_server, l2)
    floors = {}
    for server, rows in rows_by_server.items():
        floors[server] = min(DECLINED_FLOOR, rule_rates(rows).declined - DECLINED_GIVE)
    for cut_off in CUT_OFFS:
        shifted = model.shifted(cut_off)
        if all(
            (r := server_rates(shifted, rows)).declined >= floors[server]
            and r.table_kept >= TABLE_FLOOR
            for server, rows in rows_by_server.items()
        ):
            return shifted, cut_off
    return model.shifted(CUT_OFFS[-1]), CUT_OFFS[-1]


def line(name: str, count: int, before: Rates, after: Rates) -> str:
    return (
        f"| {name} | {count} | {before.right_entry:.3f} -> **{after.right_entry:.3f}** "
        f"| {before.table_kept:.3f} -> {after.table_kept:.3f} "
        f"| {before.declined:.3f} -> {after.declined:.3f} |"
    )


def leave_one_out(rows_by_server: dict[str, list[Row]], l2: float) -> None:
    print("Rule (calibrated threshold) -> learned decision fitted without the server")
    print()
    print("| held-out server | questions | right entry | table kept | declined | cut-off | top-1 |")
    print("| :--- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for server, rows in rows_by_server.items():
        others = {name: r for name, r in rows_by_server.items() if name != server}
        model, cut_off = fit(others, l2)
        before = rule_rates(rows)
        after = server_rates(model, rows)
        top1 = top_rates(rows).right_entry
        print(line(server, len(rows), before, after) + f" {cut_off:.2f} | {top1:.3f} |")


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--write", action="store_true")
    parser.add_argument("--l2", type=float, default=1.0)
    args = parser.parse_args(argv)
    rows_by_server = {server: collect(server) for server in SERVERS}
    leave_one_out(rows_by_server, args.l2)
    if args.write:
        model, cut_off = fit(rows_by_server, args.l2)
        print(f"\nfitted on every server, cut-off {cut_off:.2f}")
        path = ROOT / "knowledge" / DECISION_FILE
        path.write_text(json.dumps(model.to_json(), indent=1) + "\n", encoding="utf-8")
        print(f"\nwrote {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
