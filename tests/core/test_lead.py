"""The direct lead: the short answer to the question as the user asked it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot import messages
from bot.core.answers import AnswerBuilder
from bot.core.engine import Engine
from bot.core.knowledge import KnowledgeBase, KnowledgeError, load_knowledge, parse_knowledge
from bot.core.lead import LeadReader

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "knowledge" / "kubernetes-vs-compose.yaml"
DATA = ROOT / "tests" / "data"
# Our own direct sets: the first written before the lead existed, the others
# after it and scored before any fix (benchmarks/direct.md).
SETS = (
    "direct.jsonl",
    "direct-batch2.jsonl",
    "direct-batch3.jsonl",
    "direct-batch4.jsonl",
    "direct-batch5.jsonl",
    "direct-batch6.jsonl",
    "direct-limitation-l1.jsonl",
    "direct-limitation-l2.jsonl",
    "direct-limitation-l3.jsonl",
    "direct-round7-r1.jsonl",
    "direct-fresh-lead15.jsonl",
)
FORMS = {"has", "limitation", "negated-confirmation", "open", "comparison"}


def _items() -> list[dict[str, object]]:
    return [
        json.loads(line)
        for name in SETS
        for line in (DATA / name).read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_knowledge(SHIPPED)


@pytest.fixture(scope="module")
def reader(kb: KnowledgeBase) -> LeadReader:
    return LeadReader(kb)


def test_the_sets_cover_every_form_and_agree_with_the_table(kb: KnowledgeBase) -> None:
    items = _items()
    assert {item["form"] for item in items} == FORMS
    for item in items:
        if item["form"] == "has":
            cell = kb.feature(str(item["feature"])).cells[str(item["system"])]
            assert item["direct"] == cell.verdict, item["q"]
        if item["form"] == "open":
            assert item["direct"] is None, item["q"]


@pytest.mark.parametrize("item", _items(), ids=lambda item: str(item["q"]))
def test_lead_from_the_expected_feature_and_system(
    reader: LeadReader, item: dict[str, object]
) -> None:
    lead = reader.read(str(item["q"]), str(item["feature"]), str(item["system"]))
    assert lead.direct == item["direct"]
    # The form is read, not guessed: a right `direct` from the wrong form is luck.
    # A negated lack ("non sono cifrati, giusto?") and a limit written as a
    # negation ("non si va oltre una macchina?") may read as either.
    lenient = {"negated-confirmation": {"limitation"}, "limitation": {"negated-confirmation"}}
    lenient_forms = lenient.get(str(item["form"]), set())
    assert lead.form in {item["form"], *lenient_forms}


def test_engine_end_to_end_on_our_sets_per_form(kb: KnowledgeBase) -> None:
    """Through the real matcher, whose wrong feature or `unknown` the lead cannot
    repair (benchmarks/direct.md lists them). The form reading itself is held to
    every item above; here no form may fall below nine in ten."""
    engine = Engine(kb)
    tally: dict[str, list[int]] = {form: [0, 0] for form in FORMS}
    for item in _items():
        got = engine.ask(str(item["q"])).to_json()["direct"]
        tally[str(item["form"])][0] += got == item["direct"]
        tally[str(item["form"])][1] += 1
    for form, (right, total) in tally.items():
        assert right / total >= 0.9, (form, right, total)


# Independent authors' direct sets, each scored first-run before any fix it
# taught (benchmarks/generalization.md); here they guard against regressions.
HELDOUT = tuple(f"direct-heldout-d{number}.jsonl" for number in range(1, 18))


def test_engine_end_to_end_on_the_held_out_sets(kb: KnowledgeBase) -> None:
    """Each set 0.95 or better overall; each form, over all of them, 0.9 or better."""
    engine = Engine(kb)
    tally: dict[str, list[int]] = {form: [0, 0] for form in FORMS}
    for name in HELDOUT:
        items = [
            json.loads(line)
            for line in (DATA / name).read_text(encoding="utf-8").splitlines()
            if line.strip()
        ]
        right = 0
        for item in items:
            hit = engine.ask(str(item["q"])).to_json()["direct"] == item["direct"]
            right += hit
            tally[str(item["form"])][0] += hit
            tally[str(item["form"])][1] += 1
        assert len(items) >= 60
        assert right / len(items) >= 0.95, (name, right, len(items))
    for form, (right, total) in tally.items():
        assert right / total >= 0.9, (form, right, total)


# Our last limitation set and the guard set of other forms, each scored
# first-run (tests/data/README.md); fixed in part, so each keeps a floor.
@pytest.mark.parametrize(
    ("name", "floor"),
    [
        ("direct-limitation-l4.jsonl", 0.85),
        ("direct-limitation-l5.jsonl", 0.85),
        ("direct-limitation-l6.jsonl", 0.85),
        ("direct-guard-g1.jsonl", 0.95),
        ("direct-comparison-k1.jsonl", 0.95),
        ("direct-limitation-l7.jsonl", 0.85),
        ("direct-guard-g2.jsonl", 0.95),
        ("direct-after-s1.jsonl", 0.95),
        ("direct-after-n2.jsonl", 0.95),
        ("direct-after-f3.jsonl", 0.95),
        ("direct-round8-m1.jsonl", 0.95),
        ("direct-fresh-lead16.jsonl", 0.9),
    ],
)
def test_engine_on_the_last_fresh_sets_keeps_its_floor(
    kb: KnowledgeBase, name: str, floor: float
) -> None:
    engine = Engine(kb)
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    items = [json.loads(line) for line in lines if line.strip()]
    right = sum(engine.ask(str(item["q"])).to_json()["direct"] == item["direct"] for item in items)
    assert len(items) >= 20
    assert right / len(items) >= floor, (name, right, len(items))


@pytest.mark.parametrize(
    ("question", "feature", "system", "start"),
    [
        ("compose fa autoscaling?", "autoscaling", "compose", "**No.** Docker Compose — "),
        ("docker compose è vincolato a un unico host?", "cluster", "compose", "**Sì.** "),
        ("su k8s devo riavviare io i pod morti?", "failover", "kubernetes", "**No.** "),
        (
            "compose non fa l'autoscaling, giusto?",
            "autoscaling",
            "compose",
            "**Esatto, non lo fa.** Docker Compose — ",
        ),
        ("k8s non ha i rolling update, vero?", "rolling-update", "kubernetes", "**In realtà sì.**"),
        ("compose non scala, vero?", "scalabilita", "compose", "**Non del tutto.**"),
        (
            "compose non scala per niente, vero?",
            "scalabilita",
            "compose",
            "**In realtà sì, in parte.**",
        ),
        ("su k8s non devo riavviare io i pod, giusto?", "failover", "kubernetes", "**Esatto.** "),
        (
            "li fanno tutti e due i rolling update?",
            "rolling-update",
            "both",
            "**No, solo Kubernetes.** Rolling updates e rollback: ",
        ),
        ("solo k8s fa autoscaling?", "autoscaling", "kubernetes", "**Sì, solo Kubernetes.** "),
        (
            "nessuno dei due fa failover?",
            "failover",
            "both",
            "**No, Kubernetes sì.** Alta disponibilità e failover: ",
        ),
    ],
)
def test_the_lead_line_opens_with_the_short_answer(
    kb: KnowledgeBase, question: str, feature: str, system: str, start: str
) -> None:
    answer = AnswerBuilder(kb).feature_answer(question, feature, system, 0.9)
    assert answer.lead.startswith(start)
    # The plain text (JSON `answer`, places without a card) opens the same way.
    assert answer.text.startswith(start.replace("**", ""))


def test_open_question_gets_the_cell_without_yes_or_no(kb: KnowledgeBase) -> None:
    answer = AnswerBuilder(kb).feature_answer(
        "come gestisce i segreti compose?", "segreti", "compose", 0.9
    )
    cell = kb.feature("segreti").cells["compose"]
    assert answer.direct is None
    assert answer.lead == messages.FEATURE_OPEN_LEAD.format(
        system="Docker Compose", headline=cell.headline, text=cell.text
    )
    assert not any(answer.text.startswith(word) for word in messages.LEAD.values())


def test_feature_about_no_system_in_particular_has_no_direct(kb: KnowledgeBase) -> None:
    answer = AnswerBuilder(kb).feature_answer("c'è il failover?", "failover", "both", 0.9)
    assert answer.direct is None
    assert answer.lead == messages.FEATURE_BOTH_LEAD.format(feature="Alta disponibilità e failover")


def test_overview_faq_and_unknown_have_no_direct(kb: KnowledgeBase) -> None:
    engine = Engine(kb)
    assert engine.ask("meglio k8s o compose?").to_json()["direct"] is None
    assert engine.ask("come si fa la carbonara?").to_json()["direct"] is None


def test_every_lead_key_has_a_wording(reader: LeadReader, kb: KnowledgeBase) -> None:
    keys = {
        reader.read(str(item["q"]), str(item["feature"]), str(item["system"])).key
        for item in _items()
    }
    assert keys - {None} <= set(messages.LEAD)
    assert {"right-it-does-not", "actually-yes", "only", "yes-only", "not-entirely"} <= keys
    assert "actually-in-part" in keys


# --- absence cues in the knowledge file -------------------------------------

VALID = """\
id: alfa-vs-beta
title: Alfa vs Beta
systems:
  - {id: alfa, name: Alfa, aliases: [alfa]}
  - {id: beta, name: Beta, aliases: [beta]}
