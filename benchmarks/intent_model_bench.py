"""The learned intent model (bot/core/intent_model.py): accuracy, calibration, speed, size.

Usage:
    python benchmarks/intent_model_bench.py [--folds 5] [--skip-cv]

Accuracy is the *feature label only* (one of the six features, overview or
none; the system is not the model's job), so it is not the joint accuracy of
the engine.

* Cross-validation: k folds over the training data (knowledge/training/*.jsonl
  plus the YAML's examples and synonyms), seeded; our model and the issue-8
  baseline (TF-IDF char 2-5 + word 1-2, LinearSVC) on the same folds.
* Dev: `tests/data/dev.jsonl` is never trained on. Both are trained on the same
  training data and scored on dev. (The issue's baseline proper trains on
  dev + extra, which would score dev in-sample.)
* Calibration: expected calibration error of the top probability over the CV
  predictions, in 10 bins.
* Speed: load time of the shipped file (median of 7 loads), `predict` per
  question warm (p50/p99 over dev + training questions, every call timed alone),
  and `Engine.ask` on the same questions in the same run as the baseline
  for the budget. Training time of one full `kb train` run.

Needs the `bench` extra (scikit-learn).
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.common import fmt_ms, table, time_calls  # noqa: E402
from bot.core.engine import Engine  # noqa: E402
from bot.core.intent_model import NONE, IntentModel, model_path  # noqa: E402
from bot.core.intent_training import (  # noqa: E402
    Labelled,
    classes_for,
    serialize,
    train,
    training_examples,
)
from bot.core.knowledge import load_knowledge_dir  # noqa: E402

KNOWLEDGE = ROOT / "knowledge"
Predictor = Callable[[Sequence[str]], list[tuple[str, float]]]


def sklearn_baseline(examples: Sequence[Labelled]) -> Predictor:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import make_pipeline, make_union
    from sklearn.svm import LinearSVC

    pipeline = make_pipeline(
        make_union(
            TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True),
            TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True),
        ),
        LinearSVC(C=1.0),
    )
    pipeline.fit([e.text for e in examples], [e.label for e in examples])
    return lambda texts: [(str(label), 1.0) for label in pipeline.predict(list(texts))]


def ours(examples: Sequence[Labelled], classes: Sequence[str]) -> Predictor:
    model = train(examples, classes, "bench")
    return lambda texts: [model.best(text) for text in texts]


def cross_validate(
    examples: Sequence[Labelled], build: Callable[[Sequence[Labelled]], Predictor], folds: int
) -> list[tuple[str, float]]:
    """Out-of-fold (label, probability) for every example; seeded folds."""
    order = list(range(len(examples)))
    random.Random(0).shuffle(order)
    predictions: list[tuple[str, float]] = [("", 0.0)] * len(examples)
    for fold in range(folds):
        held = order[fold::folds]
        held_set = set(held)
        predict = build([e for i, e in enumerate(examples) if i not in held_set])
        for i, guess in zip(held, predict([examples[i].text for i in held]), strict=True):
            predictions[i] = guess
    return predictions


def accuracy(guesses: Sequence[tuple[str, float]], gold: Sequence[set[str]]) -> float:
    return sum(g[0] in ok for g, ok in zip(guesses, gold, strict=True)) / len(gold)


def calibration_error(guesses: Sequence[tuple[str, float]], gold: Sequence[set[str]]) -> float:
    bins: list[list[tuple[float, bool]]] = [[] for _ in range(10)]
    for (label, probability), ok in zip(guesses, gold, strict=True):
        bins[min(9, int(probability * 10))].append((probability, label in ok))
    total = len(gold)
    return sum(
        len(b) / total * abs(statistics.fmean(p for p, _ in b) - statistics.fmean(c for _, c in b))
        for b in bins
        if b
    )


def dev_gold() -> tuple[list[str], list[set[str]]]:
    items = [
        json.loads(line)
        for line in (ROOT / "tests/data/dev.jsonl").read_text("utf-8").splitlines()
        if line
    ]
    return [i["q"] for i in items], [{i["feature"] or NONE, *i.get("accept", [])} for i in items]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--skip-cv", action="store_true")
    args = parser.parse_args()

    kb = load_knowledge_dir(KNOWLEDGE)
    classes = classes_for(kb)
    examples = training_examples(kb, KNOWLEDGE)
    path = model_path(KNOWLEDGE, kb.id)
    shipped = path.read_bytes()

    start = time.perf_counter()
    fresh = serialize(train(examples, classes, kb.id))
    train_s = time.perf_counter() - start
    reproduces = fresh.encode("utf-8") == shipped

    loads = []
    for _ in range(7):
        start = time.perf_counter()
        model = IntentModel.load(path)
        loads.append(time.perf_counter() - start)

    dev_texts, dev_ok = dev_gold()
    model_dev = [model.best(text) for text in dev_texts]
    baseline_dev = sklearn_baseline(examples)(dev_texts)
    cv_rows: list[list[object]] = []
    if not args.skip_cv:
        train_ok = [{e.label} for e in examples]
        cv_ours = cross_validate(examples, lambda ex: ours(ex, classes), args.folds)
        cv_base = cross_validate(examples, sklearn_baseline, args.folds)
        cv_rows = [
            [f"{args.folds}-fold CV, training data ({len(examples)})",
             f"{accuracy(cv_ours, train_ok):.3f}", f"{accuracy(cv_base, train_ok):.3f}"],
            ["CV calibration error (ECE, 10 bins)",
             f"{calibration_error(cv_ours, train_ok):.3f}", "n/a (no probabilities)"],
        ]  # fmt: skip
    rows = [
        *cv_rows,
        [f"dev ({len(dev_texts)}), never trained on",
         f"{accuracy(model_dev, dev_ok):.3f}", f"{accuracy(baseline_dev, dev_ok):.3f}"],
        ["dev calibration error (ECE, 10 bins)",
         f"{calibration_error(model_dev, dev_ok):.3f}", "n/a"],
    ]  # fmt: skip
    print(f"## Accuracy (feature label only), {len(examples)} training questions\n")
    print(table(["measure", "intent model", "TF-IDF + LinearSVC (same data)"], rows))

    engine = Engine(kb)
    questions = list(dict.fromkeys([*dev_texts, *(e.text for e in examples)]))
    predict = time_calls(model.predict, questions, passes=5)
    ask = time_calls(engine.ask, questions, passes=5)
    print(f"\n## Speed and size ({len(questions)} questions, 5 warm passes)\n")
    print(
        table(
            ["measure", "value"],
            [
                ["model file", f"{len(shipped) / 1e6:.2f} MB, {model.size:,} weights"],
                ["load (median of 7)", f"{1000 * statistics.median(loads):.1f} ms"],
                ["`predict` p50 / p99", f"{fmt_ms(predict.p50_ms)} / {fmt_ms(predict.p99_ms)} ms"],
                [
                    "`Engine.ask` p50 / p99 (baseline)",
                    f"{fmt_ms(ask.p50_ms)} / {fmt_ms(ask.p99_ms)} ms",
                ],
                ["training (one `kb train`)", f"{train_s:.1f} s"],
                ["retraining reproduces the shipped file", "yes" if reproduces else "NO"],
            ],
        )
    )


if __name__ == "__main__":
    main()
