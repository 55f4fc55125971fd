"""Which of the named systems a question is about.

Naming both systems does not make a question a comparison. In "so che k8s li
gestisce, ma compose?" or "sto passando da compose a k8s: lì i rollback come
vanno?" one system is the background and the other is asked about. The
question is about both only when it compares them ("differenza tra k8s e
compose", "meglio kube o dc?", "tutti e due") or when nothing singles one out.

The rules, in order, over the sentence that asks:
1. a comparison word, "X o Y", "tra X e Y", "sia X che Y" -> both;
2. a migration names its target: "da X a Y", "passando a Y", "vengo da X";
3. the sentence names one system -> that one;
4. the last clause naming a system names only it, after a contrast
   ("X ok, e Y?", "X li gestisce, ma Y?", "Y invece?") -> that one.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise
from typing import Final

from bot.core.text import STOPWORDS, stem

# Stems of words that compare the two systems.
_COMPARING: Final = frozenset(
    stem(word)
    for word in """
    differenza differenze differenzia differiscono confronto confrontare paragone
    paragonare vs versus meglio migliore peggio peggiore conviene convenga rispetto
    entrambi entrambe comparison difference better
    """.split()
)
_OR: Final = frozenset({"o", "oppure", "or", "vs", "versus"})
_BETWEEN: Final = frozenset({"tra", "fra", "sia", "between"})
_AND: Final = frozenset({"e", "ed"})
# Words that start a contrasting clause: what follows is what is asked.
_CONTRAST: Final = frozenset({"ma", "pero", "mentre", "but"})
_INSTEAD: Final = frozenset({"invece", "instead"})
# "da X a Y": the preposition that names a migration's target.
_TOWARDS: Final = frozenset({"a", "ad", "al", "su", "sul", "verso", "in", "to"})
_FROM: Final = frozenset({"da", "dal", "dallo", "from"})
# Stems of verbs of moving (target follows) and of coming from (source follows).
_MOVING: Final = frozenset(
    stem(word)
    for word in """
    passare passo passando passato passata migrare migro migrando migrato migrazione
    spostare sposto spostando spostato portare porto portando trasferire switchare
    convertire move migrate
    """.split()
)
_COMING: Final = frozenset(
    stem(word)
    for word in "arrivo arrivando vengo venendo provengo abituato abituata uscendo".split()
)
# Stems of verbs of leaving: "lasciato compose per kube" asks about kube.
_LEAVING: Final = frozenset(
    stem(word)
    for word in "lasciato lasciare lascio mollato mollare abbandonato abbandonare".split()
)
# Words that open the clause asked about after a first one: "k8s ok, e dc?",
# "su kube si sa, ma con compose?", "lo so per k8s, su compose?".
_CLAUSE_OPENERS: Final = frozenset(
    {"e", "ed", "ma", "pero", "invece", "mentre", "su", "con", "in", "per", "and", "but"}
)
# Prepositions between "e" and the system in "..., e con compose?".
_CLAUSE_PREPOSITIONS: Final = frozenset({"con", "su", "sul", "in", "per", "nel", "col"})
# "k8s sì, compose no": verdicts listed one per system, not a new question.
_VERDICT_WORDS: Final = frozenset({"si", "no", "ok", "boh", "forse", "nope", "yes", "giusto"})
# Words that may close a contrast clause after the system: "e dc invece no?".
_TRAILING: Final = frozenset({"invece", "no", "pure", "anche", "allora", "stesso", "ok"})


@dataclass(frozen=True)
class Mention:
    system: str
    start: int
    end: int


@dataclass(frozen=True)
class Layout:
    tokens: list[str]
    clause_of: list[int]
    sentence_of: list[int]
    asked_sentence: int
    aside: list[bool]


def asked_system(layout: Layout, mentions: list[Mention], both: str) -> str:
    systems = _distinct(mentions)
    if not systems:
        return both
    if len(systems) == 1:
        return systems[0]
    tokens = layout.tokens
    # "kubernetes a parte, dkc quanto scala?", "su k8s (prima compose)": the
    # one set aside is not asked.
    kept = [
        m
        for m in mentions
        if tokens[m.end : m.end + 2] != ["a", "parte"] and not layout.aside[m.start]
    ]
    if len(_distinct(kept)) == 1:
        return kept[0].system
    asked = [m for m in mentions if layout.sentence_of[m.start] == layout.asked_sentence]
    sentence = [i for i in range(len(tokens)) if layout.sentence_of[i] == layout.asked_sentence]
    if _compares(layout, sentence, asked):
        return both
    target = _migration_target(tokens, mentions, systems)
    if target is not None:
        return target
    asked_systems = _distinct(asked)
    if len(asked_systems) == 1:
        return asked_systems[0]
    if not asked_systems:
        return _turned_to(layout, mentions) or both
    return _contrasted(layout, asked) or both


def _distinct(mentions: list[Mention]) -> list[str]:
    return list(dict.fromkeys(mention.system for mention in mentions))


def _compares(layout: Layout, sentence: list[int], asked: list[Mention]) -> bool:
    tokens = layout.tokens
    if any(stem(tokens[i]) in _COMPARING for i in sentence):
        return True
    if any(
        " ".join(tokens[i : i + 3]) in ("tutti e due", "tutte e due", "tutti e 2") for i in sentence
    ):
        return True
    for first, second in pairwise(asked):
        if first.system == second.system:
            continue
        between = tokens[first.end : second.start]
        if len(between) <= 2 and any(word in _OR for word in between):
            return True
        if first.start > 0 and tokens[first.start - 1] in _BETWEEN:
            return True
    return False


def _migration_target(tokens: list[str], mentions: list[Mention], systems: list[str]) -> str | None:
    for mention in mentions:
        before = tokens[max(0, mention.start - 3) : mention.start]
        if len(before) < 2:
            continue
        if before[-1] in _TOWARDS:
            # "da compose a k8s", "da docker compose su kubernetes"
            if any(
                source.system != mention.system
                and mention.start - 3 <= source.end < mention.start
                and source.start > 0
                and tokens[source.start - 1] in _FROM
                for source in mentions
            ):
                return mention.system
            # "passando a k8s", "migrare su kubernetes"
            if any(stem(word) in _MOVING for word in before[:-1]):
                return mention.system
        # "vengo da compose", "lasciato compose per kube": the other system
        leaving = any(stem(word) in _LEAVING for word in before[-2:])
        if leaving or (before[-1] in _FROM and stem(before[-2]) in _COMING):
            others = [system for system in systems if system != mention.system]
            if len(others) == 1:
                return others[0]
    return None


def _contrasted(layout: Layout, asked: list[Mention]) -> str | None:
    tokens = layout.tokens
    # Clauses break at punctuation and before contrast words.
    clause_of = list(layout.clause_of)
    shift = 0
    for i, token in enumerate(tokens):
        if token in _CONTRAST:
            shift += 1
        clause_of[i] += shift
    last = asked[-1]
    for mention in asked:
        if _instead_near(tokens, mention):
            return mention.system
    last_clause = clause_of[last.start]
    in_last = {m.system for m in asked if clause_of[m.start] == last_clause}
    clause = [i for i in range(len(tokens)) if clause_of[i] == last_clause]
    # A clause of its own about the system: "..., ma compose?" or
    # "..., compose riavvia i container?"; "..., compose boh?" only lists.
    own_words = [
        tokens[i]
        for i in clause
        if not (last.start <= i < last.end)
        and tokens[i] not in STOPWORDS
        and tokens[i] not in _VERDICT_WORDS
    ]
    earlier = [m for m in asked if clause_of[m.start] != last_clause]
    if (
        len(in_last) == 1
        and earlier
        and (
            tokens[clause[0]] in _CLAUSE_OPENERS | _CONTRAST
            or own_words
            or _states(tokens, clause_of, earlier[-1])
            or _verdict_then_open(tokens, clause_of, earlier[-1], clause)
        )
    ):
        return last.system
    # "k8s li riavvia e compose?": "e" + the system closing the sentence,
    # after some words about the first one ("kubernetes e compose?" is both).
    first = asked[0]
    trailing = [
        token
        for i, token in enumerate(tokens[last.end :], start=last.end)
        if layout.sentence_of[i] == layout.sentence_of[last.start]
    ]
    # "... e con compose?": a preposition may come between.
    joined = last.start - 1
    if joined > 0 and tokens[joined] in _CLAUSE_PREPOSITIONS:
        joined -= 1
    if (
        joined > 0
        and tokens[joined] in _AND
        and all(token in _TRAILING for token in trailing)
        and joined > first.end
    ):
        return last.system
    return None


def _turned_to(layout: Layout, mentions: list[Mention]) -> str | None:
    """ "k8s ok, e dc? aggiorna i servizi senza fermarli?": a sentence just
    before the asking one that only turns from one system to the other ("e
    dc?") hands the asking one its system; a story naming both does not."""
    before = layout.asked_sentence - 1
    turning = [m for m in mentions if layout.sentence_of[m.start] == before]
    if len(_distinct(turning)) != 2:
        return None
    tokens = layout.tokens
    last = turning[-1]
    opener = last.start - 1
    if opener > 0 and tokens[opener] in _CLAUSE_PREPOSITIONS:
        opener -= 1
    closes = all(
        tokens[i] in _TRAILING
        for i in range(last.end, len(tokens))
        if layout.sentence_of[i] == before
    )
    if opener < 0 or tokens[opener] not in _AND | _CONTRAST | _INSTEAD or not closes:
        return None
    return last.system


def _states(tokens: list[str], clause_of: list[int], mention: Mention) -> bool:
    """Does the system's clause say something about it ("k8s li fa")?

    Then a last clause of a system and a bare verdict ("..., compose no
    giusto?") asks about that system; "k8s sì, compose no?" only lists verdicts.
    """
    after = [
        token
        for i, token in enumerate(tokens[mention.end :], start=mention.end)
        if clause_of[i] == clause_of[mention.start]
    ]
    return any(token not in _VERDICT_WORDS for token in after)


def _verdict_then_open(
    tokens: list[str], clause_of: list[int], mention: Mention, last_clause: list[int]
) -> bool:
    """ "autoscaling: k8s sì, compose?": a verdict for one system, then the
    other with none, closing the message, is what is asked ("k8s sì, compose
    no?" lists two verdicts)."""
    if last_clause[-1] != len(tokens) - 1:
        return False
    if any(tokens[i] in _VERDICT_WORDS for i in last_clause):
        return False
    return any(
        token in _VERDICT_WORDS
        for i, token in enumerate(tokens[mention.end :], start=mention.end)
        if clause_of[i] == clause_of[mention.start]
    )


def _instead_near(tokens: list[str], mention: Mention) -> bool:
    """ "su kubernetes invece", "invece compose": but not "invece di compose"."""
    after = tokens[mention.end : mention.end + 2]
    before = tokens[max(0, mention.start - 2) : mention.start]
    if after[:1] and after[0] in _INSTEAD:
        return True
    if before and before[-1] in _INSTEAD:
        return True
    return len(before) == 2 and before[0] in _INSTEAD and before[1] in _TOWARDS | {"con"}
