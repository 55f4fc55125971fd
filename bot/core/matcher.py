"""Intent detection: which feature, which system, how sure.

The question is split into clauses and sentences, normalized, typo-repaired
and stemmed (see `text`), then read for:

* the systems it names (aliases, matched as token sequences), look-alike
  products that are *not* in the table (Swarm, Podman...), and which named
  system is the one asked about (`focus`);
* evidence for each feature: knowledge-base phrases whose stems all occur in
  the question. `synonyms` are strong evidence, `related` words weak, and a
  phrase that is part of a longer phrase matched for another feature is
  discounted ("scalare" inside "scalare in automatico"). In a message of
  several sentences the sentence that asks weighs more than the story;
* out-of-scope topics (volumes, Helm, upgrading a tool...) that pull towards
  `unknown`, and word senses: "rollback sulla dieta" is chat.

The evidence is summed into a score and squashed into a 0..1 confidence.
Naming a system confirms the domain, so it adds a little evidence; a question
naming neither system needs stronger evidence, which keeps everyday chat
("il segreto per un colloquio", "la scala di do") out of the table.
"""

from __future__ import annotations

import heapq
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import pairwise, product
from typing import TYPE_CHECKING, Final, Literal

from rapidfuzz import fuzz

from bot.core import focus
from bot.core.knowledge import KnowledgeBase
from bot.core.text import COMMON_WORDS, STOPWORDS, Speller, content_tokens, segment, stem, tokenize

if TYPE_CHECKING:
    from bot.core.intent_model import IntentModel

IntentKind = Literal["feature", "overview", "unknown"]
# The learned model's classes besides the features (see `intent_model`).
NONE: Final = "none"
OVERVIEW: Final = "overview"
BOTH: Final = "both"

# The learned model (`intent_model`): its probability for a feature the rules
# found evidence for is added times MODEL_WEIGHT; where the rules found
# nothing, a question about computing takes the model's class when it is at
# least RESCUE_PROBABILITY sure (the model with its softmax temperature is
# sure of "compose da solo basta?" at 0.82). Chosen on our own batches.
MODEL_WEIGHT: Final = 0.3
# The model reads the last words only (where the question usually is): its
# cost grows with the text, and a long story would set the latency tail.
MODEL_WORDS: Final = 24
RESCUE_PROBABILITY: Final = 0.85
STRONG_WEIGHT: Final = 1.0
EXTRA_STEM_WEIGHT: Final = 0.3
WEAK_WEIGHT: Final = 0.3
SYSTEM_BONUS: Final = 0.3
SUBSUMED_FACTOR: Final = 0.4
OUT_OF_SCOPE_PENALTY: Final = 1.2
EXAMPLE_WEIGHT: Final = 0.6
CONFIDENCE_RATE: Final = 1.3
CLOSE_RATIO: Final = 0.8
MAX_PHRASE_GAP: Final = 2
SUGGESTION_FLOOR: Final = 0.25
# Evidence outside the asking sentence of a longer message, when the asking
# sentence has evidence of its own; out-of-scope words in the story count less.
STORY_FACTOR: Final = 0.5
STORY_OUT_OF_SCOPE_FACTOR: Final = 0.3
# How much of the refined feature's evidence a refining cue hands over, and
# what it leaves behind ("repliche da sole": auto-scaling, not scaling).
REFINE_FACTOR: Final = 0.3
# Words foreign to the table and to everyday questions that make a message
# with no system and no infrastructure word chat: "domenica andiamo a
# scalare la grignetta" is about a mountain.
FOREIGN_LIMIT: Final = 2
FOREIGN_LIMIT_STATEMENT: Final = 1
# ...unless the feature evidence is plentiful (a whole story of it).
FOREIGN_SCORE_CAP: Final = 2.0
# Content words between the two halves of an out-of-scope pair.
PAIR_WINDOW: Final = 3
MAX_CUE_WORDS: Final = 4

