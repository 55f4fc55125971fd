"""Anti-spam: a cooldown per key, a sliding-window rate limit per key, and a
reply budget per channel.

The bot answers a burst of the same question in one channel once, a single
user cannot make it talk more than a few times a minute, and a channel never
gets replies so late that they no longer make sense.
"""

from __future__ import annotations

import time
from collections import OrderedDict, deque
from collections.abc import Callable, Hashable
from typing import Final

MAX_KEYS: Final = 10_000
# Discord lets a bot post about 5 messages at once in a channel, then about one
# a second; discord.py holds the rest back behind 429s.
CHANNEL_BURST: Final = 5
CHANNEL_RATE: Final = 1.0
# A reply more than a minute late is worse than none.
MAX_REPLY_DELAY: Final = 60.0


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


class ReplyBudget:
    """Replies per channel at Discord's pace, none of them later than `max_delay`.

    `take(key)` books the next free slot of the channel and returns how long
    the reply will wait for it (0 within the burst). When that wait would pass
    `max_delay` it books nothing and returns None: the caller drops the reply
    instead of queueing it. (A "generic cell rate" schedule: one slot every
    1/rate seconds, `burst` of them usable at once.)
    """

    def __init__(
        self,
        rate: float = CHANNEL_RATE,
        burst: int = CHANNEL_BURST,
        max_delay: float = MAX_REPLY_DELAY,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.interval = 1.0 / rate
        self.burst = burst
        self.max_delay = max_delay
        self._clock = clock
        # Per channel, when its next slot is free if nobody used the burst.
        self._next: OrderedDict[Hashable, float] = OrderedDict()

    def take(self, key: Hashable) -> float | None:
        now = self._clock()
        slot = max(self._next.get(key, now), now)
        wait = slot - now - (self.burst - 1) * self.interval
        if wait > self.max_delay:
            return None
        self._next[key] = slot + self.interval
        self._next.move_to_end(key)
        while len(self._next) > MAX_KEYS:
            self._next.popitem(last=False)
        return max(0.0, wait)
