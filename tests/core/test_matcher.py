"""Intent detection over the shipped Kubernetes vs Compose table."""

from __future__ import annotations

import copy

import pytest

from bot.core.arbiter import FEATURE_COUNT, Arbiter
from bot.core.engine import Engine, next_context
from bot.core.intent_model import IntentModel
from bot.core.intent_training import Labelled, classes_for, train
from bot.core.knowledge import KnowledgeBase
from bot.core.matcher import BOTH, Context, Matcher
from tests.core.intents import summary

# --- the headline example -------------------------------------------------------


def test_compose_fa_auto_scaling(matcher: Matcher, engine: Engine) -> None:
    intent = matcher.match("Compose fa auto-scaling?")
    assert summary(intent) == ("feature", "autoscaling", "compose")
    assert intent.confidence >= matcher.threshold
    answer = engine.ask("Compose fa auto-scaling?")
    assert answer.text.startswith("No.")
    assert "Nessuna funzionalità di auto-scaling" in answer.text


# --- systems --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "system"),
    [
        ("kubernetes segreti", "kubernetes"),
        ("k8s segreti", "kubernetes"),
        ("kube segreti", "kubernetes"),
        ("kubectl segreti", "kubernetes"),
        ("i miei pod gestiscono i segreti?", "kubernetes"),
        ("docker-compose segreti", "compose"),
        ("docker compose segreti", "compose"),
        ("compose segreti", "compose"),
        ("docker-compose.yml e i segreti", "compose"),
        ("k8s e compose segreti", BOTH),
        ("segreti in kubernetes e in docker compose", BOTH),
        ("segreti", BOTH),
        ("come si gestiscono i segreti?", BOTH),
    ],
)
def test_system_detection(matcher: Matcher, question: str, system: str) -> None:
    assert summary(matcher.match(question)) == ("feature", "segreti", system)


@pytest.mark.parametrize(
    "question",
    [
        "swarm segreti",
        "docker swarm segreti",
        "docker swarm fa autoscaling?",
        "podman segreti",
        "podman-compose fa autoscaling?",
        "nomad segreti",
        "k3s fa autoscaling?",
    ],
)
def test_look_alike_products_are_not_compose_or_kubernetes(matcher: Matcher, question: str) -> None:
    intent = matcher.match(question)
    assert summary(intent) == ("unknown", None, None)
    assert intent.confidence < matcher.threshold


def test_naming_a_system_adds_confidence(matcher: Matcher) -> None:
    bare = matcher.match("segreti")
    named = matcher.match("compose segreti")
    assert bare.kind == named.kind == "feature"
    assert named.confidence > bare.confidence


# --- overview -------------------------------------------------------------------


@pytest.mark.parametrize(
    "question",
    [
        "meglio k8s o compose?",
        "kubernetes o docker compose, quale scelgo?",
        "Kubernetes vs Docker Compose",
        "differenze tra i due?",
        "quale conviene tra i due?",
    ],
)
def test_overview(matcher: Matcher, question: str) -> None:
    intent = matcher.match(question)
    assert summary(intent) == ("overview", None, BOTH)
    assert 0.0 < intent.confidence <= 1.0


def test_a_feature_beats_the_overview(matcher: Matcher) -> None:
    assert summary(matcher.match("meglio k8s o compose per i segreti?")) == (
        "feature",
        "segreti",
        BOTH,
    )


# --- out of scope ---------------------------------------------------------------


@pytest.mark.parametrize(
    "question",
    [
        # near: Kubernetes/Compose topics the table does not cover
        "volumi in docker compose",
        "come configuro il networking in kubernetes?",
        "come installo helm?",
        "helm rollback",
        "come si installa kubernetes su ubuntu?",
        "dove vedo i log di compose?",
        "kubectl logs",
        "docker swarm va bene per la produzione?",
        "volume persistente per i segreti",
        "quanto costa kubernetes?",
        # far: unrelated chat
        "che tempo fa oggi?",
        "mi consigli una pizzeria a napoli?",
        "chi ha vinto la partita ieri?",
        "ciao come stai",
        "il segreto per un colloquio",
        "la scala di do",
        "",
        "?!",
        "🙂",
    ],
)
def test_out_of_scope_is_unknown(matcher: Matcher, question: str) -> None:
    intent = matcher.match(question)
    assert summary(intent) == ("unknown", None, None)
    assert intent.confidence < matcher.threshold


