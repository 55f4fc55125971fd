"""Fit the FAQ's ranker and answer decision, and measure them leave-one-server-out.

Usage: python benchmarks/faq_decision.py [--write] [--l2 L2]

Every labelled server FAQ in tests/data/ is loaded into a real engine; for
each member's question the engine's candidate entries and their evidence are
collected once (`Engine.faq_candidates`). Servers weigh the same in fitting,
whatever their number of questions.

Fitting has four steps:
0. the word associations (`bot/core/faq_associations.py`), from the fitting
   servers' (question, right entry) pairs; each server's own rows get the
   evidence of a table learnt without that server, as a new server's will;
1. the ranker, a conditional logit over each question's candidates and their
   evidence: which of them is the expected entry (questions whose entry is
   not among the candidates teach it nothing);
2. the decision, a logistic regression over the ranker's best candidate,
   labelled "right" when the question expects that very entry (table and
   unanswerable questions are never right);
3. the cut-off (0.300, 0.325, ... 0.900) that answers the most FAQ questions
   rightly while every fitting server still declines DECLINED_FLOOR of its
   unanswerable questions and the table keeps TABLE_FLOOR of their table
   questions on average; it is folded into the bias, so the engine's one 0.5
   threshold applies.

For each server, models fitted that way on the *other* servers decide, and
its three rates are printed next to the search's top-1 (never abstaining):
that is the figure for a new server. --write fits on every server and stores
the models and the associations in knowledge/faq/decision.json.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.faq_eval import GUILD, Item, Rates, load_faq, load_questions, rates  # noqa: E402
from bot.core.auto_reply import asks_for_experience  # noqa: E402
from bot.core.engine import Engine  # noqa: E402
from bot.core.faq_associations import Associations, bridged, learn_associations  # noqa: E402
from bot.core.faq_decision import (  # noqa: E402
    CANDIDATE_FEATURES,
    DECISION_FEATURES,
    DECISION_FILE,
    Candidates,
    FaqModels,
    LinearModel,
    TableView,
    decision_features,
    faq_answers,
    fit_choice,
    fit_linear,
)
from bot.core.faq_index import FaqHit  # noqa: E402
from bot.core.knowledge import load_knowledge_dir  # noqa: E402
from bot.core.text import tokenize  # noqa: E402

DATA = ROOT / "tests" / "data"
CHARS = CANDIDATE_FEATURES.index("chars")
THRESHOLD = 0.5
DECLINED_FLOOR = 0.9
TABLE_FLOOR = 0.97
CUT_OFFS = tuple(step / 40 for step in range(12, 37))
SERVERS: dict[str, tuple[str, tuple[str, ...]]] = {
    "A": ("faq_server.yaml", ("faq_questions.jsonl",)),
    "B": (
        "faq_server_b.yaml",
        tuple(f"faq_questions_b{n}.jsonl" for n in ("", "2", "3", "4", "5")),
    ),
    "C": ("faq_server_c.yaml", ("faq_questions_c.jsonl",)),
    "D": ("faq_server_d.yaml", ("faq_questions_d.jsonl",)),
    "E": ("faq_server_e.yaml", ("faq_questions_e.jsonl",)),
    "G": ("faq_server_g.yaml", ("faq_questions_g.jsonl",)),
    "H": ("faq_server_h.yaml", ("faq_questions_h.jsonl",)),
    "J": ("faq_server_j.yaml", ("faq_questions_j.jsonl",)),
    "K": ("faq_server_k.yaml", ("faq_questions_k.jsonl",)),
    "L": ("faq_server_l.yaml", ("faq_questions_l.jsonl",)),
    "N": ("faq_server_n.yaml", ("faq_questions_n.jsonl",)),
    "O": ("faq_server_o.yaml", ("faq_questions_o.jsonl",)),
    "P": ("faq_server_p.yaml", ("faq_questions_p.jsonl",)),
    "Q": ("faq_server_q.yaml", ("faq_questions_q.jsonl",)),
    "R": ("faq_server_r.yaml", ("faq_questions_r.jsonl",)),
    "S": ("faq_server_s.yaml", ("faq_questions_s.jsonl",)),
    "T": ("faq_server_t.yaml", ("faq_questions_t.jsonl",)),
    "U": ("faq_server_u.yaml", ("faq_questions_u.jsonl",)),
    "V": ("faq_server_v.yaml", ("faq_questions_v.jsonl",)),
    "W": ("faq_server_w.yaml", ("faq_questions_w.jsonl",)),
}


@dataclass(frozen=True)
class Row:
    item: Item
    candidates: Candidates
    table: TableView
    faq_only: dict[str, bool]  # per candidate entry: shares a word the table never uses
    words: int
    chars: tuple[float, ...]  # per candidate: letter-sequence cosine
    weights: dict[str, float]  # the question's stems and their IDF
    entry_stems: dict[str, frozenset[str]]  # every entry of the server: its stems
    poll: bool  # the question polls the people (auto_reply.asks_for_experience)


def with_associations(rows: Sequence[Row], associations: Associations) -> list[Row]:
    """The rows with their candidates' evidence of what `associations` bridge."""
    bridged_rows = []
    for row in rows:
        hits = [
            replace(
                hit,
                evidence=replace(
                    hit.evidence,
                    bridged=bridged(associations, row.weights, row.entry_stems[hit.entry.name]),
                ),
            )
            if hit.evidence is not None
            else hit
            for hit in row.candidates.hits
        ]
        bridged_rows.append(replace(row, candidates=Candidates.of(hits, row.chars)))
    return bridged_rows


