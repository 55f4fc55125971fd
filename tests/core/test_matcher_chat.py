"""Real chat, kind by kind (issue 8), with examples written for these tests.

None of these questions is in an eval set: each stands for a class of message
the matcher must read, not for itself.
"""

from __future__ import annotations

import pytest

from bot.core.engine import Engine, next_context
from bot.core.matcher import BOTH, Context, Matcher


def read(matcher: Matcher, question: str, context: Context | None = None) -> tuple[str, ...]:
    intent = matcher.match(question, context)
    return intent.kind, intent.feature or "", intent.system or ""


# --- 1. Compose abbreviations -------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "feature"),
    [
        ("dc tiene le credenziali cifrate?", "segreti"),
        ("con dkc i container crashati ripartono?", "failover"),
        ("d-c sa aggiornare senza downtime?", "rolling-update"),
        ("compose v2 regge più repliche dello stesso servizio?", "scalabilita"),
        ("nel compose.yml posso mettere tre host?", "cluster"),
        ("docker compose v2 scala da solo col traffico?", "autoscaling"),
    ],
)
def test_compose_abbreviations(matcher: Matcher, question: str, feature: str) -> None:
    assert read(matcher, question) == ("feature", feature, "compose")


def test_dc_is_compose_only_as_a_word_of_its_own(matcher: Matcher) -> None:
    assert matcher.match("la cartella dcim ha i segreti?").system != "compose"
    assert matcher.match("dc ha i segreti?").system == "compose"


# --- 2. Which system is asked about -------------------------------------------------


@pytest.mark.parametrize(
    ("question", "system"),
    [
        ("su k8s i secret ci sono, ma in dc?", "compose"),
        ("kube lo conosco bene, compose invece come fa il failover?", "compose"),
        ("compose ok per i segreti, e kubernetes?", "kubernetes"),
        ("sto portando tutto da compose a k8s: lì il rollback come funziona?", "kubernetes"),
        ("vengo da anni di docker compose, su kube le repliche si decidono a mano?", "kubernetes"),
        ("kubernetes a parte, compose regge il failover?", "compose"),
        ("differenza tra kube e compose sul rollback?", BOTH),
        ("meglio k8s o dc per i segreti?", BOTH),
        ("k8s e compose riavviano entrambi i container morti?", BOTH),
        # a statement about one system, then the other with a bare verdict
        ("kube i secret li cifra, dc no vero?", "compose"),
        ("failover: kubernetes lo gestisce da solo, compose no?", "compose"),
        ("dc fa girare i servizi su un host, k8s no giusto?", "kubernetes"),
        # verdicts listed one per system stay on both
        ("autoscaling: k8s sì, dc no?", BOTH),
    ],
)
def test_the_system_asked_about(matcher: Matcher, question: str, system: str) -> None:
    intent = matcher.match(question)
    assert intent.kind == "feature"
    assert intent.system == system


# --- 3. Word senses -------------------------------------------------------------------


@pytest.mark.parametrize(
    "question",
    [
        "ho fatto rollback sul proposito di andare in palestra",
        "sabato si scala la cima del gran sasso?",
        "avete visto la replica della finale di champions?",
        "il segreto del tiramisù è il mascarpone fresco",
        "un container di banane è arrivato al porto di genova",
        "il cluster di follower comprati di quell'influencer",
        "l'aggiornamento del telefono mi ha cancellato le foto",
        "come si traduce rolling update?",
        "cosa vuol dire failover in italiano?",
        # plants and the home
        "il rosmarino sul balcone è morto, altro che alta disponibilità",
        "la lavatrice si è piantata a metà ciclo, serve un failover",
        "le mie piante grasse sono tutte crashate quest'inverno",
    ],
)
def test_feature_words_about_everyday_life_are_chat(matcher: Matcher, question: str) -> None:
    assert matcher.match(question).kind == "unknown"


@pytest.mark.parametrize(
    ("question", "feature"),
    [
        ("se muore un server i miei servizi restano su?", "failover"),
        ("la mia app può fare il rollback a ieri?", "rolling-update"),
        ("il server si pianta ogni notte, i servizi ripartono da soli?", "failover"),
    ],
)
def test_domain_evidence_keeps_the_feature(matcher: Matcher, question: str, feature: str) -> None:
    assert read(matcher, question)[:2] == ("feature", feature)


# --- 4. Upgrading a tool is not a rolling update ------------------------------------


@pytest.mark.parametrize(
    "question",
    [
        "come aggiorno kubeadm?",
        "upgrade di ubuntu sul server con compose",
        "aggiornare redis dalla 6 alla 7 in compose",
        "da postgres 15 a postgres 16 con kubernetes, come si fa?",
        "passare da compose v1 a v2 è indolore?",
    ],
)
def test_upgrading_a_tool_is_out_of_scope(matcher: Matcher, question: str) -> None:
    assert matcher.match(question).kind == "unknown"