def test_out_of_scope_topic_overrides_a_feature_word(matcher: Matcher) -> None:
    # "rollback" alone is a feature; "helm rollback" is about Helm.
    assert matcher.match("rollback").kind == "feature"
    assert matcher.match("helm rollback").kind == "unknown"


# --- suggestions ----------------------------------------------------------------


def test_two_close_features_are_suggested(matcher: Matcher, engine: Engine) -> None:
    intent = matcher.match("carico e server")
    assert intent.kind == "unknown"
    assert set(intent.suggestions) == {"cluster", "autoscaling"}
    answer = engine.ask("carico e server")
    assert "Forse intendevi: Cluster distribuiti o Auto-scaling?" in answer.text
    assert answer.suggestions == intent.suggestions


def test_a_confident_answer_still_lists_a_close_runner_up(matcher: Matcher) -> None:
    intent = matcher.match("scalare su più nodi")
    assert summary(intent) == ("feature", "scalabilita", BOTH)
    assert intent.suggestions == ("scalabilita", "cluster")


def test_a_clear_question_has_no_suggestions(matcher: Matcher) -> None:
    assert matcher.match("k8s fa autoscaling?").suggestions == ()


@pytest.fixture(scope="module")
def rules(kb: KnowledgeBase) -> Matcher:
    """The rules with the shipped model as their helper, but no arbiter: what the
    rules themselves conclude, before the model may overrule them."""
    shipped = Matcher(kb)._learned_model()
    assert shipped is not None
    helper = copy.copy(shipped)
    helper.arbiter = None
    matcher = Matcher(kb)
    matcher.use_model(helper)
    return matcher


def test_a_single_weak_cue_suggests_without_answering(rules: Matcher) -> None:
    intent = rules.match("password")
    assert intent.kind == "unknown"
    assert intent.suggestions == ("segreti",)


# --- follow-ups -----------------------------------------------------------------


def test_follow_up_switches_system_and_keeps_feature(engine: Engine) -> None:
    first = engine.ask("compose fa autoscaling?")
    assert (first.feature, first.system) == ("autoscaling", "compose")
    second = engine.ask("e kubernetes?", next_context(first))
    assert (second.kind, second.feature, second.system) == ("feature", "autoscaling", "kubernetes")
    assert second.text.startswith("Sì.")


def test_follow_up_switches_feature_and_keeps_system(engine: Engine) -> None:
    first = engine.ask("compose fa autoscaling?")
    second = engine.ask("e per i segreti?", next_context(first))
    assert (second.kind, second.feature, second.system) == ("feature", "segreti", "compose")


def test_follow_up_chain_of_three(engine: Engine) -> None:
    context = next_context(engine.ask("k8s gestisce i segreti?"))
    second = engine.ask("e compose?", context)
    assert (second.feature, second.system) == ("segreti", "compose")
    third = engine.ask("e il rollback?", next_context(second, context))
    assert (third.feature, third.system) == ("rolling-update", "compose")


def test_without_context_a_bare_system_is_not_a_feature(matcher: Matcher) -> None:
    assert matcher.match("e kubernetes?").kind == "unknown"
    assert matcher.match("e per i segreti?").system == BOTH


def test_follow_up_does_not_leak_into_out_of_scope(matcher: Matcher) -> None:
    context = Context("autoscaling", "compose")
    for question in ("e i volumi?", "e swarm?", "e docker swarm?", "che tempo fa?"):
        assert matcher.match(question, context).kind == "unknown", question


@pytest.mark.parametrize(
    "question",
    ["ci mette molto?", "va configurato a parte?", "regge anche con tre macchine?", "e i tempi?"],
)
def test_a_short_question_in_a_conversation_asks_more(matcher: Matcher, question: str) -> None:
    context = Context("failover", "kubernetes")
    assert summary(matcher.match(question, context)) == ("feature", "failover", "kubernetes")
    # Out of the blue, the same words are no question about the table.
    assert matcher.match(question).kind == "unknown"


@pytest.mark.parametrize(
    "question", ["ok grazie, chi scende per un caffè?", "grazie mille, a domani?", "che tempo fa?"]
)
def test_thanks_and_everyday_chat_end_the_thread(matcher: Matcher, question: str) -> None:
    context = Context("failover", "kubernetes")
    assert matcher.match(question, context).kind == "unknown"


