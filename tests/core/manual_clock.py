"""A clock for the core's time-based modules, which take their clock as a parameter."""

from __future__ import annotations


class ManualClock:
    """A monotonic clock the test moves by hand (`clock.now = 10.0`)."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now
