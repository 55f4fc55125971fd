"""The engine with server FAQ entries: typos, live edits, FAQ vs table, guilds."""

from __future__ import annotations

from functools import partial
from pathlib import Path

import pytest

from bot.core.engine import FAQ_UNSURE_FLOOR, Engine
from bot.core.faq import FaqEntry
from bot.core.knowledge import KnowledgeBase, load_knowledge
from bot.core.matcher import Context, Intent
from tests.core.faq_models import constant_models

SHIPPED = Path(__file__).resolve().parents[2] / "knowledge" / "kubernetes-vs-compose.yaml"
GUILD = 1
OTHER_GUILD = 2


# The real entry type, in this module's guild: Entry(name, question, answer, phrasings).
Entry = partial(FaqEntry, GUILD)


INSTALL = Entry(
    "installazione-k8s",
    "Come installo Kubernetes sul mio server?",
    "Per iniziare usa k3s o kubeadm.",
    ("guida installazione kubernetes",),
)
RULES = Entry(
    "regole", "Quali sono le regole del server?", "Leggi il canale #regole.", ("regolamento",)
)
VOLUMES = Entry(
    "volumi", "Dove finiscono i volumi di docker compose?", "In /var/lib/docker/volumes."
)
AUTOSCALING = Entry("autoscaling-custom", "Compose fa autoscaling?", "Da noi usiamo uno script.")
AUTOSCALING_K8S = Entry("autoscaling-k8s", "Kubernetes fa autoscaling da solo?", "Sì, con l'HPA.")


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_knowledge(SHIPPED)


@pytest.fixture
def engine(kb: KnowledgeBase) -> Engine:
    engine = Engine(kb)
    engine.set_faq(GUILD, [INSTALL, RULES, VOLUMES])
    return engine


class FixedMatcher:
    """Stands in for the matcher when a test needs an exact table confidence."""

    def __init__(self, intent: Intent) -> None:
        self.intent = intent

    def match(self, question: str, context: Context | None = None) -> Intent:
        return self.intent


# --- answering from FAQ entries ---------------------------------------------------


@pytest.mark.parametrize(
    ("question", "name"),
    [
        ("Come installo Kubernetes sul mio server?", "installazione-k8s"),
        ("come instalo kubernetes sul server?", "installazione-k8s"),
        ("come installo kubernets?", "installazione-k8s"),
        ("quali sono le regole?", "regole"),
        ("regolamnto", "regole"),
        ("regole del srever", "regole"),
        ("dove finiscono i volumi?", "volumi"),
    ],
)
def test_faq_entries_are_found_through_typos(engine: Engine, question: str, name: str) -> None:
    answer = engine.ask(question, guild_id=GUILD)
    assert answer.kind == "faq"
    assert answer.faq is not None and answer.faq.name == name
    assert answer.confidence >= engine.threshold
    assert answer.footer == f"FAQ del server · {name}"


def test_table_questions_still_go_to_the_table(engine: Engine) -> None:
    answer = engine.ask("k8s gestisce i segreti?", guild_id=GUILD)
    assert (answer.kind, answer.feature, answer.system) == ("feature", "segreti", "kubernetes")


def test_weak_faq_hit_below_the_threshold_is_ignored(engine: Engine) -> None:
    hit = engine._faq[GUILD].search("che tempo fa a roma")
    assert hit is None or hit.confidence < engine.threshold
    assert engine.ask("che tempo fa a roma", guild_id=GUILD).kind == "unknown"


def test_an_faq_entry_fills_a_gap_of_the_table(engine: Engine) -> None:
    # Volumes are out of scope for the table, so the FAQ answers alone.
    assert engine.ask("dove finiscono i volumi?").kind == "unknown"
    assert engine.ask("dove finiscono i volumi?", guild_id=GUILD).kind == "faq"


# --- live edits -------------------------------------------------------------------


def test_upsert_adds_an_entry_immediately(engine: Engine) -> None:
    question = "a che ora è la riunione settimanale?"
    assert engine.ask(question, guild_id=GUILD).kind == "unknown"
    engine.upsert_faq(
        GUILD, Entry("riunione", "Quando è la riunione settimanale?", "Lunedì 18:00.")
    )
    answer = engine.ask(question, guild_id=GUILD)
    assert answer.kind == "faq" and answer.text == "Lunedì 18:00."
    assert engine.faq_count(GUILD) == 4