def test_something_similar_elsewhere_keeps_the_feature(matcher: Matcher) -> None:
    context = Context("autoscaling", "kubernetes")
    intent = matcher.match("su compose c'è qualcosa di equivalente?", context)
    assert summary(intent) == ("feature", "autoscaling", "compose")


def test_a_question_naming_no_system_stays_on_the_conversation_s_system(
    matcher: Matcher,
) -> None:
    context = Context("autoscaling", "compose")
    intent = matcher.match("ok capito. e se il container si blocca chi lo fa ripartire?", context)
    assert summary(intent) == ("feature", "failover", "compose")
    # A comparison is about both, whatever the conversation.
    intent = matcher.match("quale dei due gestisce meglio i segreti?", context)
    assert (intent.feature, intent.system) == ("segreti", BOTH)


@pytest.mark.parametrize(
    ("previous", "question", "feature"),
    [
        ("scalabilita", "e in automatico?", "autoscaling"),
        ("scalabilita", "e se volessi che si regolasse in base al carico?", "autoscaling"),
        ("autoscaling", "e se invece le voglio fissare io a mano?", "scalabilita"),
    ],
)
def test_a_follow_up_moves_between_scaling_by_hand_and_auto_scaling(
    matcher: Matcher, previous: str, question: str, feature: str
) -> None:
    intent = matcher.match(question, Context(previous, "kubernetes"))
    assert summary(intent) == ("feature", feature, "kubernetes")


def test_a_long_unrelated_question_is_not_a_follow_up(matcher: Matcher) -> None:
    context = Context("autoscaling", "compose")
    intent = matcher.match(
        "ok grazie, ma come si installa kubernetes su un server ubuntu?", context
    )
    assert intent.kind == "unknown"


def test_next_context(engine: Engine) -> None:
    feature = engine.ask("compose fa autoscaling?")
    assert next_context(feature) == Context("autoscaling", "compose")
    previous = Context("segreti", "kubernetes")
    # Chat ends the topic: a "perché?" after it has nothing to inherit.
    assert next_context(engine.ask("che tempo fa?"), previous) == Context(chat=True)
    # So does a question about the systems the table cannot answer.
    assert next_context(engine.ask("come monto un volume in compose?"), previous) is None
    assert next_context(engine.ask("meglio k8s o compose?"), previous) == Context(
        system=BOTH, overview=True
    )


# --- misc -----------------------------------------------------------------------


def test_threshold_is_respected(kb: KnowledgeBase) -> None:
    uninformed = tiny_model(kb, {f"frase qualsiasi {n}": "none" for n in range(10)})
    strict = with_model(kb, uninformed, threshold=0.99)
    intent = strict.match("compose fa autoscaling?")
    assert intent.kind == "unknown"
    assert 0.5 < intent.confidence < 0.99
    # With the shipped model too, nothing is answered below the threshold.
    shipped = Matcher(kb, threshold=0.99)
    for question in ("compose fa autoscaling?", "compose scala?", "k8s e i segreti"):
        intent = shipped.match(question)
        assert intent.kind == "unknown" or intent.confidence >= 0.99, (question, intent)


# --- the learned model's second opinion -------------------------------------------

# Arbiters that always or never let the model answer where it disagrees with
# the rules: the fitted one (bot.core.arbiter) sits between these.
MODEL_ALWAYS = Arbiter((0.0,) * FEATURE_COUNT, 1.0)
RULES_ALWAYS = Arbiter((0.0,) * FEATURE_COUNT, -1.0)


def tiny_model(
    kb: KnowledgeBase, texts: dict[str, str], arbiter: Arbiter | None = None
) -> IntentModel:
    """A model that knows only `texts` (text -> label), to test the wiring."""
    model = train([Labelled(t, label) for t, label in texts.items()], classes_for(kb), kb.id)
    model.arbiter = arbiter
    return model


def with_model(kb: KnowledgeBase, model: IntentModel, threshold: float = 0.5) -> Matcher:
    matcher = Matcher(kb, threshold)
    matcher.use_model(model)
    return matcher


