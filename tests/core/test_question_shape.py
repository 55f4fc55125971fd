"""Question shape: does a message ask at all, and how is a question put."""

from __future__ import annotations

import pytest

from bot.core.question_shape import ShapeReader

ALIASES = [
    ("kubernetes", "kubernetes"),
    ("k8s", "kubernetes"),
    ("kube", "kubernetes"),
    ("docker compose", "compose"),
    ("compose", "compose"),
]
CUES = {
    "any": ["a mano", "devo io"],
    "cluster": ["su un host"],
    "rolling-update": ["downtime"],
    "segreti": ["env"],
}


@pytest.fixture(scope="module")
def shapes() -> ShapeReader:
    return ShapeReader(ALIASES, CUES)


# --- ShapeReader ---------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "come scala compose?",
        "perché compose non fa autoscaling?",
        "quanti nodi regge k8s?",
        "in che modo kube fa il rollback?",
        "cosa succede se muore un nodo?",
        "che succede con compose se un container crasha?",
        "quale dei due ha i segreti?",
        "su compose dove metto le password?",
        "quando conviene kubernetes?",
        "mi spiegate perché compose non scala?",
        "e se muore un nodo?",
    ],
)
def test_open_questions(shapes: ShapeReader, text: str) -> None:
    assert shapes.read(text).open


@pytest.mark.parametrize(
    "text",
    [
        "compose scala come kubernetes?",
        "quando un container muore compose lo riavvia?",
        "sapete se compose fa rollback?",
        "compose si comporta come se fosse un cluster?",
        "per quanto ne so compose non scala, giusto?",
    ],
)
def test_yes_no_questions_with_question_words_are_not_open(shapes: ShapeReader, text: str) -> None:
    assert not shapes.read(text).open


@pytest.mark.parametrize(
    ("text", "negated"),
    [
        ("compose non fa rolling update, giusto?", True),
        ("kubernetes mica fa failover, vero?", True),
        ("compose fa autoscaling o no?", False),
        ("kube fa failover, non è vero?", False),
        ("se non sbaglio compose fa rollback?", False),
        ("se un container non risponde, compose lo riavvia?", False),
        ("non so se compose fa autoscaling", False),
        ("non ho capito se compose non scala", True),
        ("non è che compose fa autoscaling?", False),
        ("compose resta giù finché non intervengo io?", False),
        ("nessuno dei due fa rolling update?", False),
    ],
)
def test_negation_only_counts_in_the_asking_clause(
    shapes: ShapeReader, text: str, negated: bool
) -> None:
    assert shapes.read(text).negated is negated


@pytest.mark.parametrize(
    ("text", "keys", "absence"),
    [
        ("compose gira su un unico host?", ("any", "cluster"), True),
        ("compose gira su un unico host?", ("any", "failover"), False),
        ("compose gira su più di un host?", ("any", "cluster"), False),
        ("con compose devo riavviarli io?", ("any",), True),
        ("con compose devo riavviarli a mano?", ("any",), True),
        ("posso scalare a mano con compose?", ("any",), False),
        ("si può fare solo a mano?", ("any",), True),
        ("k8s aggiorna senza downtime?", ("any", "rolling-update"), False),
        ("c'è downtime quando aggiorno con compose?", ("any", "rolling-update"), True),
        ("se c'è downtime, compose se ne accorge?", ("any", "rolling-update"), False),
        ("compose lo fa da solo o devo farlo a mano?", ("any",), False),
        ("kube tiene i secret fuori dalle env?", ("segreti",), False),
        ("k8s elimina il downtime?", ("rolling-update",), False),
        ("devo farlo a mano o compose lo fa da solo?", ("any",), True),
        # "in più" means extra ones, not the "più" of "più di un host"
        ("le repliche in più con compose le devo aggiungere io?", ("any",), True),
        ("se servono pod in più devo aggiungerli io su kube?", ("any",), True),
        ("quelli in più li lancio a mano con compose?", ("any",), True),
    ],
)
def test_absence_cues_apply_per_feature_and_respect_blockers(
    shapes: ShapeReader, text: str, keys: tuple[str, ...], absence: bool
) -> None:
    assert shapes.read(text, keys).absence is absence


