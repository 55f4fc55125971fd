"""How a chat message is put, as opposed to what it is about.

`looks_like_question` decides whether a message reads as a question at all
(used before answering unprompted). `ShapeReader` reads the form of a question
whose topic the matcher already found: is it open ("come...?", "perché...?"),
negated ("compose non fa X, giusto?"), does it assert that a feature is missing
or manual ("devo riavviare io i pod?"), does it compare the systems? The lead
(`bot.core.lead`) turns that form and the table into the short answer.

Only the sentence that asks counts: a story before the question, a conditional
clause ("se un container non risponde, ...") and a confirmation tag
("..., giusto?") are set aside before reading polarity and cues.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Final, Literal

from bot.core.text import stem, tokenize

_QUESTION_OPENERS: Final = frozenset(
    """
    come cosa cos che chi quale quali quanto quanti quanta quante quando dove perche
    perché posso possiamo puoi si esiste esistono ce serve conviene meglio
    differenza differenze qualcuno sapete sai how what why which can does
    is are should
    """.split()
)


def looks_like_question(text: str) -> bool:
    stripped = text.strip()
    if not stripped:
        return False
    if "?" in stripped:
        return True
    tokens = tokenize(stripped)
    return bool(tokens) and tokens[0] in _QUESTION_OPENERS


# --- the form of a question -------------------------------------------------

Relation = Literal["better", "worse", "same", "differ", "all", "any", "none", "only"]

_SENTENCE_END: Final = re.compile(r"(?<=[?!])|(?<=\.)(?=\s)|\n")
_CLAUSE_BREAK: Final = re.compile(r"[,;:()]|\s[-–—]\s")
# Confirmation tags and hedges at the end: "..., giusto?", "o sbaglio?".
_TRAILING_TAGS: Final = frozenset(
    "giusto vero no corretto esatto confermi confermate confermo right eh ok si "
    "dico bene sbaglio mi o e non".split()
)
# Fixed expressions whose negation is not about the topic.
_SET_PHRASES: Final = tuple(
    tuple(phrase.split())
    for phrase in (
        "se non sbaglio",
        "se non mi sbaglio",
        "se non erro",
        "se non ricordo male",
        "se non ho capito male",
        "non e che",
        "non solo",
        "o non",
    )
)
_NEGATIONS: Final = frozenset(
    "non mica nessun nessuna nessuno niente nulla neanche nemmeno neppure manco "
    "not doesn isn don cannot aren won didn".split()
)
# A cue right after one of these asks for the feature ("senza downtime").
_BLOCKERS: Final = frozenset(
    "senza evitare evito evita evitano zero niente nulla nessun nessuna nessuno piu oltre "
    "anche riduce ridurre riducono minimizzare limitare fuori elimina eliminare toglie "
    "previene prevenire impedisce impedire risparmia risparmiare".split()
)
_BLOCK_WINDOW: Final = 3
# Ability, not burden: "posso scalare a mano?" asks whether it can be done.
_ABILITY: Final = frozenset(
    "posso puoi puo possiamo potete possono riesco riesci riesce riescono permette "
    "permettono consente consentono possibile supporta supportano".split()
)
_ONLY: Final = frozenset("solo soltanto solamente unicamente".split())
_SUBORDINATORS: Final = frozenset("se quando finche qualora mentre appena".split())
_SUBORDINATOR_PAIRS: Final = frozenset(
    {("nel", "caso"), ("in", "caso"), ("dopo", "che"), ("prima", "che"), ("anche", "se")}
)
# "sai se compose...": an indirect yes/no question, not a condition.
_ASKING_VERBS: Final = frozenset(
    "sa sai sapete sapreste sapresti so chiedo chiedevo domando domandavo dimmi ditemi "
    "capire capisco capito sapere vedere verificare ricordo chiaro dubbio spiegate "
    "spieghi spiegami spiegatemi spiegarmi".split()
)
_SUBORDINATE_REACH: Final = 3
# "quando conviene kubernetes?" asks when; "quando un pod muore, ..." sets a condition.
_WHEN_ASKS: Final = frozenset(
    "conviene convengono serve servono usare uso usa scegliere passare vale meglio "
    "bisogna dovrei devo ha e".split()
)
_LEADING_SKIP: Final = frozenset(
    "e ed ma quindi allora ok ciao raga ragazzi scusate scusa domanda pero invece "
    "comunque tipo ehi senti dunque cioe su con in per nel sul col a sugli sui".split()
)
_ANYWHERE_WH: Final = frozenset(
    "cosa cos quanto quanti quanta quante quale quali qual dove how what which where".split()
)
_INITIAL_WH: Final = frozenset("perche chi che why".split())
# "una cosa", "per quanto", "tanto quanto": not asking.
_NOT_WH_BEFORE: Final = frozenset(
    "una la qualche ogni altra stessa sola questa quella per il tanto".split()
)
_PREPOSITIONS: Final = frozenset("in a di con per da su".split())

_BETTER: Final = frozenset(
    "meglio migliore migliori superiore superiori vince batte avanti davanti vantaggio "
    "vantaggi".split()
)
_WORSE: Final = frozenset(
    "peggio peggiore peggiori inferiore inferiori indietro dietro svantaggio svantaggi".split()
)
# Adjectives that turn "più ... di" into "worse than".
_NEGATIVE: Final = frozenset(
    "scarso scarsa debole deboli povero limitato limitata lento lenta carente indietro "
    "fragile peggio".split()
)
_SAME: Final = frozenset(
    "uguale uguali pari altezza equivalente equivalenti simile simili confronto paragone".split()
)
_SAME_WORDS: Final = frozenset("stesso stessa stessi stesse".split())
_SAME_PHRASES: Final = (
    ("stesso", "modo"),
    ("stessa", "maniera"),
    ("stesso", "livello"),
    ("stessa", "cosa"),
    ("stesse", "cose"),
)
_DIFFER: Final = frozenset(
    "differenza differenze diverso diversa diversi diverse diversamente differiscono cambia".split()
)
_ALL: Final = frozenset("entrambi entrambe ambedue both".split())
_THAN: Final = frozenset("di del dello della che rispetto".split())
_OR: Final = frozenset("o oppure or".split())


@dataclass(frozen=True)
class Comparison:
    relation: Relation
    # The system the comparison is about ("compose è meglio di k8s": compose).
    subject: str | None
    systems: tuple[str, ...]


@dataclass(frozen=True)
class Shape:
    open: bool = False
    negated: bool = False
    # The question asserts that the feature is missing, limited or manual.
    absence: bool = False
    comparison: Comparison | None = None
    # A choice between the systems ("meglio k8s o compose?"): no yes/no answer.
    choice: bool = False
    systems: tuple[str, ...] = ()


@dataclass
class _Words:
    """The asking sentence's words, with what each one is doing."""

    surface: list[str]
    stems: list[str]
    clause: list[int]
    # Words that cannot carry polarity or cues: tags, set phrases, conditions.
    muted: list[bool]

    def __len__(self) -> int:
        return len(self.surface)


