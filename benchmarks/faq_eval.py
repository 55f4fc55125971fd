"""Score FAQ answers on a server FAQ and members' questions, next to a TF-IDF baseline.

Usage: python benchmarks/faq_eval.py [--faq FILE.yaml] [--questions FILE.jsonl] [--errors]

The FAQ file is the YAML exchange format (`python -m bot faq import` reads it);
each question line is `{"id", "q", "expect": "faq"|"table"|"none", "entry"?, "feature"?}`.
The engine is the real one: the shipped table plus the FAQ loaded for a guild.

Three rates, for the engine and for the baseline:
* right entry: `faq` questions answered with the expected entry;
* table kept: `table` questions not answered from the FAQ (and, for the
  engine, also the right feature: "table right");
* declined: `none` questions given no FAQ answer (and, for the engine, no
  answer at all: "declined by the bot").

The baseline is the one in issue 12: scikit-learn's TfidfVectorizer over each
entry's question, phrasings and answer, cosine similarity, top-1. Its abstain
threshold is the one that maximizes the mean of the three rates on the set
being scored, so on a held-out set it is an optimistic baseline.
"""

from __future__ import annotations

import argparse
import json
import sys
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.core.engine import Engine  # noqa: E402
from bot.core.faq import FaqEntry  # noqa: E402
from bot.core.faq_yaml import load_entries  # noqa: E402
from bot.core.knowledge import load_knowledge_dir  # noqa: E402

GUILD = 1
DEFAULT_FAQ = ROOT / "tests" / "data" / "faq_server.yaml"
DEFAULT_QUESTIONS = ROOT / "tests" / "data" / "faq_questions.jsonl"

Item = dict[str, Any]


@dataclass(frozen=True)
class Rates:
    right_entry: float
    table_kept: float
    declined: float

    @property
    def mean(self) -> float:
        return (self.right_entry + self.table_kept + self.declined) / 3


def load_faq(path: Path) -> list[FaqEntry]:
    records = load_entries(path.read_text(encoding="utf-8"), max_entries=100_000)
    return [
        FaqEntry(GUILD, r["name"], r["question"], r["answer"], tuple(r["phrasings"]))
        for r in records
    ]


def load_questions(path: Path) -> list[Item]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def _rate(hits: int, total: int) -> float:
    return hits / total if total else float("nan")


def rates(items: Sequence[Item], entry_of: Callable[[Item], str | None]) -> Rates:
    """The three rates for a predictor giving each question's FAQ entry (or None)."""
    by_kind: dict[str, list[Item]] = {"faq": [], "table": [], "none": []}
    for item in items:
        by_kind[item["expect"]].append(item)
    return Rates(
        _rate(sum(entry_of(i) == i["entry"] for i in by_kind["faq"]), len(by_kind["faq"])),
        _rate(sum(entry_of(i) is None for i in by_kind["table"]), len(by_kind["table"])),
        _rate(sum(entry_of(i) is None for i in by_kind["none"]), len(by_kind["none"])),
    )


# --- the engine ----------------------------------------------------------------


@dataclass(frozen=True)
class EngineResult:
    kind: str
    feature: str | None
    entry: str | None
    confidence: float
    suggestions: tuple[str, ...]
    top: str | None  # the FAQ search's best entry, whatever its confidence


def run_engine(entries: Sequence[FaqEntry], items: Sequence[Item]) -> dict[str, EngineResult]:
    engine = Engine(load_knowledge_dir(ROOT / "knowledge"))
    engine.set_faq(GUILD, entries)
    results = {}
    for item in items:
        probe = engine.probe_faq(item["q"], GUILD)
        answer = probe.answer
        entry = answer.faq.name if answer.kind == "faq" and answer.faq is not None else None
        suggestions = answer.suggestions + tuple(view.name for view in answer.faq_suggestions)
        top = probe.best.entry.name if probe.best is not None else None
        results[item["id"]] = EngineResult(
            answer.kind, answer.feature, entry, answer.confidence, suggestions, top
        )
    return results


# --- the TF-IDF baseline -------------------------------------------------------


