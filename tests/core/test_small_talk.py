"""Greetings and thanks addressed to the bot are answered in kind."""

from __future__ import annotations

import pytest

from bot import messages
from bot.core.auto_reply import should_auto_reply
from bot.core.engine import Engine, next_context
from bot.core.faq import FaqEntry
from bot.core.small_talk import small_talk


@pytest.mark.parametrize(
    ("message", "talk"),
    [
        ("ciao", "greeting"),
        ("Ciao a tutti!!", "greeting"),
        ("buongiorno timoniere", "greeting"),
        ("ehi bot", "greeting"),
        ("grazie mille!", "thanks"),
        ("Grazie per la risposta 🙏", "thanks"),
        ("ciao e grazie", "thanks"),
        ("thx", "thanks"),
        # Thanks with news of the solved problem ask nothing either.
        ("grazie mille per l'aiuto di ieri, con usermod ora funziona tutto 🙏", "thanks"),
        ("grazie a tutti, alla fine ho risolto cambiando cavo", "thanks"),
    ],
)
def test_greetings_and_thanks_are_recognised(message: str, talk: str) -> None:
    assert small_talk(message) == talk


@pytest.mark.parametrize(
    "message",
    [
        "",
        "ok",
        "ciao, compose scala?",
        "grazie, ma k8s ha i secret?",
        "ciao ragazzi qualcuno usa podman",
        "ciao " * 9,
        # Thanks, then a new problem or a question.
        "grazie, ma ora docker mi da permission denied sul socket",
        "grazie per ieri, funziona! ora come metto il certificato su traefik?",
        "grazie " + "davvero " * 30,
    ],
)
def test_anything_more_is_not_small_talk(message: str) -> None:
    assert small_talk(message) is None


def test_the_engine_greets_back_and_logs_no_miss(engine: Engine) -> None:
    answer = engine.ask("ciao a tutti")
    assert answer.small_talk and answer.kind == "unknown"
    assert answer.text.startswith("Ciao! Chiedimi pure di Kubernetes e Docker Compose.")
    assert messages.UNKNOWN_INTRO not in answer.text
    # A greeting is chat: a bare follow-up after it inherits no feature.
    context = next_context(answer)
    assert context is None or context.feature is None

    thanks = engine.ask("grazie mille")
    assert thanks.small_talk
    assert thanks.text == messages.SMALL_TALK_THANKS.format(systems="Kubernetes e Docker Compose")


def test_a_greeting_with_a_question_gets_the_answer(engine: Engine) -> None:
    answer = engine.ask("ciao, compose fa autoscaling?")
    assert not answer.small_talk
    assert (answer.kind, answer.feature, answer.system) == ("feature", "autoscaling", "compose")


def test_small_talk_is_never_said_unprompted(engine: Engine) -> None:
    for message in ("ciao a tutti", "grazie mille", "buonasera gente"):
        assert not should_auto_reply(engine.ask(message), message)


def test_thanks_for_a_solved_problem_get_no_faq_entry_on_that_problem(engine: Engine) -> None:
    guild = 7
    entry = FaqEntry(
        guild,
        "docker-permessi",
        "Docker dice permission denied sul socket, come risolvo?",
        "Aggiungi l'utente al gruppo docker: `sudo usermod -aG docker $USER`.",
    )
    engine.set_faq(guild, [entry])
    thanks = engine.ask(
        "grazie mille, con usermod sul gruppo docker ora funziona tutto", guild_id=guild
    )
    assert thanks.kind != "faq" and thanks.small_talk
    asked = engine.ask("docker mi da permission denied sul socket, come risolvo?", guild_id=guild)
    assert asked.kind == "faq" and asked.faq is not None and asked.faq.name == entry.name