# Words that turn a message into a comparison of the two systems as a whole.
_COMPARE_WORDS: Final = (
    "vs versus confronto confrontare paragone differenza differenze differenzia cambia "
    "meglio migliore peggio conviene convenga scegliere scelgo scelta pro contro vantaggi "
    "svantaggi rispetto passare migrare overkill alternativa comodo preferibile riassunto "
    "riassumimi riepilogo comparison difference better"
)
# Questions about whether a system is worth it at all: overview questions
# even when they name one system ("k8s è sprecato per due container?").
_OVERVIEW_CUES: Final = (
    "sprecato",
    "spreco",
    "sprecata",
    "eccessivo",
    "esagerato",
    "esagerata",
    "overkill",
    "vale la pena",
    "ha senso",
    "avrebbe senso",
    "benefici",
    "vantaggi",
    "svantaggi",
    "pro e contro",
    "side project",
    "cosa mi perdo",
    "cosa guadagno",
    "cosa ci guadagno",
    "cosa cambia",
    "cosa cambierebbe",
    "vale la spesa",
    "cosa perdo",
    "troppo per",
    "e troppo",
    "meglio",
    "migliore",
    "basta per",
    "bastare per",
    "sufficiente per",
    "troppo complesso",
    "troppo complicato",
    "progetto piccolo",
    "piccolo progetto",
    "conviene",
    "convenga",
    "worth it",
)
# Phrases that mean "the two systems" without naming them.
_BOTH_CUES: Final = (
    "quale dei due",
    "quale delle due",
    "quale scegliere",
    "uno o l'altro",
    "quando l'altro",
    "tutti e due",
    "tutte e due",
    "tra i due",
    "fra i due",
    "dei due",
)
# Openers of a follow-up that leans on the previous question; the first ones
# also carry its feature over to a new system or its system to a new feature.
_CARRYING_OPENERS: Final = frozenset({"e", "ed", "invece", "anche", "pure", "mentre", "and"})
_FOLLOW_UP_OPENERS: Final = _CARRYING_OPENERS | {"ma", "quindi", "allora", "cioe"}
# Discourse words a bare follow-up is made of ("perché?", "ne sei certo?",
# "quindi tutto a mano?"): a short question of only these words (and system
# names or infrastructure words) asks more about the previous answer.
_FOLLOW_UP_WORDS: Final = frozenset(
    """
    mai certo certa sicuro sicura cioe davvero veramente seriamente proprio sempre
    nessuno nessuna niente nulla tutto tutti tutta quindi allora dunque ovvero ossia
    mano manualmente automatico automatica invece no si pure neanche nemmeno neppure
    esempio spiega spiegami spiegare dettagli approfondisci dimmi imposta impostare
    configura configurare attiva attivare abilita abilitare funziona funzionano
    succede serve servono criterio criteri quanto quanti quante limite limiti default
    gratis comunque solo sola soltanto bene male vero vera giusto giusta altro altri
    ancora adesso oggi versione aggiornato fatto fa fanno senso storto sbagliato
    fallisce succede decide decidere saperlo sa trucco trucchi qualche modo fino
    quante quanto non altro altre alternativa alternative motivo esattamente va
    vanno andato andata base massimo minimo dopo prima reboot riavvio
    why sure really
    """.split()
)
_QUESTION_WORDS: Final = frozenset(
    """
    come cosa cos quale quali quanto quanti quanta quante perche dove quando chi
    posso possiamo puoi si esiste esistono serve conviene meglio differenza differenze
    how what why which can does is are should
    """.split()
)
_CHANGE_VERBS: Final = frozenset(
    """
    sale salgono cresce crescono aumenta aumentano cala calano scende scendono
    diminuisce diminuiscono esplode crolla raddoppia triplica passa supera superano
    """.split()
)
_MANUAL_CUES: Final = frozenset({("a", "mano"), ("manualmente",), ("manuale",)})
_BY_HAND: Final = frozenset(
    {"posso", "possiamo", "devo", "dobbiamo", "riesco", "mano", "manualmente"}
)
_NEGATIONS: Final = frozenset({"non", "niente", "nessuna", "nessun", "senza", "no", "mai"})
_VERSION_LEAD: Final = frozenset({"da", "dal", "dalla", "a", "al", "alla", "versione", "release"})
_VERSION: Final = re.compile(r"v?\d+")
_BOTH_SYSTEMS_WORDS: Final = frozenset({"entrambi", "entrambe", "due", "both"})


@dataclass(frozen=True)
class Phrase:
    feature: str
    stems: frozenset[str]
    weight: float
    text: str
    # Set for "=word" phrases, which match the word itself, not its stem:
    # "=segreti" must not fire on "il segreto per un colloquio".
    surface: frozenset[str] | None = None
    # Set for "~words" phrases, which match this exact run of words, small
    # words included: "~resta su" is neither "resto su compose" nor "resta".
    run: tuple[str, ...] | None = None

    @property
    def keys(self) -> frozenset[str]:
        return self.surface if self.surface is not None else self.stems

    def found_in(self, reading: _Reading) -> bool:
        if self.run is not None:
            return self.run in reading.ngrams
        if self.surface is not None:
            return self.surface <= reading.surface and reading.close_together(self.surface)
        return self.stems <= reading.stems and reading.close_together(self.stems)

    def in_asked(self, reading: _Reading) -> bool:
        if self.run is not None:
            return any(reading.asked_token[i] for i in reading.ngrams[self.run])
        return reading.in_asked(self.keys)


