"""Fitting the arbiter (`bot.core.arbiter`): who answers where rules and model disagree.

The rows come from the training files named `fresh-*.jsonl`: questions written
by authors who never saw the engine, so the rules were not tuned on them and
their mistakes there are the mistakes new members' questions will meet. Each
question is read by the rules and by a model trained without it (5 folds), so
the model's view is the one an unseen question gets. Every disagreement where
exactly one side was right becomes a row.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Final

from bot.core.arbiter import Arbiter, features, fit
from bot.core.evaluation import EvalItem, is_correct, load_items
from bot.core.intent_model import IntentModel
from bot.core.knowledge import KnowledgeBase

# A model trained on every example but the given questions.
TrainWithout = Callable[[set[str]], IntentModel]

FRESH_PATTERN: Final = "fresh-*.jsonl"
FOLDS: Final = 5


def fresh_items(knowledge_dir: Path) -> list[EvalItem]:
    return [
        item
        for path in sorted((knowledge_dir / "training").glob(FRESH_PATTERN))
        for item in load_items(path)
    ]


def disagreement_rows(
    kb: KnowledgeBase, model: IntentModel, items: Sequence[EvalItem]
) -> list[tuple[list[float], bool]]:
    """One row per question where exactly one of rules and `model` is right."""
    # Imported here: the matcher is the rules' code, and this module is only
    # for `kb train`.
    from bot.core.matcher import Matcher

    matcher = Matcher(kb)
    matcher.use_model(model)
    rows = []
    for item in items:
        intent, reading, layout, probabilities = matcher.rules_view(item.q)
        if not matcher.may_overrule(intent, reading):
            continue
        alternative, views = matcher.model_view(intent, reading, layout, probabilities, model)
        if alternative is None:
            continue
        rules_right = is_correct(item, intent.kind, intent.feature, intent.system)
        model_right = is_correct(item, alternative.kind, alternative.feature, alternative.system)
        if rules_right != model_right:
            rows.append((features(views), model_right))
    return rows


def fit_arbiter(
    kb: KnowledgeBase,
    items: Sequence[EvalItem],
    train_without: TrainWithout,
) -> Arbiter | None:
    """The arbiter over `items` by FOLDS-fold cross-fitting; None without rows."""
    rows: list[tuple[list[float], bool]] = []
    for fold in range(FOLDS):
        held = [item for number, item in enumerate(items) if number % FOLDS == fold]
        if held:
            rows += disagreement_rows(kb, train_without({item.q for item in held}), held)
    return fit(rows) if rows else None
