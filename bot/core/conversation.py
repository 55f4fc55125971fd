"""Short-term memory of who asked what, so follow-ups make sense.

Keys are opaque (the Discord adapter uses channel and user ids). Entries expire
after `ttl` seconds and the store is bounded, so a busy server cannot grow it
without limit. The clock is injected to keep tests exact.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Final

from bot.core.matcher import Context

DEFAULT_TTL: Final = 600.0
MAX_KEYS: Final = 10_000


class ConversationMemory:
    def __init__(
        self,
        ttl: float = DEFAULT_TTL,
        max_keys: int = MAX_KEYS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.ttl = ttl
        self.max_keys = max_keys
        self._clock = clock
        self._items: OrderedDict[Hashable, tuple[float, Context]] = OrderedDict()

    def get(self, key: Hashable) -> Context | None:
        item = self._items.get(key)
        if item is None:
            return None
        stored_at, context = item
        if self._clock() - stored_at > self.ttl:
            del self._items[key]
            return None
        return context

    def put(self, key: Hashable, context: Context | None) -> None:
        if context is None:
            self._items.pop(key, None)
            return
        self._items[key] = (self._clock(), context)
        self._items.move_to_end(key)
        while len(self._items) > self.max_keys:
            self._items.popitem(last=False)