@pytest.mark.parametrize(
    ("question", "system"),
    [
        ("k8s aggiorna l'api senza farla cadere?", "kubernetes"),
        ("posso aggiornare il frontend con compose senza fermarlo?", "compose"),
    ],
)
def test_updating_a_running_service_is_a_rolling_update(
    matcher: Matcher, question: str, system: str
) -> None:
    assert read(matcher, question) == ("feature", "rolling-update", system)


@pytest.mark.parametrize(
    "question",
    [
        "su kube come si porta in produzione il codice nuovo senza scollegare gli utenti?",
        "con dc come si porta online la release nuova senza buchi?",
    ],
)
def test_porta_after_a_clitic_is_a_verb_not_a_network_port(matcher: Matcher, question: str) -> None:
    intent, reading, _, _ = matcher.rules_view(question)
    assert reading.out_of_scope == 0
    assert intent.feature == "rolling-update"


@pytest.mark.parametrize(
    "question",
    [
        "se riavvio il server che fine fanno i dati del db con compose?",
        "i dati sopravvivono se kube sposta il pod?",
    ],
)
def test_whether_data_survives_is_storage_not_failover(matcher: Matcher, question: str) -> None:
    assert matcher.match(question).kind == "unknown"


def test_what_becomes_of_the_containers_is_failover(matcher: Matcher) -> None:
    question = "se muore un nodo che fine fanno i container con k8s?"
    assert read(matcher, question) == ("feature", "failover", "kubernetes")


def test_a_network_port_is_still_out_of_scope(matcher: Matcher) -> None:
    assert matcher.rules_view("che porta espone compose per il db?")[1].out_of_scope > 0


# --- 5. Bare follow-ups ---------------------------------------------------------------


@pytest.mark.parametrize(
    "follow_up",
    ["perché?", "come mai?", "sei sicuro?", "cioè?", "davvero?", "proprio mai?", "e quindi?"],
)
def test_a_bare_follow_up_inherits_feature_and_system(matcher: Matcher, follow_up: str) -> None:
    context = Context("failover", "compose")
    assert read(matcher, follow_up, context) == ("feature", "failover", "compose")


def test_a_follow_up_naming_a_system_switches_it(matcher: Matcher) -> None:
    context = Context("segreti", "kubernetes")
    assert read(matcher, "e dc invece?", context) == ("feature", "segreti", "compose")


@pytest.mark.parametrize(
    "follow_up", ["e tutti e due messi a confronto?", "ed entrambi insieme, quale conviene?"]
)
def test_a_follow_up_about_both_turns_to_both(matcher: Matcher, follow_up: str) -> None:
    # "insieme" there joins the two systems, not machines into a cluster.
    context = Context("failover", "compose")
    assert read(matcher, follow_up, context) == ("feature", "failover", BOTH)


@pytest.mark.parametrize("follow_up", ["e compose uguale?", "con dc sarebbe andata uguale?"])
def test_the_same_for_the_other_system_keeps_the_feature(matcher: Matcher, follow_up: str) -> None:
    context = Context("failover", "kubernetes")
    assert read(matcher, follow_up, context) == ("feature", "failover", "compose")


@pytest.mark.parametrize(
    ("question", "system"),
    [
        ("la pwd di redis la metto nel compose.yml?", "compose"),
        ("con k8s dove tengo la psw dell'smtp?", "kubernetes"),
    ],
)
def test_password_abbreviations_are_secrets(matcher: Matcher, question: str, system: str) -> None:
    assert read(matcher, question) == ("feature", "segreti", system)


def test_a_follow_up_with_a_weak_cue_switches_the_feature(matcher: Matcher) -> None:
    context = Context("autoscaling", "kubernetes")
    assert read(matcher, "e per le password?", context) == ("feature", "segreti", "kubernetes")


def test_a_follow_up_after_an_overview_stays_on_the_overview(engine: Engine) -> None:
    first = engine.ask("meglio kube o compose per iniziare?")
    assert first.kind == "overview"
    second = engine.ask("come mai?", next_context(first))
    assert (second.kind, second.system) == ("overview", BOTH)


def test_chat_ends_the_topic(engine: Engine) -> None:
    context = next_context(engine.ask("compose fa autoscaling?"))
    chat = engine.ask("ok grazie, pausa caffè?", context)
    assert chat.kind == "unknown"
    after = engine.ask("perché?", next_context(chat, context))
    assert after.kind == "unknown"


def test_a_bare_follow_up_without_context_is_unknown(matcher: Matcher) -> None:
    assert matcher.match("perché?").kind == "unknown"