def associations_of(rows_by_server: dict[str, list[Row]]) -> dict[str, dict[str, float]]:
    return learn_associations(
        (server, frozenset(row.weights), row.entry_stems[row.item["entry"]])
        for server, rows in rows_by_server.items()
        for row in rows
        if row.item["expect"] == "faq" and row.item["entry"] in row.entry_stems
    )


def collect(server: str) -> list[Row]:
    faq_file, question_files = SERVERS[server]
    engine = Engine(load_knowledge_dir(ROOT / "knowledge"), load_faq_models=False)
    entries = load_faq(DATA / faq_file)
    engine.set_faq(GUILD, entries)
    index = engine._faq[GUILD]
    entry_stems = {entry.name: index.entry_stems(entry.name) for entry in entries}
    return [
        question_row(engine, item, entry_stems)
        for question_file in question_files
        for item in load_questions(DATA / question_file)
    ]


def question_row(engine: Engine, item: Item, entry_stems: dict[str, frozenset[str]]) -> Row:
    """The engine's candidates for `item`'s question against the guild's FAQ as it is now."""
    question = item["q"]
    candidates = engine.faq_candidates(question, GUILD)
    assert candidates is not None
    intent = engine.matcher.match(question)
    faq_only = {
        hit.entry.name: engine._faq_only_evidence(question, hit.entry) for hit in candidates.hits
    }
    chars = tuple(candidates.vectors[i][CHARS] for i in range(len(candidates.hits)))
    return Row(
        item,
        candidates,
        engine.table_view(intent),
        faq_only,
        len(tokenize(question)),
        chars,
        engine._faq[GUILD].question_weights(question),
        entry_stems,
        asks_for_experience(question),
    )


def _server_weight(count: int) -> float:
    """Each of a server's `count` fitting rows weighs this: every server weighs the same."""
    return 1000.0 / max(1, count)


def fit_ranker(rows_by_server: dict[str, list[Row]], l2: float) -> LinearModel:
    groups: list[tuple[tuple[tuple[float, ...], ...], int]] = []
    servers: list[str] = []
    for server, rows in rows_by_server.items():
        for row in rows:
            names = [hit.entry.name for hit in row.candidates.hits]
            # A lone candidate, or none of them right, says nothing about which is.
            if row.item["expect"] != "faq" or row.item["entry"] not in names or len(names) < 2:
                continue
            groups.append((row.candidates.vectors, names.index(row.item["entry"])))
            servers.append(server)
    weight = {server: _server_weight(servers.count(server)) for server in rows_by_server}
    return fit_choice(CANDIDATE_FEATURES, groups, [weight[s] for s in servers], l2=l2)


@dataclass(frozen=True)
class Choice:
    hit: FaqHit  # the ranker's best candidate
    features: tuple[float, ...]  # the decision's evidence about it


def choose(row: Row, ranker: LinearModel) -> Choice | None:
    """The ranker's best candidate and the decision's evidence about it, as the engine builds it."""
    if not row.candidates.hits:
        return None
    best = row.candidates.ranked(ranker)[0]
    name = best.hit.entry.name
    features = decision_features(
        best.vector, best.score, best.runner_up, row.table, row.faq_only[name], row.words, row.poll
    )
    return Choice(best.hit, features)


def answers(choice: Choice | None, row: Row, decision: LinearModel) -> str | None:
    """The entry the engine answers with (`faq_answers`, as `Engine._faq_confidence`)."""
    if choice is None:
        return None
    hit = replace(choice.hit, confidence=decision.probability(choice.features))
    return hit.entry.name if faq_answers(hit, row.table, THRESHOLD) else None


def server_rates(
    rows: Sequence[Row], choices: dict[int, Choice | None], model: LinearModel
) -> Rates:
    by_id = {id(row.item): row for row in rows}
    return rates(
        [row.item for row in rows],
        lambda item: answers(choices[id(item)], by_id[id(item)], model),
    )


