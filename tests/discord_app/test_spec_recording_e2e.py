"""The bot's REST traffic, recorded by the double, against Discord's OpenAPI spec.

With `DISCORD_DOUBLE_RECORD=path.jsonl` (here: `double.record_path`) the double
appends one JSON line per REST request. These flows touch every kind of request
the bot makes (command sync, replies with cards and buttons, text cards, every
interaction callback type it uses, followups, a modal), and every recorded body
must validate against the request schema of its route in the spec. Run the
whole e2e suite with the variable set and `tests/discord_double/spec_check.py`
to check everything.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from discord_double import DiscordDouble, Perm
from discord_double.spec_check import SpecChecker, read_recording
from discord_double.world import BOT_ROLE_ID
from e2e_support import AUTO_CHANNEL, Chat

FAQ = {
    "Nome": "regolamento",
    "Domanda": "Dove trovo il regolamento del server?",
    "Risposta": "Nel canale #regole, nel messaggio fissato in alto.",
    "Altre formulazioni": "dove sono le regole",
}


async def run_flows(chat: Chat, text_channel: str) -> None:
    double = chat.double
    _, card = await chat.ask("Compose fa auto-scaling?", channel=AUTO_CHANNEL)
    await chat.click(card, "Confronto completo")
    await chat.click(card, "👍")
    await chat.ask("Kubernetes gestisce i segreti?", channel=text_channel)  # a text card
    await chat.slash("chiedi", {"domanda": "Compose fa failover?"})
    await chat.interact(double.payloads.autocomplete("chiedi", {"domanda": "scal"}, "domanda"))
    await chat.slash("confronto")
    await chat.slash("aiuto")
    await chat.slash("autoscaling", {"sistema": "kubernetes"})
    await chat.slash("diagnostica", user="owner")
    opened = await chat.slash("faq aggiungi", user="mod")
    assert opened["type"] == 9
    modal = double.modal_for(chat.last_interaction["id"])  # type: ignore[index]
    await chat.interact(double.payloads.modal_submit(modal, FAQ, user="mod"))
    # A deferred command answered by a followup on the interaction webhook.
    mark = double.mark()
    await chat.slash("kb ricarica", user="owner")
    await double.wait_request("POST", f"/webhooks/{double.app_id}/*", start=mark)


async def test_every_recorded_request_validates_against_the_spec(
    launch: Any, discord_double: DiscordDouble, tmp_path: Path
) -> None:
    recording = tmp_path / "rest.jsonl"
    discord_double.record_path = str(recording)
    text_channel = discord_double.world.add_text_channel("testo")["id"]
    discord_double.guild.overwrite(text_channel, BOT_ROLE_ID, deny=Perm.EMBED_LINKS)
    chat: Chat = await launch(auto_answer_channel_ids=(int(AUTO_CHANNEL), int(text_channel)))

    await run_flows(chat, text_channel)

    records = list(read_recording(recording))
    assert len(records) == len(discord_double.requests)
    assert {r["route"] for r in records} >= {
        "/applications/{app_id}/commands",
        "/channels/{channel_id}/messages",
        "/interactions/{interaction_id}/{token}/callback",
        "/webhooks/{app_id}/{token}",
    }
    callback_types = {r["body"]["type"] for r in records if r["route"].endswith("/callback")}
    assert callback_types >= {4, 5, 8, 9}
    verdicts = SpecChecker().check_all(records)
    failures = [v for v in verdicts if not v.ok]
    assert failures == [], "\n".join(f"{v.method} {v.path}: {v.errors}" for v in failures)
    assert not chat.rb.errors


def test_the_checker_catches_what_discord_would_refuse(tmp_path: Path) -> None:
    checker = SpecChecker()
    good = {
        "method": "POST",
        "path": "/channels/1/messages",
        "body": {"content": "ciao", "message_reference": {"message_id": 123}},  # int snowflake
    }
    assert checker.check(good).ok
    bad_bodies = [
        {"content": 5},
        {"embeds": [{"title": "x" * 257}]},
        {"allowed_mentions": {"parse": ["tutti"]}},
        {"message_reference": {"message_id": "not-a-snowflake"}},
    ]
    for body in bad_bodies:
        assert not checker.check({**good, "body": body}).ok, body
    assert not checker.check({"method": "POST", "path": "/no/such/route", "body": None}).ok
    assert not checker.check({"method": "DELETE", "path": "/users/@me", "body": None}).ok
    # The file format the double writes: one JSON object per line.
    path = tmp_path / "r.jsonl"
    path.write_text(json.dumps(good) + "\n\n" + json.dumps(good) + "\n", encoding="utf-8")
    assert [checker.check(r).ok for r in read_recording(path)] == [True, True]
