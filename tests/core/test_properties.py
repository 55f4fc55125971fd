"""Property tests: whatever a user types, the engine answers sanely and cheaply.

"Cheaply" is checked by counting work (speller look-ups, fuzzy comparisons,
tokens) rather than by timing, so the tests cannot flake on a slow machine;
Hypothesis' own per-example deadline is switched off for the same reason.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz, process

from bot.core.answers import Answer
from bot.core.engine import Engine
from bot.core.faq import FaqEntry
from bot.core.faq_index import MAX_CANDIDATES
from bot.core.knowledge import KnowledgeBase, load_knowledge
from bot.core.matcher import BOTH, Context
from bot.core.text import MAX_INPUT_CHARS, normalize, retokenize, segment, tokenize

SHIPPED = Path(__file__).resolve().parents[2] / "knowledge" / "kubernetes-vs-compose.yaml"
GUILD = 7
KINDS = {"feature", "overview", "faq", "unknown"}


# The real entry type, in this module's guild: Entry(name, question, answer, phrasings).
Entry = partial(FaqEntry, GUILD)


FAQ = [
    Entry(
        "regole", "Quali sono le regole del server?", "Leggi il canale regole.", ("regolamento",)
    ),
    Entry("volumi", "Dove finiscono i volumi di compose?", "Nella cartella dei volumi."),
    Entry("helm", "Come installo Helm?", "Con il gestore di pacchetti.", ("helm chart", "helm")),
]

KB: KnowledgeBase = load_knowledge(SHIPPED)
ENGINE = Engine(KB)
ENGINE.set_faq(GUILD, FAQ)
FEATURE_IDS = {feature.id for feature in KB.features}
SYSTEMS = {*KB.system_ids, BOTH}
TOTAL_EXAMPLES = sum(len(feature.examples) for feature in KB.features)
# Texts one FAQ entry is searched by: question, name and phrasings.
MAX_TEXTS_PER_ENTRY = max(2 + len(entry.phrasings) for entry in FAQ)

# Words that steer generated questions into the table, not only into "unknown".
VOCABULARY = sorted(
    {
        word
        for feature in KB.features
        for phrase in (feature.title, *feature.synonyms[:4], *feature.related[:2])
        for word in phrase.removeprefix("=").split()
    }
    | {alias for system in KB.systems for alias in system.aliases[:3]}
    | {"swarm", "podman", "helm", "volumi", "meglio", "vs", "e", "?", "!!!", "🚀", "l'", "HA"}
)

NASTY = [
    "",
    " ",
    "\x00",
    "\x00\x01\x02\x1b[31m\x7f",
    "🚀🔥🙂" * 50,
    "@everyone",
    "@here compose fa autoscaling?",
    "<@123456789012345678> k8s segreti",
    "**grassetto** _corsivo_ `codice` ```py\nprint(1)\n``` > citazione ||spoiler||",
    "[link](https://example.com) # titolo",
    "'; DROP TABLE faq; --",
    "SELECT * FROM faq WHERE 1=1 OR name LIKE '%'",
    "Кубернетес против докер композ",
    "クバネティスとドッカー",
    "كوبرنيتس",
    "ⓚⓤⓑⓔⓡⓝⓔⓣⓔⓢ ﬃ ¼ ⑴ ㎯",
    "a" * 100_000,
    "kubernetes " * 10_000,
    "HA " * 40_000,
    "e\u0301" * 50_000,
    "\u200b\u200d\ufeff" * 1000,
    "\ud800",  # a lone surrogate, as a broken client could send
]

question_text = st.one_of(
    st.text(max_size=300),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=50),
    st.lists(st.sampled_from(VOCABULARY), max_size=12).map(" ".join),
    st.tuples(st.lists(st.sampled_from(VOCABULARY), max_size=6), st.text(max_size=20)).map(
        lambda parts: " ".join(parts[0]) + parts[1]
    ),
    st.sampled_from(NASTY),
)
contexts = st.one_of(
    st.none(),
    st.builds(
        Context,
        st.one_of(st.none(), st.sampled_from(sorted(FEATURE_IDS))),
        st.one_of(st.none(), st.sampled_from(sorted(SYSTEMS))),
    ),
)
guilds = st.sampled_from([None, GUILD, GUILD + 1])

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def check_answer(answer: Answer, question: str) -> None:
    assert answer.kind in KINDS
    assert 0.0 <= answer.confidence <= 1.0
    assert set(answer.suggestions) <= FEATURE_IDS
    if answer.kind == "feature":
        assert answer.feature in FEATURE_IDS
        assert answer.system in SYSTEMS
        assert len(answer.cells) == len(KB.systems)
    elif answer.kind == "overview":
        assert (answer.feature, answer.system) == (None, BOTH)
        assert len(answer.overview) == len(KB.features)
    else:
        assert (answer.feature, answer.system) == (None, None)
    if answer.kind == "faq":
        assert answer.faq is not None and answer.text == answer.faq.answer
    assert answer.text.strip()
    # Nothing from the user is echoed back, so no ping or markup can sneak out.
    assert "@" not in answer.text
    data = answer.to_json()
    assert data["question"] == question
    json.dumps(data, ensure_ascii=False)


@given(question=question_text, context=contexts, guild=guilds)
@FAST
def test_any_question_gets_a_well_formed_answer(
    question: str, context: Context | None, guild: int | None
) -> None:
    check_answer(ENGINE.ask(question, context, guild), question)


@pytest.mark.parametrize("question", NASTY, ids=range(len(NASTY)))
def test_nasty_inputs(question: str) -> None:
    for guild in (None, GUILD):
        check_answer(ENGINE.ask(question, Context("segreti", "compose"), guild), question)


@given(question=question_text, guild=guilds)
@FAST
def test_answers_are_deterministic(question: str, guild: int | None) -> None:
    # Caches (speller, stems) must never change an answer.
    first = ENGINE.ask(question, guild_id=guild)
    assert ENGINE.ask(question, guild_id=guild) == first


@given(question=st.text(max_size=MAX_INPUT_CHARS // 10))
@FAST
def test_normalize_is_idempotent(question: str) -> None:
    once = normalize(question)
    assert normalize(once) == once
    assert once == once.strip()
    assert all(token.isascii() and token.isalnum() for token in once.split())


# Chat punctuation and the words that fold into idioms, to hit every branch of
# the sentence breaks and of `retokenize`.
punctuated = st.lists(
    st.sampled_from(
        [
            *VOCABULARY,
            "ogni",
            "tanto",
            "per",
            "caso",
            "?",
            "!",
            ".",
            "...",
            ",",
            ":",
            ";",
            "(",
            ")",
            "\n",
            "compose.yml",
            "siiii",
            "È",
            "HA",
            "e'",
        ]
    ),
    max_size=20,
).map(" ".join)


@given(question=st.one_of(question_text, punctuated))
@FAST
def test_segment_finds_the_words_tokenize_finds(question: str) -> None:
    segmented = segment(question)
    assert segmented.tokens == tokenize(question)
    assert len(segmented.clause_of) == len(segmented.sentence_of) == len(segmented.tokens)


@given(question=st.one_of(question_text, punctuated), cut=st.integers(0, 30))
@FAST
def test_retokenize_is_tokenize_of_the_joined_tokens(question: str, cut: int) -> None:
    # Any run of tokenized words, as the matcher hands the model its last ones.
    tokens = tokenize(question)[cut:]
    assert retokenize(tokens) == tokenize(" ".join(tokens))


# --- bounded work -------------------------------------------------------------------


class Counted:
    def __init__(self, function: Callable[..., Any]) -> None:
        self.function = function
        self.calls = 0

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        self.calls += 1
        return self.function(*args, **kwargs)


@dataclass
class Work:
    speller_lookups: Counted
    fuzzy_comparisons: Counted


@contextmanager
def counting_work(monkeypatch: pytest.MonkeyPatch) -> Iterator[Work]:
    # text.py, matcher.py and faq_index.py call these through the rapidfuzz
    # modules, so patching the module attributes counts every call.
    work = Work(Counted(process.extractOne), Counted(fuzz.token_set_ratio))
    with monkeypatch.context() as patch:
        patch.setattr(process, "extractOne", work.speller_lookups)
        patch.setattr(fuzz, "token_set_ratio", work.fuzzy_comparisons)
        yield work


# NFKC can turn one character into two tokens ("¼" -> "1 4") and a few
# characters into six ("㎯" -> "rad s2"); "HA" becomes "high availability".
MAX_TOKENS = 2 * MAX_INPUT_CHARS
MAX_NORMALIZED_CHARS = 9 * MAX_INPUT_CHARS
MAX_FUZZY = TOTAL_EXAMPLES + MAX_CANDIDATES * MAX_TEXTS_PER_ENTRY


def assert_bounded(question: str, work: Work) -> None:
    tokens = tokenize(question)
    assert len(tokens) <= MAX_TOKENS
    assert len(normalize(question)) <= MAX_NORMALIZED_CHARS
    # One speller look-up per distinct unknown token, for the table and the FAQ.
    assert work.speller_lookups.calls <= 2 * len(set(tokens))
    assert work.fuzzy_comparisons.calls <= MAX_FUZZY


@pytest.mark.parametrize("question", NASTY, ids=range(len(NASTY)))
def test_work_is_bounded_for_nasty_inputs(question: str, monkeypatch: pytest.MonkeyPatch) -> None:
    with counting_work(monkeypatch) as work:
        ENGINE.ask(question, guild_id=GUILD)
    assert_bounded(question, work)


def test_work_does_not_grow_past_the_input_cut(monkeypatch: pytest.MonkeyPatch) -> None:
    words = " ".join(f"parola{index}x" for index in range(20_000))
    with counting_work(monkeypatch) as work:
        ENGINE.ask(words, guild_id=GUILD)
    # The counters are really wired in. Made-up words cannot come close to an
    # example phrasing, so the example scorer skips them all; a table
    # example itself is compared.
    assert work.speller_lookups.calls > 0
    assert work.speller_lookups.calls <= 2 * len(normalize(words).split()) <= MAX_INPUT_CHARS
    example = next(text for feature in KB.features for text in feature.examples)
    with counting_work(monkeypatch) as example_work:
        ENGINE.ask(example, guild_id=GUILD)
    assert 0 < example_work.fuzzy_comparisons.calls <= MAX_FUZZY


@given(question=question_text)
@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
def test_work_is_bounded(question: str, monkeypatch: pytest.MonkeyPatch) -> None:
    with counting_work(monkeypatch) as work:
        ENGINE.ask(question, guild_id=GUILD)
    assert_bounded(question, work)
