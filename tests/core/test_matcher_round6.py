"""The reading classes round 6's misses taught, on questions written for these tests.

Which system an elliptic contrast asks about, a comparison inside a
conversation, a follow-up extending the last question to one more object,
objects the table has no row for, and a story whose evidence lies before
the learned model's window.
"""

from __future__ import annotations

import copy

import pytest

from bot.core.arbiter import FEATURE_COUNT, Arbiter
from bot.core.intent_training import Labelled, classes_for, train
from bot.core.knowledge import KnowledgeBase
from bot.core.matcher import BOTH, MODEL_WORDS, Context, Matcher
from bot.core.text import tokenize
from tests.core.intents import summary


@pytest.fixture(scope="module")
def rules(kb: KnowledgeBase) -> Matcher:
    """The rules without the arbiter: what they conclude before the model may overrule."""
    shipped = Matcher(kb)._learned_model()
    assert shipped is not None
    helper = copy.copy(shipped)
    helper.arbiter = None
    matcher = Matcher(kb)
    matcher.use_model(helper)
    return matcher


# --- "X sì, Y?" ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "feature", "system"),
    [
        ("segreti: kube sì, dc?", "segreti", "compose"),
        ("rolling update: compose no, kubernetes?", "rolling-update", "kubernetes"),
        ("autoscaling con k8s ok, docker compose?", "autoscaling", "compose"),
        ("i segreti su kube sì e su dc?", "segreti", "compose"),
    ],
)
def test_a_verdict_for_one_system_then_the_other_alone_asks_the_other(
    matcher: Matcher, question: str, feature: str, system: str
) -> None:
    assert summary(matcher.match(question)) == ("feature", feature, system)


@pytest.mark.parametrize(
    "question",
    [
        "segreti: kube sì, dc no?",
        "segreti: kube sì, dc boh",
        "segreti: kube o dc?",
        "i segreti su kube e su dc?",
    ],
)
def test_two_verdicts_or_a_choice_stay_on_both(matcher: Matcher, question: str) -> None:
    assert matcher.match(question).system == BOTH


# --- a comparison inside a conversation ------------------------------------------


@pytest.mark.parametrize("question", ["kube è meglio su questo?", "con k8s sarebbe migliore?"])
def test_ranking_the_other_system_compares_both(matcher: Matcher, question: str) -> None:
    context = Context("failover", "compose")
    assert summary(matcher.match(question, context)) == ("feature", "failover", BOTH)


@pytest.mark.parametrize(
    ("question", "system"),
    [
        # A contrast turns to the system named, as "ma compose?" does.
        ("ok ma kube è messo peggio?", "kubernetes"),
        # "di meglio" is something better within that system.
        ("su kube c'è di meglio?", "kubernetes"),
        ("e con kube?", "kubernetes"),
        # The same system ranked stays on it.
        ("compose è messo peggio?", "compose"),
    ],
)
def test_other_follow_ups_naming_one_system_stay_on_it(
    matcher: Matcher, question: str, system: str
) -> None:
    context = Context("failover", "compose")
    assert summary(matcher.match(question, context)) == ("feature", "failover", system)


# --- "anche per X?" ---------------------------------------------------------------


@pytest.mark.parametrize(
    "question",
    [
        "anche per le configmap?",
        "vale pure per uno statefulset?",
        "anche i namespace?",
        "anche il certificato tls?",
    ],
)
def test_extending_the_question_to_an_uncovered_object_keeps_the_feature(
    matcher: Matcher, question: str
) -> None:
    context = Context("rolling-update", "kubernetes")
    expected = ("feature", "rolling-update", "kubernetes")
    assert summary(matcher.match(question, context)) == expected


@pytest.mark.parametrize(
    "question", ["e le configmap come le scrivo?", "e i volumi?", "anche aggiornare kubernetes?"]
)
def test_a_new_uncovered_topic_still_ends_the_thread(matcher: Matcher, question: str) -> None:
    context = Context("rolling-update", "kubernetes")
    assert matcher.match(question, context).kind == "unknown"


# --- objects the table has no row for ----------------------------------------------


@pytest.mark.parametrize(
    ("question", "feature"),
    [
        ("con kubectl scale porto uno statefulset a 4 copie?", "scalabilita"),
        ("se muore il pod di uno statefulset chi lo ricrea?", "failover"),
    ],
)
def test_a_feature_acting_on_an_uncovered_object_is_the_feature(
    rules: Matcher, question: str, feature: str
) -> None:
    # The object is Kubernetes' own: it names the system too.
    assert summary(rules.match(question)) == ("feature", feature, "kubernetes")


@pytest.mark.parametrize(
    "question", ["a che serve uno statefulset?", "come scrivo una configmap per redis?"]
)
def test_an_uncovered_object_named_alone_is_out_of_scope(rules: Matcher, question: str) -> None:
    assert rules.match(question).kind == "unknown"


# --- a story longer than the model's window ------------------------------------------

# A model that reads every word of the crash story below as chat.
CRASH_IS_CHAT = {
    f"container compose piantato controllare modo giorno dopo nessuno detto niente {n}": "none"
    for n in range(30)
} | {f"frullatore {n}": "failover" for n in range(30)}
MODEL_ALWAYS = Arbiter((0.0,) * FEATURE_COUNT, 1.0)


@pytest.fixture(scope="module")
def crash_is_chat(kb: KnowledgeBase) -> Matcher:
    """A matcher whose model calls crash stories chat, and is always heeded."""
    model = train(
        [Labelled(t, label) for t, label in CRASH_IS_CHAT.items()], classes_for(kb), kb.id
    )
    model.arbiter = MODEL_ALWAYS
    matcher = Matcher(kb)
    matcher.use_model(model)
    return matcher


def test_the_model_does_not_overrule_evidence_it_never_read(crash_is_chat: Matcher) -> None:
    matcher = crash_is_chat
    ask = "c'è un modo per non doverlo più controllare io ogni volta?"
    short = "il container su compose si è piantato. " + ask
    # Inside the window the model reads the crash, and here it may overrule.
    assert matcher.match(short).kind == "unknown"
    padding = " ".join(["poi il giorno dopo tutto uguale e nessuno ha detto niente."] * 3)
    story = f"il container su compose si è piantato stanotte. {padding} {ask}"
    assert len(tokenize(story)) > MODEL_WORDS + 8
    assert summary(matcher.match(story)) == ("feature", "failover", "compose")


def test_a_weak_cue_before_the_window_leaves_the_model_its_say(crash_is_chat: Matcher) -> None:
    matcher = crash_is_chat
    # Only "server", a weak cue of a cluster, lies before the window.
    padding = " ".join(["poi il giorno dopo tutto uguale e nessuno ha detto niente."] * 3)
    story = f"su compose abbiamo un server. {padding} c'è un modo per controllare meno?"
    assert len(tokenize(story)) > MODEL_WORDS + 8
    assert matcher.match(story).kind == "unknown"
