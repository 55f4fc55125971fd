"""The words of the sentence that asks, and the vocabulary that reads its form.

Helpers of `bot.core.question_shape`: which sentence asks, its words with their
clause and whether they can carry polarity, phrase search, and the word lists
for open questions, negation, absence, comparison and likeness.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Final

from bot.core.text import stem, tokenize

SENTENCE_END: Final = re.compile(r"(?<=[?!])|(?<=\.)(?=\s)|\n")
CLAUSE_BREAK: Final = re.compile(r"[,;:()]|\s[-–—]\s")
# Confirmation tags and hedges at the end: "..., giusto?", "o sbaglio?".
TRAILING_TAGS: Final = frozenset(
    "giusto vero no corretto esatto confermi confermate confermo right eh ok si "
    "dico bene sbaglio mi o e non".split()
)
# Fixed expressions whose negation is not about the topic.
SET_PHRASES: Final = tuple(
    tuple(phrase.split())
    for phrase in (
        "se non sbaglio",
        "se non mi sbaglio",
        "se non erro",
        "se non ricordo male",
        "se non ho capito male",
        # Hedges on the user's own understanding: the proposition follows.
        "se ho capito bene",
        "se ho ben capito",
        "se capisco bene",
        "a quanto ho capito",
        "da quanto ho capito",
        "per quanto ho capito",
        "da quel che ho capito",
        "non e che",
        "non solo",
        "o non",
    )
)
# "nn" is chat for "non" ("compose nn scala in automatico, confermi?").
NEGATIONS: Final = frozenset(
    "non nn mica nessun nessuna nessuno niente nulla neanche nemmeno neppure manco "
    "not doesn isn don cannot aren won didn".split()
)
# A cue right after one of these asks for the feature ("senza downtime").
BLOCKERS: Final = frozenset(
    "senza evitare evito evita evitano zero niente nulla nessun nessuna nessuno piu oltre "
    "anche riduce ridurre riducono minimizzare limitare fuori elimina eliminare toglie "
    "previene prevenire impedisce impedire risparmia risparmiare".split()
)
BLOCK_WINDOW: Final = 3
# Ability, not burden: "posso scalare a mano?" asks whether it can be done.
ABILITY: Final = frozenset(
    "posso puoi puo possiamo potete possono riesco riesci riesce riescono permette "
    "permettono consente consentono possibile supporta supportano".split()
)
ONLY: Final = frozenset("solo soltanto solamente unicamente".split())
# A burden is a need with a person to meet it. First-person needs carry their
# person ("devo riavviarli?", "tocca rifare il deploy?"); impersonal ones need
# a human nearby ("serve che qualcuno lo rialzi?", "richiede un mio script?"),
# and handing work over needs its receiver ("scarica su di me il lavoro?").
MY_NEEDS: Final = frozenset("devo dobbiamo dovrei dovremmo tocca bisogna occorre".split())
NEEDS: Final = frozenset(
    "serve servono richiede richiedono necessario necessaria bisogno vuole vogliono deve "
    "devono pretende pretendono lavoro compito responsabilita".split()
)
HANDS: Final = frozenset(
    "io me noi qualcuno qualcun umano umani persona persone operatore operatori sysadmin "
    "sistemista sistemisti admin amministratore tecnico mio mia miei mie nostro nostra "
    "nostri intervento intervenire intervengo mano manina manuale manualmente "
    # An external helper meets the need too: "serve uno script?", "non serve un tool".
    "script tool plugin addon".split()
)
# "k8s ce l'ha e compose no?", "... che a compose manca?": one system lacks
# what the other has.
CONTRAST_DENIALS: Final = frozenset("non nn no mica".split())
LACKING: Final = frozenset("manca mancano".split())
CONTRAST_REACH: Final = 4
CONTRAST_JOINS: Final = frozenset("e ed ma mentre".split())
# After a verdict "sì" ("kube sì per i rolling update"), not after a clitic "si".
VERDICT_FOLLOWERS: Final = frozenset(
    "e ed ma mentre invece per su sul sui sulla sulle sugli in nel nei nella con col coi".split()
)
COORDINATORS: Final = frozenset("e ed ma quindi cioe percio".split())
# A state that lasts: "rimane a terra", "restano sempre quelle", "tiene lo stesso numero".
LASTING: Final = frozenset(
    "resta restano rimane rimangono restare rimanere restando rimanendo tiene tengono "
    "mantiene mantengono sta stanno".split()
)
STUCK: Final = frozenset(
    "fermo ferma fermi ferme bloccato bloccata bloccati bloccate giu down offline spento "
    "spenta spenti spente morto morta morti morte terra quello quella quelli quelle uguale "
    "uguali fisso fissa fissi fisse acceso accesa accesi accese chiuso chiusa chiusi "
    "chiuse stesso stessa stessi stesse".split()
)
STUCK_REACH: Final = 3
# "è sulle mie spalle", "sono io a doverlo fare", "sia io a lanciarli".
CLEFT_VERBS: Final = frozenset("sono sia siamo e tocca".split())
# "va riavviato a mano?": a passive of need.
PASSIVE_NEEDS: Final = frozenset("va vanno andrebbe andrebbero".split())
PARTICIPLE_ENDINGS: Final = ("ato", "ata", "ati", "ate", "ito", "ita", "iti", "ite", "uto", "uti")
INFINITIVE_ENDINGS: Final = ("are", "ere", "ire")
ARTICLES: Final = frozenset("i il gli un una uno".split())
HANDING_OVER: Final = frozenset("lascia lasciano scarica scaricano delega delegano".split())
RECEIVERS: Final = frozenset("me noi".split())
# "mi lascia tutto da rifare": leaves it to me; "mi lascia scegliere" lets me.
CLITIC_RECEIVERS: Final = frozenset("mi ci".split())
# "devo scegliere ...": a need to decide is no burden of the feature.
CHOOSING: Final = frozenset("scegliere decidere valutare confrontare capire".split())
# A need's own tool is a choice, not a burden: "devo usare k8s per il failover?".
TOOL_REACH: Final = 3
# One place only: "solo su un computer", "sullo stesso host".
ONE: Final = ONLY | frozenset("stesso stessa unico unica singolo singola sola".split())
ONE_PLACE: Final = frozenset(
    "macchina server host nodo computer vm vps pc box portatile laptop ferro".split()
)
ONE_REACH: Final = 3
# "su un altro host" is a second place, not one only.
ANOTHER: Final = frozenset(
    "altro altra altri altre secondo seconda diverso diversa nuovo nuova".split()
)
# A ceiling: few of something, "solo poche decine", "bloccato a qualche centinaio".
FEW: Final = frozenset("poche pochi poca poco qualche manciata paio".split())
# "è giusto dire che è mononodo?": what follows is the proposition asked.
PROPOSITION_OPENERS: Final = tuple(
    tuple(phrase.split())
    for phrase in ("giusto dire che", "corretto dire che", "vero che", "giusto che")
)
# A reason that there is no other way: "... perché non c'è alternativa?".
CAUSES: Final = frozenset("perche siccome poiche giacche".split())
CAUSE_PAIRS: Final = frozenset({("visto", "che"), ("dato", "che"), ("dal", "momento")})
ALTERNATIVES: Final = frozenset(
    "altro altra altri altre alternativa alternative altrimenti scelta scampo".split()
)
# "un collega dice che k8s non...": reported speech; the proposition follows "che".
SAYING: Final = frozenset(
    "dice dicono detto dicevano diceva sostiene sostengono sostenuto afferma affermano "
    "letto sentito scritto scrive scrivono giura giurano pensa pensano crede credono "
    "racconta raccontano spiegato".split()
)
# A sentence of these alone confirms the one before: "è così, vero?".
CONFIRMING: Final = TRAILING_TAGS | frozenset(
    "cosi davvero proprio questo ha hanno ragione dice dicono bene".split()
)
# A negation that claims total absence: "non scala per niente", "in nessun modo".
ABSOLUTE: Final = frozenset(
    "proprio affatto assolutamente minimamente nessun nessuna nessuno neanche nemmeno "
    "neppure".split()
)
ABSOLUTE_PHRASES: Final = (("per", "niente"), ("per", "nulla"), ("del", "tutto"))
# A denial qualified to the part a partial cell lacks ("non scala oltre un
# nodo", "non c'è un vero gestore", "non in modo sicuro") is true of it.
QUALIFIERS: Final = frozenset(
    "avanzato avanzata avanzati avanzate centralizzato centralizzata centralizzati "
    "centralizzate automatico automatica automatici automatiche automaticamente".split()
)
QUALIFIER_PHRASES: Final = (
    ("in", "modo", "sicuro"),
    ("in", "sicurezza"),
    ("in", "automatico"),
)
# "un vero gestore": "vero" before its noun, not the closing "..., vero?".
GENUINE: Final = frozenset("vero vera veri vere".split())
BEFORE_GENUINE: Final = frozenset("un una uno il la i le dei delle degli di nessun nessuna".split())
# "oltre un nodo", "al di là di una macchina": past the one place a partial cell keeps to.
BEYOND: Final = (("oltre",), ("al", "di", "la", "di"))
# One instance, as opposed to one place: "un solo container per servizio".
INSTANCES: Final = frozenset(
    "container istanza istanze replica repliche copia copie pod worker processo".split()
)
# "non serve toccare le repliche": an impersonal need of an action. Not a
# state ("serve avere più nodi?") nor setting up ("serve configurare qualcosa?"),
# and not the user's own requirement ("ci serve reggere milioni di richieste").
ACTING_NEEDS: Final = frozenset("serve servono".split())
STATES: Final = frozenset(
    "avere essere configurare installare impostare abilitare attivare definire".split()
)
# A relative clause on one of these describes a failure the system handles.
WORKLOADS: Final = frozenset(
    "pod container servizi servizio nodi nodo repliche replica istanze istanza app "
    "applicazioni processi processo worker".split()
)
# "aspetta che qualcuno...": waiting for a person, like "finché qualcuno non...".
WAITING: Final = frozenset("aspetta aspettano attende attendono".split())
# "sta a noi", "spetta a me": the work is the user's.
UP_TO: Final = frozenset("sta spetta".split())
# How far after "senza" a negative word is still its concord.
CONCORD_REACH: Final = 5
CLITICS: Final = frozenset("si mi ti ci vi ne lo la li le".split())
# "tornare indietro" is a rollback, not falling behind.
BACKWARD: Final = frozenset("tornare torna tornano torno tornando tornato andare".split())
SUBORDINATORS: Final = frozenset("se quando finche qualora mentre appena".split())
SUBORDINATOR_PAIRS: Final = frozenset(
    {("nel", "caso"), ("in", "caso"), ("dopo", "che"), ("prima", "che"), ("anche", "se")}
)
# "sai se compose...": an indirect yes/no question, not a condition.
ASKING_VERBS: Final = frozenset(
    "sa sai sapete sapreste sapresti so chiedo chiedevo domando domandavo dimmi ditemi "
    "capire capisco capito sapere vedere verificare ricordo chiaro dubbio spiegate "
    "spieghi spiegami spiegatemi spiegarmi".split()
)
SUBORDINATE_REACH: Final = 3
# "quando conviene kubernetes?" asks when; "quando un pod muore, ..." sets a condition.
WHEN_ASKS: Final = frozenset(
    "conviene convengono serve servono usare uso usa scegliere passare vale meglio "
    "bisogna dovrei devo ha e".split()
)
LEADING_SKIP: Final = frozenset(
    "e ed ma quindi allora ok ciao raga ragazzi scusate scusa domanda pero invece tra fra "
    "comunque tipo ehi senti dunque cioe su con in per nel sul col a sugli sui".split()
)
ANYWHERE_WH: Final = frozenset(
    "cosa cos quanto quanti quanta quante quale quali qual dove how what which where".split()
)
INITIAL_WH: Final = frozenset("perche chi che why".split())
# "una cosa", "per quanto", "tanto quanto", "scegliere quante repliche": not asking.
NOT_WH_BEFORE: Final = frozenset(
    "una la qualche ogni altra stessa sola questa quella per il tanto scegliere decidere "
    "stabilire impostare fissare stimare calcolare".split()
)
PREPOSITIONS: Final = frozenset("in a di con per da su".split())
AS_FOR: Final = frozenset("a al allo alla ai agli alle".split())
# "la macchina dove gira": after a place, "dove" opens a relative clause.
PLACES: Final = frozenset(
    "macchina macchine server nodo nodi host vm vps pc computer cluster ambiente file "
    "cartella punto posto".split()
)

BETTER: Final = frozenset(
    "meglio migliore migliori superiore superiori vince batte avanti davanti vantaggio "
    "vantaggi".split()
)
WORSE: Final = frozenset(
    "peggio peggiore peggiori inferiore inferiori indietro dietro svantaggio svantaggi".split()
)
# Verbs of outdoing, a comparison only between two systems named: "k8s supera
# dc sui rolling update?", not "k8s supera i mille nodi?".
BETTER_VERBS: Final = frozenset(
    "supera superano surclassa surclassano straccia stracciano battono vincono domina "
    "dominano stravince".split()
)
WORSE_VERBS: Final = frozenset("perde perdono".split())
# Adjectives that turn "più ... di" into "worse than".
NEGATIVE: Final = frozenset(
    "scarso scarsa debole deboli povero limitato limitata lento lenta carente indietro "
    "fragile peggio".split()
)
SAME: Final = frozenset(
    "uguale uguali pari altezza equivalente equivalenti simile simili confronto paragone".split()
)
SAME_WORDS: Final = frozenset("stesso stessa stessi stesse".split())
# "compose è al livello di k8s?", "all'altezza di k8s": as good as the
# system named after it, which a better one also is (not "the same").
AS_GOOD_AS: Final = (("al", "livello", "di"), ("all", "altezza", "di"), ("alla", "altezza", "di"))
SAME_PHRASES: Final = (
    ("stesso", "modo"),
    ("stessa", "maniera"),
    ("stesso", "livello"),
    ("stessa", "cosa"),
    ("stesse", "cose"),
    ("si", "equivalgono"),
    ("tiene", "testa"),
    ("tengono", "testa"),
)
# A preference is a comparison only against a standard ("conviene k8s
# rispetto a compose?"); "mi conviene passare a k8s?" compares nothing.
PREFERENCE: Final = frozenset(
    "conviene convengono converrebbe preferibile preferibili consigliato consigliata "
    "consigliabile raccomandato raccomandata".split()
)
# The standard a preference is measured against: "rispetto a", "piuttosto
# che", "anziché", "invece di", "al posto di".
STANDARD_MARKERS: Final = (
    ("rispetto",),
    ("piuttosto", "che"),
    ("anziche",),
    ("invece", "di"),
    ("invece", "che"),
    ("al", "posto", "di"),
)
# "k8s > compose": the sign between two systems, kept through tokenizing as a word.
SIGNS: Final = re.compile(r"(?<![-=<>])(>=|<=|>+|<+)(?![-=<>])(?=\s*[^\W\d_])")
MORE_SIGN: Final = "qqmorethanqq"
LESS_SIGN: Final = "qqlessthanqq"
AT_LEAST_SIGN: Final = "qqatleastqq"
AT_MOST_SIGN: Final = "qqatmostqq"
# "dc come orchestratore fa i rolling update?": a verb right after the role
# named with "come" ("as"); right after "come" itself it makes "how".
LIGHT_VERBS: Final = frozenset(
    "fa fanno ha hanno gestisce gestiscono supporta supportano offre offrono garantisce "
    "garantiscono regge reggono".split()
)
# Right after "come", these read "how": "come faccio", "come posso", "come va".
HOW_VERBS: Final = LIGHT_VERBS | frozenset(
    "faccio fai facciamo posso puoi puo possiamo devo devi deve riesco riesce gestisco "
    "funziona funzionano va vanno avviene succede torno tornare".split()
)
# "usarlo come cluster": a verb of use before "come" names a role.
# So does a verb of passing or keeping: "si passano come variabili d'ambiente".
USE_STEMS: Final = tuple(
    "usa uso usi usar usat utilizz impieg sfrutt "
    "pass mett salv conserv memorizz finisc inietta mont dichiar".split()
)
ROLE_REACH: Final = 3
DIFFER: Final = frozenset(
    "differenza differenze diverso diversa diversi diverse diversamente differiscono cambia "
    "abisso abissi divario gap".split()
)
ALL: Final = frozenset("entrambi entrambe ambedue both".split())
THAN: Final = frozenset("di del dello della che rispetto".split())
OR: Final = frozenset("o oppure or".split())
# A failure in a condition, then the service down: "se muore la vm va giù tutto?".
FAILING: Final = frozenset(
    "muore muoiono spegne spengono cade cadono crolla crollano pianta piantano rompe "
    "rompono guasta guastano".split()
)
OUTAGE: Final = frozenset(
    "giu offline down irraggiungibile smette smettono ferma fermano muore muoiono cade "
    "cadono crolla crollano".split()
)
# "senza poter tornare indietro", "senza un modo di...": no way to do it.
WAYS: Final = frozenset("poter potere modo possibilita riuscire".split())
WAY_REACH: Final = 3


@dataclass
class Words:
    """The asking sentence's words, with what each one is doing."""

    surface: list[str]
    stems: list[str]
    clause: list[int]
    # Words that cannot carry polarity or cues: tags, set phrases, conditions.
    muted: list[bool]

    def __len__(self) -> int:
        return len(self.surface)


