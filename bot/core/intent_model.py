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
classes, the bias, the pruned weights (times idf) and the idf table as integers
(packed, so loading takes milliseconds), and a hash of the inputs it was
trained on, which `kb check` compares with the current inputs.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
import sys
from array import array
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain, pairwise
from pathlib import Path
from typing import Final

from bot.core.arbiter import Arbiter
from bot.core.knowledge import KnowledgeBase
from bot.core.text import retokenize, stem, tokenize

FORMAT: Final = 1
NONE: Final = "none"
OVERVIEW: Final = "overview"
MIN_GRAM: Final = 2
MAX_GRAM: Final = 5
# Pasted logs can be long; the first words are enough to tell what a message is about
# and keep a prediction within its time budget whatever a user pastes.
MAX_TOKENS: Final = 80
MAX_TOKEN_CHARS: Final = 24
INT16: Final = 2**15 - 1
# Weights are stored unsigned: value + OFFSET, in 0..2**16-1.
OFFSET: Final = 2**15
LANE: Final = 2**32 - 1


class IntentModelError(ValueError):
    """A model file is missing, unreadable or not a model this code can use."""


# Rows packed for scoring (see IntentModel._pack_rows), known and unknown
# keys together: a few times the model's own keys, a few MB at most.
MAX_PACKED_ROWS: Final = 200_000
# Words whose n-gram sums are remembered (see IntentModel._chars_packed):
# a few MB at most, whatever typos members make.
MAX_WORD_SUMS: Final = 20_000


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


@lru_cache(maxsize=65536)
def _grams(token: str) -> tuple[str, ...]:
    """A word's character n-grams, with '<' and '>' marking where it starts and ends."""
    padded = f"<{token}>"
    size = len(padded)
    return tuple(
        padded[start : start + n]
        for n in range(MIN_GRAM, MAX_GRAM + 1)
        for start in range(size - n + 1)
    )


@lru_cache(maxsize=65536)
def _gram_set(token: str) -> frozenset[str]:
    return frozenset(_grams(token))


def _word_keys(tokens: Sequence[str]) -> frozenset[str]:
    """The keys of `extract`'s word group, unordered: what scoring needs."""
    stems = [stem(token) for token in tokens]
    words = {f"w:{s}" for s in stems}
    words.update(f"b:{left} {right}" for left, right in pairwise(stems))
    return frozenset(words)


def extract(text: str) -> FeatureGroups:
    """The model's features of a text. Order is first occurrence (deterministic)."""
    tokens = [token[:MAX_TOKEN_CHARS] for token in tokenize(text)[:MAX_TOKENS]]
    chars = dict.fromkeys(chain.from_iterable(map(_grams, tokens)))
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


def pack(values: Iterable[int], typecode: str) -> str:
    """Little-endian integers in base64: a JSON list of numbers parses ten times slower."""
    packed = array(typecode, values)
    if sys.byteorder == "big":
        packed.byteswap()
    return base64.b64encode(packed.tobytes()).decode("ascii")


def unpack(text: str, typecode: str) -> array[int]:
    packed = array(typecode)
    packed.frombytes(base64.b64decode(text, validate=True))
    if sys.byteorder == "big":
        packed.byteswap()
    return packed


def quantize(value: float, scale: int) -> int:
    """value in units of 1/scale, clamped to 16 bits."""
    return max(-INT16, min(INT16, round(value * scale)))