def test_upsert_replaces_the_answer(engine: Engine) -> None:
    engine.upsert_faq(GUILD, Entry(RULES.name, RULES.question, "Regole nuove.", RULES.phrasings))
    assert engine.ask("quali sono le regole?", guild_id=GUILD).text == "Regole nuove."
    assert engine.faq_count(GUILD) == 3


def test_upsert_with_a_new_name_renames(engine: Engine) -> None:
    renamed = Entry("regolamento", RULES.question, RULES.answer, RULES.phrasings)
    engine.upsert_faq(GUILD, renamed, previous_name="regole")
    answer = engine.ask("quali sono le regole?", guild_id=GUILD)
    assert answer.faq is not None and answer.faq.name == "regolamento"
    assert engine.faq_count(GUILD) == 3


def test_upsert_drops_the_old_phrasings(engine: Engine) -> None:
    entry = Entry("canali", "Dove posto le offerte di lavoro?", "Nel canale #lavoro.", ("annunci",))
    engine.upsert_faq(GUILD, entry)
    assert engine.ask("annunci", guild_id=GUILD).kind == "faq"
    engine.upsert_faq(GUILD, Entry(entry.name, entry.question, entry.answer))
    assert engine.ask("annunci", guild_id=GUILD).kind == "unknown"
    assert engine.ask("dove posto le offerte di lavoro?", guild_id=GUILD).kind == "faq"


def test_remove_stops_answering(engine: Engine) -> None:
    assert engine.ask("quali sono le regole?", guild_id=GUILD).kind == "faq"
    engine.remove_faq(GUILD, "regole")
    assert engine.ask("quali sono le regole?", guild_id=GUILD).kind == "unknown"
    assert engine.faq_count(GUILD) == 2
    engine.remove_faq(GUILD, "regole")  # removing twice is harmless
    engine.remove_faq(99, "regole")  # so is a guild without entries
    assert engine.faq_count(99) == 0


def test_set_faq_replaces_the_whole_list(engine: Engine) -> None:
    engine.set_faq(GUILD, [AUTOSCALING])
    assert engine.faq_count(GUILD) == 1
    assert engine.ask("quali sono le regole?", guild_id=GUILD).kind == "unknown"


# --- FAQ vs table -----------------------------------------------------------------


def test_faq_with_higher_confidence_beats_the_table(engine: Engine) -> None:
    table = engine.ask("compose fa autoscaling?")
    engine.upsert_faq(GUILD, AUTOSCALING)
    answer = engine.ask("compose fa autoscaling?", guild_id=GUILD)
    assert answer.kind == "faq"
    assert answer.confidence > table.confidence


def test_table_with_higher_confidence_beats_the_faq(engine: Engine) -> None:
    engine.upsert_faq(GUILD, AUTOSCALING_K8S)
    question = "kubernetes scala da solo i pod?"
    hit = engine._faq[GUILD].search(question)
    assert hit is not None and hit.entry.name == AUTOSCALING_K8S.name
    assert hit.confidence >= engine.threshold  # the FAQ would answer on its own...
    answer = engine.ask(question, guild_id=GUILD)
    # ...but the table is more sure.
    assert (answer.kind, answer.feature, answer.system) == ("feature", "autoscaling", "kubernetes")
    assert answer.confidence > hit.confidence


def test_a_tie_goes_to_the_faq(engine: Engine) -> None:
    # An exact FAQ question scores 1.0; a table intent at 1.0 ties with it.
    engine.matcher = FixedMatcher(  # type: ignore[assignment]
        Intent("feature", "autoscaling", "compose", 1.0)
    )
    engine.upsert_faq(GUILD, AUTOSCALING)
    hit = engine._faq[GUILD].search(AUTOSCALING.question)
    assert hit is not None and hit.confidence == 1.0
    answer = engine.ask(AUTOSCALING.question, guild_id=GUILD)
    assert answer.kind == "faq"
    assert answer.text == AUTOSCALING.answer


