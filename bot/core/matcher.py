"""Intent detection: which feature, which system, how sure.

The question is read (see `reading`): normalized, typo-repaired and stemmed,
with the systems it names, look-alike products that are *not* in the table
(Swarm, Podman...), and which named system is the one asked about (`focus`).
It is then weighed for:

* evidence for each feature: knowledge-base phrases found in it (see
  `evidence`);
* out-of-scope topics (volumes, Helm, upgrading a tool...) that pull towards
  `unknown`, and word senses: "rollback sulla dieta" is chat (see `scope`).

The evidence is summed into a score and squashed into a 0..1 confidence.
Naming a system confirms the domain, so it adds a little evidence; a question
naming neither system needs stronger evidence, which keeps everyday chat
("il segreto per un colloquio", "la scala di do") out of the table.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Final, Literal

from bot.core import focus
from bot.core.arbiter import Views
from bot.core.evidence import STRONG_WEIGHT, FeatureEvidence, affirmed_cue, denied_cue
from bot.core.knowledge import KnowledgeBase
from bot.core.matcher_words import (
    ANAPHORA_WORDS,
    BETTER_WORSE_WORDS,
    BOTH_CUES,
    BOTH_SYSTEMS_WORDS,
    COMPARE_WORDS,
    CONTRAST_OPENERS,
    EXTENDING_WORDS,
    FOLLOW_UP_WORDS,
    MANUAL_CUES,
    OVERVIEW_CUES,
    THANKS_WORDS,
    WHICH_WORDS,
)
from bot.core.reading import (
    CARRYING_OPENERS,
    Alias,
    Reading,
    build_aliases,
    cue_count,
    cue_set,
    read,
)
from bot.core.scope import OutOfScope, foreign_limit, foreign_words
from bot.core.text import COMMON_WORDS, Speller, stem, tokenize

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
SYSTEM_BONUS: Final = 0.3
# A question of at most this many content words, in a conversation about a
# feature, asks more about that feature when it names no other topic.
FOLLOW_UP_WORDS_MAX: Final = 6
# Content words of a message extending the last question to one more object.
EXTENDS_WORDS_MAX: Final = 3
OUT_OF_SCOPE_PENALTY: Final = 1.2
CONFIDENCE_RATE: Final = 1.3
CLOSE_RATIO: Final = 0.8
SUGGESTION_FLOOR: Final = 0.25
# Feature evidence beyond which foreign words (see `scope`) no longer make a
# message with no system and no infrastructure word chat: a whole story of it.
FOREIGN_SCORE_CAP: Final = 2.0


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
        self._evidence = FeatureEvidence(kb)
        self._scope = OutOfScope(kb)
        self._aliases = build_aliases(kb)
        self._aliases_by_first: dict[str, list[Alias]] = {}
        for alias in self._aliases:
            self._aliases_by_first.setdefault(alias[0][0], []).append(alias)
        self._hints = [
            (tuple(tokenize(hint)), system.id) for system in kb.systems for hint in system.hints
        ]
        self._refined_by = {
            feature.id: feature.refines for feature in kb.features if feature.refines is not None
        }
        # The other way: the broader feature -> (the narrower one, its cues).
        self._refines = {
            feature.refines: (feature.id, cue_set(feature.refine_cues))
            for feature in kb.features
            if feature.refines is not None
        }
        self._domain = cue_set(kb.domain)
        self._off_domain = cue_set(kb.off_domain)
        self._overview_cues = cue_set(OVERVIEW_CUES)
        self._both_cues = cue_set(BOTH_CUES)
        # "meglio" also asks which does a feature better ("compose scala meglio?").
        self._worth_it_cues = self._overview_cues - {("meglio",), ("migliore",)}
        self._the_two = frozenset(
            cue for cue in self._both_cues if cue[-2:-1] in (("i",), ("dei",), ("delle",))
        )
        self._compare_stems = frozenset(stem(word) for word in COMPARE_WORDS.split())
        self._follow_up_words = FOLLOW_UP_WORDS | {
            token for alias_tokens, _ in self._aliases for token in alias_tokens
        }
        vocabulary: set[str] = set(tokenize(COMPARE_WORDS))
        for text in (*OVERVIEW_CUES, *BOTH_CUES):
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
        vocabulary.update(FOLLOW_UP_WORDS, COMMON_WORDS)
        # The everyday words that tell a feature word's other sense are read as
        # written: "le mie piante" must not become "le mie pianta".
        everyday = {word for text in kb.off_domain for word in tokenize(text)}
        self._speller = Speller(vocabulary, keep=everyday)
        self._known_stems = frozenset(stem(word) for word in (*vocabulary, *self._follow_up_words))

    def _read(self, question: str) -> tuple[Reading, focus.Layout]:
        reading, layout = read(question, self._speller, self._aliases_by_first, self._hints)
        reading.out_of_scope = self._scope.weight(reading)
        reading.objects = self._scope.object_weight(reading)
        return reading, layout

    # --- deciding -----------------------------------------------------------

    def match(self, question: str, context: Context | None = None) -> Intent:
        reading, layout = self._read(question)
        if not reading.tokens:
            return Intent("unknown", None, None, 0.0)
        # The model's probabilities, when the rules already asked for them.
        probabilities: dict[str, float] = {}
        intent = self._by_rules(reading, layout, context, probabilities)
        if context is None or not self._continues(reading):
            # A follow-up's meaning comes from the conversation, which the
            # model never sees: only a fresh question gets a second opinion.
            intent = self._second_opinion(intent, reading, layout, probabilities)
        return self._in_conversation(intent, reading, context)

    def _in_conversation(self, intent: Intent, reading: Reading, context: Context | None) -> Intent:
        """In a conversation about one system, a question naming none is about it.

        "ok, e se il container muore chi lo rialza?" after a question on Compose
        asks about Compose; a comparison ("quale dei due...") stays on both.
        """
        if (
            context is None
            or context.system in (None, BOTH)
            or intent.kind != "feature"
            or intent.system != BOTH
            or reading.systems
            or self._compares(reading)
            or cue_count(reading, self._both_cues)
            or _asks_which_is_better(reading)
        ):
            return intent
        return replace(intent, system=context.system)

    def _by_rules(
        self,
        reading: Reading,
        layout: focus.Layout,
        context: Context | None,
        probabilities: dict[str, float],
    ) -> Intent:
        scores = self._evidence.scores(reading)
        # "scalare uno statefulset" is about scaling; "come funziona uno
        # statefulset?" is about the object, which the table has no row for.
        if reading.objects and max(scores.values()) < STRONG_WEIGHT:
            reading.out_of_scope += reading.objects
            reading.objects = 0.0
        # The learned model's view: evidence for features the rules found at
        # least a trace of (so it breaks ties between close features without
        # inventing a topic), and a rescue below when the rules found nothing.
        # It reads the typo-repaired words, so "docekr" and "docker" agree,
        # and only when its view can change something (it costs a tenth of a
        # millisecond): two features with evidence, or none at all.
        with_evidence = [feature_id for feature_id, score in scores.items() if score > 0]
        top, runner_up = sorted(scores.values(), reverse=True)[:2]
        found_nothing = top < STRONG_WEIGHT
        # At most MODEL_WEIGHT is added: it can only reorder close features.
        could_reorder = len(with_evidence) > 1 and top - runner_up < MODEL_WEIGHT
        could_rescue = found_nothing and self._could_be_rescued(reading)
        model = self._learned_model() if could_reorder or could_rescue else None
        if model is not None:
            probabilities.update(self._predict(model, reading))
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
        domain_cues = cue_count(reading, self._domain)
        domain = bool(reading.systems) or domain_cues > 0
        # Feature words about diets, mountains or phones, with nothing that
        # puts the question in computing: chat, not the table.
        # "tra i due quale scegliereste per un'agenzia?" is about our two
        # systems whatever else it names; "chi li ha usati tutti e due?" is not.
        about_the_systems = cue_count(reading, self._the_two) > 0
        off_domain = cue_count(reading, self._off_domain) > domain_cues
        # A short question in a conversation about a feature ("in quanto tempo
        # più o meno?") asks more about it, whatever its everyday words.
        asks_on = (
            context is not None
            and context.feature is not None
            and not off_domain
            and self._asks_on(reading)
        )
        if not reading.systems and (
            off_domain
            or (
                not domain_cues
                and not about_the_systems
                and not asks_on
                and best_score < FOREIGN_SCORE_CAP
                and foreign_words(reading, self._known_stems) >= foreign_limit(reading)
            )
        ):
            return Intent("unknown", None, None, 0.0, scores=adjusted)

        system = focus.asked_system(layout, reading.mentions, BOTH)
        content = reading.content
        follow_up = context is not None and self._continues(reading)
        if follow_up and _ranks_against(reading, context):
            system = BOTH
        # "anche per i configmap?" after the rollback asks whether the rollback
        # covers them: the uncovered object does not make it a new topic.
        extends = follow_up and bool(context and context.feature) and self._extends(reading)
        blocked = self._blocked(reading) and not extends

        def intent(kind: IntentKind, feature: str | None, system: str, conf: float) -> Intent:
            return Intent(kind, feature, system, conf, scores=adjusted, domain=domain)

        # "e cluster?" after "come si traduce failover?" goes on with the chat.
        chat_goes_on = context is not None and context.chat and reading.carrying_opener
        if chat_goes_on and not reading.systems and len(content) <= 3:
            return Intent("unknown", None, None, 0.0, scores=adjusted, domain=domain)
        # "kube per un sito da 100 visite è troppo?": whether a system is worth
        # it, with only a weak cue of a feature, is an overview question; so is
        # whether to move ("vuole k8s ... conviene restare su compose?").
        worth_it = cue_count(reading, self._worth_it_cues) > 0
        names_a_system = bool(reading.systems) and not reading.other_product
        if worth_it and names_a_system and not blocked and max(scores.values()) < STRONG_WEIGHT:
            return intent("overview", None, BOTH, 0.8)
        if confidence >= self.threshold:
            # "e tutti e due, chi è meglio?" turns to both systems.
            both = cue_count(reading, self._both_cues) or _asks_which_is_better(reading)
            if follow_up and not reading.systems and context and context.system and not both:
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
            named = (
                reading.systems
                or cue_count(reading, self._both_cues)
                or _asks_which_is_better(reading)
            )
            kept = system if named else (context.system or BOTH)
            bare = self._bare_follow_up(reading, content)
            if context.feature:
                # "e a mano?" after auto-scaling asks about scaling by hand
                # ("quindi tutto a mano?" only asks to confirm).
                broader = self._refined_by.get(context.feature)
                manual = cue_count(reading, MANUAL_CUES) > 0
                opens_on = reading.carrying_opener and len(content) <= FOLLOW_UP_WORDS_MAX
                if broader and manual and opens_on:
                    return intent("feature", broader, kept, 0.7)
                # ...and "e in automatico?" after scaling asks about auto-scaling.
                # "da solo però, senza che gliele dica io?" opens with the cue.
                narrower = self._refines.get(context.feature)
                if narrower and not manual:
                    feature_id, cues = narrower
                    leads = self._leads_with_refine_cue(reading)
                    short = len(content) <= FOLLOW_UP_WORDS_MAX
                    if (opens_on or (leads and short)) and affirmed_cue(reading, cues):
                        return intent("feature", feature_id, kept, 0.7)
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
                if asks_on and not blocked:
                    return intent("feature", context.feature, kept, 0.65)
            elif context.overview:
                if confidence >= SUGGESTION_FLOOR and reading.carrying_opener:
                    return intent("feature", best_id, kept, 0.75)
                if bare or cue_count(reading, self._overview_cues):
                    return intent("overview", None, BOTH, 0.7)
                # "e se poi cresce?", "e compose allora quando lo uso?": a short
                # "e ..." with no feature in it goes on weighing the two.
                opens_on = reading.carrying_opener and len(content) <= FOLLOW_UP_WORDS_MAX
                if opens_on and confidence < SUGGESTION_FLOOR:
                    return intent("overview", None, BOTH, 0.65)
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
    def _asks_on(reading: Reading) -> bool:
        """A short question, or a message opening like a follow-up ("e", "quindi")."""
        asks = reading.has_question_mark or reading.follow_up_opener
        if not asks or THANKS_WORDS.intersection(reading.tokens):
            return False
        return len(reading.content) <= FOLLOW_UP_WORDS_MAX

    def _extends(self, reading: Reading) -> bool:
        """ "anche per gli statefulset?", "vale anche per le configmap?": a short
        message that carries the last question over to one more object."""
        if not EXTENDING_WORDS.intersection(reading.tokens[:3]) or reading.other_product:
            return False
        if len(reading.content) > EXTENDS_WORDS_MAX:
            return False
        return not self._scope.certain(reading)

    def _continues(self, reading: Reading) -> bool:
        """Does the message read as a follow-up to the conversation so far?"""
        return (
            reading.follow_up_opener
            or len(reading.content) <= 3
            or not ANAPHORA_WORDS.isdisjoint(reading.tokens)
            or self._leads_with_refine_cue(reading)
        )

    def _leads_with_refine_cue(self, reading: Reading) -> bool:
        """ "da solo però, senza che gliele dica io?": a message that opens
        with how a feature is done narrows the last one."""
        tokens = reading.tokens
        return any(
            tuple(tokens[: len(cue)]) == cue for _, cues in self._refines.values() for cue in cues
        )

    @staticmethod
    def _predict(model: IntentModel, reading: Reading) -> dict[str, float]:
        return model.predict_words(reading.tokens[-MODEL_WORDS:])

    def _second_opinion(
        self,
        intent: Intent,
        reading: Reading,
        layout: focus.Layout,
        probabilities: dict[str, float],
    ) -> Intent:
        """Where the rules and the learned model disagree, the arbiter picks one.

        The arbiter (`bot.core.arbiter`) was fitted by `kb train` on where the
        two disagreed over our own labelled questions, each scored by a model
        that had not seen it. A model file without one leaves the rules' answer.
        """
        model = self._learned_model()
        if model is None or model.arbiter is None:
            return intent
        if not self.may_overrule(intent, reading):
            return intent
        # An out-of-scope topic named word for word is certain: the model does
        # not answer past it.
        if intent.kind == "unknown" and self._scope.certain(reading):
            return intent
        alternative, views = self.model_view(intent, reading, layout, probabilities, model)
        if alternative is None or (alternative.kind == OVERVIEW and self._named(intent, reading)):
            return intent
        if self._refinement_denied(intent, alternative, reading):
            return intent
        if not self._model_read_evidence(intent, reading):
            return intent
        if model.arbiter.model_wins(views):
            return alternative
        return intent

    def _model_read_evidence(self, intent: Intent, reading: Reading) -> bool:
        """Did the model's window (the last MODEL_WORDS words) hold any of the
        rules' evidence for their feature? "... stanotte si è piantato e la
        mattina era ancora giù. [...] c'è modo di non dover più controllare?":
        the crash lies before the window, and a model that never read it has
        no say on what the story means. A weak cue ("server" in the story) is
        no such evidence: there the model still judges."""
        first = len(reading.tokens) - MODEL_WORDS
        if intent.kind != "feature" or intent.feature is None or first <= 0:
            return True
        if intent.scores.get(intent.feature, 0.0) < STRONG_WEIGHT:
            return True
        return self._evidence.found_from(reading, intent.feature, first)

    def _refinement_denied(self, intent: Intent, alternative: Intent, reading: Reading) -> bool:
        """ "20 repliche fisse, niente automatismi": the user denied the narrower
        feature's cue, which the model, reading words and not negations, misses."""
        narrower = self._refines.get(intent.feature or "")
        if narrower is None or alternative.feature != narrower[0]:
            return False
        return denied_cue(reading, narrower[1])

    def _named(self, intent: Intent, reading: Reading) -> bool:
        """Did the rules find a feature's own phrase ("i guasti", "i segreti")?

        Then "quale dei due regge meglio i guasti?" compares the systems on
        that feature, not as a whole: the model's overview does not replace it.
        Whether a system is worth it ("con un solo server k8s è esagerato?")
        stays an overview question, whatever the situation it describes.
        """
        if intent.kind != "feature" or intent.feature is None:
            return False
        if cue_count(reading, self._worth_it_cues):
            return False
        strong = STRONG_WEIGHT + (SYSTEM_BONUS if reading.systems else 0.0)
        return intent.scores.get(intent.feature, 0.0) >= strong

    def may_overrule(self, intent: Intent, reading: Reading) -> bool:
        """May the model overrule the rules here at all?

        Not where the rules know for certain: "e kubernetes?" out of the blue
        names no topic, and a look-alike product (the YAML's `not:` aliases:
        Swarm, k3s...) is not one of the table's systems. Nor where everyday
        words outnumber computing ones and no system is named ("il rosmarino
        è morto, altro che alta disponibilità"): the model never saw the chat.
        """
        if reading.other_product and not reading.systems:
            return False
        everyday = cue_count(reading, self._off_domain)
        if everyday and not reading.systems and everyday > cue_count(reading, self._domain):
            return False
        return intent.kind != "unknown" or self._says_more(reading)

    def rules_view(self, question: str) -> tuple[Intent, Reading, focus.Layout, dict[str, float]]:
        """The rules' intent for a fresh question (no context), for training the arbiter."""
        reading, layout = self._read(question)
        probabilities: dict[str, float] = {}
        if not reading.tokens:
            return Intent("unknown", None, None, 0.0), reading, layout, probabilities
        return self._by_rules(reading, layout, None, probabilities), reading, layout, probabilities

    def model_view(
        self,
        intent: Intent,
        reading: Reading,
        layout: focus.Layout,
        probabilities: dict[str, float],
        model: IntentModel,
    ) -> tuple[Intent | None, Views]:
        """The model's answer where it differs from the rules' (else None), and both views."""
        if not probabilities:
            probabilities.update(self._predict(model, reading))
        views = Views(
            rules_kind=intent.kind,
            rules_feature=intent.feature,
            rules_confidence=intent.confidence,
            probabilities=probabilities,
            domain=intent.domain,
            blocked=self._blocked(reading),
            systems=len(reading.systems),
            says_more=self._says_more(reading),
        )
        if not reading.tokens or not views.disagree():
            return None, views
        label = views.model_label
        probability = round(probabilities[label], 3)
        if label == NONE:
            return replace(intent, kind="unknown", feature=None, system=None), views
        if probability < self.threshold:
            return None, views
        if label == OVERVIEW:
            return replace(
                intent, kind="overview", feature=None, system=BOTH, confidence=probability
            ), views
        if intent.kind == "feature" and intent.system is not None:
            system = intent.system
        else:
            system = focus.asked_system(layout, reading.mentions, BOTH)
        suggestions = (label, intent.feature) if intent.feature else ()
        return replace(
            intent,
            kind="feature",
            feature=label,
            system=system,
            confidence=probability,
            suggestions=suggestions,
        ), views

    def _says_more(self, reading: Reading) -> bool:
        """Has the message words beyond system names and follow-up words?

        "e kubernetes?" out of the blue names no topic for the model to guess.
        """
        return any(word not in self._follow_up_words for word in reading.content)

    @staticmethod
    def _blocked(reading: Reading) -> bool:
        """An out-of-scope topic, or a look-alike product with neither system named."""
        return reading.out_of_scope > 0 or (reading.other_product and not reading.systems)

    def use_model(self, model: IntentModel | None) -> None:
        """Read with this model instead of the table's file (training, tests)."""
        self._model, self._model_loaded = model, True

    def _learned_model(self) -> IntentModel | None:
        if not self._model_loaded:
            self._model = _model_for(self.kb)
            self._model_loaded = True
        return self._model

    def _could_be_rescued(self, reading: Reading) -> bool:
        """About computing and about nothing out of scope: see `_rescue`."""
        named = bool(reading.systems) or cue_count(reading, self._domain) > 0
        return named and not reading.out_of_scope and not reading.other_product

    @staticmethod
    def _rescue(
        probabilities: dict[str, float],
        reading: Reading,
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

    def _compares(self, reading: Reading) -> bool:
        return bool(reading.stems & self._compare_stems)

    def _bare_follow_up(self, reading: Reading, content: list[str]) -> bool:
        """ "perché?", "ne sei certo?", "anche su vm?": asks more about the last answer."""
        if not (reading.has_question_mark or reading.follow_up_opener):
            return False
        if len(content) > 4:
            return False
        domain_words = {cue[0] for cue in self._domain if len(cue) == 1}
        return all(word in self._follow_up_words or word in domain_words for word in content)

    def _is_overview(self, reading: Reading) -> bool:
        both_named = len(reading.systems) >= 2
        compares = self._compares(reading)
        both_meant = bool(BOTH_SYSTEMS_WORDS & set(reading.tokens)) and compares
        worth_it = cue_count(reading, self._overview_cues) > 0 and not reading.other_product
        both_cued = cue_count(reading, self._both_cues) > 0
        return both_named or both_meant or both_cued or (worth_it and len(reading.systems) == 1)


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


def _ranks_against(reading: Reading, context: Context | None) -> bool:
    """ "kube è meglio qui?" after a question on Compose ranks the two systems
    on the feature; "ma compose è messo peggio?" after one on Kubernetes turns
    to Compose, as "ma compose?" would."""
    if context is None or context.system in (None, BOTH) or len(reading.systems) != 1:
        return False
    tokens = reading.tokens
    before = tokens[: reading.mentions[0].start]
    if reading.systems[0] == context.system or not CONTRAST_OPENERS.isdisjoint(before):
        return False
    return any(
        token in BETTER_WORSE_WORDS and (i == 0 or tokens[i - 1] != "di")
        for i, token in enumerate(tokens)
    )


def _asks_which_is_better(reading: Reading) -> bool:
    """ "quindi chi è meglio?", "chi lo fa meglio allora?": with no system
    named, "who" and a ranking word rank the two; "e lo fa meglio?" asks on."""
    tokens = reading.tokens
    return (
        not reading.systems
        and not WHICH_WORDS.isdisjoint(tokens)
        and any(
            token in BETTER_WORSE_WORDS and (i == 0 or tokens[i - 1] != "di")
            for i, token in enumerate(tokens)
        )
    )


def is_follow_up(question: str) -> bool:
    """Does the message open like a follow-up ("e i volumi?", "invece con k8s?")?"""
    tokens = tokenize(question)
    return bool(tokens) and tokens[0] in CARRYING_OPENERS
