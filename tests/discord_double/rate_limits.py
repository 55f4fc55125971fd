"""Discord's REST rate limits: per-route buckets, the global limit, the invalid-request limit.

docs: topics/rate-limits.mdx
- Per-route buckets, keyed by method and route and counted per top-level resource
  (``channel_id``, ``guild_id``, ``webhook_id`` + ``webhook_token``); every response carries
  ``X-RateLimit-Limit``, ``-Remaining``, ``-Reset``, ``-Reset-After`` and ``-Bucket`` ("non-
  inclusive of top-level resources"). Over the limit: 429 with ``retry_after``, ``global``
  and ``X-RateLimit-Scope: user``.
- Global: "All bots can make up to 50 requests per second"; "Interaction endpoints are not
  bound to the bot's Global Rate Limit". Over it: 429 with ``global: true``,
  ``X-RateLimit-Global: true`` and ``X-RateLimit-Scope: global``.
- Invalid requests: "10,000 per 10 minutes" of 401, 403 or 429 (except 429s with scope
  ``shared``), then the IP is restricted by Cloudflare: a 429 without ``Via`` and with a
  text body, which discord.py raises instead of retrying.
Every 429 from Discord's API carries ``Via`` (discord.py retries only then; notes §7).

The defaults are generous, so tests see the headers without waiting; set low limits on
``double.rate_limits`` to make discord.py wait (and still deliver).
"""

from __future__ import annotations

import hashlib
import math
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from .world import JSON

# Route parameters that make a separate counter within one bucket (top-level resources).
MAJOR_PARAMETERS = ("channel_id", "guild_id", "app_id", "token", "interaction_id")
VIA = "1.1 google"


@dataclass
class Limited:
    """A 429 instead of the handler's answer."""

    body: Any
    headers: dict[str, str]
    is_text: bool = False


@dataclass
class _Window:
    started: float
    count: int = 0


@dataclass
class RateLimits:
    """Limits (mutable by tests) and the counters the double keeps against them."""

    route_limit: int = 1000  # requests per bucket and top-level resource per window
    route_window: float = 1.0
    global_limit: int | None = None  # requests per global_window (Discord: 50 per second)
    global_window: float = 1.0
    invalid_limit: int = 10_000
    invalid_window: float = 600.0
    _buckets: dict[tuple[str, tuple[str, ...]], _Window] = field(default_factory=dict)
    _global: deque[float] = field(default_factory=deque)
    _invalid: deque[float] = field(default_factory=deque)

    @staticmethod
    def bucket_hash(method: str, template: str) -> str:
        return hashlib.sha1(f"{method} {template}".encode()).hexdigest()[:16]

    def _window(self, key: tuple[str, tuple[str, ...]], now: float) -> _Window:
        window = self._buckets.get(key)
        if window is None or now - window.started >= self.route_window:
            window = self._buckets[key] = _Window(now)
        return window

    @staticmethod
    def _trim(hits: deque[float], now: float, span: float) -> None:
        while hits and now - hits[0] >= span:
            hits.popleft()

    def _headers(self, bucket: str, window: _Window, now: float) -> dict[str, str]:
        # Rounded up to the millisecond: a client sleeping exactly this long is never early.
        reset_after = math.ceil(max(0.0, window.started + self.route_window - now) * 1000) / 1000
        return {
            "X-RateLimit-Limit": str(self.route_limit),
            "X-RateLimit-Remaining": str(max(0, self.route_limit - window.count)),
            "X-RateLimit-Reset": f"{time.time() + reset_after:.3f}",
            "X-RateLimit-Reset-After": f"{reset_after:.3f}",
            "X-RateLimit-Bucket": bucket,
        }

    def admit(
        self, method: str, template: str, params: dict[str, str], now: float
    ) -> tuple[Limited | None, dict[str, str]]:
        """Count one request: a 429 to send instead, or None; and the headers to add."""
        self._trim(self._invalid, now, self.invalid_window)
        if len(self._invalid) >= self.invalid_limit:
            retry = self._invalid[0] + self.invalid_window - now
            # Cloudflare's answer: no Via, not JSON.
            return Limited("error code: 1015", {"Retry-After": str(math.ceil(retry))}, True), {}
        interaction = template.startswith(("/interactions/", "/webhooks/"))
        if self.global_limit is not None and not interaction:
            self._trim(self._global, now, self.global_window)
            if len(self._global) >= self.global_limit:
                retry = self._global[0] + self.global_window - now
                self._invalid.append(now)
                body: JSON = {
                    "message": "You are being rate limited.",
                    "retry_after": round(retry, 3),
                    "global": True,
                }
                headers = {
                    "Retry-After": str(math.ceil(retry)),
                    "X-RateLimit-Global": "true",
                    "X-RateLimit-Scope": "global",
                    "Via": VIA,
                }
                return Limited(body, headers), {}
            self._global.append(now)
        bucket = self.bucket_hash(method, template)
        major = tuple(params.get(name, "") for name in MAJOR_PARAMETERS)
        window = self._window((bucket, major), now)
        if window.count >= self.route_limit:
            headers = self._headers(bucket, window, now)
            retry = float(headers["X-RateLimit-Reset-After"])
            self._invalid.append(now)
            body = {"message": "You are being rate limited.", "retry_after": retry, "global": False}
            headers.update(
                {"Retry-After": str(math.ceil(retry)), "X-RateLimit-Scope": "user", "Via": VIA}
            )
            return Limited(body, headers), {}
        window.count += 1
        return None, self._headers(bucket, window, now)

    def record_status(self, status: int, now: float) -> None:
        """401s and 403s count toward the invalid-request limit (429s are counted above)."""
        if status in (401, 403):
            self._invalid.append(now)