def test_a_just_lower_faq_loses_to_the_table(kb: KnowledgeBase) -> None:
    # The decision answers every candidate at sigmoid(1.0), whatever the table says.
    engine = Engine(kb, faq_decision=constant_models(1.0))
    engine.set_faq(GUILD, [INSTALL, RULES, VOLUMES, AUTOSCALING])
    question = "compose autoscaling in produzione"
    hit = engine.probe_faq(question, GUILD).best
    assert hit is not None and hit.entry.name == AUTOSCALING.name
    assert engine.threshold <= hit.confidence < 1.0

    def table_at(confidence: float) -> None:
        engine.matcher = FixedMatcher(  # type: ignore[assignment]
            Intent("feature", "autoscaling", "compose", round(confidence, 3))
        )

    table_at(hit.confidence + 0.001)
    assert engine.ask(question, guild_id=GUILD).kind == "feature"
    # Below an exact match, a tie goes to the table: sharing words is not enough.
    table_at(hit.confidence)
    assert engine.ask(question, guild_id=GUILD).kind == "feature"
    table_at(hit.confidence - 0.001)
    assert engine.ask(question, guild_id=GUILD).kind == "faq"


def test_an_overview_competes_like_a_feature(engine: Engine) -> None:
    engine.matcher = FixedMatcher(Intent("overview", None, "both", 1.0))  # type: ignore[assignment]
    assert engine.ask(RULES.question, guild_id=GUILD).kind == "faq"  # 1.0 ties 1.0
    hit = engine._faq[GUILD].search("come installo kubernets in ufficio?")
    assert hit is not None and engine.threshold <= hit.confidence < 1.0
    assert engine.ask("come installo kubernets in ufficio?", guild_id=GUILD).kind == "overview"


def test_an_unknown_table_intent_never_beats_the_faq(kb: KnowledgeBase) -> None:
    engine = Engine(kb, faq_decision=constant_models(1.0))
    engine.set_faq(GUILD, [INSTALL, RULES, VOLUMES])
    # The matcher reports some confidence even when it gives up; it must not count.
    engine.matcher = FixedMatcher(Intent("unknown", None, None, 0.99))  # type: ignore[assignment]
    answer = engine.ask("come installo kubernets in ufficio?", guild_id=GUILD)
    assert answer.kind == "faq" and answer.confidence < 0.99


# --- guild isolation --------------------------------------------------------------


def test_one_guild_never_sees_another_guilds_entries(engine: Engine) -> None:
    assert engine.ask("quali sono le regole?", guild_id=GUILD).kind == "faq"
    assert engine.ask("quali sono le regole?", guild_id=OTHER_GUILD).kind == "unknown"
    assert engine.ask("quali sono le regole?").kind == "unknown"


def test_guilds_keep_separate_entries_with_the_same_name(engine: Engine) -> None:
    engine.upsert_faq(OTHER_GUILD, Entry("regole", RULES.question, "Le regole di gilda 2."))
    assert engine.ask("quali sono le regole?", guild_id=GUILD).text == RULES.answer
    assert engine.ask("quali sono le regole?", guild_id=OTHER_GUILD).text == "Le regole di gilda 2."
    engine.remove_faq(OTHER_GUILD, "regole")
    assert engine.ask("quali sono le regole?", guild_id=OTHER_GUILD).kind == "unknown"
    assert engine.ask("quali sono le regole?", guild_id=GUILD).text == RULES.answer
    assert (engine.faq_count(GUILD), engine.faq_count(OTHER_GUILD)) == (3, 0)


def test_set_faq_on_one_guild_leaves_the_other_alone(engine: Engine) -> None:
    engine.set_faq(OTHER_GUILD, [])
    assert engine.faq_count(GUILD) == 3
    assert engine.ask("regolamnto", guild_id=GUILD).kind == "faq"
    assert engine.ask("regolamnto", guild_id=OTHER_GUILD).kind == "unknown"


def test_system_names_are_folded_and_must_agree(kb: KnowledgeBase) -> None:
    engine = Engine(kb)
    install = Entry("installare-k8s", "Come si installa Kubernetes su Ubuntu?", "Con kubeadm.")
    engine.set_faq(GUILD, [install, RULES])
    # "kube" and "k8s" read as "kubernetes" in FAQ entries too.
    assert engine.ask("come installo kube su ubuntu?", guild_id=GUILD).kind == "faq"
    assert engine.ask("installare k8s", guild_id=GUILD).kind == "faq"
    # An entry about Kubernetes does not answer the same question about Docker.
    hit = engine._faq[GUILD].search("come si installa docker su ubuntu?")
    assert hit is not None and hit.confidence < engine.threshold
    assert engine.ask("come si installa docker su ubuntu?", guild_id=GUILD).kind == "unknown"


# --- whole-entry search, siblings, probing ------------------------------------------