def fit(raw_rows_by_server: dict[str, list[Row]], l2: float) -> tuple[FaqModels, float]:
    """The models, the decision's cut-off folded into its bias, and the cut-off."""
    rows_by_server = {
        server: with_associations(
            rows,
            associations_of({k: r for k, r in raw_rows_by_server.items() if k != server}),
        )
        for server, rows in raw_rows_by_server.items()
    }
    ranker = fit_ranker(rows_by_server, l2)
    choices = {
        id(row.item): choose(row, ranker) for rows in rows_by_server.values() for row in rows
    }
    vectors: list[tuple[float, ...]] = []
    labels: list[bool] = []
    weights: list[float] = []
    for rows in rows_by_server.values():
        usable = [
            row
            for row in rows
            if (choice := choices[id(row.item)]) is not None and choice.hit.score < 1.0
        ]
        for row in usable:
            choice = choices[id(row.item)]
            assert choice is not None
            vectors.append(choice.features)
            labels.append(
                row.item["expect"] == "faq" and choice.hit.entry.name == row.item["entry"]
            )
            weights.append(_server_weight(len(usable)))
    decision = fit_linear(DECISION_FEATURES, vectors, labels, weights, l2=l2)
    best: tuple[float, float] | None = None
    for cut_off in CUT_OFFS:
        shifted = decision.shifted(cut_off)
        per_server = [server_rates(rows, choices, shifted) for rows in rows_by_server.values()]
        count = len(per_server)
        declined = min(r.declined for r in per_server)
        table = sum(r.table_kept for r in per_server) / count
        right = sum(r.right_entry for r in per_server) / count
        if (
            declined >= DECLINED_FLOOR
            and table >= TABLE_FLOOR
            and (best is None or right > best[1])
        ):
            best = (cut_off, right)
    cut_off = best[0] if best is not None else CUT_OFFS[-1]
    associations = associations_of(raw_rows_by_server)
    return FaqModels(ranker, decision.shifted(cut_off), associations), cut_off


def top_rates(rows: Sequence[Row], ranker: LinearModel | None) -> Rates:
    """The best entry, never abstaining: the index's own order, or the ranker's."""

    def top(row: Row) -> str | None:
        if not row.candidates.hits:
            return None
        if ranker is None:
            return row.candidates.hits[0].entry.name
        return row.candidates.ranked(ranker)[0].hit.entry.name

    by_id = {id(row.item): row for row in rows}
    return rates([row.item for row in rows], lambda item: top(by_id[id(item)]))


def leave_one_out(rows_by_server: dict[str, list[Row]], l2: float) -> None:
    print("Models fitted without the server, then scored on it")
    print()
    print(
        "| held-out server | questions | right entry | table kept | declined | cut-off "
        "| top-1: index -> ranker |"
    )
    print("| :--- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for server, raw_rows in rows_by_server.items():
        others = {name: r for name, r in rows_by_server.items() if name != server}
        models, cut_off = fit(others, l2)
        rows = with_associations(raw_rows, models.associations)
        choices = {id(row.item): choose(row, models.ranker) for row in rows}
        after = server_rates(rows, choices, models.decision)
        before_top = top_rates(rows, None).right_entry
        after_top = top_rates(rows, models.ranker).right_entry
        print(
            f"| {server} | {len(rows)} | **{after.right_entry:.3f}** | {after.table_kept:.3f} "
            f"| {after.declined:.3f} | {cut_off:.3f} | {before_top:.3f} -> {after_top:.3f} |"
        )


def models_json(models: FaqModels) -> str:
    """The models indented, and the associations one question word a line (a few thousand)."""
    data = models.to_json()
    associations = data.pop("associations")
    assert isinstance(associations, dict)
    lines = ",\n".join(
        f"  {json.dumps(value)}: {json.dumps(pointed, ensure_ascii=False)}"
        for value, pointed in associations.items()
    )
    head = json.dumps(data, indent=1)[: -len("\n}")]
    return f'{head},\n "associations": {{\n{lines}\n }}\n}}\n'


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--write", action="store_true")
    parser.add_argument("--l2", type=float, default=1.0)
    args = parser.parse_args(argv)
    rows_by_server = {server: collect(server) for server in SERVERS}
    leave_one_out(rows_by_server, args.l2)
    if args.write:
        models, cut_off = fit(rows_by_server, args.l2)
        print(f"\nfitted on every server, cut-off {cut_off:.3f}")
        path = ROOT / "knowledge" / DECISION_FILE
        path.write_text(models_json(models), encoding="utf-8")
        print(f"\nwrote {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