def asking_sentence(text: str) -> str:
    sentences = [part.strip() for part in SENTENCE_END.split(text) if part.strip()]
    if not sentences:
        return ""
    asking = [i for i, sentence in enumerate(sentences) if "?" in sentence]
    index = asking[-1] if asking else len(sentences) - 1
    chosen = sentences[index]
    # "compose non scala. giusto?", "... e così, vero?": a bare tag asks about
    # the sentence before it.
    if index > 0:
        tokens = tokenize(chosen)
        if len(tokens) <= 2 or all(token in CONFIRMING for token in tokens):
            chosen = sentences[index - 1] + ", " + chosen
    return chosen


# Clause breaks survive normalization as this word, so a sentence is tokenized once.
BREAK_WORD: Final = "qqclausebreakqq"


def read_words(sentence: str) -> Words:
    surface: list[str] = []
    clause: list[int] = []
    number = 0
    for token in tokenize(CLAUSE_BREAK.sub(f" {BREAK_WORD} ", sentence)):
        if token == BREAK_WORD:
            number += 1
        else:
            surface.append(token)
            clause.append(number)
    return Words(surface, [stem(t) for t in surface], clause, [False] * len(surface))


def find_phrase(tokens: list[str], phrase: Sequence[str], start: int = 0) -> int:
    """Where `phrase` occurs in `tokens` from `start` on, or -1."""
    if phrase[0] not in tokens:
        # Most phrases are absent: a C-level scan instead of a raised ValueError.
        return -1
    size = len(phrase)
    wanted = list(phrase)
    i = start
    while True:
        try:
            i = tokens.index(wanted[0], i)
        except ValueError:
            return -1
        if tokens[i : i + size] == wanted:
            return i
        i += 1