def test_niente_before_a_cue_blocks_it_and_is_not_a_negation(shapes: ShapeReader) -> None:
    shape = shapes.read("niente downtime con k8s?", ("rolling-update",))
    assert not shape.absence and not shape.negated


@pytest.mark.parametrize(
    ("text", "relation", "subject"),
    [
        ("k8s è meglio di compose sui segreti?", "better", "kubernetes"),
        ("compose gestisce i segreti meglio di kubernetes?", "better", "compose"),
        ("rispetto a compose, k8s scala di più?", "better", "kubernetes"),
        ("compose è più scarso di k8s sull'autoscaling?", "worse", "compose"),
        ("compose è peggio di k8s per il failover?", "worse", "compose"),
        ("compose scala come kubernetes?", "same", "compose"),
        ("kube e compose trattano i segreti allo stesso modo?", "same", "kubernetes"),
        ("c'è differenza tra kube e compose sul cluster?", "differ", "kubernetes"),
        ("li fanno tutti e due i rolling update?", "all", None),
        ("sia k8s che compose fanno failover?", "all", "kubernetes"),
        ("sia docker compose che k8s scalano su più nodi?", "all", "compose"),
        ("k8s scala su più nodi di compose?", "better", "kubernetes"),
        ("nessuno dei due fa autoscaling?", "none", None),
        ("né k8s né compose fanno autoscaling?", "none", None),
        ("solo k8s fa autoscaling?", "only", "kubernetes"),
        ("almeno uno dei due fa autoscaling?", "any", None),
        # verbs of outdoing compare only between two systems named
        ("kube surclassa compose nel failover?", "better", "kubernetes"),
        ("compose supera k8s su qualcosa tipo i segreti?", "better", "compose"),
        ("docker compose perde contro kubernetes sul rollback?", "worse", "compose"),
    ],
)
def test_comparisons(shapes: ShapeReader, text: str, relation: str, subject: str | None) -> None:
    comparison = shapes.read(text).comparison
    assert comparison is not None
    assert (comparison.relation, comparison.subject) == (relation, subject)


@pytest.mark.parametrize(
    "text",
    ["lo so che kube li gestisce, ma compose?", "k8s ok, e compose?", "kube sì. compose?"],
)
def test_a_contrast_asks_about_one_system_not_both(shapes: ShapeReader, text: str) -> None:
    shape = shapes.read(text)
    assert shape.comparison is None and not shape.choice


@pytest.mark.parametrize("text", ["k8s supera i cinquemila nodi?", "compose perde i segreti?"])
def test_a_verb_of_outdoing_with_one_system_is_no_comparison(
    shapes: ShapeReader, text: str
) -> None:
    assert shapes.read(text).comparison is None


@pytest.mark.parametrize(
    "text",
    [
        "compose gira solo sul server dove lo lancio?",
        "i container restano sul nodo dove sono nati con k8s?",
        "kube tiene i secret nel cluster dove gira l'app?",
    ],
)
def test_dove_after_a_place_is_a_relative_clause_not_an_open_question(
    shapes: ShapeReader, text: str
) -> None:
    assert not shapes.read(text).open


def test_who_between_the_two_is_open(shapes: ShapeReader) -> None:
    assert shapes.read("tra kube e compose chi sopporta meglio i guasti?").open


def test_dove_that_asks_is_still_open(shapes: ShapeReader) -> None:
    assert shapes.read("dove salva i secret compose?").open
    assert shapes.read("i segreti dove li metto con compose?").open


@pytest.mark.parametrize(
    "text", ["kube li riavvia, compose no giusto?", "i secret k8s li cifra, compose no?"]
)
def test_a_system_s_bare_no_after_a_statement_negates(shapes: ShapeReader, text: str) -> None:
    assert shapes.read(text).negated