def _asking_sentence(text: str) -> str:
    sentences = [part.strip() for part in _SENTENCE_END.split(text) if part.strip()]
    if not sentences:
        return ""
    asking = [i for i, sentence in enumerate(sentences) if "?" in sentence]
    index = asking[-1] if asking else len(sentences) - 1
    chosen = sentences[index]
    # "compose non scala. giusto?": a bare tag asks about the sentence before it.
    if index > 0 and len(tokenize(chosen)) <= 2:
        chosen = sentences[index - 1] + ", " + chosen
    return chosen


# Clause breaks survive normalization as this word, so a sentence is tokenized once.
_BREAK_WORD: Final = "qqclausebreakqq"


def _words(sentence: str) -> _Words:
    surface: list[str] = []
    clause: list[int] = []
    number = 0
    for token in tokenize(_CLAUSE_BREAK.sub(f" {_BREAK_WORD} ", sentence)):
        if token == _BREAK_WORD:
            number += 1
        else:
            surface.append(token)
            clause.append(number)
    return _Words(surface, [stem(t) for t in surface], clause, [False] * len(surface))


def _find(tokens: list[str], phrase: Sequence[str], start: int = 0) -> int:
    """Where `phrase` occurs in `tokens` from `start` on, or -1."""
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


class ShapeReader:
    """Reads question forms for one comparison table (its aliases and cues)."""

    def __init__(
        self,
        aliases: Iterable[tuple[str, str]],
        absence_cues: Mapping[str, Iterable[str]],
    ) -> None:
        """`aliases`: (alias text, system id); `absence_cues`: key -> phrases."""
        # By first word, longest first: "docker compose" before "docker".
        self._aliases: dict[str, list[tuple[list[str], str]]] = {}
        for alias, system in sorted(set(aliases), key=lambda pair: -len(tokenize(pair[0]))):
            tokens = tokenize(alias)
            if tokens and (tokens, system) not in self._aliases.get(tokens[0], []):
                self._aliases.setdefault(tokens[0], []).append((tokens, system))
        self._cues = {
            key: [tuple(stem(t) for t in tokenize(phrase)) for phrase in phrases]
            for key, phrases in absence_cues.items()
        }

    def read(self, text: str, cue_keys: Sequence[str] = ()) -> Shape:
        """The form of `text`; `cue_keys` selects the absence cues that apply."""
        words = _words(_asking_sentence(text))
        if not len(words):
            return Shape()
        self._mute_tags(words)
        mentions = self._mentions(words)
        self._mute_conditions(words, mentions)
        systems = tuple(dict.fromkeys(system for _, _, system in mentions))
        if self._is_open(words, mentions):
            return Shape(open=True, systems=systems)
        blocked: set[int] = set()
        absence = self._absence(words, cue_keys, blocked)
        comparison, choice = self._comparison(words, mentions, absence)
        negated = any(
            word in _NEGATIONS and not words.muted[i] and i not in blocked
            for i, word in enumerate(words.surface)
        )
        return Shape(
            negated=negated,
            absence=absence,
            comparison=comparison,
            choice=choice,
            systems=systems,
        )

    # --- pieces ----------------------------------------------------------

    def _mentions(self, words: _Words) -> list[tuple[int, int, str]]:
        """(start, end, system) for each system named, in order."""
        found: list[tuple[int, int, str]] = []
        surface = words.surface
        i = 0
        while i < len(surface):
            for alias, system in self._aliases.get(surface[i], ()):
                if surface[i : i + len(alias)] == alias:
                    found.append((i, i + len(alias), system))
                    i += len(alias)
                    break
            else:
                i += 1
        return found

    @staticmethod
    def _mute_tags(words: _Words) -> None:
        end = len(words)
        while end > 1 and words.surface[end - 1] in _TRAILING_TAGS:
            end -= 1
        words.muted[end:] = [True] * (len(words) - end)
        # "non so se compose...": the doubt is the user's, not about the topic.
        for i, word in enumerate(words.surface):
            ahead = words.surface[i + 1 : i + 4]
            if word == "non" and "se" in ahead and any(w in _ASKING_VERBS for w in ahead):
                words.muted[i] = True
        for phrase in _SET_PHRASES:
            start = 0
            while (i := _find(words.surface, phrase, start)) >= 0:
                words.muted[i : i + len(phrase)] = [True] * len(phrase)
                start = i + 1

    @staticmethod
    def _mute_conditions(words: _Words, mentions: list[tuple[int, int, str]]) -> None:
        """Mute conditional clauses: "se un container non risponde, compose...".

        A condition runs to the end of its clause, or to the next system named,
        or (when no clause follows) for a few words.
        """
        starts_of_mentions = {start for start, _, _ in mentions}
        last_clause = words.clause[-1]
        i = 0
        while i < len(words):
            word = words.surface[i]
            pair = tuple(words.surface[i : i + 2])
            width = 2 if pair in _SUBORDINATOR_PAIRS else 1 if word in _SUBORDINATORS else 0
            previous = words.surface[i - 1] if i else ""
            if not width or (word == "se" and previous in _ASKING_VERBS | {"come"}):
                i += 1
                continue
            if (
                word == "quando"
                and words.surface[i + 1 : i + 2]
                and (words.surface[i + 1] in _WHEN_ASKS)
            ):
                i += 1
                continue
            clause = words.clause[i]
            reach = len(words) if clause < last_clause else i + width + _SUBORDINATE_REACH
            j = i
            while (
                j < min(reach, len(words))
                and words.clause[j] == clause
                and (j == i or j not in starts_of_mentions)
            ):
                words.muted[j] = True
                j += 1
            i = max(j, i + 1)

    @staticmethod
    def _is_open(words: _Words, mentions: list[tuple[int, int, str]]) -> bool:
        mentioned = {i for start, end, _ in mentions for i in range(start, end)}
        surface = words.surface
        clause_start = True
        for i, word in enumerate(surface):
            if i and words.clause[i] != words.clause[i - 1]:
                clause_start = True
            if not words.muted[i] and _asks_open(words, i, mentions, clause_start):
                return True
            if word not in _LEADING_SKIP and i not in mentioned and word != "docker":
                clause_start = False
        # "e se muore un nodo?": a bare condition asks what happens.
        first = next((i for i, w in enumerate(surface) if w not in {"e", "ma"}), 0)
        return surface[first] == "se" and all(words.muted[first:])

    def _absence(self, words: _Words, cue_keys: Sequence[str], blocked: set[int]) -> bool:
        present = set(words.stems)
        for key in cue_keys:
            for cue in self._cues.get(key, ()):
                if not present.issuperset(cue):
                    continue
                for found in _cue_positions(words, cue):
                    position = found[0]
                    # Just before the cue or inside it: "su più di un host".
                    near = range(max(0, position - _BLOCK_WINDOW), found[-1])
                    blockers = [j for j in near if j not in found and words.surface[j] in _BLOCKERS]
                    if blockers:
                        blocked.update(blockers)
                        continue
                    if _ability_before(words, position):
                        continue
                    # "fa autoscaling o devo farlo a mano?": the lack is the
                    # alternative offered, the question is the first half.
                    if any(
                        w in _OR and not words.muted[j]
                        for j, w in enumerate(words.surface[:position])
                    ):
                        continue
                    # A cue's own "non" ("non cifrati") is not the question's.
                    blocked.update(found)
                    return True
        return False

    def _comparison(
        self, words: _Words, mentions: list[tuple[int, int, str]], absence: bool
    ) -> tuple[Comparison | None, bool]:
        """The comparison asked, if any. With an absence cue ("più limitato di",
        "problemi") the comparison is about the lack, so the cue word does not
        also turn "più" into "worse"."""
        surface = words.surface
        named = tuple(dict.fromkeys(system for _, _, system in mentions))
        text = " ".join(surface)
        # "meglio k8s o compose?": a choice, answered by a name, not yes/no.
        for (_, end, first), (start, _, second) in pairwise(mentions):
            if first != second and any(w in _OR for w in surface[end:start]):
                return None, True
        # "sia k8s che compose": both, and that "che" is not "than".
        paired = _paired_systems(words, mentions)
        # The system after "di", "rispetto a"... is what the subject is measured against.
        others = {
            system
            for start, _, system in mentions
            if not paired and any(w in _THAN for w in surface[max(0, start - 2) : start])
        }
        subject = next((system for system in named if system not in others), None)
        for i, word in enumerate(surface):
            neither = word in {"nessuno", "nessuna"} and surface[i + 1 : i + 2] in (
                ["dei"],
                ["delle"],
                ["tra"],
                ["fra"],
            )
            # "né k8s né compose" (accents are gone: "ne").
            neither = neither or (word == "ne" and "ne" in surface[i + 2 : i + 5] and bool(named))
            if neither:
                words.muted[i] = True
                return Comparison("none", None, named), False
            # "almeno uno dei due", "qualcuno dei due": does either have it?
            if word in {"qualcuno", "uno"} and surface[i + 1 : i + 3] in (
                ["dei", "due"],
                ["dei", "2"],
            ):
                return Comparison("any", None, named), False
        for i, word in enumerate(surface):
            if word in _ONLY:
                after = [m for m in mentions if i < m[0] <= i + 2]
                if after:
                    return Comparison("only", after[0][2], named), False
        relation: Relation | None = None
        if any(w in _BETTER for w in surface):
            relation = "better"
        elif any(w in _WORSE for w in surface):
            relation = "worse"
        elif "piu" in surface or "meno" in surface:
            than = [m for m in mentions if m[2] in others]
            more = [i for i, w in enumerate(surface) if w in {"piu", "meno"}]
            # "più X di compose", "rispetto a compose ... di più"; not "sia
            # k8s che compose scalano su più nodi".
            measured = bool(than) and (
                more[0] < than[-1][0] or "rispetto" in surface or surface[more[0] - 1] == "di"
            )
            if measured:
                negative = not absence and any(w in _NEGATIVE for w in surface)
                worse = ("meno" in surface) != negative
                relation = "worse" if worse else "better"
        if relation is None and (
            any(w in _SAME for w in surface)
            or any(_find(surface, phrase) >= 0 for phrase in _SAME_PHRASES)
            or _find(surface, ("tanto", "quanto")) >= 0
            # "lo stesso supporto": only a comparison when both are named.
            or (len(named) > 1 and any(w in _SAME_WORDS for w in surface))
            or _has_likeness(words, mentions)
        ):
            relation = "same"
        if relation is None and any(w in _DIFFER for w in surface) and len(named) != 1:
            relation = "differ"
        if relation is None and (
            any(w in _ALL for w in surface)
            or re.search(r"\b(?:tutti|tutte) e (?:due|2)\b", text)
            or paired
            or _joined_systems(words, mentions)
        ):
            relation = "all"
        if relation is None:
            return None, False
        return Comparison(relation, subject, named), False


