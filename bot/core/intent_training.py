"""Training the intent model from the repository's own labelled questions, and checking it.

Inputs, all in the knowledge directory beside the table's YAML:
* the YAML features' `examples` (and `synonyms`, as short phrases);
* every `training/*.jsonl` file, in the shared eval format
  (`{"id", "q", "feature", "accept", "system", "tags"}`; `feature` null = none).

The trainer is multinomial logistic regression with L2, fitted by plain SGD
with Bottou's weight-scale trick (the L2 shrink is one multiplication per
step, not one per weight), a seeded shuffle and a fixed number of epochs. It
is pure Python and deterministic: the same inputs give the same file, byte for
byte, which is what lets `kb check` tell a stale model by a hash of its inputs.
"""

from __future__ import annotations

import hashlib
import json
import math
import random
from array import array
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from itertools import repeat
from operator import add, mul
from pathlib import Path
from typing import Final

from bot import messages
from bot.core.arbiter_training import fit_arbiter, fresh_items
from bot.core.evaluation import EvalFormatError, parse_item
from bot.core.intent_model import (
    FORMAT,
    NONE,
    OFFSET,
    OVERVIEW,
    FeatureGroups,
    IntentModel,
    IntentModelError,
    extract,
    idf_value,
    model_path,
    quantize,
    softmax,
)
from bot.core.knowledge import KnowledgeBase, KnowledgeError

TRAINING_DIR: Final = "training"


@dataclass(frozen=True)
class TrainingConfig:
    epochs: int = 15
    l2: float = 2e-5
    learning_rate: float = 2.0
    seed: int = 8
    # Weights (times idf) below this are dropped: they barely move a score and
    # would make the file several times larger.
    prune_below: float = 0.1
    # Weights and idf are stored as integers, in units of 1/scale.
    scale: int = 1000
    # Out-of-fold probabilities of the plain softmax were too low in every bin
    # (right 0.88 of the time at 0.75); dividing the scores by 0.7 gave the
    # lowest log loss and calibration error of 0.45-2.0 in 5-fold CV.
    temperature: float = 0.7


@dataclass(frozen=True)
class Labelled:
    text: str
    label: str


def classes_for(kb: KnowledgeBase) -> tuple[str, ...]:
    return (*(feature.id for feature in kb.features), OVERVIEW, NONE)


def training_files(knowledge_dir: Path) -> list[Path]:
    return sorted((knowledge_dir / TRAINING_DIR).glob("*.jsonl"))


def _from_table(kb: KnowledgeBase) -> list[Labelled]:
    examples = []
    for feature in kb.features:
        for text in (*feature.examples, *feature.synonyms):
            examples.append(Labelled(text.lstrip("="), feature.id))
    return examples


def _from_file(path: Path, known: tuple[str, ...]) -> list[Labelled]:
    examples = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            item = parse_item(line, where)
        except EvalFormatError as exc:
            raise KnowledgeError(str(exc)) from None
        label = item.feature or NONE
        if label not in known:
            raise KnowledgeError(
                messages.KB_TRAINING_UNKNOWN_LABEL.format(
                    where=where, label=label, known=", ".join(known)
                )
            )
        examples.append(Labelled(item.q, label))
    return examples


def training_examples(kb: KnowledgeBase, knowledge_dir: Path) -> list[Labelled]:
    """Every labelled question for this table, in a fixed order."""
    known = classes_for(kb)
    examples = _from_table(kb)
    for path in training_files(knowledge_dir):
        examples.extend(_from_file(path, known))
    return examples


def inputs_sha256(
    examples: Sequence[Labelled], classes: Sequence[str], config: TrainingConfig
) -> str:
    """A fingerprint of everything training depends on, code version included."""
    payload = {
        "format": FORMAT,
        "classes": list(classes),
        "config": asdict(config),
        "examples": [[example.text, example.label] for example in examples],
    }
    encoded = json.dumps(payload, ensure_ascii=False, sort_keys=True).encode("utf-8")
    return hashlib.sha256(encoded).hexdigest()


def _idf_table(texts: Sequence[FeatureGroups]) -> tuple[dict[str, float], float]:
    """idf of every feature seen in at least two texts, and the idf of all the others."""
    frequency: dict[str, int] = {}
    for groups in texts:
        for keys in groups.groups():
            for key in keys:
                frequency[key] = frequency.get(key, 0) + 1
    documents = len(texts)
    table = {key: idf_value(documents, count) for key, count in frequency.items() if count >= 2}
    return table, idf_value(documents, 0)


def _vectors(
    groups: FeatureGroups, idf: dict[str, float], default: float
) -> tuple[tuple[str, ...], tuple[float, ...]]:
    """The keys of a text and their values: idf, scaled to unit length per group."""
    keys: list[str] = []
    values: list[float] = []
    for group in groups.groups():
        weights = [idf.get(key, default) for key in group]
        norm = math.sqrt(sum(weight * weight for weight in weights))
        keys.extend(group)
        values.extend(weight / norm for weight in weights)
    return tuple(keys), tuple(values)


