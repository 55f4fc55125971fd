"""Anti-spam: `Cooldown` (once per key per period) and `RateLimiter` (a sliding window)."""

from __future__ import annotations

from bot.core.throttle import MAX_KEYS, Cooldown, RateLimiter


class Clock:
    """A settable monotonic clock: the modules take the clock as a parameter."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_cooldown_lets_one_hit_through_per_period() -> None:
    clock = Clock()
    cooldown = Cooldown(10.0, clock)
    assert cooldown.hit("canale")
    clock.now = 9.99
    assert not cooldown.hit("canale")
    clock.now = 10.0  # a full period after the hit that went through
    assert cooldown.hit("canale")


def test_a_refused_hit_does_not_restart_the_cooldown() -> None:
    clock = Clock()
    cooldown = Cooldown(10.0, clock)
    assert cooldown.hit("canale")
    for moment in (3.0, 6.0, 9.0):
        clock.now = moment
        assert not cooldown.hit("canale")
    clock.now = 10.0
    assert cooldown.hit("canale")


def test_cooldown_keys_are_independent() -> None:
    clock = Clock()
    cooldown = Cooldown(10.0, clock)
    assert cooldown.hit(("canale", "domanda"))
    assert cooldown.hit(("canale", "altra domanda"))
    assert cooldown.hit(("altro canale", "domanda"))
    assert not cooldown.hit(("canale", "domanda"))


def test_cooldown_forgets_the_oldest_key_beyond_its_bound() -> None:
    clock = Clock()
    cooldown = Cooldown(10.0, clock)
    assert cooldown.hit("primo")
    assert cooldown.hit("secondo")
    for number in range(MAX_KEYS - 1):
        assert cooldown.hit(number)
    # "primo" was the oldest of MAX_KEYS + 1 keys and is forgotten; "secondo" is not.
    assert cooldown.hit("primo")
    assert not cooldown.hit(MAX_KEYS - 2)


def test_rate_limiter_allows_limit_calls_per_window() -> None:
    clock = Clock()
    limiter = RateLimiter(3, 60.0, clock)
    for moment in (0.0, 10.0, 20.0):
        clock.now = moment
        assert limiter.allow("utente")
    clock.now = 59.0
    assert not limiter.allow("utente")


def test_rate_limiter_window_slides_one_call_at_a_time() -> None:
    clock = Clock()
    limiter = RateLimiter(3, 60.0, clock)
    for moment in (0.0, 10.0, 20.0):
        clock.now = moment
        assert limiter.allow("utente")
    clock.now = 60.0  # the call at 0 leaves the window
    assert limiter.allow("utente")
    clock.now = 65.0  # the call at 10 is still inside it
    assert not limiter.allow("utente")
    clock.now = 70.0
    assert limiter.allow("utente")


def test_refused_calls_do_not_use_up_the_window() -> None:
    clock = Clock()
    limiter = RateLimiter(1, 60.0, clock)
    assert limiter.allow("utente")
    for moment in (20.0, 40.0, 59.0):
        clock.now = moment
        assert not limiter.allow("utente")
    clock.now = 60.0
    assert limiter.allow("utente")


def test_rate_limiter_keys_are_independent() -> None:
    clock = Clock()
    limiter = RateLimiter(1, 60.0, clock)
    assert limiter.allow("alice")
    assert limiter.allow("marco")
    assert not limiter.allow("alice")


def test_rate_limiter_forgets_the_least_recent_key_beyond_its_bound() -> None:
    clock = Clock()
    limiter = RateLimiter(1, 60.0, clock)
    assert limiter.allow("primo")
    assert limiter.allow("secondo")
    assert not limiter.allow("primo")  # refused, but it makes "primo" the most recent key
    for number in range(MAX_KEYS - 1):
        assert limiter.allow(number)
    assert not limiter.allow("primo")  # still remembered
    assert limiter.allow("secondo")  # forgotten: it was the least recently seen key
