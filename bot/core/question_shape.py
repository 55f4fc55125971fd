"""How a chat message is put, as opposed to what it is about.

`ShapeReader` reads the form of a question whose topic the matcher already
found: is it open ("come...?", "perché...?"), negated ("compose non fa X,
giusto?"), does it assert that a feature is missing or manual ("devo
riavviare io i pod?"), does it compare the systems? The lead
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

from bot.core.question_words import (
    ABSOLUTE,
    ABSOLUTE_PHRASES,
    ACTING_NEEDS,
    ALL,
    ALTERNATIVES,
    ANOTHER,
    ANYWHERE_WH,
    AS_GOOD_AS,
    ASKING_VERBS,
    AT_LEAST_SIGN,
    AT_MOST_SIGN,
    BACKWARD,
    BEFORE_GENUINE,
    BETTER,
    BETTER_VERBS,
    BEYOND,
    BLOCK_WINDOW,
    BLOCKERS,
    CAUSE_PAIRS,
    CAUSES,
    CHOOSING,
    CLEFT_VERBS,
    CLITIC_RECEIVERS,
    CLITICS,
    CONCORD_REACH,
    CONTRAST_DENIALS,
    CONTRAST_JOINS,
    CONTRAST_REACH,
    COORDINATORS,
    DIFFER,
    FAILING,
    FEW,
    GENUINE,
    HANDING_OVER,
    HANDS,
    INFINITIVE_ENDINGS,
    INITIAL_WH,
    INSTANCES,
    LACKING,
    LASTING,
    LEADING_SKIP,
    LESS_SIGN,
    MORE_SIGN,
    MY_NEEDS,
    NEEDS,
    NEGATIONS,
    NEGATIVE,
    ONE,
    ONE_PLACE,
    ONE_REACH,
    ONLY,
    OR,
    OUTAGE,
    PARTICIPLE_ENDINGS,
    PASSIVE_NEEDS,
    PREFERENCE,
    PROPOSITION_OPENERS,
    QUALIFIER_PHRASES,
    QUALIFIERS,
    RECEIVERS,
    SAME,
    SAME_PHRASES,
    SAME_WORDS,
    SAYING,
    SET_PHRASES,
    SIGNS,
    STANDARD_MARKERS,
    STATES,
    STUCK,
    STUCK_REACH,
    SUBORDINATE_REACH,
    SUBORDINATOR_PAIRS,
    SUBORDINATORS,
    THAN,
    TOOL_REACH,
    TRAILING_TAGS,
    UP_TO,
    VERDICT_FOLLOWERS,
    WAITING,
    WAY_REACH,
    WAYS,
    WHEN_ASKS,
    WORKLOADS,
    WORSE,
    WORSE_VERBS,
    Words,
    ability_before,
    asking_sentence,
    asks_open,
    cue_positions,
    find_phrase,
    has_likeness,
    joined_systems,
    paired_systems,
    read_words,
)
from bot.core.text import stem, tokenize

# --- the form of a question -------------------------------------------------

# The only words that can open a condition or make a question open: any other
# word skips those checks.
_CONDITION_STARTS: Final = SUBORDINATORS | {pair[0] for pair in SUBORDINATOR_PAIRS}
_OPEN_WORDS: Final = ANYWHERE_WH | INITIAL_WH | {"come", "quando"}
_CONDITION_ENDS: Final = frozenset({"poi", "allora"})
_SIGN_WORDS: Final = frozenset({MORE_SIGN, LESS_SIGN, AT_LEAST_SIGN, AT_MOST_SIGN})
_SIGN_NAMES: Final = {">=": AT_LEAST_SIGN, "<=": AT_MOST_SIGN, ">": MORE_SIGN, "<": LESS_SIGN}

Relation = Literal[
    "better", "worse", "same", "at-least", "at-most", "differ", "all", "any", "none", "only", "one"
]


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
    # The question names what a partial cell lacks (the `gap_key` of `read`).
    names_gap: bool = False
    # The negation claims total absence: "non scala per niente", "nessun modo".
    absolute: bool = False
    # The limit is one instance, not one place: "un solo container per servizio".
    one_instance: bool = False
    # The negation is qualified to a part: "non scala oltre un nodo".
    qualified: bool = False


class ShapeReader:
    """Reads question forms for one comparison table (its aliases and cues)."""

    def __init__(
        self,
        aliases: Iterable[tuple[str, str]],
        absence_cues: Mapping[str, Iterable[str]],
        partial_gaps: Mapping[str, Iterable[str]] | None = None,
    ) -> None:
        """`aliases`: (alias text, system id); `absence_cues` and `partial_gaps`:
        key -> phrases."""
        # By first word, longest first: "docker compose" before "docker".
        self._aliases: dict[str, list[tuple[list[str], str]]] = {}
        for alias, system in sorted(set(aliases), key=lambda pair: -len(tokenize(pair[0]))):
            tokens = tokenize(alias)
            if tokens and (tokens, system) not in self._aliases.get(tokens[0], []):
                self._aliases.setdefault(tokens[0], []).append((tokens, system))
        self._cues = _stemmed(absence_cues)
        # Features whose limits are places ("su un unico host"): there, one
        # place only is a limit whatever words say it ("sullo stesso server").
        places = {stem(place) for place in ONE_PLACE}
        self._place_keys = {
            key for key, cues in self._cues.items() if any(places.intersection(c) for c in cues)
        }
        self._gaps = _stemmed(partial_gaps or {})

    def read(self, text: str, cue_keys: Sequence[str] = (), gap_key: str | None = None) -> Shape:
        """The form of `text`; `cue_keys` selects the absence cues that apply,
        `gap_key` the partial gaps."""
        sentence = asking_sentence(text)
        signed = ">" in sentence or "<" in sentence
        words = read_words(SIGNS.sub(_sign_word, sentence) if signed else sentence)
        if not len(words):
            return Shape()
        # Before any muting: a gap phrase counts wherever it stands.
        names_gap = gap_key is not None and self._names_any(words, self._gaps.get(gap_key, ()))
        mentions = self._mentions(words)
        mention_ends = {end for _, end, _ in mentions}
        # "k8s > compose" compares; a sign anywhere else ("resta <pending>") says nothing.
        starts = {start for start, _, _ in mentions}
        for i, word in enumerate(words.surface if signed else ()):
            if word in _SIGN_WORDS and not (i in mention_ends and i + 1 in starts):
                words.muted[i] = True
        self._mute_tags(words, mention_ends)
        self._mute_conditions(words, mentions)
        systems = tuple(dict.fromkeys(system for _, _, system in mentions))
        if self._is_open(words, mentions):
            return Shape(open=True, systems=systems, names_gap=names_gap)
        contrasted = _contrast(words, mentions)
        blocked: set[int] = set()
        lack = self._absence(words, cue_keys, blocked) or self._burden_or_limit(
            words, mentions, blocked, not self._place_keys.isdisjoint(cue_keys)
        )
        absence = bool(lack)
        comparison, choice = self._comparison(words, mentions, absence, contrasted)
        two = comparison is not None and len(comparison.systems) > 1
        if two and lack and _told(words, lack[0], mentions):
            # "dobbiamo migrare un gestionale, compose è meglio di k8s...?": the
            # need belongs to the story; the comparison is not about a lack.
            lack, absence = [], False
            comparison, choice = self._comparison(words, mentions, absence, contrasted)
        negated = any(
            (word in NEGATIONS or (word == "no" and i in mention_ends))
            and not words.muted[i]
            and i not in blocked
            and not (lack and (_conjoined(words, i, lack[0]) or _complement(words, i, lack)))
            for i, word in enumerate(words.surface)
        )
        free = (
            [word for i, word in enumerate(words.surface) if not words.muted[i]]
            if negated or absence
            else []
        )
        absolute = negated and (
            not ABSOLUTE.isdisjoint(free)
            or any(find_phrase(free, phrase) >= 0 for phrase in ABSOLUTE_PHRASES)
        )
        return Shape(
            negated=negated,
            absence=absence,
            comparison=comparison,
            choice=choice,
            systems=systems,
            names_gap=names_gap,
            absolute=absolute,
            one_instance=absence and _one_instance(free),
            qualified=negated and not absolute and _qualified(words.surface),
        )

    # --- pieces ----------------------------------------------------------

    @staticmethod
    def _names_any(words: Words, cues: Iterable[tuple[str, ...]]) -> bool:
        """Does one of `cues` occur in `words` (its stems in order, close together)?"""
        present = set(words.stems)
        return any(
            cue and present.issuperset(cue) and next(iter(cue_positions(words, cue)), None)
            for cue in cues
        )

    def _mentions(self, words: Words) -> list[tuple[int, int, str]]:
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
    def _mute_tags(words: Words, mention_ends: set[int]) -> None:
        end = len(words)
        while end > 1 and words.surface[end - 1] in TRAILING_TAGS:
            # "k8s li fa, compose no giusto?": a "no" right after a system is
            # its verdict, not a tag.
            if words.surface[end - 1] == "no" and end - 1 in mention_ends:
                break
            end -= 1
        words.muted[end:] = [True] * (len(words) - end)
        # "non so se compose...": the doubt is the user's, not about the topic.
        for i, word in enumerate(words.surface):
            if word != "non":
                continue
            ahead = words.surface[i + 1 : i + 4]
            if "se" in ahead and not ASKING_VERBS.isdisjoint(ahead):
                words.muted[i] = True
        for phrase in SET_PHRASES:
            start = 0
            while (i := find_phrase(words.surface, phrase, start)) >= 0:
                words.muted[i : i + len(phrase)] = [True] * len(phrase)
                start = i + 1
        # "senza nessun aiuto", "senza che io faccia niente": one negative, the
        # "senza"; the question is not negated.
        for i, word in enumerate(words.surface):
            if word != "senza":
                continue
            for j in range(i + 1, min(len(words), i + 1 + CONCORD_REACH)):
                if words.surface[j] in NEGATIONS and words.clause[j] == words.clause[i]:
                    words.muted[j] = True
        # "compose non esce da un nodo, giusto dire che è mononodo?": the
        # proposition asked is what follows; the words before only lead to it.
        for phrase in PROPOSITION_OPENERS:
            if (i := find_phrase(words.surface, phrase)) >= 0:
                words.muted[: i + len(phrase)] = [True] * (i + len(phrase))
                # "non è vero che k8s scala da solo": the opener's own "non"
                # denies the proposition.
                for j in range(max(0, i - 2), i):
                    if words.surface[j] in NEGATIONS:
                        words.muted[j] = False
                break
        # "come se niente fosse" describes; its "niente" denies nothing asked.
        start = 0
        while (i := find_phrase(words.surface, ("come", "se"), start)) >= 0:
            ahead = words.surface[i + 2 : i + 5]
            verb = next(
                (k for k, w in enumerate(ahead) if w.startswith(("foss", "aves", "stess"))), None
            )
            if verb is not None:
                words.muted[i : i + 3 + verb] = [True] * (3 + verb)
            start = i + 1
        # "devo farlo a mano perché non c'è altro modo?": the reason given for a
        # need denies the alternatives, not the need; the question is not negated.
        for i, word in enumerate(words.surface):
            pair = tuple(words.surface[i : i + 2])
            width = 1 if word in CAUSES else 2 if pair in CAUSE_PAIRS else 0
            if not width or not i:
                continue
            reason = [j for j in range(i + width, len(words)) if words.clause[j] == words.clause[i]]
            said = {words.surface[j] for j in reason}
            if not said.isdisjoint(NEGATIONS) and not said.isdisjoint(ALTERNATIVES):
                words.muted[i : reason[-1] + 1] = [True] * (reason[-1] + 1 - i)
        # "un collega dice che k8s non li rimpiazza": so is reported speech.
        reported = "che" in words.surface and not SAYING.isdisjoint(words.surface)
        for i, word in enumerate(words.surface[:-1] if reported else ()):
            # "perché dicono che...?" still asks why.
            if word in _OPEN_WORDS and all(w in LEADING_SKIP for w in words.surface[:i]):
                break
            if word in SAYING and words.surface[i + 1] == "che":
                words.muted[: i + 2] = [True] * (i + 2)
                break

    @staticmethod
    def _mute_conditions(words: Words, mentions: list[tuple[int, int, str]]) -> None:
        """Mute conditional clauses: "se un container non risponde, compose...".

        A condition runs to the end of its clause, or to the next system named,
        or (when no clause follows) for a few words.
        """
        starts_of_mentions = {start for start, _, _ in mentions}
        last_clause = words.clause[-1]
        i = 0
        while i < len(words):
            word = words.surface[i]
            # "se non sbaglio" is a set phrase, already muted, not a condition.
            if word not in _CONDITION_STARTS or words.muted[i]:
                i += 1
                continue
            pair = tuple(words.surface[i : i + 2])
            width = 2 if pair in SUBORDINATOR_PAIRS else 1 if word in SUBORDINATORS else 0
            previous = words.surface[i - 1] if i else ""
            if not width or (word == "se" and previous in ASKING_VERBS | {"come"}):
                i += 1
                continue
            if (
                word == "quando"
                and words.surface[i + 1 : i + 2]
                and (words.surface[i + 1] in WHEN_ASKS)
            ):
                i += 1
                continue
            clause = words.clause[i]
            reach = len(words) if clause < last_clause else i + width + SUBORDINATE_REACH
            j = i
            # A condition closed by a comma runs past the systems it names:
            # "se la vm dove gira compose si pianta, compose...".
            closed = clause < last_clause
            while (
                j < min(reach, len(words))
                and words.clause[j] == clause
                and (j == i or closed or j not in starts_of_mentions)
                # "se faccio up --scale poi dove finiscono?": the question goes on.
                and (j <= i + width or words.surface[j] not in _CONDITION_ENDS)
            ):
                words.muted[j] = True
                j += 1
            i = max(j, i + 1)

    @staticmethod
    def _is_open(words: Words, mentions: list[tuple[int, int, str]]) -> bool:
        mentioned = {i for start, end, _ in mentions for i in range(start, end)}
        surface = words.surface
        clause_start = True
        for i, word in enumerate(surface):
            if i and words.clause[i] != words.clause[i - 1]:
                clause_start = True
            if (
                word in _OPEN_WORDS
                and not words.muted[i]
                and asks_open(words, i, mentions, clause_start)
            ):
                return True
            if word not in LEADING_SKIP and i not in mentioned and word != "docker":
                clause_start = False
        # "e se muore un nodo?": a bare condition asks what happens.
        first = next((i for i, w in enumerate(surface) if w not in {"e", "ma"}), 0)
        return surface[first] == "se" and all(words.muted[first:])

    def _absence(self, words: Words, cue_keys: Sequence[str], blocked: set[int]) -> list[int]:
        """Where a cue asserts the lack (empty when none does)."""
        present = set(words.stems)
        for key in cue_keys:
            for cue in self._cues.get(key, ()):
                if not present.issuperset(cue):
                    continue
                for found in cue_positions(words, cue):
                    if _asserted(words, found, blocked):
                        return found
        return []

    @staticmethod
    def _burden_or_limit(
        words: Words, mentions: list[tuple[int, int, str]], blocked: set[int], places: bool
    ) -> list[int]:
        """A burden or a limit written in words no cue lists: a need with the
        person who meets it ("serve che qualcuno lo rialzi?"), work handed over
        ("scarica su di me..."), one place only ("sullo stesso host") when
        `places` (the feature's limits are places)."""
        surface = words.surface
        free = [i for i in range(len(surface)) if not words.muted[i]]
        starts = {start for start, _, _ in mentions}
        hands = {i for i in free if surface[i] in HANDS}
        for i in free:
            word = surface[i]
            following = surface[i + 1] if i + 1 < len(surface) else ""
            found: list[int] = []
            personal = True
            passive = word in PASSIVE_NEEDS and following.endswith(PARTICIPLE_ENDINGS)
            # "serve toccare le repliche?": an impersonal need of an action.
            acting = (
                word in ACTING_NEEDS
                and following.endswith(INFINITIVE_ENDINGS)
                and following not in STATES
                and not (i and surface[i - 1] in CLITICS | {"gli"})
            )
            if word in MY_NEEDS or acting or ((word in NEEDS or passive) and hands - {i}):
                # "devo usare k8s per il failover?" chooses a tool; "devo
                # scegliere per un progetto nuovo, ..." is the user's decision.
                if (
                    starts.isdisjoint(range(i + 1, i + 1 + TOOL_REACH))
                    and following not in CHOOSING
                ):
                    found = [i]
            elif word in HANDING_OVER:
                clitic = i > 0 and surface[i - 1] in CLITIC_RECEIVERS
                # "mi lascia scegliere" lets; "mi lascia tutto da rifare" hands over.
                if any(surface[j] in RECEIVERS for j in free if j > i) or (
                    clitic and not following.endswith(INFINITIVE_ENDINGS)
                ):
                    found = [i]
            elif word in UP_TO and following == "a" and surface[i + 2 : i + 3] in (["me"], ["noi"]):
                # "sta a noi aumentarli?", "spetta a me?"
                found = [i]
            elif word in {"io", "noi"} and i > 0 and surface[i - 1] in CLEFT_VERBS:
                if following in {"a", "ad", "che"}:
                    found = [i - 1, i]
            elif word in LASTING:
                reach = range(i + 1, min(len(surface), i + 1 + STUCK_REACH))
                # "tiene tutto sulla stessa vm" is one place, not a lasting state.
                state = next(
                    (j for j in reach if surface[j] in STUCK and not _one_place(surface, j)), None
                )
                found = [i, state] if state is not None else []
                personal = False
            elif word in ONLY and _one_instance(surface[max(0, i - 1) : i + 7]):
                # "posso tenere solo una replica?": one instance as the most.
                found = [i]
                personal = False
            elif word in ONE and (places or (word in ONLY and surface[i - 1 : i] != ["da"])):
                # "scala solo su un server?" says its limit is a place whatever
                # feature the matcher read.
                found = _one_place(surface, i)
                personal = False
            elif word in FEW or (word.isdigit() and i > 1):
                found = _ceiling(surface, i)
                personal = False
            # The user's own burden stays theirs in a relative clause: "è roba
            # che devo scriptare io?", "sono io che devo ricrearlo?".
            if found and _asserted(words, found, blocked, relative_counts=personal):
                return found
        # "rimane giù finché non intervengo?", "scala solo se glielo dico io?":
        # waiting for the user is a burden, though the clause is a condition.
        for i, word in enumerate(surface):
            waits = (
                word == "finche"
                or (word == "fino" and surface[i + 1 : i + 2] in (["a"], ["al"], ["alla"]))
                or (word in {"se", "quando"} and i > 0 and surface[i - 1] in ONLY)
                or (word == "che" and i > 0 and surface[i - 1] in WAITING)
            )
            if waits and _waits_for_someone(surface, i) and not any(w in OR for w in surface[:i]):
                return [i]
        return _outage(words) or _without_way_back(words)

    def _comparison(
        self,
        words: Words,
        mentions: list[tuple[int, int, str]],
        absence: bool,
        contrasted: str | None = None,
    ) -> tuple[Comparison | None, bool]:
        """The comparison asked, if any. With an absence cue ("più limitato di",
        "problemi") the comparison is about the lack, so the cue word does not
        also turn "più" into "worse"."""
        surface = words.surface
        named = tuple(dict.fromkeys(system for _, _, system in mentions))
        text = " ".join(surface)
        # "meglio k8s o compose?": a choice, answered by a name, not yes/no.
        for (_, end, first), (start, _, second) in pairwise(mentions):
            if first != second and not OR.isdisjoint(surface[end:start]):
                return None, True
        if contrasted is not None:
            return Comparison("only", contrasted, named), False
        # "sia k8s che compose": both, and that "che" is not "than".
        paired = paired_systems(words, mentions)
        # The system after "di", "rispetto a"... is what the subject is measured against.
        others = {
            system
            for start, _, system in mentions
            if not paired and not THAN.isdisjoint(surface[max(0, start - 2) : start])
        }
        # "conviene k8s rispetto a compose?", "anziché compose": the standard.
        standards = {
            system
            for start, _, system in (mentions if len(named) > 1 else ())
            for marker in STANDARD_MARKERS
            if find_phrase(surface[max(0, start - len(marker) - 1) : start], marker) >= 0
        }
        # An explicit standard outranks a "di", which may be a possessive.
        if standards and len(standards) < len(named):
            others = standards
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
            if word in ONLY:
                after = [m for m in mentions if i < m[0] <= i + 2]
                if after:
                    _mute_excluded(words, mentions, after[0])
                    return Comparison("only", after[0][2], named), False
                # "solo uno dei due lo fa?", "tra k8s e compose, solo uno...?":
                # exactly one of them; "solo una replica" counts replicas.
                if surface[i + 1 : i + 2] in (["uno"], ["una"], ["1"]):
                    following = surface[i + 2] if i + 2 < len(surface) else ""
                    of_the_two = following in {"dei", "delle", "tra", "fra"}
                    pronoun = len(named) > 1 and following not in INSTANCES | ONE_PLACE | WORKLOADS
                    if of_the_two or pronoun:
                        return Comparison("one", None, named), False
        relation: Relation | None = None
        two_named = len(named) > 1
        behind = {
            word
            for i, word in enumerate(surface)
            if word in WORSE and not (i and surface[i - 1] in BACKWARD)
        }
        signs = {word for i, word in enumerate(surface) if not words.muted[i]}
        preferred = two_named and bool(standards) and not PREFERENCE.isdisjoint(surface)
        if (
            not BETTER.isdisjoint(surface)
            or (two_named and not BETTER_VERBS.isdisjoint(surface))
            or MORE_SIGN in signs
        ):
            relation = "better"
        elif behind or (two_named and not WORSE_VERBS.isdisjoint(surface)) or LESS_SIGN in signs:
            relation = "worse"
        elif AT_LEAST_SIGN in signs:
            relation = "at-least"
        elif AT_MOST_SIGN in signs:
            relation = "at-most"
        elif "piu" in surface or "meno" in surface:
            than = [m for m in mentions if m[2] in others]
            more = [i for i, w in enumerate(surface) if w in {"piu", "meno"}]
            # "più X di compose", "rispetto a compose ... di più"; not "sia
            # k8s che compose scalano su più nodi".
            measured = bool(than) and (
                more[0] < than[-1][0] or "rispetto" in surface or surface[more[0] - 1] == "di"
            )
            # "è k8s quello che regge più container?": the cleft names the one
            # said to have more, with no "di" for the rival.
            cleft = _cleft_subject(words, mentions) if len(named) > 1 else None
            if measured or cleft is not None:
                negative = not absence and not NEGATIVE.isdisjoint(surface)
                worse = ("meno" in surface) != negative
                relation = "worse" if worse else "better"
                subject = cleft or subject
        if relation is None and preferred:
            relation = "better"
        if (
            relation is None
            and two_named
            and any(find_phrase(surface, phrase) >= 0 for phrase in AS_GOOD_AS)
        ):
            relation = "at-least"
        # "pari pari" is word for word, not "on a par".
        same = {word for word in SAME if word in surface and find_phrase(surface, (word, word)) < 0}
        if relation is None and (
            same
            or any(find_phrase(surface, phrase) >= 0 for phrase in SAME_PHRASES)
            or find_phrase(surface, ("tanto", "quanto")) >= 0
            # "lo stesso supporto": only a comparison when both are named.
            or (len(named) > 1 and not SAME_WORDS.isdisjoint(surface))
            or has_likeness(words, mentions)
        ):
            relation = "same"
        if relation is None and not DIFFER.isdisjoint(surface) and len(named) != 1:
            relation = "differ"
        if relation is None and (
            not ALL.isdisjoint(surface)
            or re.search(r"\b(?:tutti|tutte) e (?:due|2)\b", text)
            or paired
            or joined_systems(words, mentions)
        ):
            relation = "all"
        if relation is None:
            return None, False
        return Comparison(relation, subject, named), False


def _outage(words: Words) -> list[int]:
    """ "se si spegne la vm va giù tutto il servizio?": a failure in a
    condition with the service down as its consequence asserts the limit
    (no failover), whatever the matcher read."""
    surface = words.surface
    for i, word in enumerate(surface):
        if word not in _CONDITION_STARTS:
            continue
        failure = next((j for j in range(i + 1, len(surface)) if surface[j] in FAILING), None)
        if failure is None:
            continue
        for k in range(failure + 1, len(surface)):
            if words.muted[k] or surface[k] not in OUTAGE:
                continue
            if any(w in OR and not words.muted[j] for j, w in enumerate(surface[:k])):
                return []
            return [k]
    return []


def _without_way_back(words: Words) -> list[int]:
    """ "resto fregato senza poter tornare alla versione prima?": "without
    being able to" asserts the inability."""
    surface = words.surface
    for i, word in enumerate(surface):
        if word != "senza" or words.muted[i]:
            continue
        if not WAYS.isdisjoint(surface[i + 1 : i + 1 + WAY_REACH]):
            if any(w in OR and not words.muted[j] for j, w in enumerate(surface[:i])):
                return []
            return [i]
    return []


def _cleft_subject(words: Words, mentions: list[tuple[int, int, str]]) -> str | None:
    """ "è compose quello che scala di più?": the system between "è" and
    "quello che"."""
    surface = words.surface
    for start, end, system in mentions:
        before = surface[start - 1] if start else ""
        if before == "e" and surface[end : end + 2] in (["quello", "che"], ["quella", "che"]):
            return system
    return None


def _told(words: Words, position: int, mentions: list[tuple[int, int, str]]) -> bool:
    """Is `position` in a clause of the story before the question, one that
    names no system?"""
    clause = words.clause[position]
    named = any(words.clause[start] == clause for start, _, _ in mentions)
    return clause < words.clause[-1] and not named


def _ends_a_verdict(words: Words, i: int) -> bool:
    """Is the "sì" at `i` a verdict ("kube sì per i rolling update"), not the
    clitic of a verb ("kube si riprende")?"""
    following = i + 1
    return (
        following == len(words)
        or words.muted[following]
        or words.clause[following] != words.clause[i]
        or words.surface[following] in VERDICT_FOLLOWERS
    )


def _contrast(words: Words, mentions: list[tuple[int, int, str]]) -> str | None:
    """ "k8s ha un failover che compose non ha?", "kube lo fa e compose no?",
    "compose no, k8s sì?": one system has it and the other lacks it, which
    asks whether only the first has it. The system that has it, with the
    negation muted (it belongs to the contrast, not to the question); None
    when there is no such contrast."""
    surface = words.surface
    for (a_start, a_end, first), (b_start, b_end, second) in pairwise(mentions):
        # "... e compose no" closing the sentence is elliptical, even where a
        # condition before it muted it; so is "mentre compose no" (not a time).
        tail = b_end == len(surface) - 1 or all(words.muted[b_end + 1 :])
        elliptical = b_start and surface[b_start - 1] in CONTRAST_JOINS and tail
        whereas = "mentre" in surface[a_end:b_start] or bool(elliptical)
        if first == second or words.muted[a_start] or (words.muted[b_start] and not whereas):
            continue
        between = range(a_end, b_start)
        after_second = [j for j in range(b_end, min(len(surface), b_end + 2))]
        if after_second and surface[after_second[0]] == "invece":
            after_second = after_second[1:]
        negated_between = [
            j for j in between if surface[j] in CONTRAST_DENIALS and not words.muted[j]
        ]
        lacking = [
            j
            for j in after_second[:1]
            if surface[j] in CONTRAST_DENIALS | LACKING and (whereas or not words.muted[j])
        ]
        # "kube li riavvia, compose no giusto?" asks about compose alone (a
        # negated confirmation); "k8s sì, compose no?" and one clause contrast.
        joined = words.clause[a_start] == words.clause[b_start] or (
            surface[a_end : a_end + 1] == ["si"] and _ends_a_verdict(words, a_end)
        )
        if lacking and joined and not negated_between:
            words.muted[lacking[0]] = True
            return first
        affirmed = (
            after_second[:1]
            and surface[after_second[0]] == "si"
            and _ends_a_verdict(words, after_second[0])
        )
        if affirmed and negated_between and negated_between[0] < a_end + CONTRAST_REACH:
            for j in negated_between:
                words.muted[j] = True
            return second
    return None


def _sign_word(match: re.Match[str]) -> str:
    sign = match.group(1)
    return f" {_SIGN_NAMES.get(sign, _SIGN_NAMES[sign[0]])} "


def _asserted(
    words: Words, found: list[int], blocked: set[int], relative_counts: bool = False
) -> bool:
    """Does the cue at `found` assert a lack, in the question's own voice?"""
    position = found[0]
    # The cue's own conjunct: "non riavvia niente e devo farlo io" is not
    # "niente downtime", "posso aumentarle ma restano su un host" is no ability.
    own = 0
    while own < position and _conjoined(words, own, position):
        own += 1
    # Just before the cue or inside it: "su più di un host".
    near = range(max(own, position - BLOCK_WINDOW), found[-1])
    blockers = [
        j for j in near if j not in found and words.surface[j] in BLOCKERS and not _extra(words, j)
    ]
    if blockers:
        blocked.update(blockers)
        return False
    # "su un altro host" names a second place: no limit to one.
    if any(words.surface[j] in ANOTHER for j in range(found[0], found[-1])):
        return False
    # "può gestire soltanto una macchina": the "soltanto" that opens the cue
    # turns the ability into a limit.
    limited = words.surface[position] in ONLY
    if (not limited and ability_before(words, position, own)) or (
        not relative_counts and _relative(words, position)
    ):
        return False
    # "fa autoscaling o devo farlo a mano?": the lack is the alternative
    # offered, the question is the first half.
    if any(w in OR and not words.muted[j] for j, w in enumerate(words.surface[:position])):
        return False
    # A cue's own "non" ("non cifrati") is not the question's.
    blocked.update(found)
    return True


def _mute_excluded(
    words: Words, mentions: list[tuple[int, int, str]], only: tuple[int, int, str]
) -> None:
    """ "ce l'ha solo k8s e non compose?": the "non" before the rival spells
    out the "only"; it does not negate the question."""
    for start, _, system in mentions:
        if system == only[2] or start <= only[1]:
            continue
        for j in range(max(only[1], start - 2), start):
            if words.surface[j] == "non":
                words.muted[j] = True


def _qualified(surface: list[str]) -> bool:
    """Does the sentence restrict what it denies to a part (a manner, a
    quality, past one place)? "compose non scala oltre un nodo, vero?"."""
    if not QUALIFIERS.isdisjoint(surface):
        return True
    if any(find_phrase(surface, phrase) >= 0 for phrase in QUALIFIER_PHRASES):
        return True
    last = len(surface) - 1
    for i, word in enumerate(surface):
        if word in GENUINE and 0 < i < last and surface[i - 1] in BEFORE_GENUINE:
            return True
    for phrase in BEYOND:
        start = find_phrase(surface, phrase)
        if start >= 0 and not ONE_PLACE.isdisjoint(
            surface[start + len(phrase) : start + len(phrase) + 4]
        ):
            return True
    return False


def _one_place(surface: list[str], i: int) -> list[int]:
    """ "solo su un host", "sullo stesso server", "server singolo"."""
    reach = range(i + 1, min(len(surface), i + 1 + ONE_REACH))
    place = next((j for j in reach if surface[j] in ONE_PLACE), None)
    if place is None and i > 0 and surface[i - 1] in ONE_PLACE:
        place = i - 1
    return sorted([i, place]) if place is not None else []


def _one_instance(free: list[str]) -> bool:
    """ "un solo container", "un'unica replica", "solo un'istanza"."""
    for i, word in enumerate(free):
        # "da solo" is by itself, "lo stesso container" the same one.
        if word in ONE and word not in {"stesso", "stessa"} and free[i - 1 : i] != ["da"]:
            ahead = [w for w in free[i + 1 : i + 5] if w not in {"un", "una", "uno"}]
            # "un container alla volta" is a pace, not a limit.
            if ahead[:1] and ahead[0] in INSTANCES and "volta" not in ahead[1:3]:
                return True
    return False


def _ceiling(surface: list[str], i: int) -> list[int]:
    """ "regge solo poche decine di servizi?", "è bloccato a qualche centinaio
    di pod?", "si ferma a 50 nodi?": a small amount as the most there can be."""
    if surface[i] in FEW and surface[i - 1 : i] and surface[i - 1] in ONLY:
        return [i - 1, i]
    # "a una manciata", "a un paio": past the article to the preposition.
    preposition = i - 2 if surface[i - 1 : i] in (["un"], ["una"]) else i - 1
    stop = preposition - 1
    if stop >= 0 and surface[preposition] in {"a", "ad"} and surface[stop] in STUCK:
        return [stop, i]
    return []


def _waits_for_someone(surface: list[str], i: int) -> bool:
    """ "finché qualcuno non interviene", "finché non li spengo", "solo se
    glielo dico io"."""
    ahead = surface[i + 1 : i + 5]
    if not HANDS.isdisjoint(ahead):
        return True
    rest = [w for w in ahead if w not in CLITICS]
    # After "non", a first-person verb: "finché non faccio restart".
    return len(rest) > 1 and rest[0] == "non" and len(rest[1]) > 3 and rest[1].endswith("o")


def _relative(words: Words, position: int) -> bool:
    """ "k8s rialza i pod che restano giù?": the lack is the pods', in a
    relative clause on a workload, the failure the system is asked to handle.
    "un file che chiunque legge" or "dici che tocca a me?" assert the lack."""
    j = position - 1
    while j >= 0 and words.surface[j] in CLITICS:
        j -= 1
    if j < 1 or words.surface[j] != "che" or words.muted[j]:
        return False
    return words.surface[j - 1] in WORKLOADS


def _conjoined(words: Words, negation: int, lack: int) -> bool:
    """ "kube non si adatta al carico e tocca a noi...?": a negation in
    another clause or conjunct than the lack states the same lack; it does
    not deny it ("non devo farlo io, giusto?" does)."""
    low, high = sorted((negation, lack))
    between = words.surface[low + 1 : high]
    # "c'è" is "c" and "e": a verb, not "and".
    coordinators = [
        k
        for k, word in enumerate(between, low + 1)
        if word in COORDINATORS and not (word == "e" and words.surface[k - 1] == "c")
    ]
    return words.clause[low] != words.clause[high] or bool(coordinators)


def _complement(words: Words, negation: int, lack: list[int]) -> bool:
    """ "ha il difetto di non accorgersene": a negation in the lack's own
    complement, after it, is what the lack is; it does not deny it."""
    return negation > lack[-1] and words.surface[negation - 1] in {"di", "a", "da"}


def _extra(words: Words, i: int) -> bool:
    """ "i container in più": extra ones, not the "più" of "più di un host"."""
    return words.surface[i] == "piu" and i > 0 and words.surface[i - 1] == "in"


def _stemmed(phrases_by_key: Mapping[str, Iterable[str]]) -> dict[str, list[tuple[str, ...]]]:
    return {
        key: [tuple(stem(t) for t in tokenize(phrase)) for phrase in phrases]
        for key, phrases in phrases_by_key.items()
    }
