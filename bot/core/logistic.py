"""L2-regularised logistic regression by Newton's method, shared by the learned parts.

The arbiter (`arbiter.py`) and the FAQ ranker and decision (`faq_decision.py`)
are small logistic regressions fitted on a few thousand rows; Newton's method
(iteratively reweighted least squares) fits them exactly and deterministically
in pure Python, with no numerical library at runtime or at training.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

PIVOT_FLOOR = 1e-12


def sigmoid(value: float) -> float:
    """1 / (1 + e^-value), without overflow for large negative values."""
    if value >= 0:
        return 1.0 / (1.0 + math.exp(-value))
    exp = math.exp(value)
    return exp / (1.0 + exp)


def solve(matrix: list[list[float]], vector: list[float]) -> list[float]:
    """Gaussian elimination with partial pivoting (the systems here are small and SPD).

    A pivot that vanishes (a column that never varies and carries no penalty)
    leaves its unknown at 0 instead of dividing by nothing.
    """
    size = len(vector)
    rows = [[*row, value] for row, value in zip(matrix, vector, strict=True)]
    for column in range(size):
        pivot = max(range(column, size), key=lambda r: abs(rows[r][column]))
        rows[column], rows[pivot] = rows[pivot], rows[column]
        lead = rows[column][column]
        if abs(lead) < PIVOT_FLOOR:
            continue
        for r in range(column + 1, size):
            factor = rows[r][column] / lead
            if factor:
                for c in range(column, size + 1):
                    rows[r][c] -= factor * rows[column][c]
    solution = [0.0] * size
    for r in range(size - 1, -1, -1):
        lead = rows[r][r]
        if abs(lead) < PIVOT_FLOOR:
            continue
        rest = sum(rows[r][c] * solution[c] for c in range(r + 1, size))
        solution[r] = (rows[r][size] - rest) / lead
    return solution


def fit_newton(
    design: Sequence[Sequence[float]],
    targets: Sequence[bool],
    penalty: Sequence[float],
    *,
    sample_weights: Sequence[float] | None = None,
    steps: int,
    tolerance: float,
) -> list[float]:
    """The coefficients maximising the weighted log-likelihood less the L2 penalty.

    `design` holds one row per example, intercept column included (its
    `penalty` is 0); `penalty[j]` is the L2 strength on coefficient j.
    """
    width = len(penalty)
    weights = list(sample_weights) if sample_weights is not None else [1.0] * len(design)
    beta = [0.0] * width
    for _ in range(steps):
        gradient = [-penalty[j] * beta[j] for j in range(width)]
        hessian = [[0.0] * width for _ in range(width)]
        for j in range(width):
            hessian[j][j] = penalty[j]
        for x, label, weight in zip(design, targets, weights, strict=True):
            p = sigmoid(sum(b * v for b, v in zip(beta, x, strict=True)))
            residual = weight * ((1.0 if label else 0.0) - p)
            curvature = weight * p * (1.0 - p)
            for j in range(width):
                gradient[j] += residual * x[j]
                row = hessian[j]
                scaled = curvature * x[j]
                for k in range(j, width):
                    row[k] += scaled * x[k]
        beta, moved = newton_update(beta, hessian, gradient)
        if moved < tolerance:
            break
    return beta


def newton_update(
    beta: Sequence[float], hessian: list[list[float]], gradient: list[float]
) -> tuple[list[float], float]:
    """One Newton step from `beta`, and the largest change it made.

    Only the upper triangle of `hessian` needs filling: it is mirrored here.
    """
    for j in range(len(hessian)):
        for k in range(j):
            hessian[j][k] = hessian[k][j]
    step = solve(hessian, gradient)
    return [b + s for b, s in zip(beta, step, strict=True)], max(abs(s) for s in step)
