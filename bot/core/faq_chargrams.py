"""How alike a question and an FAQ entry are, letter by letter.

Word stems miss what members change inside words: "ricompilo" and
"compilazione", "kubeconfig" and "config", a pasted "ImagePullBackOff" and
"image pull". Sequences of 3-5 letters inside each word (padded with a space
at both ends, so a word's start and end count too) still overlap. Each entry's
whole text (question, name, phrasings and answer) is a TF-IDF vector of them,
and the cosine with the question's vector is one more piece of evidence for
ranking and for the answer decision (`faq_model.py`).

Only the few candidates the word index nominates are compared, and only on
the letter sequences the question has.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache
from itertools import chain
from typing import Final

from bot.core.text import normalize

SIZES: Final = (3, 4, 5)


def grams(text: str) -> Counter[str]:
    """The 3-5 letter sequences of every word of `text`, with their counts."""
    # One count over all words: a `Counter.update` per word cost more than the counting.
    return Counter(chain.from_iterable(map(_word_grams, normalize(text).split())))


@lru_cache(maxsize=8192)
def _word_grams(word: str) -> tuple[str, ...]:
    # Words repeat across entries and questions: each is cut up once.
    padded = f" {word} "
    length = len(padded)
    found: list[str] = []
    for size in SIZES:
        if length <= size:
            # A word shorter than the sequence counts once, whole.
            found.append(padded)
            break
        found.extend(padded[start : start + size] for start in range(length - size + 1))
    return tuple(found)


def entry_text(question: str, name: str, phrasings: Iterable[str], answer: str) -> str:
    return " ".join((question, name.replace("-", " "), *phrasings, answer))


class CharGrams:
    """Document frequencies of letter sequences over one server's entries."""

    def __init__(self) -> None:
        self._frequency: dict[str, int] = {}
        self._documents = 0
        # Entry name -> the norm of its letter-sequence counts (sublinear), set
        # when the entry is added: a cosine then needs no pass over the entry.
        self._norms: dict[str, float] = {}

    def add(self, key: str, text: str) -> None:
        counts = grams(text)
        self._count(counts, 1)
        self._norms[key] = math.sqrt(sum(_tf(count) ** 2 for count in counts.values()))

    def remove(self, key: str, text: str) -> None:
        self._count(grams(text), -1)
        self._norms.pop(key, None)

    def _count(self, counts: Counter[str], step: int) -> None:
        frequency = self._frequency
        for gram in counts:
            count = frequency.get(gram, 0) + step
            if count > 0:
                frequency[gram] = count
            else:
                frequency.pop(gram, None)
        self._documents += step

    def vector(self, counts: Counter[str]) -> tuple[dict[str, float], float]:
        """TF-IDF weights (sublinear counts) and their norm; unknown sequences drop out."""
        weights = {}
        documents = 1 + self._documents
        for gram, count in counts.items():
            frequency = self._frequency.get(gram, 0)
            if frequency:
                weights[gram] = _tf(count) * (math.log(documents / (1 + frequency)) + 1.0)
        return weights, math.sqrt(sum(w * w for w in weights.values()))

    def cosine(self, query: tuple[dict[str, float], float], key: str, text: str) -> float:
        """The cosine of a query's TF-IDF vector with the entry's counts (`key`, `text`).

        Rarity weighs on the question's side only, so an entry's side is fixed
        when it is added and nothing goes stale as other entries come and go.
        """
        weights, norm = query
        entry_norm = self._norms.get(key, 0.0)
        if not norm or not entry_norm:
            return 0.0
        counts = grams(text)
        dot = sum(weight * _tf(counts[gram]) for gram, weight in weights.items() if gram in counts)
        return dot / (norm * entry_norm)


def _tf(count: int) -> float:
    return 1.0 if count == 1 else 1.0 + math.log(count)