DOCKER_LOGS = Entry(
    "docker-logs",
    "Come vedo i log di un container Docker?",
    "`docker logs -f nome` segue i log; con Compose `docker compose logs -f servizio`.",
)
KUBECTL_LOGS = Entry(
    "kubectl-logs",
    "Come leggo i log di un pod in Kubernetes?",
    "`kubectl logs nome-pod`, con `--previous` per il container prima del riavvio.",
)
PORT_IN_USE = Entry(
    "porta-occupata",
    "Cosa vuol dire port is already allocated?",
    'L\'errore è "driver failed programming external connectivity on endpoint": un altro'
    " processo usa già la porta. Trovalo con `ss -tlnp`.",
)
NETWORKS = Entry(
    "reti-esaurite",
    "Docker non crea più reti, perché?",
    "Hai finito le subnet: libera quelle inutilizzate con `docker network prune`.",
)
PULL = Entry(
    "imagepullbackoff",
    "Cosa significa ImagePullBackOff?",
    "Il nodo non scarica l'immagine; per un registry privato crea un secret e usa"
    " imagePullSecrets.",
)


@pytest.fixture
def devops(kb: KnowledgeBase) -> Engine:
    engine = Engine(kb)
    engine.set_faq(GUILD, [DOCKER_LOGS, KUBECTL_LOGS, PORT_IN_USE, NETWORKS, PULL, RULES])
    return engine


@pytest.mark.parametrize(
    ("question", "name"),
    [
        # Words that live only in the answer: a pasted error and a command.
        (
            "Error response from daemon: driver failed programming external connectivity",
            "porta-occupata",
        ),
        ("mi serve docker network prune?", "reti-esaurite"),
        # A log pasted in a code block: its unknown tokens are noise, not evidence against.
        ("```\nweb-5f6d8c7b9-x2k8p   0/1   ImagePullBackOff   0   3m\n```", "imagepullbackoff"),
        # The system decides between two sibling entries.
        ("come vedo i log con kubectl?", "kubectl-logs"),
        ("come vedo i log con docker?", "docker-logs"),
    ],
)
def test_the_whole_entry_is_searched(devops: Engine, question: str, name: str) -> None:
    answer = devops.ask(question, guild_id=GUILD)
    assert answer.kind == "faq"
    assert answer.faq is not None and answer.faq.name == name
    assert answer.to_json()["faq"] == name


def test_words_shared_only_with_an_answer_leave_a_table_question_to_the_table(
    devops: Engine, kb: KnowledgeBase
) -> None:
    # "secret" is in the ImagePullBackOff answer, but the question is the table's.
    question = "compose ha i secrets come k8s?"
    probe = devops.probe_faq(question, GUILD)
    assert (probe.answer.kind, probe.answer.feature) == ("feature", "segreti")
    # Even a decision surer than the table leaves it there: the entry's own
    # question and phrasings do not share the member's words.
    sure = Engine(kb, faq_decision=constant_models(8.0))
    sure.set_faq(GUILD, [PULL])
    best = sure.probe_faq(question, GUILD).best
    assert best is not None and best.entry.name == PULL.name and not best.head_match
    assert best.confidence > sure.table_view(sure.matcher.match(question)).confidence
    assert sure.ask(question, guild_id=GUILD).kind == "feature"


def test_a_near_topic_no_entry_covers_gets_no_faq_answer(devops: Engine) -> None:
    answer = devops.ask("come sblocco lo state lock di terraform?", guild_id=GUILD)
    assert answer.kind != "faq"


def test_probe_names_the_best_entry_and_the_runner_up(devops: Engine) -> None:
    probe = devops.probe_faq("come vedo i log con kubectl?", GUILD)
    assert probe.answered_by_faq
    assert probe.best is not None and probe.best.entry.name == "kubectl-logs"
    assert probe.runner_up is not None and probe.runner_up.entry.name == "docker-logs"
    assert probe.best.confidence > probe.runner_up.confidence


def test_two_genuinely_close_entries_are_both_offered(kb: KnowledgeBase) -> None:
    engine = Engine(kb)
    first = Entry("backup-volumi", "Come faccio il backup dei volumi?", "Con tar.")
    second = Entry("backup-database", "Come faccio il backup del database?", "Con pg_dump.")
    engine.set_faq(GUILD, [first, second])
    answer = engine.ask("come faccio il backup?", guild_id=GUILD)
    assert answer.kind == "faq" and answer.faq is not None
    other = ({first.name, second.name} - {answer.faq.name}).pop()
    assert [view.name for view in answer.faq_suggestions] == [other]
    assert answer.to_json()["suggestions"] == [other]
    text = engine.builder.faq_suggestion_text(answer.faq_suggestions)
    assert text.startswith("Forse cercavi: «") and text.endswith("»?")
    # A clear winner comes alone.
    alone = engine.ask("come faccio il backup del database?", guild_id=GUILD)
    assert alone.faq_suggestions == ()