class IntentModel:
    """Class probabilities for a question: `predict(text) -> {class: probability}`.

    Every number is an integer in units of 1/scale, as in the file, so a
    model fresh from training and the same model loaded predict identically.
    A weight row is stored already multiplied by its feature's idf, so a
    prediction only sums rows.
    """

    def __init__(
        self,
        table_id: str,
        classes: tuple[str, ...],
        scale: int,
        bias: Sequence[int],
        weight_keys: Sequence[str],
        weights: array[int],
        idf: Mapping[str, int],
        default_idf: int,
        inputs_sha256: str,
        temperature: float = 1.0,
        arbiter: Arbiter | None = None,
    ) -> None:
        """`weights`: one row per key, row after row, each weight + OFFSET (typecode "H").

        `temperature` divides the scores before the softmax (below 1 sharpens).
        `arbiter` decides between the rules and this model where they disagree
        (see `bot.core.arbiter`); without one the model only assists the rules.
        """
        if weights.typecode != "H" or len(weights) != len(weight_keys) * len(classes):
            raise IntentModelError("the weights do not fit the keys and classes")
        self.table_id = table_id
        self.classes = classes
        self.scale = scale
        self.bias = tuple(bias)
        self.weight_keys = tuple(weight_keys)
        self.weights = weights
        self.idf = idf
        self.default_idf = default_idf
        self.inputs_sha256 = inputs_sha256
        self.temperature = temperature
        self.arbiter = arbiter
        self._bias = [value / scale for value in bias]
        self._default_idf_squared = default_idf * default_idf
        # Each key becomes one integer: a 32-bit lane per class, then a lane
        # counting the keys that have weights, then (on top, unbounded) the
        # key's squared idf. Summing the keys of a text is then one C-level
        # sum() of a few hundred ints that gives the class scores, the count
        # of weighted keys and the group's squared length at once, all exact.
        # Lanes cannot overflow: at most MAX_TOKENS * MAX_TOKEN_CHARS * 4
        # keys of values below 2**16. Keys are packed when a text first needs
        # them: packing all of them up front took most of a one-shot `ask`'s
        # model load.
        width = len(classes)
        self._count_shift = 32 * width
        self._length_shift = 32 * (width + 1)
        self._row_start = dict(zip(weight_keys, range(0, len(weights), width), strict=True))
        self._rows: dict[str, int] = {}
        # Each word's packed sum over its character n-grams (see `_chars_packed`).
        self._word_sums: dict[str, int] = {}

    @property
    def size(self) -> int:
        """How many features have weights."""
        return len(self.weight_keys)

    @property
    def feature_ids(self) -> tuple[str, ...]:
        """The table features the model knows (its classes but overview and none)."""
        return tuple(label for label in self.classes if label not in (OVERVIEW, NONE))

    def scores(self, text: str) -> list[float]:
        """Raw linear scores, one per class, in `classes` order."""
        return self._scores(tokenize(text))

    def _scores(self, tokenized: Sequence[str]) -> list[float]:
        tokens = [token[:MAX_TOKEN_CHARS] for token in tokenized[:MAX_TOKENS]]
        totals = list(self._bias)
        for packed in (self._chars_packed(tokens), self._packed(_word_keys(tokens))):
            weighted = (packed >> self._count_shift) & LANE
            if weighted:
                offset = weighted * OFFSET
                # Unit length per group: a long message must not outvote a short one.
                factor = 1.0 / math.sqrt(packed >> self._length_shift)
                totals = [
                    total + factor * (((packed >> (32 * lane)) & LANE) - offset)
                    for lane, total in enumerate(totals)
                ]
        return totals

    def _chars_packed(self, tokens: Sequence[str]) -> int:
        """The packed sum over the message's distinct character n-grams.

        Each word's own sum is remembered; the n-grams a word shares with the
        words before it are taken off again. Exact (integers), and a dozen
        additions of big integers instead of one per n-gram.
        """
        seen: set[str] = set()
        total = 0
        sums = self._word_sums
        for token in tokens:
            grams = _gram_set(token)
            own = sums.get(token)
            if own is None:
                if len(sums) > MAX_WORD_SUMS:
                    sums.clear()
                own = sums[token] = self._packed(grams)
            total += own
            if seen:
                shared = grams & seen
                if shared:
                    total -= self._packed(shared)
            seen |= grams
        return total

    def _packed(self, keys: Collection[str]) -> int:
        """The sum of the keys' packed rows."""
        row = self._rows.__getitem__
        try:
            return sum(map(row, keys))
        except KeyError:
            self._pack_rows(keys)
            return sum(map(row, keys))

    def _pack_rows(self, keys: Iterable[str]) -> None:
        """Pack the keys not packed yet (a key without weights packs its idf only)."""
        rows, start_of, weights, width = (
            self._rows,
            self._row_start,
            self.weights,
            len(self.classes),
        )
        if len(rows) > MAX_PACKED_ROWS:
            # Members' typos are new keys without end: start over, bounded.
            rows.clear()
        for key in keys:
            if key in rows:
                continue
            idf = self.idf.get(key)
            length = (self._default_idf_squared if idf is None else idf * idf) << self._length_shift
            start = start_of.get(key)
            if start is None:
                rows[key] = length
                continue
            lanes = array("I", weights[start : start + width])
            if sys.byteorder == "big":
                lanes.byteswap()
            rows[key] = int.from_bytes(lanes.tobytes(), "little") | 1 << self._count_shift | length

    def predict(self, text: str) -> dict[str, float]:
        """Probability of each class (softmax over the scores); they sum to 1."""
        return self._probabilities(self.scores(text))

    def predict_words(self, words: Sequence[str]) -> dict[str, float]:
        """`predict(" ".join(words))` for words already tokenized: not tokenized again."""
        return self._probabilities(self._scores(retokenize(words)))

    def _probabilities(self, raw: list[float]) -> dict[str, float]:
        scores = [score / self.temperature for score in raw]
        return dict(zip(self.classes, softmax(scores), strict=True))

    def best(self, text: str) -> tuple[str, float]:
        """The most probable class and its probability."""
        probabilities = self.predict(text)
        label = max(probabilities, key=probabilities.__getitem__)
        return label, probabilities[label]

    # --- the file -------------------------------------------------------------

    def to_json(self) -> dict[str, object]:
        idf_keys = sorted(self.idf)
        return {
            "format": FORMAT,
            "table": self.table_id,
            "classes": list(self.classes),
            "inputs_sha256": self.inputs_sha256,
            "scale": self.scale,
            "temperature": self.temperature,
            "bias": list(self.bias),
            "default_idf": self.default_idf,
            "idf_keys": "\n".join(idf_keys),
            "idf": pack((self.idf[key] for key in idf_keys), "h"),
            "weight_keys": "\n".join(self.weight_keys),
            "weights": pack(self.weights, "H"),
            **({"arbiter": self.arbiter.to_json()} if self.arbiter is not None else {}),
        }

    @classmethod
    def from_json(cls, data: object, where: str) -> IntentModel:
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise IntentModelError(f"{where}: not an intent model in format {FORMAT}")
        try:
            classes = tuple(str(label) for label in data["classes"])
            width = len(classes)
            idf_keys = _keys(data["idf_keys"])
            idf = unpack(data["idf"], "h")
            model = cls(
                table_id=str(data["table"]),
                classes=classes,
                scale=int(data["scale"]),
                bias=[int(value) for value in data["bias"]],
                weight_keys=_keys(data["weight_keys"]),
                weights=unpack(data["weights"], "H"),
                idf=dict(zip(idf_keys, idf, strict=True)),
                default_idf=int(data["default_idf"]),
                inputs_sha256=str(data["inputs_sha256"]),
                temperature=float(data.get("temperature", 1.0)),
                arbiter=Arbiter.from_json(data["arbiter"]) if "arbiter" in data else None,
            )
        except IntentModelError as exc:
            raise IntentModelError(f"{where}: {exc}") from None
        except (KeyError, TypeError, ValueError, AttributeError, binascii.Error) as exc:
            raise IntentModelError(f"{where}: malformed intent model ({exc!r})") from None
        if len(model.bias) != width or model.scale <= 0 or model.temperature <= 0:
            raise IntentModelError(f"{where}: bias and classes differ in size")
        return model

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


def _keys(text: object) -> list[str]:
    if not isinstance(text, str):
        raise TypeError("feature keys must be one newline-separated string")
    return text.split("\n") if text else []


def load_for(kb: KnowledgeBase) -> IntentModel | None:
    """The model beside a loaded table's YAML, or None when the table has none.

    A model for other classes (the table changed and nobody ran `kb train`) is
    an error, not a silent guess: `kb check` reports the same.
    """
    if kb.path is None:
        return None
    path = model_path(kb.path.parent, kb.id)
    if not path.exists():
        return None
    model = IntentModel.load(path)
    expected = (*(feature.id for feature in kb.features), OVERVIEW, NONE)
    if model.classes != expected:
        raise IntentModelError(f"{path}: classes {model.classes} differ from the table's")
    return model