@dataclass(frozen=True)
class Context:
    """What the previous question in a conversation was about.

    `overview` marks a previous answer that compared the systems as a whole:
    "come mai?" after it asks more about the comparison.
    """

    feature: str | None = None
    system: str | None = None
    overview: bool = False
    # The previous message was chat: "e cluster?" after "come si traduce
    # failover?" goes on with the chat.
    chat: bool = False


@dataclass(frozen=True)
class Intent:
    kind: IntentKind
    feature: str | None
    system: str | None
    confidence: float
    suggestions: tuple[str, ...] = ()
    scores: dict[str, float] = field(default_factory=dict, compare=False, repr=False)
    # The question is about computing: it names a system or an infrastructure
    # word. Unprompted answers need it (see `auto_reply`).
    domain: bool = field(default=False, compare=False)


@dataclass
class _Reading:
    tokens: list[str]
    surface: frozenset[str]
    stems: frozenset[str]
    # Where each content word (surface form and stem) occurs, in content-word
    # order; a joined pair ("auto"+"scaling") sits at its first word.
    positions: dict[str, list[int]]
    # For each content word and each token, whether it lies in the sentence
    # that asks.
    asked: list[bool]
    asked_token: list[bool]
    # Runs of one to four words over all tokens, stopwords included, and
    # where they start. Cue phrases match these exactly, word forms and all:
    # "da solo" is not "un solo", "moda" is not "modo".
    ngrams: dict[tuple[str, ...], list[int]]
    mentions: list[focus.Mention]
    other_product: bool
    follow_up_opener: bool
    carrying_opener: bool
    has_question_mark: bool
    out_of_scope: float = 0.0

    @property
    def systems(self) -> list[str]:
        return list(dict.fromkeys(mention.system for mention in self.mentions))

    def spans(self, keys: frozenset[str]) -> Iterable[tuple[int, int]]:
        """(first, last) content-word positions of the keys, close together.

        "tanti container" must not match "ogni tanto il container muore": a
        phrase's words may have at most MAX_PHRASE_GAP other words among them.
        """
        if len(keys) < 2:
            for index in self.positions.get(next(iter(keys)), ())[:8]:
                yield index, index
            return
        for span in product(*(self.positions[key][:8] for key in keys)):
            low, high = min(span), max(span)
            if high - low < len(keys) + MAX_PHRASE_GAP:
                yield low, high

    def close_together(self, keys: frozenset[str]) -> bool:
        return next(iter(self.spans(keys)), None) is not None

    def in_asked(self, keys: frozenset[str]) -> bool:
        return any(self.asked[low] for low, _ in self.spans(keys))

    def has(self, cue: tuple[str, ...]) -> bool:
        return cue in self.ngrams


def _phrase_stems(text: str) -> frozenset[str]:
    return frozenset(stem(token) for token in content_tokens(tokenize(text)))


def cue_words(text: str) -> tuple[str, ...]:
    """A cue phrase as a run of normalized words, small words kept."""
    return tuple(tokenize(text))


def _confidence(score: float) -> float:
    return 0.0 if score <= 0 else 1.0 - math.exp(-CONFIDENCE_RATE * score)