def asks_open(
    words: Words, i: int, mentions: list[tuple[int, int, str]], clause_start: bool
) -> bool:
    """Does the word at `i` make the question open (how, why, how many...)?"""
    surface = words.surface
    word = surface[i]
    previous = surface[i - 1] if i else ""
    following = surface[i + 1] if i + 1 < len(surface) else ""
    if word == "come":
        # "i dati sensibili come i token": an example, not "how".
        if not clause_start and following in ARTICLES:
            return False
        # "come se fosse" is "as if"; "come kubernetes" compares.
        # "come se niente fosse": the verb may come a word or two later.
        after_se = surface[i + 2 : i + 5] if following == "se" else []
        as_if = any(word.startswith(("foss", "aves", "stess")) for word in after_se)
        return not (as_if or is_likeness(words, i, mentions) or names_role(words, i, mentions))
    if word == "dove" and previous in PLACES and words.clause[i - 1] == words.clause[i]:
        return False
    after_system = any(end == i for _, end, _ in mentions)
    if word == "dove" and not clause_start and words.clause[i] < words.clause[-1]:
        # "un progetto dove il carico cambia, meglio k8s?": a relative clause
        # in the story; the question is asked after it. Not "vengo da compose
        # dove li riavviavo io, su k8s invece?", whose question has no verb.
        return after_system
    if word == "quanto" and is_likeness(words, i, mentions):
        # "compose lo fa bene quanto k8s?" compares.
        return False
    if word == "quanto" and following in AS_FOR and surface[i + 2 : i + 3] != ["lungo"]:
        # "quanto a scalabilità" is "as for"; "quanto a lungo" asks how long.
        return False
    if word in ANYWHERE_WH:
        return previous not in NOT_WH_BEFORE
    if word == "quando":
        return clause_start and following in WHEN_ASKS
    if word in INITIAL_WH:
        # "ho capito che compose non è distribuito, ma...": what was understood
        # is stated, not asked ("non ho capito che fa" still asks).
        understood = (
            word == "che"
            and previous == "capito"
            and surface[i - 2 : i - 1] == ["ho"]
            and surface[i - 3 : i - 2] != ["non"]
        )
        asked = previous in ASKING_VERBS and not understood
        return clause_start or asked or (word == "che" and previous in PREPOSITIONS)
    return False


