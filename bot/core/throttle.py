"""Anti-spam: a cooldown per key and a sliding-window rate limit per key.

The bot answers a burst of the same question in one channel once, and a single
user cannot make it talk more than a few times a minute.
"""

from __future__ import annotations

import time
from collections import OrderedDict, deque
from collections.abc import Callable, Hashable
from typing import Final

MAX_KEYS: Final = 10_000


class Cooldown:
    """`hit(key)` is True at most once per `seconds` for each key."""

    def __init__(self, seconds: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.seconds = seconds
        self._clock = clock
        self._last: OrderedDict[Hashable, float] = OrderedDict()

    def hit(self, key: Hashable, seconds: float | None = None) -> bool:
        """`seconds` overrides the default for this hit (servers set their own pause)."""
        window = self.seconds if seconds is None else seconds
        now = self._clock()
        last = self._last.get(key)
        if last is not None and now - last < window:
            return False
        self._last[key] = now
        self._last.move_to_end(key)
        while len(self._last) > MAX_KEYS:
            self._last.popitem(last=False)
        return True


class RateLimiter:
    """`allow(key)` is True for at most `limit` calls per `window` seconds per key."""

    def __init__(
        self, limit: int, window: float = 60.0, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.limit = limit
        self.window = window
        self._clock = clock
        self._calls: OrderedDict[Hashable, deque[float]] = OrderedDict()

    def allow(self, key: Hashable) -> bool:
        now = self._clock()
        calls = self._calls.setdefault(key, deque())
        self._calls.move_to_end(key)
        while calls and now - calls[0] >= self.window:
            calls.popleft()
        if len(calls) >= self.limit:
            return False
        calls.append(now)
        while len(self._calls) > MAX_KEYS:
            self._calls.popitem(last=False)
        return True