BLENDER = {f"frullatore {n}": "failover" for n in range(30)} | {
    f"altro discorso {n}": "none" for n in range(30)
}
EVERYTHING_IS_SECRETS = {f"compose scala {n}": "segreti" for n in range(20)}


def test_the_arbiter_decides_whether_the_model_overrules_the_rules(kb: KnowledgeBase) -> None:
    question = "compose scala?"
    assert Matcher(kb).match(question).feature == "scalabilita"
    for arbiter in (None, RULES_ALWAYS):
        matcher = with_model(kb, tiny_model(kb, EVERYTHING_IS_SECRETS, arbiter))
        assert matcher.match(question).feature == "scalabilita"
    matcher = with_model(kb, tiny_model(kb, EVERYTHING_IS_SECRETS, MODEL_ALWAYS))
    overruled = matcher.match(question)
    # The rules' system stays, and their feature is offered next to the model's.
    assert summary(overruled) == ("feature", "segreti", "compose")
    assert overruled.suggestions == ("segreti", "scalabilita")
    assert overruled.confidence >= matcher.threshold


def test_the_model_may_answer_what_the_rules_cannot_read(kb: KnowledgeBase) -> None:
    question = "kube ha il frullatore?"
    assert Matcher(kb).match(question).kind == "unknown"
    matcher = with_model(kb, tiny_model(kb, BLENDER, MODEL_ALWAYS))
    assert summary(matcher.match(question)) == ("feature", "failover", "kubernetes")
    # Never for a bare system name, nor for a look-alike product.
    assert matcher.match("e kubernetes?").kind == "unknown"
    assert matcher.match("docker swarm ha il frullatore?").kind == "unknown"


def test_a_follow_up_is_never_second_guessed(kb: KnowledgeBase) -> None:
    matcher = with_model(kb, tiny_model(kb, BLENDER, MODEL_ALWAYS))
    context = Context("segreti", "compose")
    assert summary(matcher.match("e kubernetes?", context)) == ("feature", "segreti", "kubernetes")


def test_the_shipped_model_carries_a_fitted_arbiter(kb: KnowledgeBase) -> None:
    model = Matcher(kb)._learned_model()
    assert model is not None and model.arbiter is not None
    assert model.arbiter not in (MODEL_ALWAYS, RULES_ALWAYS)


@pytest.mark.parametrize(
    ("question", "feature"),
    [
        ("KUBERNETES HA I SEGRETI?", "segreti"),
        ("COMPOSE HA L'AUTOSCALING?", "autoscaling"),
        ("l'HA di compose", "failover"),
        ("cosa cambia per l'HA tra k8s e compose?", "failover"),
    ],
)
def test_upper_case_ha_is_high_availability_unless_shouting(
    rules: Matcher, question: str, feature: str
) -> None:
    assert rules.match(question).feature == feature


@pytest.mark.parametrize(
    "question",
    ["compose down cancella i dati?", "compose da solo basta?", "K8S HA SENSO PER UN BLOG?"],
)
def test_compose_commands_and_idioms_are_not_features(rules: Matcher, question: str) -> None:
    # "K8S HA SENSO..." is shouted, so "HA" is the verb: whether k8s is worth
    # it for a blog is an overview question, not high availability.
    assert rules.match(question).kind != "feature"


@pytest.mark.parametrize(
    ("question", "system"),
    [
        ("se un pod crasha viene riavviato?", "kubernetes"),
        ("hpa come si configura", "kubernetes"),
        ("compose fa hpa?", "compose"),
        ("compose riavvia i container come fa un pod?", "compose"),
    ],
)
def test_jargon_hints_a_system_only_when_none_is_named(
    matcher: Matcher, question: str, system: str
) -> None:
    assert matcher.match(question).system == system


def test_phrase_words_must_be_close_together(matcher: Matcher) -> None:
    # "tanti container" (scalability) is not in "container ... ogni tanto".
    intent = matcher.match("il mio container muore ogni tanto, compose lo rialza?")
    assert (intent.feature, intent.system) == ("failover", "compose")
    # Far apart, the words of "aggiornamento fallito" are no phrase either:
    # only the single word "aggiornamento" counts.
    near = matcher.match("aggiornamento fallito, che faccio?")
    far = matcher.match("aggiornamento del sito fatto, poi ieri sera il test era fallito")
    assert near.scores["rolling-update"] > far.scores["rolling-update"] > 0