def cue_positions(words: Words, cue: tuple[str, ...]) -> Iterable[list[int]]:
    """Each place `cue` occurs: its words in order, at most two words apart,
    and not across a preposition that opens another phrase ("niente su un
    altro server" is not "nient'altro")."""
    stems = words.stems
    for start, word in enumerate(stems):
        if word != cue[0] or words.muted[start]:
            continue
        found = [start]
        for part in cue[1:]:
            nxt = _next_part(words, part, found[-1])
            if nxt is None or words.muted[nxt]:
                break
            found.append(nxt)
        else:
            yield found


def _next_part(words: Words, part: str, after: int) -> int | None:
    for j in range(after + 1, min(len(words.stems), after + 4)):
        if words.stems[j] == part:
            return j
        if words.surface[j] in PREPOSITIONS:
            return None
    return None


def ability_before(words: Words, position: int, start: int = 0) -> bool:
    """ "posso scalare a mano?" asks for an ability; "posso solo..." states a limit.
    Only the words from `start` (the cue's own conjunct) count."""
    before = words.surface[start:position]
    ability = [i for i, word in enumerate(before) if word in ABILITY]
    return bool(ability) and not any(word in ONLY for word in before[ability[-1] :])


def is_likeness(words: Words, i: int, mentions: list[tuple[int, int, str]]) -> bool:
    """ "compose scala come kubernetes?": "come" (or "quanto") compares with a
    system named before."""
    before = {system for start, _, system in mentions if start < i}
    after = [system for start, _, system in mentions if i < start <= i + 3]
    return bool(before) and any(system not in before for system in after)


