"""The shared Newton fit behind the arbiter and the FAQ models."""

from __future__ import annotations

import math

import pytest

from bot.core.logistic import fit_newton, sigmoid, solve


def test_sigmoid_is_symmetric_and_never_overflows() -> None:
    assert sigmoid(0.0) == 0.5
    assert sigmoid(2.0) == pytest.approx(1.0 - sigmoid(-2.0))
    assert sigmoid(-1000.0) == 0.0 and sigmoid(1000.0) == 1.0


def test_solve_finds_the_solution_and_leaves_a_vanished_unknown_at_zero() -> None:
    assert solve([[2.0, 1.0], [1.0, 3.0]], [3.0, 5.0]) == pytest.approx([0.8, 1.4])
    # The second unknown's row and column are all zero: it stays 0.
    assert solve([[4.0, 0.0], [0.0, 0.0]], [8.0, 0.0]) == pytest.approx([2.0, 0.0])


def test_the_fit_recovers_the_log_odds_of_a_balanced_feature() -> None:
    # Where x = 1, three examples in four are positive; where x = 0, one in four.
    design = [[1.0, 1.0]] * 4 + [[1.0, 0.0]] * 4
    targets = [True, True, True, False, True, False, False, False]
    bias, weight = fit_newton(design, targets, [0.0, 0.0], steps=50, tolerance=1e-12)
    assert bias == pytest.approx(math.log(1 / 3))
    assert weight == pytest.approx(2 * math.log(3))
    # An L2 penalty shrinks the weight, and sample weights move the fit.
    _, shrunk = fit_newton(design, targets, [0.0, 1.0], steps=50, tolerance=1e-12)
    assert 0 < shrunk < weight
    heavy = [1.0, 1.0, 1.0, 5.0, 1.0, 1.0, 1.0, 1.0]
    _, weighted = fit_newton(
        design, targets, [0.0, 0.0], sample_weights=heavy, steps=50, tolerance=1e-12
    )
    assert weighted < weight
