"""First-run scoring of fresh question batches: the engine beside a learned baseline.

Usage:
    python benchmarks/generalization.py BATCH.jsonl [...] [--root DIR] [--errors]

Each file is scored by its shape:
* table batches (shared eval format: ``q``, ``feature``, ``system``...): joint
  accuracy, in-scope and out-of-scope accuracy, for the engine and the baseline;
* conversations (``turns``): per-turn joint accuracy with context;
* chatter (``text``): how often the bot would answer unprompted (lower is better);
* direct-lead sets (``form``, ``direct``): how often the lead fits the question.

``--root`` scores the engine of another checkout (a worktree at an older commit),
so a batch can be scored on the commit it was written against.

The baseline is the one issue 8 describes: TF-IDF over character 2-5-grams and
word 1-2-grams, scikit-learn's LinearSVC, trained on dev + extra, with systems
found by a naive regex. It needs the ``bench`` extra (scikit-learn).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def _load_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


# --- the learned baseline ----------------------------------------------------

_KUBE = re.compile(r"kube|k8s|kubernet", re.IGNORECASE)
_COMPOSE = re.compile(r"compose", re.IGNORECASE)
_QUESTION_OPENERS = re.compile(
    r"^\s*(come|cosa|cos|che|quale|quali|quanto|quanti|quando|dove|perch)"
)


@dataclass(frozen=True)
class Guess:
    kind: str
    feature: str | None
    system: str | None


class LearnedBaseline:
    """Issue 8's baseline: TF-IDF (char 2-5 + word 1-2) + LinearSVC, regex systems."""

    def __init__(self, training: list[dict[str, Any]]) -> None:
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.pipeline import make_pipeline, make_union
        from sklearn.svm import LinearSVC

        texts = [item["q"] for item in training]
        labels = [item["feature"] or "none" for item in training]
        self.model = make_pipeline(
            make_union(
                TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True),
                TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True),
            ),
            LinearSVC(C=1.0),
        )
        self.model.fit(texts, labels)

    def guess(self, question: str) -> Guess:
        label = str(self.model.predict([question])[0])
        if label == "none":
            return Guess("unknown", None, None)
        if label == "overview":
            return Guess("overview", None, "both")
        kube, compose = bool(_KUBE.search(question)), bool(_COMPOSE.search(question))
        system = (
            "kubernetes" if kube and not compose else "compose" if compose and not kube else "both"
        )
        return Guess("feature", label, system)

    def would_auto_reply(self, text: str) -> bool:
        looks = "?" in text or bool(_QUESTION_OPENERS.match(text.lower()))
        return looks and self.guess(text).kind != "unknown"


# --- the engine ------------------------------------------------------------


class EngineUnderTest:
    """The engine of the checkout at `root`, with whatever API that commit has."""

    def __init__(self, root: Path) -> None:
        sys.path.insert(0, str(root))
        from bot.core import engine as engine_module
        from bot.core.knowledge import load_knowledge_dir

        self.engine_module = engine_module
        self.engine = engine_module.Engine(load_knowledge_dir(root / "knowledge"))
        try:
            from bot.core import auto_reply  # type: ignore[attr-defined]

            self.auto_reply: Any = auto_reply
        except ImportError:
            self.auto_reply = None

    def guess(self, question: str, context: Any = None) -> tuple[Guess, Any]:
        answer = self.engine.ask(question, context)
        return Guess(answer.kind, answer.feature, answer.system), answer

    def next_context(self, answer: Any, previous: Any) -> Any:
        return self.engine_module.next_context(answer, previous)

    def would_auto_reply(self, text: str) -> bool:
        answer = self.engine.ask(text)
        if self.auto_reply is not None:
            return bool(self.auto_reply.should_auto_reply(answer, text))
        # The rule of the Discord cog before the decision moved into the core
        # (a checkout from before bot.core.auto_reply still has this function).
        from bot.core.question_shape import looks_like_question

        return looks_like_question(text) and answer.kind != "unknown"

    def direct(self, question: str) -> str | None:
        answer = self.engine.ask(question)
        if hasattr(answer, "direct"):
            return answer.direct  # type: ignore[no-any-return]
        # Before the lead existed every feature answer opened with the cell's verdict.
        if answer.kind != "feature" or answer.system not in ("kubernetes", "compose"):
            return None
        feature = self.engine.kb.feature(answer.feature)
        return str(feature.cells[answer.system].verdict)


# --- scoring ------------------------------------------------------------------


