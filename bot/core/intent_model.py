"""A small learned intent model: which table feature (or overview, or none) a question means.

A linear multi-class model over sparse features of the normalized text, run
in pure Python so the bot needs no numeric library at runtime. It reads a
question the way a bag-of-n-grams classifier does, which is right on many
questions the hand-built matcher misses (and the other way round), so the
matcher can use its probabilities as one more piece of evidence.

Features, all from `bot.core.text`'s normalization:
* character 2-5-grams inside each word (with word-boundary marks), which
  survive typos, elisions and inflections;
* word stems (`w:`) and stem bigrams (`b:`), stopwords kept, because short
  function words carry meaning here ("da solo", "in base al").
Each group is binary, weighted by smoothed idf (rare n-grams say more) and
scaled to unit length, so a long message does not outvote a short one just
by having more n-grams. Features seen in fewer than two training questions
share one default idf; only the others' idf is stored.

The model file (JSON, written by `bot.core.intent_training`) holds the
classes, the bias, the pruned weights and the idf table as integers, and a hash of the inputs
it was trained on, which `kb check` compares with the current inputs.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import Final

from bot.core.text import stem, tokenize

FORMAT: Final = 1
NONE: Final = "none"
OVERVIEW: Final = "overview"
MIN_GRAM: Final = 2
MAX_GRAM: Final = 5
# Pasted logs can be long; the first words are enough to tell what a message is about
# and keep a prediction within its time budget whatever a user pastes.
MAX_TOKENS: Final = 80
MAX_TOKEN_CHARS: Final = 24


class IntentModelError(ValueError):
    """A model file is missing, unreadable or not a model this code can use."""


def models_dir(knowledge_dir: Path) -> Path:
    return knowledge_dir / "models"


def model_path(knowledge_dir: Path, table_id: str) -> Path:
    """Where the model of one table lives, beside its YAML."""
    return models_dir(knowledge_dir) / f"{table_id}.json"


@dataclass(frozen=True)
class FeatureGroups:
    """The active feature keys of one text, by group (character n-grams, words)."""

    chars: tuple[str, ...]
    words: tuple[str, ...]

    def groups(self) -> tuple[tuple[str, ...], ...]:
        return tuple(keys for keys in (self.chars, self.words) if keys)


def idf_value(documents: int, frequency: int) -> float:
    """Smoothed inverse document frequency (as scikit-learn computes it)."""
    return math.log((1 + documents) / (1 + frequency)) + 1.0


def extract(text: str) -> FeatureGroups:
    """The model's features of a text. Order is first occurrence (deterministic)."""
    tokens = [token[:MAX_TOKEN_CHARS] for token in tokenize(text)[:MAX_TOKENS]]
    chars: dict[str, None] = {}
    for token in tokens:
        padded = f"<{token}>"
        size = len(padded)
        for n in range(MIN_GRAM, MAX_GRAM + 1):
            for start in range(size - n + 1):
                chars[padded[start : start + n]] = None
    stems = [stem(token) for token in tokens]
    words: dict[str, None] = dict.fromkeys(f"w:{s}" for s in stems)
    for left, right in pairwise(stems):
        words[f"b:{left} {right}"] = None
    return FeatureGroups(tuple(chars), tuple(words))


def softmax(scores: Iterable[float]) -> list[float]:
    values = list(scores)
    top = max(values)
    exps = [math.exp(value - top) for value in values]
    total = sum(exps)
    return [value / total for value in exps]


class IntentModel:
    """Class probabilities for a question: `predict(text) -> {class: probability}`."""

    def __init__(
        self,
        table_id: str,
        classes: tuple[str, ...],
        bias: tuple[float, ...],
        weights: dict[str, tuple[float, ...]],
        idf: dict[str, float],
        default_idf: float,
        inputs_sha256: str,
    ) -> None:
        self.table_id = table_id
        self.classes = classes
        self.bias = bias
        self.weights = weights
        self.idf = idf
        self.default_idf = default_idf
        self.inputs_sha256 = inputs_sha256
        # Each row times its feature's idf, once, so a prediction only sums rows.
        self._scaled = {
            key: tuple(weight * idf.get(key, default_idf) for weight in row)
            for key, row in weights.items()
        }

    @property
    def feature_ids(self) -> tuple[str, ...]:
        """The table features the model knows (its classes but overview and none)."""
        return tuple(label for label in self.classes if label not in (OVERVIEW, NONE))

    def scores(self, text: str) -> list[float]:
        """Raw linear scores, one per class, in `classes` order."""
        totals = list(self.bias)
        get = self._scaled.get
        idf, default = self.idf.get, self.default_idf
        for keys in extract(text).groups():
            rows = [row for key in keys if (row := get(key)) is not None]
            if rows:
                # Unit length per group: a long message must not outvote a short one.
                norm = math.sqrt(sum(idf(key, default) ** 2 for key in keys))
                # zip(*rows) sums the columns in C; far faster than a loop per class.
                totals = [
                    total + sum(column) / norm
                    for total, column in zip(totals, zip(*rows, strict=True), strict=True)
                ]
        return totals

    def predict(self, text: str) -> dict[str, float]:
        """Probability of each class (softmax over the scores); they sum to 1."""
        return dict(zip(self.classes, softmax(self.scores(text)), strict=True))

    def best(self, text: str) -> tuple[str, float]:
        """The most probable class and its probability."""
        probabilities = self.predict(text)
        label = max(probabilities, key=probabilities.__getitem__)
        return label, probabilities[label]

    # --- the file -------------------------------------------------------------

    def to_json(self, scale: int) -> dict[str, object]:
        return {
            "format": FORMAT,
            "table": self.table_id,
            "classes": list(self.classes),
            "inputs_sha256": self.inputs_sha256,
            "scale": scale,
            "bias": [round(value * scale) for value in self.bias],
            "default_idf": round(self.default_idf * scale),
            "idf": {key: round(value * scale) for key, value in sorted(self.idf.items())},
            "weights": {
                key: [round(value * scale) for value in row]
                for key, row in sorted(self.weights.items())
            },
        }

    @classmethod
    def from_json(cls, data: object, where: str) -> IntentModel:
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise IntentModelError(f"{where}: not an intent model in format {FORMAT}")
        try:
            classes = tuple(str(label) for label in data["classes"])
            scale = float(data["scale"])
            bias = tuple(value / scale for value in data["bias"])
            weights = {
                str(key): tuple(value / scale for value in row)
                for key, row in data["weights"].items()
            }
            idf = {str(key): value / scale for key, value in data["idf"].items()}
            default_idf = data["default_idf"] / scale
            table_id = str(data["table"])
            inputs = str(data["inputs_sha256"])
        except (KeyError, TypeError, ValueError, AttributeError, ZeroDivisionError) as exc:
            raise IntentModelError(f"{where}: malformed intent model ({exc!r})") from None
        if len(bias) != len(classes) or any(len(row) != len(classes) for row in weights.values()):
            raise IntentModelError(f"{where}: weights and classes differ in size")
        return cls(table_id, classes, bias, weights, idf, default_idf, inputs)

    @classmethod
    def load(cls, path: str | Path) -> IntentModel:
        path = Path(path)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise IntentModelError(f"{path}: file not found") from None
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise IntentModelError(f"{path}: cannot read the model: {exc}") from None
        return cls.from_json(data, str(path))
