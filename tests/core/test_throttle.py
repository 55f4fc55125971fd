"""Anti-spam: `Cooldown` (once per key per period) and `RateLimiter` (a sliding window)."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence

from manual_clock import ManualClock

from bot.core.throttle import MAX_KEYS, Cooldown, RateLimiter


def answers_at(
    clock: ManualClock, check: Callable[[Hashable], bool], moments: Sequence[float], key: str = "k"
) -> list[bool]:
    """`check(key)` at each moment, in order: what a user asking then would get."""
    results = []
    for moment in moments:
        clock.now = moment
        results.append(check(key))
    return results


def test_cooldown_lets_one_hit_through_per_period(clock: ManualClock) -> None:
    cooldown = Cooldown(10.0, clock)
    assert answers_at(clock, cooldown.hit, [0.0, 9.99, 10.0]) == [True, False, True]


def test_a_refused_hit_does_not_restart_the_cooldown(clock: ManualClock) -> None:
    cooldown = Cooldown(10.0, clock)
    moments = [0.0, 3.0, 6.0, 9.0, 10.0]
    assert answers_at(clock, cooldown.hit, moments) == [True, False, False, False, True]


def test_cooldown_keys_are_independent(clock: ManualClock) -> None:
    cooldown = Cooldown(10.0, clock)
    assert cooldown.hit(("canale", "domanda"))
    assert cooldown.hit(("canale", "altra domanda"))
    assert cooldown.hit(("altro canale", "domanda"))
    assert not cooldown.hit(("canale", "domanda"))


def test_cooldown_forgets_the_oldest_key_beyond_its_bound(clock: ManualClock) -> None:
    cooldown = Cooldown(10.0, clock)
    assert cooldown.hit("primo")
    assert cooldown.hit("secondo")
    for number in range(MAX_KEYS - 1):
        assert cooldown.hit(number)
    # "primo" was the oldest of MAX_KEYS + 1 keys and is forgotten; the newest are not.
    assert cooldown.hit("primo")
    assert not cooldown.hit(MAX_KEYS - 2)


def test_rate_limiter_allows_limit_calls_per_window(clock: ManualClock) -> None:
    limiter = RateLimiter(3, 60.0, clock)
    assert answers_at(clock, limiter.allow, [0.0, 10.0, 20.0, 59.0]) == [True, True, True, False]


def test_rate_limiter_window_slides_one_call_at_a_time(clock: ManualClock) -> None:
    limiter = RateLimiter(3, 60.0, clock)
    # At 60 the call at 0 has left the window; at 65 the call at 10 is still inside it.
    moments = [0.0, 10.0, 20.0, 60.0, 65.0, 70.0]
    assert answers_at(clock, limiter.allow, moments) == [True, True, True, True, False, True]


def test_refused_calls_do_not_use_up_the_window(clock: ManualClock) -> None:
    limiter = RateLimiter(1, 60.0, clock)
    moments = [0.0, 20.0, 40.0, 59.0, 60.0]
    assert answers_at(clock, limiter.allow, moments) == [True, False, False, False, True]


def test_rate_limiter_keys_are_independent(clock: ManualClock) -> None:
    limiter = RateLimiter(1, 60.0, clock)
    assert limiter.allow("alice")
    assert limiter.allow("marco")
    assert not limiter.allow("alice")


def test_rate_limiter_forgets_the_least_recent_key_beyond_its_bound(clock: ManualClock) -> None:
    limiter = RateLimiter(1, 60.0, clock)
    assert limiter.allow("primo")
    assert limiter.allow("secondo")
    assert not limiter.allow("primo")  # refused, but it makes "primo" the most recent key
    for number in range(MAX_KEYS - 1):
        assert limiter.allow(number)
    assert not limiter.allow("primo")  # still remembered
    assert limiter.allow("secondo")  # forgotten: it was the least recently seen key