def joined_systems(words: Words, mentions: list[tuple[int, int, str]]) -> bool:
    """ "k8s e compose fanno X?" asks about both. "kube sì, ma compose?" does
    not: there the second system is the one asked about."""
    return any(
        first != second and words.surface[end:start] in (["e"], ["ed"], ["and"])
        for (_, end, first), (start, _, second) in pairwise(mentions)
    )


def paired_systems(words: Words, mentions: list[tuple[int, int, str]]) -> bool:
    """ "sia k8s che compose", "sia kube sia compose", "sia con k8s che con compose"."""
    surface = words.surface
    for (first_start, end, first), (second_start, _, second) in pairwise(mentions):
        if first == second:
            continue
        # The preposition before each system, when there is one, is the same.
        preposition = surface[first_start - 1 : first_start] if first_start else []
        if not set(preposition) <= PREPOSITIONS:
            preposition = []
        opener_at = first_start - len(preposition) - 1
        opener = surface[opener_at : opener_at + 1] if opener_at >= 0 else []
        between = surface[end:second_start]
        if opener == ["sia"] and between in (["che", *preposition], ["sia", *preposition]):
            return True
    return False


def has_likeness(words: Words, mentions: list[tuple[int, int, str]]) -> bool:
    return any(
        word in {"come", "quanto"} and is_likeness(words, i, mentions)
        for i, word in enumerate(words.surface)
    )