def test_a_choice_between_the_systems_is_not_yes_or_no(shapes: ShapeReader) -> None:
    shape = shapes.read("meglio k8s o compose per i segreti?")
    assert shape.choice and shape.comparison is None


def test_the_asking_sentence_outweighs_the_story(shapes: ShapeReader) -> None:
    story = "Non ho mai usato kubernetes. Ho un solo host. Compose fa rollback?"
    shape = shapes.read(story, ("any", "cluster"))
    assert not shape.negated and not shape.absence
    assert shape.systems == ("compose",)
    # A bare tag asks about the sentence before it.
    assert shapes.read("compose non scala. giusto?").negated


def test_more_than_one_feature_word_per_system_is_one_system(shapes: ShapeReader) -> None:
    shape = shapes.read("docker compose o kubernetes, e compose?")
    assert shape.systems == ("compose", "kubernetes")


# --- burdens and limits no cue lists -------------------------------------------


@pytest.mark.parametrize(
    ("text", "absence"),
    [
        # a need with the person who meets it
        ("con compose serve qualcuno che rilanci i container?", True),
        ("su kube occorre rimettere in piedi i pod?", True),
        ("kubernetes ci vuole un operatore per spostare i pod?", True),
        ("su compose gli aggiornamenti richiedono un intervento?", True),
        # work handed over to the user
        ("compose delega a noi il riavvio dei servizi?", True),
        # a need that chooses a tool, a need with nobody to meet it, a person alone
        ("devo usare kubernetes per avere il failover?", False),
        ("serve kubernetes per il failover?", False),
        ("posso decidere io le repliche su compose?", False),
        ("compose lo fa da solo o tocca a me?", False),
        # one place only
        ("compose tiene tutti i servizi sulla stessa vm?", True),
        ("kube regge solo un nodo?", True),
        ("k8s sposta i pod su un'altra macchina?", False),
    ],
)
def test_burdens_and_limits_are_read_without_a_cue(
    shapes: ShapeReader, text: str, absence: bool
) -> None:
    assert shapes.read(text, ("any", "cluster")).absence is absence


def test_one_place_only_is_a_limit_where_the_feature_is_about_places(
    shapes: ShapeReader,
) -> None:
    assert not shapes.read("compose tiene tutto sulla stessa vm?", ("any", "failover")).absence


@pytest.mark.parametrize(
    ("text", "absence"),
    [
        ("su compose il container resta giù?", True),
        ("dici che su compose il container resta giù?", True),
        # the lack of the pods, in a relative clause, is not the system's
        ("kube rialza i pod che restano giù?", False),
    ],
)
def test_a_lack_in_a_relative_clause_is_not_asserted(text: str, absence: bool) -> None:
    shapes = ShapeReader(ALIASES, {"failover": ["resta giù"]})
    assert shapes.read(text, ("failover",)).absence is absence


def test_senza_with_a_negative_word_is_one_negative(shapes: ShapeReader) -> None:
    shape = shapes.read("su kube devo gestirli io, senza nessun aiuto?", ("any",))
    assert shape.absence and not shape.negated


def test_chat_nn_is_a_negation_like_non(shapes: ShapeReader) -> None:
    for text in ("compose nn fa failover, giusto?", "compose non fa failover, giusto?"):
        assert shapes.read(text, ("any",)).negated


def test_the_proposition_after_vero_che_is_what_is_asked(shapes: ShapeReader) -> None:
    shape = shapes.read("compose non fa failover, vero che devo rialzarli io?", ("any",))
    assert shape.absence and not shape.negated


@pytest.mark.parametrize(
    "text",
    [
        "con compose per tornare indietro devo farlo io?",
        "compose copia i segreti pari pari nel file?",
    ],
)
def test_going_back_and_word_for_word_are_no_comparison(shapes: ShapeReader, text: str) -> None:
    assert shapes.read(text).comparison is None