def _strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def tfidf_ranking(
    entries: Sequence[FaqEntry], items: Sequence[Item]
) -> dict[str, tuple[str, float]]:
    """Each question's top entry and its cosine similarity."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.metrics.pairwise import linear_kernel

    documents = [" ".join((e.question, *e.phrasings, e.answer)) for e in entries]
    vectorizer = TfidfVectorizer(preprocessor=_strip_accents)
    matrix = vectorizer.fit_transform(documents)
    similarities = linear_kernel(vectorizer.transform([i["q"] for i in items]), matrix)
    ranking = {}
    for item, row in zip(items, similarities, strict=True):
        best = int(row.argmax())
        ranking[item["id"]] = (entries[best].name, float(row[best]))
    return ranking


def tuned_threshold(items: Sequence[Item], ranking: dict[str, tuple[str, float]]) -> float:
    def at(threshold: float) -> Rates:
        return rates(items, lambda i: _above(ranking[i["id"]], threshold))

    candidates = [step / 100 for step in range(0, 101)]
    return max(candidates, key=lambda threshold: at(threshold).mean)


def _above(top: tuple[str, float], threshold: float) -> str | None:
    name, score = top
    return name if score >= threshold else None


# --- report --------------------------------------------------------------------


def report(faq_path: Path, questions_path: Path, show_errors: bool) -> Rates:
    entries = load_faq(faq_path)
    items = load_questions(questions_path)
    counts = {kind: sum(i["expect"] == kind for i in items) for kind in ("faq", "table", "none")}
    results = run_engine(entries, items)
    engine_rates = rates(items, lambda i: results[i["id"]].entry)
    table = [i for i in items if i["expect"] == "table"]
    table_right = _rate(
        sum(
            results[i["id"]].kind == "feature" and results[i["id"]].feature == i["feature"]
            for i in table
        ),
        len(table),
    )
    none = [i for i in items if i["expect"] == "none"]
    silent = _rate(sum(results[i["id"]].kind == "unknown" for i in none), len(none))
    offered = [
        i
        for i in items
        if i["expect"] == "faq"
        and results[i["id"]].entry != i["entry"]
        and i["entry"] in results[i["id"]].suggestions
    ]

    ranking = tfidf_ranking(entries, items)
    threshold = tuned_threshold(items, ranking)
    tfidf_rates = rates(items, lambda i: _above(ranking[i["id"]], threshold))
    tfidf_top1 = rates(items, lambda i: ranking[i["id"]][0]).right_entry

    print(f"FAQ: {faq_path.name}, {len(entries)} entries; questions: {questions_path.name}")
    print(f"  {counts['faq']} faq, {counts['table']} table, {counts['none']} none")
    print()
    print("| | engine | TF-IDF (q+phrasings+answer) |")
    print("|---|---|---|")
    print(f"| right entry | {engine_rates.right_entry:.3f} | {tfidf_rates.right_entry:.3f} |")
    print(f"| table kept | {engine_rates.table_kept:.3f} | {tfidf_rates.table_kept:.3f} |")
    print(f"| unanswerable declined | {engine_rates.declined:.3f} | {tfidf_rates.declined:.3f} |")
    print(f"| mean of the three | {engine_rates.mean:.3f} | {tfidf_rates.mean:.3f} |")
    engine_top1 = rates(items, lambda i: results[i["id"]].top).right_entry
    print(f"| right entry, top-1 with no abstention | {engine_top1:.3f} | {tfidf_top1:.3f} |")
    print(f"| table right feature | {table_right:.3f} | - |")
    print(f"| unanswerable: no answer at all | {silent:.3f} | - |")
    print(f"| wrong entry but right one in 'Forse cercavi' | {len(offered)} | - |")
    print(f"\nTF-IDF abstain threshold (tuned on this set): {threshold:.2f}")
    if show_errors:
        print("\nMisses:")
        for item in items:
            result = results[item["id"]]
            expected = item.get("entry") or item.get("feature") or "-"
            wrong = (
                (item["expect"] == "faq" and result.entry != item["entry"])
                or (item["expect"] == "table" and result.entry is not None)
                or (item["expect"] == "none" and result.entry is not None)
            )
            if wrong:
                got = result.entry or result.feature or result.kind
                print(
                    f"  {item['id']} [{item['expect']}] want {expected}, got {got} "
                    f"({result.confidence:.2f}) sugg={list(result.suggestions)}: "
                    f"{item['q'][:90]!r}"
                )
    return engine_rates


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--faq", type=Path, default=DEFAULT_FAQ)
    parser.add_argument("--questions", type=Path, default=DEFAULT_QUESTIONS)
    parser.add_argument("--errors", action="store_true", help="list every miss")
    args = parser.parse_args()
    report(args.faq, args.questions, args.errors)