def train(
    examples: Sequence[Labelled],
    classes: Sequence[str],
    table_id: str,
    config: TrainingConfig | None = None,
) -> IntentModel:
    """Fit the model; deterministic for the same examples, classes and config."""
    config = config or TrainingConfig()
    index = {label: position for position, label in enumerate(classes)}
    extracted = [extract(example.text) for example in examples]
    idf, default_idf = _idf_table(extracted)
    data = [
        (*_vectors(groups, idf, default_idf), index[example.label])
        for groups, example in zip(extracted, examples, strict=True)
    ]
    # One weight dict per class: a score or an update is then a few C-level
    # passes (map/zip/dict.update) instead of a Python loop per weight.
    columns: list[dict[str, float]] = [{} for _ in classes]
    for keys, _values, _target in data:
        for column in columns:
            column.update(zip(keys, repeat(0.0)))
    bias = [0.0] * len(classes)
    wscale = 1.0  # the weights are wscale * columns
    rng = random.Random(config.seed)
    order = list(range(len(data)))
    step = 0
    for _ in range(config.epochs):
        rng.shuffle(order)
        for position in order:
            keys, values, target = data[position]
            scores = [
                offset + wscale * sum(map(mul, map(column.__getitem__, keys), values))
                for offset, column in zip(bias, columns, strict=True)
            ]
            gradient = softmax(scores)
            gradient[target] -= 1.0
            rate = config.learning_rate / (1.0 + config.learning_rate * config.l2 * step)
            step += 1
            wscale *= 1.0 - rate * config.l2
            for label, g in enumerate(gradient):
                if abs(g) < 1e-3:
                    continue
                column = columns[label]
                steps = map(mul, values, repeat(-rate * g / wscale))
                column.update(
                    zip(keys, map(add, map(column.__getitem__, keys), steps), strict=True)
                )
                bias[label] -= rate * g
            if wscale < 1e-6:
                for column in columns:
                    column.update((key, weight * wscale) for key, weight in column.items())
                wscale = 1.0
    scale = config.scale
    stored_idf = {key: quantize(value, scale) for key, value in idf.items()}
    stored_default = quantize(default_idf, scale)
    limit = config.prune_below * scale
    weight_keys: list[str] = []
    stored = array("H")
    for key in sorted(columns[0]):
        # Stored times the feature's idf (as the file has it), so prediction only sums rows.
        factor = wscale * stored_idf.get(key, stored_default) / scale
        row = [quantize(column[key] * factor, scale) for column in columns]
        if max(map(abs, row)) >= limit:
            weight_keys.append(key)
            stored.extend(value + OFFSET for value in row)
    # Every idf is kept, pruned features' too: they still count in a text's length.
    return IntentModel(
        table_id=table_id,
        classes=tuple(classes),
        scale=scale,
        bias=[quantize(value, scale) for value in bias],
        weight_keys=weight_keys,
        weights=stored,
        idf=stored_idf,
        default_idf=stored_default,
        inputs_sha256=inputs_sha256(examples, classes, config),
        temperature=config.temperature,
    )


def serialize(model: IntentModel) -> str:
    """The model file's text: JSON, one field per line."""
    data = model.to_json()
    lines = (f"{json.dumps(key)}: {json.dumps(data[key], ensure_ascii=False)}" for key in data)
    return "{\n" + ",\n".join(lines) + "\n}\n"


def train_table(
    kb: KnowledgeBase, knowledge_dir: Path, config: TrainingConfig | None = None
) -> tuple[Path, IntentModel, int]:
    """Train on the table's inputs and write the model file; return path, model, examples."""
    examples = training_examples(kb, knowledge_dir)
    classes = classes_for(kb)
    model = train(examples, classes, kb.id, config)
    fresh = fresh_items(knowledge_dir)
    if fresh:

        def train_without(left_out: set[str]) -> IntentModel:
            kept = [example for example in examples if example.text not in left_out]
            return train(kept, classes, kb.id, config)

        model.arbiter = fit_arbiter(kb, fresh, train_without)
    path = model_path(knowledge_dir, kb.id)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(serialize(model), encoding="utf-8")
    return path, model, len(examples)


def check_model(
    kb: KnowledgeBase, knowledge_dir: Path, config: TrainingConfig | None = None
) -> IntentModel | None:
    """Fail with a KnowledgeError when the table's model is missing, foreign or stale.

    A table without training data and without a model is fine: the model is
    optional. Once there is either, the two must agree.
    """
    path = model_path(knowledge_dir, kb.id)
    has_data = bool(training_files(knowledge_dir))
    if not path.exists():
        if has_data:
            raise KnowledgeError(messages.KB_MODEL_MISSING.format(path=path))
        return None
    try:
        model = IntentModel.load(path)
    except IntentModelError as exc:
        raise KnowledgeError(messages.KB_MODEL_UNREADABLE.format(error=exc)) from None
    expected = classes_for(kb)
    if model.classes != expected or model.table_id != kb.id:
        raise KnowledgeError(
            messages.KB_MODEL_CLASSES.format(
                path=path, model=", ".join(model.classes), table=", ".join(expected)
            )
        )
    examples = training_examples(kb, knowledge_dir)
    digest = inputs_sha256(examples, expected, config or TrainingConfig())
    if digest != model.inputs_sha256:
        raise KnowledgeError(messages.KB_MODEL_STALE.format(path=path))
    return model


def cross_validate(
    examples: Sequence[Labelled],
    classes: Sequence[str],
    folds: int = 5,
    config: TrainingConfig | None = None,
    seed: int = 0,
) -> float:
    """Accuracy of k-fold cross-validation (seeded fold assignment)."""
    order = list(range(len(examples)))
    random.Random(seed).shuffle(order)
    right = 0
    for fold in range(folds):
        held = set(order[fold::folds])
        model = train([e for i, e in enumerate(examples) if i not in held], classes, "cv", config)
        right += sum(model.best(examples[i].text)[0] == examples[i].label for i in held)
    return right / len(examples) if examples else math.nan
