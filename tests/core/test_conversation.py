"""`ConversationMemory`: the last context per key, for a while, for a bounded number of keys."""

from __future__ import annotations

from manual_clock import ManualClock

from bot.core.conversation import DEFAULT_TTL, ConversationMemory
from bot.core.matcher import Context

AUTOSCALING_K8S = Context(feature="autoscaling", system="kubernetes")
SECRETS_COMPOSE = Context(feature="segreti", system="compose")


def test_a_stored_context_comes_back_for_its_key_only(clock: ManualClock) -> None:
    memory = ConversationMemory(clock=clock)
    assert memory.get(("canale", "alice")) is None
    memory.put(("canale", "alice"), AUTOSCALING_K8S)
    assert memory.get(("canale", "alice")) == AUTOSCALING_K8S
    assert memory.get(("canale", "marco")) is None
    assert memory.get(("altro canale", "alice")) is None


def test_a_context_expires_after_its_time_to_live(clock: ManualClock) -> None:
    memory = ConversationMemory(clock=clock)
    memory.put("chiave", AUTOSCALING_K8S)
    clock.now = DEFAULT_TTL
    assert memory.get("chiave") == AUTOSCALING_K8S
    clock.now = DEFAULT_TTL + 0.001
    assert memory.get("chiave") is None
    clock.now = 0.0  # an expired context is gone for good, not just hidden
    assert memory.get("chiave") is None


def test_reading_does_not_extend_the_time_to_live_but_a_new_question_does(
    clock: ManualClock,
) -> None:
    memory = ConversationMemory(ttl=600.0, clock=clock)
    memory.put("chiave", AUTOSCALING_K8S)
    clock.now = 500.0
    assert memory.get("chiave") == AUTOSCALING_K8S
    clock.now = 601.0
    assert memory.get("chiave") is None

    memory.put("chiave", AUTOSCALING_K8S)  # at 601
    clock.now = 1100.0
    memory.put("chiave", SECRETS_COMPOSE)
    clock.now = 1650.0
    assert memory.get("chiave") == SECRETS_COMPOSE


def test_putting_none_forgets_the_context(clock: ManualClock) -> None:
    memory = ConversationMemory(clock=clock)
    memory.put("chiave", AUTOSCALING_K8S)
    memory.put("chiave", None)
    assert memory.get("chiave") is None
    memory.put("mai vista", None)  # forgetting an unknown key is fine
    assert memory.get("mai vista") is None


def test_the_least_recently_stored_key_goes_first_when_full(clock: ManualClock) -> None:
    memory = ConversationMemory(max_keys=2, clock=clock)
    memory.put("a", AUTOSCALING_K8S)
    memory.put("b", AUTOSCALING_K8S)
    memory.put("a", SECRETS_COMPOSE)  # "a" is now the most recent
    memory.put("c", AUTOSCALING_K8S)
    assert memory.get("b") is None
    assert memory.get("a") == SECRETS_COMPOSE
    assert memory.get("c") == AUTOSCALING_K8S