def _asks_open(
    words: _Words, i: int, mentions: list[tuple[int, int, str]], clause_start: bool
) -> bool:
    """Does the word at `i` make the question open (how, why, how many...)?"""
    surface = words.surface
    word = surface[i]
    previous = surface[i - 1] if i else ""
    following = surface[i + 1] if i + 1 < len(surface) else ""
    if word == "come":
        # "come se fosse" is "as if"; "come kubernetes" compares.
        after_se = surface[i + 2] if following == "se" and i + 2 < len(surface) else ""
        as_if = after_se.startswith(("foss", "aves", "stess"))
        return following == "mai" or not (as_if or _is_likeness(words, i, mentions))
    if word in _ANYWHERE_WH:
        return previous not in _NOT_WH_BEFORE
    if word == "quando":
        return clause_start and following in _WHEN_ASKS
    if word in _INITIAL_WH:
        return (
            clause_start
            or previous in _ASKING_VERBS
            or (word == "che" and previous in _PREPOSITIONS)
        )
    return False


def _cue_positions(words: _Words, cue: tuple[str, ...]) -> Iterable[list[int]]:
    """Each place `cue` occurs: its words in order, at most two words apart."""
    stems = words.stems
    for start, word in enumerate(stems):
        if word != cue[0] or words.muted[start]:
            continue
        found = [start]
        for part in cue[1:]:
            nxt = next(
                (
                    j
                    for j in range(found[-1] + 1, min(len(stems), found[-1] + 4))
                    if stems[j] == part
                ),
                None,
            )
            if nxt is None or words.muted[nxt]:
                break
            found.append(nxt)
        else:
            yield found