class Matcher:
    """Maps a question to an intent over one knowledge base. Pure and synchronous."""

    def __init__(self, kb: KnowledgeBase, threshold: float = 0.5) -> None:
        self.kb = kb
        self.threshold = threshold
        # Loaded when first needed: most questions never need it, and a
        # one-shot `ask` should not pay for it.
        self._model: IntentModel | None = None
        self._model_loaded = False
        self._phrases = self._build_phrases(kb)
        # Each phrase under each of its stems: a question only checks the
        # phrases that share a stem with it.
        self._phrases_by_stem: dict[str, list[int]] = {}
        for number, phrase in enumerate(self._phrases):
            for key in phrase.stems:
                self._phrases_by_stem.setdefault(key, []).append(number)
        # "=porta" is the word itself: "portando" is not a network port.
        self._out_of_scope = list(
            dict.fromkeys(
                (text.startswith("="), keys)
                for text in kb.out_of_scope
                if not text.startswith("~") and (keys := _topic_keys(text))
            )
        )
        # "~aggiornare il cluster": that run of words, not any update of a cluster.
        self._out_of_scope_runs = _cues(
            text[1:] for text in kb.out_of_scope if text.startswith("~")
        )
        self._pairs = [
            (
                [s for s in map(_phrase_stems, pair.words) if s],
                [s for s in map(_phrase_stems, pair.near) if s],
            )
            for pair in kb.out_of_scope_pairs
        ]
        self._aliases = self._build_aliases(kb)
        self._aliases_by_first: dict[str, list[tuple[tuple[str, ...], str | None]]] = {}
        for alias in self._aliases:
            self._aliases_by_first.setdefault(alias[0][0], []).append(alias)
        self._hints = [
            (tuple(tokenize(hint)), system.id) for system in kb.systems for hint in system.hints
        ]
        self._examples = {
            feature.id: [" ".join(sorted(_phrase_stems(ex))) for ex in feature.examples]
            for feature in kb.features
        }
        self._refined_by = {
            feature.id: feature.refines for feature in kb.features if feature.refines is not None
        }
        self._refinements = [
            (feature.id, feature.refines, _cues(feature.refine_cues))
            for feature in kb.features
            if feature.refines is not None
        ]
        self._domain = _cues(kb.domain)
        self._tools = _cues(kb.tools)
        self._off_domain = _cues(kb.off_domain)
        self._overview_cues = _cues(_OVERVIEW_CUES)
        self._both_cues = _cues(_BOTH_CUES)
        # "meglio" also asks which does a feature better ("compose scala meglio?").
        self._worth_it_cues = self._overview_cues - {("meglio",), ("migliore",)}
        self._the_two = frozenset(
            cue for cue in self._both_cues if cue[-2:-1] in (("i",), ("dei",), ("delle",))
        )
        self._compare_stems = frozenset(stem(word) for word in _COMPARE_WORDS.split())
        self._follow_up_words = _FOLLOW_UP_WORDS | {
            token for alias_tokens, _ in self._aliases for token in alias_tokens
        }
        vocabulary: set[str] = set(tokenize(_COMPARE_WORDS))
        for text in (*_OVERVIEW_CUES, *_BOTH_CUES):
            vocabulary.update(tokenize(text))
        for alias_tokens, _ in (*self._aliases, *self._hints):
            vocabulary.update(alias_tokens)
        for feature in kb.features:
            texts = (
                feature.title,
                *feature.synonyms,
                *feature.related,
                *feature.examples,
                *feature.refine_cues,
            )
            for text in texts:
                vocabulary.update(tokenize(text.lstrip("=~")))
        # Not the off-domain words: "partire" must not be "corrected" to "partite".
        for text in (*kb.out_of_scope, *kb.domain):
            vocabulary.update(tokenize(text.removeprefix("=")))
        for pair in kb.out_of_scope_pairs:
            for text in (*pair.words, *pair.near):
                vocabulary.update(tokenize(text))
        # Everyday words are known too, so they are never "corrected" into
        # ours ("tutto" is not "tutte").
        vocabulary.update(_FOLLOW_UP_WORDS, COMMON_WORDS)
        self._speller = Speller(vocabulary)
        self._known_stems = frozenset(stem(word) for word in (*vocabulary, *self._follow_up_words))

    # --- index --------------------------------------------------------------

    @staticmethod
    def _build_phrases(kb: KnowledgeBase) -> list[Phrase]:
        # One phrase per distinct stem set and feature: "nodo", "nodi" and
        # "node" are one piece of evidence, not three.
        seen: set[tuple[str, frozenset[str], frozenset[str] | None]] = set()
        phrases: list[Phrase] = []
        for feature in kb.features:
            strong = (feature.title, *feature.synonyms)
            for texts, weak in ((strong, False), (feature.related, True)):
                for text in texts:
                    if text.startswith("~"):
                        run = cue_words(text[1:])
                        stems = _phrase_stems(text[1:])
                        if run and stems:
                            phrases.append(
                                Phrase(feature.id, stems, _weight(stems, weak), text, run=run)
                            )
                        continue
                    exact = text.startswith("=")
                    stems = _phrase_stems(text.removeprefix("="))
                    if not stems:
                        continue
                    weight = _weight(stems, weak)
                    surface = (
                        frozenset(content_tokens(tokenize(text.removeprefix("="))))
                        if exact
                        else None
                    )
                    key = (feature.id, stems, surface)
                    if key not in seen:
                        seen.add(key)
                        phrases.append(Phrase(feature.id, stems, weight, text, surface))
        return phrases

    @staticmethod
    def _build_aliases(kb: KnowledgeBase) -> list[tuple[tuple[str, ...], str | None]]:
        """Alias token sequences, longest first; None marks a look-alike product."""
        aliases: list[tuple[tuple[str, ...], str | None]] = []
        for system in kb.systems:
            aliases += [(tuple(tokenize(alias)), system.id) for alias in system.aliases]
            aliases += [(tuple(tokenize(alias)), None) for alias in system.not_aliases]
        return sorted({a for a in aliases if a[0]}, key=lambda a: -len(a[0]))

    # --- reading a question -------------------------------------------------

    def _find_systems(self, tokens: Sequence[str]) -> tuple[list[focus.Mention], bool]:
        found: list[focus.Mention] = []
        other_product = False
        start = 0
        while start < len(tokens):
            # The longest alias starting here wins: "docker swarm" over "docker".
            for alias_tokens, system_id in self._aliases_by_first.get(tokens[start], ()):
                size = len(alias_tokens)
                if tuple(tokens[start : start + size]) == alias_tokens:
                    if system_id is None:
                        other_product = True
                    else:
                        found.append(focus.Mention(system_id, start, start + size))
                    start += size
                    break
            else:
                start += 1
        if not found:
            for hint_tokens, system_id in self._hints:
                size = len(hint_tokens)
                for start in range(len(tokens) - size + 1):
                    if tuple(tokens[start : start + size]) == hint_tokens:
                        found.append(focus.Mention(system_id, start, start + size))
                        break
        found.sort(key=lambda mention: mention.start)
        return found, other_product

    def _read(self, question: str) -> tuple[_Reading, focus.Layout]:
        segmented = segment(question)
        tokens = self._speller.correct_all(segmented.tokens)
        mentions, other_product = self._find_systems(tokens)
        asked_sentence = segmented.asked_sentence
        several_sentences = len(set(segmented.sentence_of)) > 1
        word_indexes = [i for i, token in enumerate(tokens) if token not in STOPWORDS]
        words = [tokens[i] for i in word_indexes]
        asked_token = [
            not several_sentences or sentence == asked_sentence
            for sentence in segmented.sentence_of
        ]
        asked = [asked_token[i] for i in word_indexes]
        # Join neighbours so "auto scaling" also reads as "autoscaling".
        joined = [a + b for a, b in pairwise(words)]
        positions: dict[str, list[int]] = {}
        for index, token in (*enumerate(words), *enumerate(joined)):
            positions.setdefault(token, []).append(index)
            positions.setdefault(stem(token), []).append(index)
        stems = frozenset(stem(token) for token in (*words, *joined))
        ngrams: dict[tuple[str, ...], list[int]] = {}
        for size in range(1, MAX_CUE_WORDS + 1):
            for start in range(len(tokens) - size + 1):
                ngrams.setdefault(tuple(tokens[start : start + size]), []).append(start)
        reading = _Reading(
            tokens=tokens,
            surface=frozenset((*words, *joined)),
            stems=stems,
            positions=positions,
            asked=asked,
            asked_token=asked_token,
            ngrams=ngrams,
            mentions=mentions,
            other_product=other_product,
            follow_up_opener=bool(tokens) and segmented.tokens[0] in _FOLLOW_UP_OPENERS,
            carrying_opener=bool(tokens) and segmented.tokens[0] in _CARRYING_OPENERS,
            has_question_mark=bool(segmented.questions),
        )
        for exact, oos in self._out_of_scope:
            if oos <= (reading.surface if exact else stems):
                reading.out_of_scope += self._topic_weight(reading, oos)
        for words_group, near_group in self._pairs:
            reading.out_of_scope += self._pair_weight(reading, words_group, near_group)
        if self._versioned_tool(reading):
            reading.out_of_scope += 1.0
        reading.out_of_scope += self._cue_count(reading, self._out_of_scope_runs)
        layout = focus.Layout(
            tokens=tokens,
            clause_of=segmented.clause_of,
            sentence_of=segmented.sentence_of,
            asked_sentence=asked_sentence,
            aside=segmented.aside,
        )
        return reading, layout

    @staticmethod
    def _topic_weight(reading: _Reading, keys: frozenset[str]) -> float:
        spans = list(reading.spans(keys))
        if not spans:
            return 0.0
        if any(reading.asked[low] for low, _ in spans):
            return 1.0
        return STORY_OUT_OF_SCOPE_FACTOR

    @staticmethod
    def _pair_weight(
        reading: _Reading, words: list[frozenset[str]], near: list[frozenset[str]]
    ) -> float:
        first = [low for keys in words if keys <= reading.stems for low, _ in reading.spans(keys)]
        if not first:
            return 0.0
        second = [low for keys in near if keys <= reading.stems for low, _ in reading.spans(keys)]
        pairs = [(a, b) for a in first for b in second if abs(a - b) <= PAIR_WINDOW]
        if not pairs:
            return 0.0
        if any(reading.asked[a] or reading.asked[b] for a, b in pairs):
            return 1.0
        return STORY_OUT_OF_SCOPE_FACTOR

    def _versioned_tool(self, reading: _Reading) -> bool:
        """ "node 18", "postgres 16", "kubectl v1.29": a tool with its version."""
        for tool in self._tools:
            for start in reading.ngrams.get(tool, ()):
                after = start + len(tool)
                if after < len(reading.tokens) and _VERSION.fullmatch(reading.tokens[after]):
                    return True
        # "kubernetes 1.31", "k8s dalla 1.29": a system's own release ("compose
        # v2" is a name).
        for mention in reading.mentions:
            following = reading.tokens[mention.end : mention.end + 3]
            while following and following[0] in _VERSION_LEAD:
                following = following[1:]
            if following and following[0].isdigit():
                return True
        return False

    @staticmethod
    def _affirmed_cue(reading: _Reading, cues: Iterable[tuple[str, ...]]) -> bool:
        """A cue not denied just before: "niente magie automatiche" is no cue.

        "quando" with a verb of rising or falling a few words on ("quando la
        coda dei messaggi cresce") is a cue too: it ties the change to a load.
        """
        # "se" too, unless the asker does it ("se aumentano gli utenti posso
        # aggiungere repliche?" is scaling by hand).
        openers = [("quando",)] if _BY_HAND.intersection(reading.tokens) else [("quando",), ("se",)]
        for opener in openers:
            for start in reading.ngrams.get(opener, ()):
                if _CHANGE_VERBS.intersection(reading.tokens[start + 1 : start + 7]):
                    return True
        for cue in cues:
            for start in reading.ngrams.get(cue, ()):
                if not _NEGATIONS.intersection(reading.tokens[max(0, start - 3) : start]):
                    return True
        return False

    @staticmethod
    def _cue_count(reading: _Reading, cues: frozenset[tuple[str, ...]]) -> int:
        return len(cues.intersection(reading.ngrams))

    def _feature_scores(self, reading: _Reading) -> dict[str, float]:
        candidates = sorted(
            {number for key in reading.stems for number in self._phrases_by_stem.get(key, ())}
        )
        matched = [
            phrase
            for phrase in (self._phrases[number] for number in candidates)
            if phrase.found_in(reading)
        ]
        scores = {feature.id: 0.0 for feature in self.kb.features}
        story = {feature.id: 0.0 for feature in self.kb.features}
        for phrase in matched:
            inside_longer = any(
                phrase.stems < other.stems for other in matched if other.feature != phrase.feature
            )
            same_feature_longer = any(
                phrase.stems < other.stems for other in matched if other.feature == phrase.feature
            )
            if same_feature_longer:
                continue
            weight = phrase.weight * (SUBSUMED_FACTOR if inside_longer else 1.0)
            if phrase.in_asked(reading):
                scores[phrase.feature] += weight
            else:
                story[phrase.feature] += weight
        # The story around a question counts in full only when the asking
        # sentence says nothing itself ("... il sito sparisce. si può evitare?").
        story_factor = STORY_FACTOR if any(scores.values()) else 1.0
        for feature_id, value in story.items():
            scores[feature_id] += story_factor * value
        query = " ".join(sorted(reading.stems))
        for feature_id, examples in self._examples.items():
            if not examples or len(reading.stems) < 2:
                continue
            best = max(fuzz.token_set_ratio(query, example) for example in examples)
            scores[feature_id] += EXAMPLE_WEIGHT * max(0.0, (best - 70.0) / 30.0)
        for feature_id, refined_id, cues in self._refinements:
            # "autoscaling orizzontale": the narrower feature named outright
            # refines the broader one's words as much as a cue does.
            named = scores[feature_id] >= STRONG_WEIGHT
            if scores[refined_id] > 0 and (named or self._affirmed_cue(reading, cues)):
                handed = scores[refined_id] * (1.0 - REFINE_FACTOR)
                scores[feature_id] += handed
                scores[refined_id] -= handed
        return scores

    # --- deciding -----------------------------------------------------------

    def match(self, question: str, context: Context | None = None) -> Intent:
        reading, layout = self._read(question)
        if not reading.tokens:
            return Intent("unknown", None, None, 0.0)
        scores = self._feature_scores(reading)
        # The learned model's view: evidence for features the rules found at
        # least a trace of (so it breaks ties between close features without
        # inventing a topic), and a rescue below when the rules found nothing.
        # It reads the typo-repaired words, so "docekr" and "docker" agree,
        # and only when its view can change something (it costs a tenth of a
        # millisecond): two features with evidence, or none at all.
        with_evidence = [feature_id for feature_id, score in scores.items() if score > 0]
        top, runner_up = heapq.nlargest(2, scores.values())
        found_nothing = top < STRONG_WEIGHT
        # At most MODEL_WEIGHT is added: it can only reorder close features.
        could_reorder = len(with_evidence) > 1 and top - runner_up < MODEL_WEIGHT
        could_rescue = found_nothing and self._could_be_rescued(reading)
        probabilities: dict[str, float] = {}
        model = self._learned_model() if could_reorder or could_rescue else None
        if model is not None:
            probabilities = model.predict(" ".join(reading.tokens[-MODEL_WORDS:]))
        if not found_nothing:
            for feature_id in with_evidence:
                scores[feature_id] += MODEL_WEIGHT * probabilities.get(feature_id, 0.0)
        penalty = OUT_OF_SCOPE_PENALTY * reading.out_of_scope
        if reading.other_product and not reading.systems:
            penalty += OUT_OF_SCOPE_PENALTY
        adjusted = {
            feature_id: score - penalty + (SYSTEM_BONUS if score > 0 and reading.systems else 0)
            for feature_id, score in scores.items()
        }
        ranked = sorted(adjusted.items(), key=lambda item: -item[1])
        best_id, best_score = ranked[0]
        second_id, second_score = ranked[1] if len(ranked) > 1 else (best_id, 0.0)
        confidence = _confidence(best_score)
        suggestions = tuple(
            feature_id
            for feature_id, score in ranked[:3]
            if _confidence(score) >= SUGGESTION_FLOOR and score >= CLOSE_RATIO * best_score
        )
        domain_cues = self._cue_count(reading, self._domain)
        domain = bool(reading.systems) or domain_cues > 0
        # Feature words about diets, mountains or phones, with nothing that
        # puts the question in computing: chat, not the table.
        # "tra i due quale scegliereste per un'agenzia?" is about our two
        # systems whatever else it names; "chi li ha usati tutti e due?" is not.
        about_the_systems = self._cue_count(reading, self._the_two) > 0
        if not reading.systems and (
            self._cue_count(reading, self._off_domain) > domain_cues
            or (
                not domain_cues
                and not about_the_systems
                and best_score < FOREIGN_SCORE_CAP
                and self._foreign_words(reading) >= self._foreign_limit(reading)
            )
        ):
            return Intent("unknown", None, None, 0.0, scores=adjusted)

        system = focus.asked_system(layout, reading.mentions, BOTH)
        content = content_tokens(reading.tokens)
        follow_up = context is not None and (reading.follow_up_opener or len(content) <= 3)
        blocked = reading.out_of_scope > 0 or (reading.other_product and not reading.systems)

        def intent(kind: IntentKind, feature: str | None, system: str, conf: float) -> Intent:
            return Intent(kind, feature, system, conf, scores=adjusted, domain=domain)

        # "e cluster?" after "come si traduce failover?" goes on with the chat.
        chat_goes_on = context is not None and context.chat and reading.carrying_opener
        if chat_goes_on and not reading.systems and len(content) <= 3:
            return Intent("unknown", None, None, 0.0, scores=adjusted, domain=domain)
        # "kube per un sito da 100 visite è troppo?": whether a system is worth
        # it, with only a weak cue of a feature, is an overview question.
        worth_it = self._cue_count(reading, self._worth_it_cues) > 0
        one_system = len(reading.systems) == 1 and not reading.other_product
        if worth_it and one_system and not blocked and max(scores.values()) < STRONG_WEIGHT:
            return intent("overview", None, BOTH, 0.8)
        if confidence >= self.threshold:
            if follow_up and not reading.systems and context and context.system:
                system = context.system
            close = _confidence(second_score) >= SUGGESTION_FLOOR and (
                second_score >= CLOSE_RATIO * best_score
            )
            return Intent(
                "feature",
                best_id,
                system,
                round(confidence, 3),
                (best_id, second_id) if close else (),
                scores=adjusted,
                domain=domain,
            )
        if context is not None and follow_up and not blocked:
            kept = system if reading.systems else (context.system or BOTH)
            bare = self._bare_follow_up(reading, content)
            if context.feature:
                # "e a mano?" after auto-scaling asks about scaling by hand
                # ("quindi tutto a mano?" only asks to confirm).
                broader = self._refined_by.get(context.feature)
                manual = self._cue_count(reading, _MANUAL_CUES) > 0
                if broader and manual and reading.carrying_opener and len(content) <= 3:
                    return intent("feature", broader, kept, 0.7)
                if bare and not reading.systems:
                    return intent("feature", context.feature, kept, 0.7)
                # "e per le password?": a weak cue after "e" switches the
                # feature and keeps the system; "sono cifrati?" stays on it.
                weak = confidence >= SUGGESTION_FLOOR
                if weak and (reading.carrying_opener or best_id == context.feature):
                    return intent("feature", best_id, kept, 0.75)
                # "e kubernetes?" keeps the feature; "meglio k8s o compose?"
                # is a new, general comparison unless it opens like a follow-up.
                carries_feature = (
                    reading.carrying_opener
                    or not self._compares(reading)
                    or len(reading.systems) == 1
                )
                if reading.systems and carries_feature:
                    return intent("feature", context.feature, system, 0.75)
            elif context.overview:
                if confidence >= SUGGESTION_FLOOR and reading.carrying_opener:
                    return intent("feature", best_id, kept, 0.75)
                if bare or self._cue_count(reading, self._overview_cues):
                    return intent("overview", None, BOTH, 0.7)
        if not blocked and self._is_overview(reading):
            return intent("overview", None, BOTH, 0.8)
        rescued = (
            self._rescue(probabilities, reading, domain, blocked, self.threshold)
            if found_nothing
            else None
        )
        if rescued is not None:
            label, probability = rescued
            if label == OVERVIEW:
                return intent("overview", None, BOTH, round(probability, 3))
            return intent("feature", label, system, round(probability, 3))
        return Intent(
            "unknown", None, None, round(confidence, 3), suggestions, scores=adjusted, domain=domain
        )

    @staticmethod
    def _foreign_limit(reading: _Reading) -> int:
        """A statement needs fewer foreign words than a question to be chat:
        "ho fatto un rollback sulla scelta del divano" asks nothing."""
        asks = reading.has_question_mark or (
            bool(reading.tokens) and reading.tokens[0] in _QUESTION_WORDS
        )
        return FOREIGN_LIMIT if asks else FOREIGN_LIMIT_STATEMENT

    def _foreign_words(self, reading: _Reading) -> int:
        words = {
            word
            for word in content_tokens(reading.tokens)
            if len(word) > 2 and not word.isdigit() and stem(word) not in self._known_stems
        }
        return len(words)

    def _learned_model(self) -> IntentModel | None:
        if not self._model_loaded:
            self._model = _model_for(self.kb)
            self._model_loaded = True
        return self._model

    def _could_be_rescued(self, reading: _Reading) -> bool:
        """About computing and about nothing out of scope: see `_rescue`."""
        named = bool(reading.systems) or self._cue_count(reading, self._domain) > 0
        return named and not reading.out_of_scope and not reading.other_product

    @staticmethod
    def _rescue(
        probabilities: dict[str, float],
        reading: _Reading,
        domain: bool,
        blocked: bool,
        threshold: float,
    ) -> tuple[str, float] | None:
        """The model's answer where the rules found none: only about computing,
        never past an out-of-scope topic, and only when the model is sure."""
        if not probabilities or blocked or not domain:
            return None
        label = max(probabilities, key=probabilities.__getitem__)
        probability = probabilities[label]
        if label == NONE or probability < max(RESCUE_PROBABILITY, threshold):
            return None
        if label == OVERVIEW and len(reading.systems) < 2:
            return None
        return label, probability

    def _compares(self, reading: _Reading) -> bool:
        return bool(reading.stems & self._compare_stems)

    def _bare_follow_up(self, reading: _Reading, content: list[str]) -> bool:
        """ "perché?", "ne sei certo?", "anche su vm?": asks more about the last answer."""
        if not (reading.has_question_mark or reading.follow_up_opener):
            return False
        if len(content) > 4:
            return False
        domain_words = {cue[0] for cue in self._domain if len(cue) == 1}
        return all(word in self._follow_up_words or word in domain_words for word in content)

    def _is_overview(self, reading: _Reading) -> bool:
        both_named = len(reading.systems) >= 2
        compares = self._compares(reading)
        both_meant = bool(_BOTH_SYSTEMS_WORDS & set(reading.tokens)) and compares
        worth_it = self._cue_count(reading, self._overview_cues) > 0 and not reading.other_product
        both_cued = self._cue_count(reading, self._both_cues) > 0
        return both_named or both_meant or both_cued or (worth_it and len(reading.systems) == 1)


def _topic_keys(text: str) -> frozenset[str]:
    if text.startswith("="):
        return frozenset(content_tokens(tokenize(text[1:])))
    return _phrase_stems(text)


def _model_for(kb: KnowledgeBase) -> IntentModel | None:
    """The table's learned model, or None. A model for another set of features
    (the table changed, nobody ran `kb train`) is left out: `kb check` reports
    it, and the rules alone still answer."""
    # Imported here: a one-shot `ask` that never needs the model skips it.
    from bot.core.intent_model import IntentModelError, load_for

    try:
        return load_for(kb)
    except IntentModelError:
        return None


def is_follow_up(question: str) -> bool:
    """Does the message open like a follow-up ("e i volumi?", "invece con k8s?")?"""
    tokens = tokenize(question)
    return bool(tokens) and tokens[0] in _CARRYING_OPENERS


def _weight(stems: frozenset[str], weak: bool) -> float:
    return WEAK_WEIGHT if weak else STRONG_WEIGHT + EXTRA_STEM_WEIGHT * (len(stems) - 1)


def _cues(texts: Iterable[str]) -> frozenset[tuple[str, ...]]:
    return frozenset(cue for cue in map(cue_words, texts) if cue)
