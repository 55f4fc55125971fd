"""The length bound that lets the example scorer skip hopeless examples.

Skipping is only safe if the bound never rejects a pair whose real
`fuzz.token_set_ratio` reaches the floor; otherwise answers would change.
"""

from __future__ import annotations

import random

import pytest
from rapidfuzz import fuzz

from bot.core.example_scores import EXAMPLE_FLOOR, ExamplePhrasings, WordLengths

# Stems of the kind the scorer compares, with shared prefixes and near misses.
VOCABULARY = (
    "compos kubern scal scala replic serviz nod nodi cluster pod container istanz "
    "segret password rollback aggiorn automat autoscal failover riavv host vps"
).split()


def texts(seed: int, count: int) -> list[str]:
    rng = random.Random(seed)
    return [" ".join(sorted(set(rng.sample(VOCABULARY, rng.randint(1, 12))))) for _ in range(count)]


@pytest.mark.parametrize("floor", [30.0, 50.0, 70.0, 90.0])
def test_the_bound_never_rejects_a_pair_that_reaches_the_floor(floor: float) -> None:
    firsts, seconds = texts(1, 150), texts(2, 150)
    rejected = 0
    for first in firsts:
        for second in seconds:
            reaches = fuzz.token_set_ratio(first, second, processor=None) >= floor
            allowed = WordLengths.of(first).may_reach(WordLengths.of(second), floor)
            assert allowed or not reaches, (first, second)
            rejected += not allowed
    # It must also skip something, or it saves nothing.
    assert rejected > 0


def test_a_text_holding_the_other_always_may_reach() -> None:
    long = WordLengths.of("compos kubern nod replic scal serviz")
    assert long.may_reach(WordLengths.of("replic"), 100.0)
    assert WordLengths.of("replic").may_reach(long, 100.0)


def test_texts_far_apart_in_length_and_words_are_skipped() -> None:
    long = WordLengths.of("aggiorn automat autoscal cluster compos container failover")
    assert not long.may_reach(WordLengths.of("vps"), 70.0)


def test_the_scorer_finds_what_comparing_every_example_finds() -> None:
    # Examples spread over three features; questions of every length, some
    # sharing words with the examples and some sharing none.
    examples = [(f"feature-{number % 3}", text) for number, text in enumerate(texts(3, 60))]
    scorer = ExamplePhrasings(examples)
    found_any = 0
    for query in [*texts(4, 300), "vps", "zzz yyy", "aggiornament automatic"]:
        expected: dict[str, float] = {}
        for feature_id, text in examples:
            score = fuzz.token_set_ratio(query, text, processor=None)
            if score >= EXAMPLE_FLOOR:
                expected[feature_id] = max(expected.get(feature_id, 0.0), score)
        assert scorer.best(query) == expected, query
        found_any += bool(expected)
    assert found_any > 0