def test_answerable_questions_lists_what_an_entry_now_answers(devops: Engine) -> None:
    from bot.core.faq_review import answerable_questions

    logged = ["terraform state lock bloccato", "che tempo fa a roma", "come vedo i log con docker?"]
    assert [a.question for a in answerable_questions(devops, GUILD, logged)] == [logged[2]]
    devops.upsert_faq(
        GUILD,
        Entry("terraform-lock", "Come tolgo il lock dello state di Terraform?", "force-unlock"),
    )
    found = answerable_questions(devops, GUILD, logged, entry="terraform-lock")
    assert [(a.question, a.entry) for a in found] == [(logged[0], "terraform-lock")]
    assert all(a.confidence >= devops.threshold for a in found)


# --- an entry far ahead with words the table never uses ---------------------------

ENV_FILE = Entry(
    "file-env",
    "Perché il container non vede le variabili del file .env?",
    "Compose legge il file `.env` accanto al `docker-compose.yml` solo per sostituire "
    "`${VAR}` nel file; per passarle al container usa `env_file:`. Controlla con "
    "`docker compose exec app printenv`.",
    ("variabili d'ambiente vuote nel container",),
)


def test_an_entry_far_ahead_with_its_own_words_takes_a_question_the_table_half_claims(
    kb: KnowledgeBase,
) -> None:
    engine = Engine(kb)
    engine.set_faq(GUILD, [ENV_FILE, RULES])
    question = "nel .env ho messo le password ma il container non le legge"
    intent = engine.matcher.match(question)
    hits = engine._faq[GUILD].rank(question)
    # The table reads "password" as secrets and is more confident than the FAQ...
    assert intent.kind == "feature" and intent.feature == "segreti"
    assert hits[0].entry.name == ENV_FILE.name
    assert engine.threshold <= hits[0].confidence < intent.confidence < 0.9
    # ...but ".env" is a word only the entry has, and no other entry is close.
    answer = engine.ask(question, guild_id=GUILD)
    assert answer.kind == "faq" and answer.faq is not None
    assert answer.faq.name == ENV_FILE.name


def test_a_table_nearly_sure_keeps_the_question_despite_the_entrys_own_words(
    kb: KnowledgeBase,
) -> None:
    engine = Engine(kb)
    engine.set_faq(GUILD, [ENV_FILE, RULES])
    # Naming the feature outright ("i secret") makes the table nearly sure.
    question = "i secret nel .env di compose non arrivano al container"
    hit = engine._faq[GUILD].search(question)
    assert hit is not None and hit.entry.name == ENV_FILE.name
    assert hit.confidence >= engine.threshold
    answer = engine.ask(question, guild_id=GUILD)
    assert (answer.kind, answer.feature) == ("feature", "segreti")
    assert answer.confidence >= 0.9


def test_an_entry_the_faq_is_unsure_of_is_offered_with_no_answer(devops: Engine) -> None:
    question = "cosa e vietato nel server"
    probe = devops.probe_faq(question, GUILD)
    assert probe.best is not None and probe.best.entry.name == RULES.name
    # Below the threshold but above the floor: a guess, not an answer.
    assert FAQ_UNSURE_FLOOR <= probe.best.confidence < devops.threshold
    answer = devops.ask(question, guild_id=GUILD)
    assert answer.kind == "unknown" and answer.faq is None
    assert [view.name for view in answer.faq_suggestions] == [RULES.name]
    data = answer.to_json()
    assert data["faq_suggestions"] == [RULES.name] and "faq" not in data
    # Far from every entry, nothing is offered.
    far = devops.ask("i miei container non si parlano", guild_id=GUILD)
    far_probe = devops.probe_faq("i miei container non si parlano", GUILD)
    assert far_probe.best is not None and far_probe.best.confidence < FAQ_UNSURE_FLOOR
    assert far.kind == "unknown" and far.faq_suggestions == ()
    assert "faq_suggestions" not in far.to_json()
