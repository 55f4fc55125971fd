"""Scoring of intent matching on an eval set in the shared JSON Lines format.

Each line is ``{"id", "q", "feature", "accept", "system", "tags"}`` (see
tests/data/dev.jsonl). The rules follow the shared eval README:

* a feature item is right when the bot answers from the table with the
  expected feature (or one listed in ``accept``) and exactly the expected
  system;
* an ``overview`` item is right when the bot gives the whole comparison;
* an out-of-scope item (``feature: null``) is right only when the bot does
  not answer from the table at all.

Conversations (``{"id", "turns": [{"q", "feature", "system"}, ...]}``) are
scored turn by turn with the same rules, each turn asked with the context the
previous answers left.

Used by the tests (tests/core/test_dev_set.py) and by benchmarks/evaluate.py.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

OVERVIEW: Final = "overview"
_TABLE_KINDS: Final = frozenset({"feature", "overview"})


class EvalFormatError(ValueError):
    """An eval file line does not follow the shared format."""


@dataclass(frozen=True)
class EvalItem:
    id: str
    q: str
    feature: str | None
    accept: tuple[str, ...]
    system: str | None
    tags: tuple[str, ...]


@dataclass(frozen=True)
class Prediction:
    kind: str
    feature: str | None
    system: str | None
    confidence: float = 0.0


@dataclass(frozen=True)
class Miss:
    item: EvalItem
    prediction: Prediction


@dataclass
class Report:
    correct: int = 0
    total: int = 0
    # tag -> [correct, total]; items without tags count under "(none)".
    per_tag: dict[str, list[int]] = field(default_factory=dict)
    misses: list[Miss] = field(default_factory=list)

    @property
    def accuracy(self) -> float:
        return self.correct / self.total if self.total else 0.0

    def tag_accuracy(self, tag: str) -> float:
        good, total = self.per_tag[tag]
        return good / total

    def lines(self, show_errors: bool = False) -> list[str]:
        """A printable summary: overall, then per tag, then (optionally) each miss."""
        out = [f"joint accuracy: {self.accuracy:.3f} ({self.correct}/{self.total})"]
        for tag in sorted(self.per_tag):
            good, total = self.per_tag[tag]
            out.append(f"  {tag:<20} {good / total:6.3f}  ({good}/{total})")
        if show_errors:
            for miss in self.misses:
                item, got = miss.item, miss.prediction
                out.append(
                    f"MISS {item.id}: {item.q!r}\n"
                    f"   expected {item.feature}/{item.system} accept={list(item.accept)}"
                    f" got {got.kind}/{got.feature}/{got.system} conf={got.confidence}"
                )
        return out


def _optional_text(value: object, name: str, where: str) -> str | None:
    if value is None or isinstance(value, str):
        return value
    raise EvalFormatError(f"{where}: '{name}' must be a string or null")


def _text_list(value: object, name: str, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise EvalFormatError(f"{where}: '{name}' must be a list of strings")
    return tuple(value)


def parse_item(line: str, where: str = "<item>") -> EvalItem:
    try:
        raw = json.loads(line)
    except json.JSONDecodeError as exc:
        raise EvalFormatError(f"{where}: invalid JSON: {exc.msg}") from None
    if not isinstance(raw, dict):
        raise EvalFormatError(f"{where}: each line must be a JSON object")
    missing = {"id", "q", "feature", "system"} - raw.keys()
    if missing:
        raise EvalFormatError(f"{where}: missing {', '.join(sorted(missing))}")
    item_id, question = raw["id"], raw["q"]
    if not isinstance(item_id, str) or not isinstance(question, str):
        raise EvalFormatError(f"{where}: 'id' and 'q' must be strings")
    feature = _optional_text(raw["feature"], "feature", where)
    system = _optional_text(raw["system"], "system", where)
    if (feature is None) != (system is None):
        raise EvalFormatError(f"{where}: 'system' must be null exactly when 'feature' is null")
    return EvalItem(
        id=item_id,
        q=question,
        feature=feature,
        accept=_text_list(raw.get("accept", []), "accept", where),
        system=system,
        tags=_text_list(raw.get("tags", []), "tags", where),
    )


def load_items(path: str | Path) -> list[EvalItem]:
    """Read an eval set; blank lines are skipped, bad lines raise EvalFormatError."""
    path = Path(path)
    items: list[EvalItem] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.strip():
            items.append(parse_item(line, f"{path}:{number}"))
    return items


def is_correct(item: EvalItem, kind: str, feature: str | None, system: str | None) -> bool:
    if item.feature is None:
        return kind not in _TABLE_KINDS
    if item.feature == OVERVIEW:
        return kind == OVERVIEW
    accepted = {item.feature, *item.accept}
    return kind == "feature" and feature in accepted and system == item.system


def evaluate(items: Iterable[EvalItem], predict: Callable[[str], Prediction]) -> Report:
    """Run every question through `predict` and score the answers."""
    report = Report()
    for item in items:
        prediction = predict(item.q)
        ok = is_correct(item, prediction.kind, prediction.feature, prediction.system)
        report.total += 1
        report.correct += ok
        for tag in item.tags or ("(none)",):
            counts = report.per_tag.setdefault(tag, [0, 0])
            counts[0] += ok
            counts[1] += 1
        if not ok:
            report.misses.append(Miss(item, prediction))
    return report


@dataclass(frozen=True)
class Conversation:
    id: str
    turns: tuple[EvalItem, ...]


def parse_conversation(line: str, where: str = "<conversation>") -> Conversation:
    try:
        raw = json.loads(line)
    except json.JSONDecodeError as exc:
        raise EvalFormatError(f"{where}: invalid JSON: {exc.msg}") from None
    if not isinstance(raw, dict) or not isinstance(raw.get("id"), str):
        raise EvalFormatError(f"{where}: each line must be an object with a string 'id'")
    turns = raw.get("turns")
    if not isinstance(turns, list) or not turns:
        raise EvalFormatError(f"{where}: 'turns' must be a non-empty list")
    items = []
    for number, turn in enumerate(turns, start=1):
        if not isinstance(turn, dict):
            raise EvalFormatError(f"{where}: turn {number} must be an object")
        turn_line = json.dumps({"id": f"{raw['id']}.{number}", **turn})
        items.append(parse_item(turn_line, f"{where} turn {number}"))
    return Conversation(raw["id"], tuple(items))


def load_conversations(path: str | Path) -> list[Conversation]:
    path = Path(path)
    return [
        parse_conversation(line, f"{path}:{number}")
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if line.strip()
    ]


def evaluate_conversations(
    conversations: Iterable[Conversation],
    start: Callable[[], Callable[[str], Prediction]],
) -> Report:
    """Score every turn; `start()` gives a fresh predictor (with empty context) per conversation."""
    report = Report()
    for conversation in conversations:
        predict = start()
        for item in conversation.turns:
            prediction = predict(item.q)
            ok = is_correct(item, prediction.kind, prediction.feature, prediction.system)
            report.total += 1
            report.correct += ok
            tag = f"turn {item.id.rsplit('.', 1)[-1]}"
            counts = report.per_tag.setdefault(tag, [0, 0])
            counts[0] += ok
            counts[1] += 1
            if not ok:
                report.misses.append(Miss(item, prediction))
    return report
