"""`/faq prova` and the "now answers" tail of `/faq aggiungi` and `/faq modifica`,
end to end: the real TimoniereBot against the fake Discord (fixtures and driving
helpers from test_faq_flows)."""

# The fixtures come from test_faq_flows by name, so tests' parameters shadow them.
# ruff: noqa: F811

from __future__ import annotations

import pytest
from discord_double import DiscordDouble, RunningBot
from discord_double.command_access import CommandUnavailable
from discord_double.world import APP_ID
from test_faq_flows import (  # noqa: F401  (pytest fixtures are found by name)
    EPHEMERAL,
    RULES,
    Flow,
    flow,
    gid,
    no_pings,
    rb,
    world,
)

from bot import messages

LOGS = {
    "Nome": "docker-logs",
    "Domanda": "Come vedo i log di un container Docker?",
    "Risposta": "`docker logs -f nome` segue i log; con Compose `docker compose logs -f`.",
}
KUBECTL_LOGS = {
    "Nome": "kubectl-logs",
    "Domanda": "Come leggo i log di un pod in Kubernetes?",
    "Risposta": "`kubectl logs nome-pod`, con `--previous` per il container prima del riavvio.",
}


async def probe(flow: Flow, question: str, user: str = "mod") -> dict[str, object]:
    body = await flow.command("faq prova", {"domanda": question}, user=user)
    assert body["type"] == 4, body
    data: dict[str, object] = body["data"]
    return data


async def test_prova_shows_the_entry_its_confidence_and_the_runner_up(
    rb: RunningBot, flow: Flow
) -> None:
    await flow.add(LOGS)
    await flow.add(KUBECTL_LOGS)

    data = await probe(flow, "come vedo i log con kubectl? @everyone")
    assert isinstance(data["flags"], int) and data["flags"] & EPHEMERAL
    assert isinstance(data["allowed_mentions"], dict) and no_pings(data["allowed_mentions"])
    lines = str(data["content"]).splitlines()
    assert lines[0].startswith("Risponderebbe la FAQ «kubectl-logs» (confidenza ")
    assert lines[-1].startswith("Seconda scelta: «docker-logs» (confidenza ")
    # Nothing of the question is echoed back.
    assert "@everyone" not in str(data["content"])
    assert not rb.errors


async def test_prova_when_the_table_or_nobody_answers(rb: RunningBot, flow: Flow) -> None:
    await flow.add(LOGS)
    table = await probe(flow, "compose ha l'autoscaling?")
    assert str(table["content"]).startswith("Risponderebbe la tabella: ")
    nobody = await probe(flow, "che tempo fa domani a Bari?")
    assert str(nobody["content"]).splitlines() == [
        messages.FAQ_PROBE_NOTHING.format(threshold="0,50"),
        messages.FAQ_PROBE_NO_FAQ,
    ]
    assert not rb.errors


async def test_prova_is_for_moderators_only(
    rb: RunningBot, flow: Flow, discord_double: DiscordDouble
) -> None:
    with pytest.raises(CommandUnavailable):  # Discord hides /faq from members...
        discord_double.payloads.slash_command("faq prova", {"domanda": "log?"}, user="member")
    # ...until an admin allows it to everyone in Server Settings > Integrations.
    everyone = {"id": discord_double.guild.id, "type": 1, "permission": True}
    discord_double.set_command_permissions("faq", [everyone])
    body = await flow.command("faq prova", {"domanda": "come vedo i log?"}, user="member")
    assert body["data"]["content"] == messages.FAQ_NOT_MODERATOR
    assert body["data"]["flags"] & EPHEMERAL
    assert not rb.errors


async def test_aggiungi_and_modifica_say_which_unanswered_questions_they_now_answer(
    rb: RunningBot, flow: Flow, discord_double: DiscordDouble
) -> None:
    await flow.add(RULES)
    asked = ["terraform state lock bloccato, come faccio? @here", "che tempo fa domani a Bari?"]
    for question in asked:
        reply = await flow.ask(question)
        assert reply["embeds"][0]["title"] == messages.UNKNOWN_TITLE

    data = await flow.add(
        {
            "Nome": "terraform-lock",
            "Domanda": "Lo state di Terraform resta bloccato, come tolgo il lock?",
            "Risposta": "Controlla che nessuno stia facendo apply, poi `terraform force-unlock`.",
        }
    )
    # Confirmed at once; the questions it now answers are added by an edit, as
    # re-checking them takes a while on a big FAQ.
    assert data["content"] == messages.FAQ_ADDED.format(name="terraform-lock")
    original = f"/webhooks/{APP_ID}/{flow.last['token']}/messages/@original"
    edit = await discord_double.wait_request("PATCH", original)
    assert str(edit.json["content"]).splitlines() == [
        messages.FAQ_ADDED.format(name="terraform-lock"),
        "",
        messages.FAQ_NOW_ANSWERS,
        # What users wrote is escaped: no ping can come out of it.
        "- terraform state lock bloccato, come faccio? @\u200bhere",
    ]
    assert no_pings(edit.json["allowed_mentions"])
    shown = discord_double.original_message(flow.last["id"])
    assert shown is not None and shown["content"] == edit.json["content"]

    # An edit that answers nothing new says only what it did.
    modal = await flow.open_form("faq modifica", {"nome": "regolamento"})
    edited = await flow.submit(modal, {**RULES, "Risposta": "Nel canale #regole."})
    assert edited["content"] == messages.FAQ_EDITED.format(name="regolamento")
    assert not rb.errors


def test_the_now_answers_list_is_capped_and_escaped() -> None:
    from bot.discord_app.faq.rendering import NOW_ANSWERS_SHOWN, now_answers

    assert now_answers([]) == ""
    questions = [f"domanda **{number}**" for number in range(NOW_ANSWERS_SHOWN + 3)]
    lines = now_answers(questions).splitlines()
    assert lines[:3] == ["", "", messages.FAQ_NOW_ANSWERS]
    rows = [line for line in lines if line.startswith("- ")]
    assert rows[0] == "- domanda \\*\\*0\\*\\*"
    assert len(rows) == NOW_ANSWERS_SHOWN
    assert lines[-1] == messages.FAQ_NOW_ANSWERS_MORE.format(count=3)
    long = now_answers(["parola " * 100])
    assert len(long) < 300 and long.endswith("…")