features:
  - id: velocita
    title: Velocità
    cells:
      alfa: {verdict: si, headline: Veloce, text: Alfa è veloce.}
      beta: {verdict: no, headline: Lento, text: Beta è lento.}
"""


def test_absence_cues_are_optional_and_loaded_per_feature() -> None:
    assert parse_knowledge(VALID).absence_cues == {}
    kb = parse_knowledge(VALID + "absence_cues:\n  any: [a mano]\n  velocita: [a passo d'uomo]\n")
    assert kb.absence_cues == {"any": ("a mano",), "velocita": ("a passo d'uomo",)}
    reader = LeadReader(kb)
    assert reader.read("beta va a passo d'uomo?", "velocita", "beta").direct == "si"
    assert reader.read("alfa va a passo d'uomo?", "velocita", "alfa").direct == "no"
    assert reader.read("beta è veloce?", "velocita", "beta").direct == "no"


@pytest.mark.parametrize(
    ("block", "problem"),
    [
        ("absence_cues:\n  lentezza: [piano]\n", "unknown key 'lentezza'"),
        ("absence_cues: [a mano]\n", "absence_cues must be a mapping"),
        ("absence_cues:\n  any: a mano\n", "must be a list"),
        ("absence_cues:\n  any: [a mano, a mano]\n", "duplicate cue 'a mano'"),
        ("absence_cues:\n  any: ['?!']\n", "'?!' has no words"),
    ],
)
def test_bad_absence_cues_name_file_line_and_problem(block: str, problem: str) -> None:
    with pytest.raises(KnowledgeError, match=r"^alfa\.yaml:\d+: ") as caught:
        parse_knowledge(VALID + block, "alfa.yaml")
    assert problem in str(caught.value)


def test_cues_of_the_matchers_runner_up_count_too(reader: LeadReader) -> None:
    question = "k8s si ferma a un nodo?"
    assert reader.read(question, "failover", "kubernetes").direct == "si"
    assert reader.read(question, "failover", "kubernetes", ("cluster",)).direct == "no"


@pytest.mark.parametrize(
    ("question", "feature", "direct", "key"),
    [
        ("solo compose ha problemi coi segreti?", "segreti", "si", "yes-only"),
        ("compose è più limitato di k8s sul cluster?", "cluster", "si", "si"),
        ("entrambi devono riavviare a mano i container?", "failover", "no", "only"),
    ],
)
def test_a_comparison_with_an_absence_cue_compares_the_lack(
    reader: LeadReader, question: str, feature: str, direct: str, key: str
) -> None:
    lead = reader.read(question, feature, "both")
    assert (lead.form, lead.direct, lead.key) == ("comparison", direct, key)


@pytest.mark.parametrize(
    ("question", "feature", "system", "direct"),
    [
        # The part a partial cell lacks (YAML `partial_gaps`) is a plain "no"...
        ("compose scala su più server?", "scalabilita", "compose", "no"),
        ("docker compose non può scalare su più nodi, giusto?", "scalabilita", "compose", "si"),
        ("sia k8s che compose scalano su più macchine?", "scalabilita", None, "no"),
        ("i segreti in compose sono cifrati?", "segreti", "compose", "no"),
        # ...while the feature itself stays "in part".
        ("compose scala?", "scalabilita", "compose", "parziale"),
        ("compose gestisce i segreti?", "segreti", "compose", "parziale"),
    ],
)
def test_a_question_about_what_a_partial_cell_lacks_gets_no(
    reader: LeadReader, question: str, feature: str, system: str | None, direct: str
) -> None:
    assert reader.read(question, feature, system).direct == direct


@pytest.mark.parametrize(
    ("question", "feature", "system", "direct"),
    [
        # extra replicas the user adds ("in più") are a burden, not "più di"
        ("su kube i pod in più li devo creare io?", "autoscaling", "kubernetes", "no"),
        ("con compose le istanze in più le devo aggiungere io?", "autoscaling", "compose", "si"),
        # "dove" after a place is a relative clause: still a yes/no question
        ("con dc è tutto su un nodo dove gira lo stack?", "cluster", "compose", "si"),
        # outdoing between two named systems is a comparison
        ("kube surclassa dc sui segreti?", "segreti", None, "si"),
        ("compose supera k8s nel failover?", "failover", None, "no"),
        # a system's bare "no" after a statement about the other one
        ("kube i pod li ricrea, compose no giusto?", "failover", "compose", "si"),
    ],
)
def test_the_form_survives_everyday_wording(
    reader: LeadReader, question: str, feature: str, system: str | None, direct: str
) -> None:
    assert reader.read(question, feature, system).direct == direct


@pytest.mark.parametrize(
    ("question", "feature", "system", "direct"),
    [
        # "come" and a bare noun name a role ("as"), they do not ask how...
        ("compose è superiore a k8s come orchestratore?", "cluster", None, "no"),
        ("k8s come piattaforma è più sicuro di compose?", "segreti", None, "si"),
        ("compose lo posso usare come cluster?", "cluster", "compose", "no"),
        ("kube, come scelta, fa i rolling update?", "rolling-update", "kubernetes", "si"),
        # ...while "come" before a clitic, a verb or "mai" still asks.
        ("compose come li gestisce i segreti?", "segreti", "compose", None),
        ("come fa kube a battere compose sul failover?", "failover", None, None),
        ("come mai kube è superiore a compose sui segreti?", "segreti", None, None),
        # a sign between two systems compares them; elsewhere it says nothing
        ("dc > k8s sui rollback?", "rolling-update", None, "no"),
        ("compose < kube sull'autoscaling?", "autoscaling", None, "si"),
        ("kube fa autoscaling con cpu > 80 per cento?", "autoscaling", "kubernetes", "si"),
        # a preference compares only against a standard
        ("meglio compose anziché kube per il failover?", "failover", None, "no"),
        ("per i segreti conviene kube invece di compose?", "segreti", None, "si"),
        ("mi conviene passare a kube per il failover?", "failover", "kubernetes", "si"),
        # on a par, in other words
        ("k8s e compose si equivalgono sui segreti?", "segreti", None, "no"),
    ],
)
def test_comparisons_without_di_and_roles_with_come(
    reader: LeadReader, question: str, feature: str, system: str | None, direct: str | None
) -> None:
    assert reader.read(question, feature, system).direct == direct


@pytest.mark.parametrize(
    ("question", "feature", "system", "direct"),
    [
        # a small amount as the most there can be is a ceiling...
        ("k8s gestisce solo qualche centinaio di pod?", "scalabilita", "kubernetes", "no"),
        ("kube si ferma a 50 nodi?", "cluster", "kubernetes", "no"),
        ("compose è fermo a una manciata di repliche?", "scalabilita", "compose", "si"),
        # ...a large one asked about is not
        ("k8s regge qualche migliaio di pod?", "scalabilita", "kubernetes", "si"),
        # "un altro host" is a second place, not one only
        ("compose sposta i container su un altro host?", "cluster", "compose", "no"),
        ("kube non rilancia i pod su un altro nodo, giusto?", "failover", "kubernetes", "no"),
    ],
)
def test_ceilings_and_second_places(
    reader: LeadReader, question: str, feature: str, system: str, direct: str
) -> None:
    close = ("cluster", "scalabilita")
    assert reader.read(question, feature, system, close).direct == direct


@pytest.mark.parametrize(
    ("question", "feature", "system", "direct"),
    [
        # a story in a condition closed by a comma, whatever systems it names
        ("se il nodo dove gira kube si pianta, k8s sposta i pod?", "failover", "kubernetes", "si"),
        # reported speech: the proposition follows "che"; "perché dicono che" asks why
        ("leggo che compose non fa rollback. è così, vero?", "rolling-update", "compose", "si"),
        ("perché dicono che compose non fa rollback?", "rolling-update", "compose", None),
        # a negated need asserts the ability; "c'è" is no "and"
        ("su k8s non serve scalare a mano, giusto?", "autoscaling", "kubernetes", "si"),
        ("con compose non c'è bisogno di riavviarli io, vero?", "failover", "compose", "no"),
        ("su kube serve avere più nodi per il failover?", "failover", "kubernetes", "si"),
        # a partial cell: an absolute denial is false, one instance is not its gap
        ("compose non fa affatto repliche, vero?", "scalabilita", "compose", "parziale"),
        ("compose non fa repliche su più host, vero?", "scalabilita", "compose", "si"),
        ("compose mi lascia solo un container per servizio?", "scalabilita", "compose", "no"),
        ("compose mi lascia solo una macchina per servizio?", "scalabilita", "compose", "si"),
        ("compose riavvia da solo un container morto?", "failover", "compose", "no"),
        # "quanto a" is "as for"; "quanto a lungo" still asks how long
        ("kube batte compose quanto a failover?", "failover", None, "si"),
        ("quanto a lungo resta giù compose se muore un container?", "failover", "compose", None),
        # a cue does not run across a preposition: "niente su un altro" is no "nient'altro"
        ("compose non sposta niente su un altro host, vero?", "failover", "compose", "si"),
        # the whole system down as the consequence is a limit
        ("con kube se muore un nodo salta tutto?", "failover", "kubernetes", "no"),
        # an external helper meets a need like a person does
        ("per i rollback su compose serve uno script?", "rolling-update", "compose", "si"),
        ("su kube non serve un plugin per l'autoscaling, vero?", "autoscaling", "kubernetes", "si"),
        # "non è vero che..." denies what follows
        ("non è vero che compose fa failover, giusto?", "failover", "compose", "si"),
        ("è vero che compose fa failover?", "failover", "compose", "no"),
    ],
)
def test_round_seven_classes(
    reader: LeadReader, question: str, feature: str, system: str, direct: str | None
) -> None:
    assert reader.read(question, feature, system).direct == direct


@pytest.mark.parametrize(
    ("question", "feature", "system", "direct"),
    [
        # "come" before a verb asks how, whatever judgement words follow
        ("come faccio a tornare indietro con compose?", "rolling-update", "compose", None),
        ("k8s: come tornare indietro di una versione?", "rolling-update", "kubernetes", None),
        ("con compose come gestisco i segreti in confronto?", "segreti", "compose", None),
        # the user's own requirement is no burden on the system
        ("ci serve reggere migliaia di utenti, kube ce la fa?", "scalabilita", "kubernetes", "si"),
        ("il worker deve girare in 20 copie, k8s lo regge?", "scalabilita", "kubernetes", "si"),
        ("con kube serve configurare qualcosa per il failover?", "failover", "kubernetes", "si"),
        # one at a time is a pace, not one instance only
        ("dc aggiorna solo un container alla volta?", "rolling-update", "compose", "no"),
        # "come se niente fosse" describes; it denies nothing
        ("l'app girava come se niente fosse, kube ha spostato i pod?", "failover", None, "si"),
    ],
)
def test_what_the_new_readings_leave_alone(
    reader: LeadReader, question: str, feature: str, system: str | None, direct: str | None
) -> None:
    assert reader.read(question, feature, system).direct == direct


@pytest.mark.parametrize(
    ("question", "feature", "direct", "key"),
    [
        # exactly one of the two
        ("solo uno dei due fa failover?", "failover", "si", "yes-only"),
        ("tra kube e dc, solo uno scala?", "scalabilita", "parziale", "parziale"),
        ("solo uno dei due ha i segreti cifrati?", "segreti", "si", "yes-only"),
        # at least / at most as good
        ("compose >= kube sui segreti?", "segreti", "no", "no"),
        ("compose <= kube sui segreti?", "segreti", "si", "si"),
    ],
)
def test_exactly_one_and_at_least(
    reader: LeadReader, question: str, feature: str, direct: str, key: str
) -> None:
    lead = reader.read(question, feature, "both")
    assert (lead.form, lead.direct, lead.key) == ("comparison", direct, key)


def test_one_replica_is_not_one_of_the_two(reader: LeadReader) -> None:
    lead = reader.read("su compose posso tenere solo una replica?", "scalabilita", "compose")
    assert (lead.form, lead.direct) == ("limitation", "no")