def _ability_before(words: _Words, position: int) -> bool:
    """ "posso scalare a mano?" asks for an ability; "posso solo..." states a limit."""
    before = words.surface[:position]
    ability = [i for i, word in enumerate(before) if word in _ABILITY]
    return bool(ability) and not any(word in _ONLY for word in before[ability[-1] :])


def _is_likeness(words: _Words, i: int, mentions: list[tuple[int, int, str]]) -> bool:
    """ "compose scala come kubernetes?": "come" compares with a system named before."""
    before = {system for start, _, system in mentions if start < i}
    after = [system for start, _, system in mentions if i < start <= i + 3]
    return bool(before) and any(system not in before for system in after)


def _joined_systems(words: _Words, mentions: list[tuple[int, int, str]]) -> bool:
    """ "k8s e compose fanno X?" asks about both. "kube sì, ma compose?" does
    not: there the second system is the one asked about."""
    return any(
        first != second and words.surface[end:start] in (["e"], ["ed"], ["and"])
        for (_, end, first), (start, _, second) in pairwise(mentions)
    )


def _paired_systems(words: _Words, mentions: list[tuple[int, int, str]]) -> bool:
    """ "sia k8s che compose", "sia kube sia compose"."""
    return any(
        first != second
        and words.surface[max(0, first_start - 1) : first_start] == ["sia"]
        and words.surface[end:second_start] in (["che"], ["sia"])
        for (first_start, end, first), (second_start, _, second) in pairwise(mentions)
    )


def _has_likeness(words: _Words, mentions: list[tuple[int, int, str]]) -> bool:
    return any(
        word == "come" and _is_likeness(words, i, mentions) for i, word in enumerate(words.surface)
    )