def test_quanto_before_a_system_compares(shapes: ShapeReader) -> None:
    shape = shapes.read("compose scala bene quanto kube?")
    assert not shape.open
    assert shape.comparison is not None and shape.comparison.relation == "same"


def test_how_many_after_a_verb_of_choosing_is_not_open(shapes: ShapeReader) -> None:
    assert not shapes.read("k8s mi lascia scegliere quante repliche?").open


@pytest.mark.parametrize(
    "text",
    [
        # a negation in another conjunct or clause states the same lack
        "compose non riavvia niente e devo rialzarli io?",
        "kube non scala da solo, quindi devo farlo a mano?",
    ],
)
def test_a_negation_beside_the_lack_does_not_deny_it(shapes: ShapeReader, text: str) -> None:
    shape = shapes.read(text, ("any",))
    assert shape.absence and not shape.negated


def test_a_negation_over_the_lack_denies_it(shapes: ShapeReader) -> None:
    shape = shapes.read("su compose non devo farlo io a mano, giusto?", ("any",))
    assert shape.absence and shape.negated


@pytest.mark.parametrize(
    "text",
    ["su compose è una cosa che devo fare io?", "con kube sono io che devo rialzarli?"],
)
def test_the_users_own_burden_counts_in_a_relative_clause(shapes: ShapeReader, text: str) -> None:
    assert shapes.read(text, ("any",)).absence


@pytest.mark.parametrize(
    ("text", "absence"),
    [
        # a state that lasts
        ("su compose il servizio rimane a terra dopo il crash?", True),
        ("con compose le repliche restano sempre quelle?", True),
        ("kube rialza i pod che rimangono fermi?", False),
        # waiting for the user, though in a condition
        ("su compose resta tutto così finché qualcuno non interviene?", True),
        ("compose lo rialza solo quando glielo chiedo io?", True),
        # a cleft and a passive of need
        ("su compose sono io a dover rilanciare i container?", True),
        ("con compose i container vanno riavviati a mano?", True),
        # work handed to the user, and a permission that is not
        ("compose mi lascia tutto da sistemare?", True),
        ("k8s mi lascia scegliere le repliche?", False),
    ],
)
def test_lasting_states_waiting_clefts_and_handing_over(
    shapes: ShapeReader, text: str, absence: bool
) -> None:
    assert shapes.read(text, ("any",)).absence is absence


@pytest.mark.parametrize(
    "text", ["compose è roba da server singolo?", "posso scalare compose ma su una vm sola?"]
)
def test_one_place_after_its_noun_or_past_an_ability_in_another_conjunct(
    shapes: ShapeReader, text: str
) -> None:
    assert shapes.read(text, ("any", "cluster")).absence


def test_come_before_an_article_gives_an_example(shapes: ShapeReader) -> None:
    assert not shapes.read("k8s protegge un dato sensibile come un token?").open
    assert not shapes.read("k8s protegge bene i dati come i token?").open
    assert shapes.read("k8s come gestisce i token?").open


@pytest.mark.parametrize(
    ("text", "absence"),
    [
        ("su compose la cosa sta a noi?", True),
        ("compose aspetta che qualcuno rilanci i container?", True),
        ("compose tiene i segreti in un file che chiunque legge?", True),
    ],
)
def test_work_up_to_the_user_and_a_relative_clause_off_a_workload(text: str, absence: bool) -> None:
    shapes = ShapeReader(ALIASES, {"any": ["a mano"], "segreti": ["chiunque"]})
    assert shapes.read(text, ("any", "segreti")).absence is absence


def test_a_negative_word_after_senza_is_its_concord(shapes: ShapeReader) -> None:
    assert not shapes.read("k8s scala senza che io faccia niente?").negated


