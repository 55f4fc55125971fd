"""`ReplyBudget`: replies per channel at Discord's pace, none more than a minute late."""

from __future__ import annotations

from manual_clock import ManualClock

from bot.core.throttle import CHANNEL_BURST, MAX_KEYS, MAX_REPLY_DELAY, ReplyBudget


def test_a_burst_goes_out_at_once_then_one_reply_a_second(clock: ManualClock) -> None:
    budget = ReplyBudget(rate=1.0, burst=5, max_delay=60.0, clock=clock)
    waits = [budget.take("canale") for _ in range(8)]
    assert waits == [0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 2.0, 3.0]


def test_replies_that_would_be_over_a_minute_late_are_refused(clock: ManualClock) -> None:
    budget = ReplyBudget(rate=1.0, burst=5, max_delay=60.0, clock=clock)
    waits = [budget.take("canale") for _ in range(70)]
    booked = [wait for wait in waits if wait is not None]
    assert len(booked) == 5 + 60 and max(booked) == 60.0
    assert waits[65:] == [None] * 5  # the last ones, not the first
    # A refusal books nothing: once the queue drains, the channel has room again.
    clock.now = 1.0
    assert budget.take("canale") == 60.0
    assert budget.take("canale") is None


def test_a_quiet_channel_gets_its_whole_burst_back(clock: ManualClock) -> None:
    budget = ReplyBudget(rate=1.0, burst=5, max_delay=60.0, clock=clock)
    for _ in range(10):
        budget.take("canale")
    clock.now = 100.0
    assert [budget.take("canale") for _ in range(6)] == [0.0] * 5 + [1.0]


def test_channels_have_separate_budgets(clock: ManualClock) -> None:
    budget = ReplyBudget(rate=1.0, burst=1, max_delay=0.0, clock=clock)
    assert budget.take("uno") == 0.0
    assert budget.take("uno") is None
    assert budget.take("due") == 0.0


def test_the_defaults_match_discord_and_forget_old_channels(clock: ManualClock) -> None:
    budget = ReplyBudget(clock=clock)
    assert [budget.take("canale") for _ in range(CHANNEL_BURST)] == [0.0] * CHANNEL_BURST
    assert budget.take("canale") == 1.0
    assert budget.max_delay == MAX_REPLY_DELAY == 60.0
    for key in range(MAX_KEYS + 10):
        budget.take(key)
    assert budget.take("canale") == 0.0  # forgotten: a fresh burst