def judges(
    words: Words,
    positions: Iterable[int],
    mentions: list[tuple[int, int, str]],
    on_a_par: bool = True,
) -> bool:
    """Is there a judgement among `positions`: better, worse, on a par (when
    `on_a_par`), or "più/meno ... di" a system named?"""
    surface = words.surface
    judgement = BETTER | WORSE | BETTER_VERBS | WORSE_VERBS | {MORE_SIGN, LESS_SIGN}
    judgement |= {AT_LEAST_SIGN, AT_MOST_SIGN}
    if on_a_par:
        judgement = judgement | SAME
    spots = list(positions)
    # "tornare indietro" is a rollback, not falling behind.
    if any(
        surface[j] in judgement and not (j and surface[j - 1] in BACKWARD and surface[j] in WORSE)
        for j in spots
    ):
        return True
    if on_a_par and any(
        find_phrase(surface[j : j + 2], phrase) == 0 for j in spots for phrase in SAME_PHRASES
    ):
        return True
    measured = {
        start for start, _, _ in mentions if not THAN.isdisjoint(surface[max(0, start - 2) : start])
    }
    return any(
        surface[j] in {"piu", "meno"} and any(start > j for start in measured) for j in spots
    )


def names_role(words: Words, i: int, mentions: list[tuple[int, int, str]]) -> bool:
    """ "kube è superiore a compose come cluster?", "compose si può usare come
    cluster?", "kube, come piattaforma, gestisce i secret?": "come" and a bare
    noun name the role the system is judged in ("as"); they do not ask how.
    Right after "come" a clitic, an article, a system or a verb reads "how"
    ("come si fa", "come fa k8s", "come i token", "come kubernetes")."""
    surface = words.surface
    following = surface[i + 1] if i + 1 < len(surface) else ""
    starts = {start for start, _, _ in mentions}
    if (
        not following
        or following in CLITICS | ARTICLES | HOW_VERBS | {"mai", "se", "e", "mi", "ci"}
        or following.endswith(INFINITIVE_ENDINGS)
        or i + 1 in starts
    ):
        return False
    clause = words.clause[i]
    before = [j for j in range(i) if words.clause[j] == clause and not words.muted[j]]
    after = [j for j in range(i + 2, len(surface)) if words.clause[j] == clause]
    if judges(words, before, mentions):
        return True
    if i and surface[i - 1].startswith(USE_STEMS):
        return True
    # A role set off by commas: "kube, come piattaforma, gestisce...".
    if not before and 0 < clause < words.clause[-1] and len(after) <= 1:
        return True
    near = after[:ROLE_REACH]
    if any(surface[j] in COORDINATORS for j in near):
        near = near[: next(k for k, j in enumerate(near) if surface[j] in COORDINATORS)]
    # After the noun, "on a par" counts only with a system still to come
    # ("all'altezza di kube"), not "... le credenziali in confronto?".
    later_system = any(start > i + 1 for start in starts)
    return any(surface[j] in LIGHT_VERBS for j in near) or judges(
        words, after, mentions, on_a_par=later_system
    )