# --- 6. Long situations -------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "feature", "system"),
    [
        (
            "venerdì sera il server fisico è andato in crash e quando siamo tornati lunedì "
            "l'applicazione funzionava lo stesso su un altro nodo. l'ha fatto kubernetes?",
            "failover",
            "kubernetes",
        ),
        (
            "abbiamo sei raspberry in un cassetto e vorrei che lavorassero insieme come "
            "un'unica macchina. con k8s si può?",
            "cluster",
            "kubernetes",
        ),
        (
            "ho trovato la password dello smtp in chiaro nel docker-compose.yml del repo "
            "aziendale. dove andrebbe messa invece?",
            "segreti",
            "compose",
        ),
        (
            "a ogni lancio di una campagna il traffico si moltiplica per dieci e dopo due "
            "giorni torna giù. kubernetes si adegua da solo?",
            "autoscaling",
            "kubernetes",
        ),
    ],
)
def test_a_story_then_a_question(
    matcher: Matcher, question: str, feature: str, system: str
) -> None:
    assert read(matcher, question) == ("feature", feature, system)


@pytest.mark.parametrize(
    ("question", "system"),
    [
        (
            "martedì è morto il disco della vm e siamo rimasti giù tutta la mattina. "
            "kubernetes l'avrebbe evitato?",
            "kubernetes",
        ),
        (
            "si è bruciato l'alimentatore del nas e siamo stati offline due giorni. "
            "con compose cambiava qualcosa?",
            "compose",
        ),
    ],
)
def test_an_outage_story_asks_about_failover(matcher: Matcher, question: str, system: str) -> None:
    assert read(matcher, question) == ("feature", "failover", system)


def test_the_asking_sentence_outweighs_the_story(matcher: Matcher) -> None:
    story = "ieri il nodo è caduto e abbiamo perso mezz'ora. "
    intent = matcher.match(story + "comunque: compose come gestisce i segreti?")
    assert (intent.feature, intent.system) == ("segreti", "compose")


# --- 7. Auto-scaling vs horizontal scaling ------------------------------------------


@pytest.mark.parametrize(
    ("question", "feature"),
    [
        ("kube aggiunge repliche da solo se le richieste aumentano?", "autoscaling"),
        ("compose toglie istanze quando il carico scende?", "autoscaling"),
        ("con compose posso dire io di lanciare 10 repliche?", "scalabilita"),
        ("kubernetes: fisso io il numero di pod di un deployment?", "scalabilita"),
    ],
)
def test_automatic_or_by_hand(matcher: Matcher, question: str, feature: str) -> None:
    assert read(matcher, question)[:2] == ("feature", feature)


@pytest.mark.parametrize(
    ("question", "system"),
    [
        ("voglio 6 repliche del worker, senza automatismi, con compose come faccio?", "compose"),
        ("il numero di pod lo decido io, niente magie automatiche, su kube si può?", "kubernetes"),
    ],
)
def test_a_denied_automation_stays_scaling_by_hand(
    matcher: Matcher, question: str, system: str
) -> None:
    assert read(matcher, question) == ("feature", "scalabilita", system)


# --- 8. Overview questions in disguise --------------------------------------------------


@pytest.mark.parametrize(
    "question",
    [
        "per un e-commerce piccolo meglio kube o dc?",
        "kubernetes è esagerato per un bot discord?",
        "che benefici avrei a migrare a k8s?",
        "quale dei due per iniziare?",
        "kube >>> compose, o no?",
    ],
)
def test_overview_in_disguise(matcher: Matcher, question: str) -> None:
    assert read(matcher, question) == ("overview", "", BOTH)


@pytest.mark.parametrize(
    ("question", "feature"),
    [
        ("tra kube e compose chi sopporta meglio i guasti?", "failover"),
        ("quale dei due tiene meglio i segreti, k8s o dc?", "segreti"),
        ("quale dei due è più resiliente, kubernetes o compose?", "failover"),
    ],
)
def test_which_of_the_two_does_a_feature_better_is_about_the_feature(
    matcher: Matcher, question: str, feature: str
) -> None:
    assert read(matcher, question) == ("feature", feature, BOTH)


def test_whether_a_system_is_worth_it_stays_an_overview(matcher: Matcher) -> None:
    assert read(matcher, "con due server soli kubernetes è esagerato?") == ("overview", "", BOTH)


def test_an_unanswered_follow_up_keeps_the_thread(engine: Engine) -> None:
    context = next_context(engine.ask("dove metto le password con kube?"))
    unanswered = engine.ask("e i volumi?", context)
    assert unanswered.kind == "unknown"
    after = engine.ask("e i token?", next_context(unanswered, context))
    assert (after.feature, after.system) == ("segreti", "kubernetes")


def test_a_follow_up_of_chat_is_chat(engine: Engine) -> None:
    chat = engine.ask("come si traduce rollback?")
    assert chat.kind == "unknown"
    assert engine.ask("e autoscaling?", next_context(chat)).kind == "unknown"
    assert engine.ask("e compose fa autoscaling?", next_context(chat)).kind == "feature"