def test_a_negation_in_the_lacks_own_complement_is_the_lack(shapes: ShapeReader) -> None:
    shapes = ShapeReader(ALIASES, {"any": ["difetti"]})
    shape = shapes.read("compose ha il difetto di non rialzare i container?", ("any",))
    assert shape.absence and not shape.negated


@pytest.mark.parametrize(
    "text",
    [
        "su compose resta tutto giù fino a quando non intervengo io?",
        "kube tiene sempre lo stesso numero di pod anche sotto carico?",
        "con compose aggiornare è un lavoro mio?",
    ],
)
def test_waiting_until_lasting_sameness_and_work_for_me(shapes: ShapeReader, text: str) -> None:
    assert shapes.read(text, ("any",)).absence


@pytest.mark.parametrize(
    ("text", "keys"),
    [
        ("compose può girare soltanto su un host?", ("any", "cluster")),
        ("su compose riavviare i container è compito mio?", ("any",)),
        ("compose sta fermo con le repliche di partenza?", ("any",)),
    ],
)
def test_a_limited_ability_a_task_of_mine_and_standing_still(
    shapes: ShapeReader, text: str, keys: tuple[str, ...]
) -> None:
    assert shapes.read(text, keys).absence


@pytest.mark.parametrize(
    ("text", "subject"),
    [
        ("k8s ha un failover che compose non ha?", "kubernetes"),
        ("compose ha un rollback che kube non ha?", "compose"),
        ("kube aggiorna senza fermare il sito e compose no, vero?", "kubernetes"),
        ("k8s fa autoscaling mentre compose no, corretto?", "kubernetes"),
        ("kubernetes sì, compose no per l'autoscaling?", "kubernetes"),
        ("compose no, kube sì per i rolling update?", "kubernetes"),
    ],
)
def test_one_system_having_what_the_other_lacks_asks_about_only_one(
    shapes: ShapeReader, text: str, subject: str
) -> None:
    shape = shapes.read(text)
    assert shape.comparison is not None and not shape.negated
    assert (shape.comparison.relation, shape.comparison.subject) == ("only", subject)


@pytest.mark.parametrize(
    ("text", "relation"),
    [
        ("posso fare i rolling update sia con kube che con compose?", "all"),
        ("il failover c'è sia in k8s sia in compose?", "all"),
        ("tra kube e compose c'è un abisso sul failover?", "differ"),
        ("c'è un bel divario tra k8s e compose per il cluster?", "differ"),
    ],
)
def test_both_with_prepositions_and_a_gap_between_the_two(
    shapes: ShapeReader, text: str, relation: str
) -> None:
    comparison = shapes.read(text).comparison
    assert comparison is not None and comparison.relation == relation


@pytest.mark.parametrize(
    "text",
    [
        "se ho capito bene compose non fa il failover, giusto?",
        "a quanto ho capito kube non scala da solo, giusto?",
    ],
)
def test_a_hedge_on_the_users_understanding_leaves_the_negation_asked(
    shapes: ShapeReader, text: str
) -> None:
    shape = shapes.read(text)
    assert shape.negated and not shape.open


@pytest.mark.parametrize(
    "text",
    [
        "su compose devo aggiornare a mano perché non c'è un altro modo?",
        "con k8s devo riavviarli a mano visto che non c'è alternativa?",
    ],
)
def test_a_reason_that_there_is_no_other_way_denies_nothing_asked(
    shapes: ShapeReader, text: str
) -> None:
    shape = shapes.read(text, ("any",))
    assert shape.absence and not shape.negated


def test_come_after_a_verb_of_passing_is_as(shapes: ShapeReader) -> None:
    assert shapes.read("con compose i token si passano come env?", ("segreti",)).absence


def test_a_relative_dove_in_the_story_does_not_ask(shapes: ShapeReader) -> None:
    text = "ho un progetto dove il carico cambia, meglio k8s di compose per l'autoscaling?"
    comparison = shapes.read(text).comparison
    assert comparison is not None and comparison.relation == "better"
    # After a system, "dove" sets a story whose question has no verb: no reading.
    assert shapes.read("vengo da compose dove li riavviavo io, su k8s invece?").open


