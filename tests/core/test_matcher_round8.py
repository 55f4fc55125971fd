"""The reading classes rounds 7 and 8's misses taught, on questions written for these tests.

A turn to the other system in a sentence of its own before the question, "who
is better" inside a conversation, a short "e ..." after an overview, whether
to move or stay, who a system is for, the asker not doing it (auto-scaling)
or setting the count (scaling by hand), and everyday words that are not ours.
"""

from __future__ import annotations

import pytest

from bot.core.matcher import BOTH, Context, Matcher
from tests.core.intents import summary


@pytest.mark.parametrize(
    ("question", "feature", "system"),
    [
        ("compose ok, e kube? rimette su i container caduti?", "failover", "kubernetes"),
        ("kubernetes va bene, ma con compose? le password dove le metto?", "segreti", "compose"),
    ],
)
def test_a_turn_to_the_other_system_names_the_system_of_the_next_question(
    matcher: Matcher, question: str, feature: str, system: str
) -> None:
    assert summary(matcher.match(question)) == ("feature", feature, system)


def test_a_story_naming_both_systems_leaves_the_question_on_both(matcher: Matcher) -> None:
    question = "in ufficio c'è k8s e a casa compose. come gestisco le password?"
    assert matcher.match(question).system == BOTH


@pytest.mark.parametrize("question", ["allora chi è migliore?", "chi dei due lo fa peggio?"])
def test_who_is_better_in_a_conversation_ranks_both(matcher: Matcher, question: str) -> None:
    context = Context("rolling-update", "compose")
    assert summary(matcher.match(question, context)) == ("feature", "rolling-update", BOTH)


def test_asking_on_without_who_stays_on_the_system(matcher: Matcher) -> None:
    context = Context("rolling-update", "compose")
    assert matcher.match("e lo fa bene?", context).system == "compose"


@pytest.mark.parametrize("question", ["e se il team raddoppia?", "e kube allora a chi serve?"])
def test_a_short_follow_up_after_an_overview_goes_on_with_it(
    matcher: Matcher, question: str
) -> None:
    context = Context(None, BOTH, overview=True)
    assert summary(matcher.match(question, context)) == ("overview", None, BOTH)


def test_a_feature_after_an_overview_is_that_feature(matcher: Matcher) -> None:
    context = Context(None, BOTH, overview=True)
    assert matcher.match("e i segreti?", context).feature == "segreti"


@pytest.mark.parametrize(
    "question",
    [
        "il cliente spinge per kubernetes ma il gestionale gira bene su compose: cambio o no?",
        "kubernetes è roba per chi ha mille server?",
    ],
)
def test_moving_or_staying_and_who_a_system_is_for_are_overviews(
    matcher: Matcher, question: str
) -> None:
    assert summary(matcher.match(question)) == ("overview", None, BOTH)


def test_the_asker_not_doing_it_is_auto_scaling(matcher: Matcher) -> None:
    context = Context("scalabilita", "kubernetes")
    intent = matcher.match("in automatico, senza che ci pensi io?", context)
    assert summary(intent) == ("feature", "autoscaling", "kubernetes")


def test_the_asker_setting_the_count_is_scaling(matcher: Matcher) -> None:
    question = "voglio più istanze del worker, quante lo decido io in base ai clienti: compose?"
    assert summary(matcher.match(question)) == ("feature", "scalabilita", "compose")


@pytest.mark.parametrize(
    "question", ["stasera c'è la replica del gran premio", "un cluster di gente fuori dal bar"]
)
def test_television_and_bars_are_everyday_life(matcher: Matcher, question: str) -> None:
    assert matcher.match(question).kind == "unknown"