def correct(item: dict[str, Any], guess: Guess) -> bool:
    expected = item["feature"]
    if expected is None:
        return guess.kind not in ("feature", "overview")
    if expected == "overview":
        return guess.kind == "overview"
    accepted = {expected, *item.get("accept", [])}
    return guess.kind == "feature" and guess.feature in accepted and guess.system == item["system"]


def _rate(flags: list[bool]) -> str:
    return f"{sum(flags) / len(flags):.3f} ({sum(flags)}/{len(flags)})" if flags else "-"


def score_table(
    items: list[dict[str, Any]], name: str, guess: Callable[[str], Guess], errors: bool
) -> str:
    flags = [correct(item, guess(item["q"])) for item in items]
    inside = [f for f, item in zip(flags, items, strict=True) if item["feature"] is not None]
    outside = [f for f, item in zip(flags, items, strict=True) if item["feature"] is None]
    if errors:
        for ok, item in zip(flags, items, strict=True):
            if not ok:
                g = guess(item["q"])
                print(
                    f"  MISS[{name}] {item['id']}: {item['q']!r}\n"
                    f"      expected {item['feature']}/{item['system']}"
                    f" got {g.kind}/{g.feature}/{g.system}"
                )
    return f"{name}: joint {_rate(flags)}, in-scope {_rate(inside)}, out-of-scope {_rate(outside)}"


def score_conversations(
    conversations: list[dict[str, Any]], engine: EngineUnderTest, errors: bool
) -> str:
    flags: list[bool] = []
    for conversation in conversations:
        context = None
        for turn in conversation["turns"]:
            guess, answer = engine.guess(turn["q"], context)
            ok = correct(turn, guess)
            flags.append(ok)
            if errors and not ok:
                print(
                    f"  MISS[conv] {conversation['id']}: {turn['q']!r} expected "
                    f"{turn['feature']}/{turn['system']}"
                    f" got {guess.kind}/{guess.feature}/{guess.system}"
                )
            context = engine.next_context(answer, context)
    return f"engine: turns {_rate(flags)}"


def score_chatter(
    items: list[dict[str, Any]], name: str, would: Callable[[str], bool], errors: bool
) -> str:
    replies = [would(item["text"]) for item in items]
    if errors:
        for replied, item in zip(replies, items, strict=True):
            if replied:
                print(f"  REPLY[{name}] {item['id']}: {item['text']!r}")
    return f"{name}: unprompted replies {_rate(replies)}"


def score_direct(items: list[dict[str, Any]], engine: EngineUnderTest, errors: bool) -> str:
    by_form: dict[str, list[bool]] = {}
    for item in items:
        got = engine.direct(item["q"])
        ok = got == item["direct"]
        by_form.setdefault(item["form"], []).append(ok)
        if errors and not ok:
            print(
                f"  MISS[direct] {item['id']} ({item['form']}): {item['q']!r}"
                f" expected {item['direct']} got {got}"
            )
    every = [flag for flags in by_form.values() for flag in flags]
    forms = ", ".join(f"{form} {_rate(flags)}" for form, flags in sorted(by_form.items()))
    return f"engine: direct {_rate(every)}; {forms}"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("files", nargs="+", type=Path)
    parser.add_argument("--root", type=Path, default=ROOT, help="checkout whose engine is scored")
    parser.add_argument("--errors", action="store_true", help="print every miss")
    parser.add_argument("--no-baseline", action="store_true")
    args = parser.parse_args()

    engine = EngineUnderTest(args.root.resolve())
    baseline = None
    if not args.no_baseline:
        training = _load_jsonl(ROOT / "tests/data/dev.jsonl") + _load_jsonl(
            ROOT / "knowledge/training/extra.jsonl"
        )
        baseline = LearnedBaseline(training)
    for path in args.files:
        items = _load_jsonl(path)
        print(f"== {path.name} ({len(items)})")
        first = items[0]
        if "turns" in first:
            print("  " + score_conversations(items, engine, args.errors))
        elif "text" in first or "feature" not in first:
            # Chatter: messages with no expected answer, as `text` or `q`.
            items = [{**item, "text": item.get("text", item.get("q", ""))} for item in items]
            print("  " + score_chatter(items, "engine", engine.would_auto_reply, args.errors))
            if baseline is not None:
                print("  " + score_chatter(items, "baseline", baseline.would_auto_reply, False))
        elif "form" in first:
            print("  " + score_direct(items, engine, args.errors))
        else:
            print("  " + score_table(items, "engine", lambda q: engine.guess(q)[0], args.errors))
            if baseline is not None:
                print("  " + score_table(items, "baseline", baseline.guess, False))


if __name__ == "__main__":
    main()