def test_a_need_in_the_story_is_no_lack_in_a_comparison(shapes: ShapeReader) -> None:
    text = "dobbiamo migrare un gestionale, compose è meglio di k8s per i rolling update?"
    shape = shapes.read(text, ("any",))
    assert shape.comparison is not None and not shape.absence


@pytest.mark.parametrize(
    "text",
    [
        "compose non scala oltre un nodo, confermi?",
        "con compose non c'è un vero gestore delle password, giusto?",
        "compose non tiene le chiavi in modo sicuro, vero?",
        "compose non gestisce le credenziali in modo avanzato, giusto?",
    ],
)
def test_a_denial_qualified_to_a_part_is_read_as_such(shapes: ShapeReader, text: str) -> None:
    shape = shapes.read(text)
    assert shape.negated and shape.qualified


@pytest.mark.parametrize(
    "text",
    [
        "compose non scala, vero?",
        "compose non scala per niente, vero?",
        "è vero che compose non ha i segreti?",
    ],
)
def test_a_plain_or_absolute_denial_is_not_qualified(shapes: ShapeReader, text: str) -> None:
    assert not shapes.read(text).qualified


def test_as_good_as_the_other_is_at_least(shapes: ShapeReader) -> None:
    comparison = shapes.read("compose è all'altezza di k8s per il failover?").comparison
    assert comparison is not None and comparison.relation == "at-least"
    assert comparison.subject == "compose"


def test_the_not_of_only_x_and_not_y_spells_out_the_only(shapes: ShapeReader) -> None:
    shape = shapes.read("i rolling update li fa soltanto k8s e non compose?")
    assert shape.comparison is not None and shape.comparison.relation == "only"
    assert not shape.negated


def test_only_on_one_host_is_a_limit_for_any_feature(shapes: ShapeReader) -> None:
    assert shapes.read("kube scala soltanto su una macchina?", ("autoscaling",)).absence
    assert not shapes.read("compose riparte da solo se il server muore?", ("failover",)).absence


@pytest.mark.parametrize(
    "text",
    [
        "con compose se si guasta il server va offline tutta l'app?",
        "kube, quando crolla un nodo, smette di rispondere il sito?",
    ],
)
def test_a_failure_in_a_condition_taking_the_service_down_is_a_limit(
    shapes: ShapeReader, text: str
) -> None:
    assert shapes.read(text).absence


@pytest.mark.parametrize(
    "text",
    [
        "se un nodo si rompe kube sposta i pod?",
        "se cade un nodo k8s sposta i pod o il servizio va giù?",
    ],
)
def test_a_failure_in_a_condition_alone_is_no_limit(shapes: ShapeReader, text: str) -> None:
    assert not shapes.read(text).absence


def test_without_a_way_back_is_a_limit(shapes: ShapeReader) -> None:
    assert shapes.read(
        "con kube rimango nei guai senza poter ripristinare il vecchio rilascio?"
    ).absence
    assert not shapes.read("kube aggiorna senza tempi morti?").absence


def test_a_confirmation_of_a_reported_claim_asks_about_the_claim(shapes: ShapeReader) -> None:
    shape = shapes.read("un collega sostiene che compose non bilancia il carico. ha ragione, vero?")
    assert shape.negated and shape.systems == ("compose",)


def test_the_one_said_to_have_more_in_a_cleft_is_better(shapes: ShapeReader) -> None:
    comparison = shapes.read("fra kube e compose è compose quello che tiene più nodi?").comparison
    assert comparison is not None and comparison.relation == "better"
    assert comparison.subject == "compose"


def test_what_was_understood_is_stated_not_asked(shapes: ShapeReader) -> None:
    assert not shapes.read(
        "ok, ho capito che kube è distribuito, ma il rollback lo devo fare io?"
    ).open
    assert shapes.read("non ho capito che fa compose coi segreti").open
