"""The moderator FAQ end to end: the real TimoniereBot (real discord.py, real SQLite)
against the fake Discord in tests/discord_double.

Every test builds the bot the way production does and drives it only through
gateway events (messages, slash commands, autocomplete, buttons, selects and
form submits); assertions read what the bot sent over REST and what is stored.
"""

from __future__ import annotations

import asyncio
import copy
import subprocess
import sys
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from aiohttp import web
from discord_double import DiscordDouble, Perm, RecordedRequest, RunningBot
from discord_double.world import (
    APP_ID,
    MEMBER_ID,
    MOD_ID,
    MOD_ROLE_ID,
    Guild,
    make_member,
    make_role,
    make_text_channel,
)
from e2e_support import settled
from outside_writer import outside_writer

from bot import messages
from bot.config import Settings
from bot.core.engine import Engine
from bot.core.faq import new_entry
from bot.core.knowledge import load_knowledge_dir
from bot.discord_app.client import TimoniereBot
from bot.metrics import METRICS
from bot.storage import FaqRepository, UnansweredLog

ROOT = Path(__file__).resolve().parents[2]
KB = load_knowledge_dir(ROOT / "knowledge")
EPHEMERAL = 1 << 6
JSON = dict[str, Any]

RULES = {
    "Nome": "regolamento",
    "Domanda": "Dove trovo il regolamento del server?",
    "Risposta": "Nel canale #regole, nel messaggio fissato in alto.",
    "Altre formulazioni": "dove sono le regole\nregole del server",
}
RULES_QUESTION = "dove trovo il regolamento del server?"


# --- world and bot ----------------------------------------------------------------


class ExtraWorld:
    """Ids of what each test adds to the double's default world."""

    helper_role_id = ""
    other_guild_id = ""
    other_channel_id = ""


def _extend_world(double: DiscordDouble) -> ExtraWorld:
    world = double.world
    ids = ExtraWorld()
    # A moderator role known only to the bot's settings (no Manage Messages).
    helper_role = world.add_role("Aiutante FAQ", Perm.EVERYONE_DEFAULT)
    world.add_user("helper", "sara", roles=["Aiutante FAQ"])
    ids.helper_role_id = helper_role["id"]
    # A second server where the same people are plain members.
    guild_id = world.new_id()
    other = Guild(id=guild_id, name="Altro server", owner_id=world.users["owner"]["id"])
    other.roles = [make_role(guild_id, "@everyone", Perm.EVERYONE_DEFAULT, 0)]
    channel = make_text_channel(world.new_id(), guild_id, "chiacchiere", 0)
    other.channels = [channel]
    other.members = [
        make_member(world.users["owner"], []),
        make_member(world.users["mod"], []),
        make_member(world.users["member"], []),
        make_member(world.bot_user, []),
    ]
    world.guilds[guild_id] = other
    ids.other_guild_id = guild_id
    ids.other_channel_id = channel["id"]
    return ids


@pytest.fixture
def world(discord_double: DiscordDouble) -> ExtraWorld:
    return _extend_world(discord_double)


@pytest.fixture
async def rb(start_bot: Any, world: ExtraWorld, tmp_path: Path) -> RunningBot:
    settings = Settings(
        database_path=tmp_path / "db.sqlite3",
        mod_role_ids=(int(world.helper_role_id),),
        channel_cooldown_seconds=0.0,
        user_rate_limit_per_minute=1000,
    )
    bot = TimoniereBot(settings, Engine(KB), guild_ready_timeout=0.05)
    running: RunningBot = await start_bot(bot)
    return running


@pytest.fixture
async def file_server() -> AsyncIterator[Callable[[str, bytes], JSON]]:
    """Serves "uploaded" files on 127.0.0.1; returns attachment objects pointing at them.

    (The double only serves files the bot itself uploaded.)
    """
    files: dict[str, bytes] = {}

    async def serve(request: web.Request) -> web.Response:
        data = files.get(request.match_info["name"])
        return web.Response(body=data) if data is not None else web.Response(status=404)

    app = web.Application()
    app.router.add_get("/files/{name}", serve)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]

    def upload(filename: str, data: bytes) -> JSON:
        attachment_id = str(9_000_000_000_000_000_000 + len(files))
        files[filename] = data
        url = f"http://127.0.0.1:{port}/files/{filename}"
        return {
            "id": attachment_id,
            "filename": filename,
            "size": len(data),
            "url": url,
            "proxy_url": url,
            "content_type": "application/x-yaml",
        }

    yield upload
    await runner.cleanup()


# --- driving the double ---------------------------------------------------------------


class Flow:
    def __init__(self, double: DiscordDouble) -> None:
        self.d = double
        self.p = double.payloads

    async def send(self, payload: JSON) -> JSON:
        """Dispatch an interaction and return how the bot answered it (see `settled`)."""
        return await settled(self.d, payload, await self.callback(payload))

    async def callback(self, payload: JSON) -> RecordedRequest:
        """Dispatch an interaction and return its initial callback, as sent."""
        await self.d.dispatch_interaction(payload)
        callback = await self.d.wait_callback(payload["id"])
        assert callback.status in (200, 204), callback.response
        return callback

    async def command(self, name: str, options: JSON | None = None, **kw: Any) -> JSON:
        payload = self.p.slash_command(name, options, user=kw.pop("user", "mod"), **kw)
        self.last = payload
        return await self.send(payload)

    async def message_reply(self, payload: JSON) -> JSON:
        """The message an interaction's callback created (or updated)."""
        message = self.d.original_message(payload["id"])
        assert message is not None
        return message

    async def open_form(self, name: str, options: JSON | None = None, **kw: Any) -> JSON:
        body = await self.command(name, options, **kw)
        assert body["type"] == 9, body
        return self.d.modal_for(self.last["id"])

    async def submit(self, modal: JSON, fields: JSON, user: str = "mod") -> JSON:
        payload = self.p.modal_submit(modal, fields, user=user)
        self.last = payload
        body = await self.send(payload)
        assert body["type"] == 4, body
        data: JSON = body["data"]
        return data

    async def click(self, message: JSON, custom_id: str, user: str = "mod", **kw: Any) -> JSON:
        payload = self.p.component_click(message, custom_id, user=user, **kw)
        self.last = payload
        return await self.send(payload)

    async def autocomplete(self, name: str, typed: str, **kw: Any) -> list[str]:
        payload = self.p.autocomplete(
            name, {"nome": typed}, "nome", user=kw.pop("user", "mod"), **kw
        )
        body = await self.send(payload)
        assert body["type"] == 8
        return [choice["value"] for choice in body["data"]["choices"]]

    async def ask(self, question: str, **kw: Any) -> JSON:
        """A member mentions the bot; returns the bot's reply message."""
        mark = self.d.mark()
        payload = self.p.message(f"<@{APP_ID}> {question}", author=kw.pop("author", "member"), **kw)
        await self.d.dispatch_message(payload)
        reply: JSON = await self.d.wait_reply(payload["channel_id"], start=mark)
        return reply

    async def add(self, fields: JSON, user: str = "mod") -> JSON:
        modal = await self.open_form("faq aggiungi", user=user)
        return await self.submit(modal, fields, user=user)


@pytest.fixture
def flow(rb: RunningBot, discord_double: DiscordDouble) -> Flow:
    """Drives the double against the started bot."""
    return Flow(discord_double)


@pytest.fixture
def gid(discord_double: DiscordDouble) -> int:
    """The id of the double's default server."""
    return guild_id(discord_double)


def button(message: JSON, *, label: str | None = None, emoji: str | None = None) -> JSON:
    for row in message["components"]:
        for component in row.get("components", []):
            if label is not None and component.get("label") == label:
                return dict(component)
            if emoji is not None and (component.get("emoji") or {}).get("name") == emoji:
                return dict(component)
    raise AssertionError(f"no button {label or emoji} in {message['components']}")


def inputs(modal: JSON) -> dict[str, JSON]:
    """Text inputs of a modal by label."""
    return {row["label"]: row["component"] for row in modal["components"]}


def faq_writes(action: str) -> float:
    value = METRICS.registry.get_sample_value("timoniere_faq_writes_total", {"action": action})
    return value or 0.0


def no_pings(allowed_mentions: JSON) -> bool:
    return (
        allowed_mentions.get("parse") == []
        and not allowed_mentions.get("users")
        and not (allowed_mentions.get("roles") or allowed_mentions.get("replied_user"))
    )


def guild_id(double: DiscordDouble) -> int:
    return int(double.guild.id)


def repo(rb: RunningBot) -> FaqRepository:
    return rb.bot.storage.faq  # type: ignore[attr-defined]


# --- tests ----------------------------------------------------------------------------


async def test_form_adds_an_entry_answered_at_once(
    rb: RunningBot, flow: Flow, gid: int, discord_double: DiscordDouble
) -> None:
    added_before = faq_writes("add")

    modal = await flow.open_form("faq aggiungi")
    assert modal["title"] == messages.FAQ_MODAL_ADD_TITLE
    fields = inputs(modal)
    assert list(fields) == ["Nome", "Domanda", "Risposta", "Altre formulazioni"]
    assert fields["Risposta"]["style"] == 2 and fields["Altre formulazioni"]["style"] == 2
    assert fields["Altre formulazioni"]["required"] is False

    data = await flow.submit(modal, RULES)
    assert data["flags"] & EPHEMERAL
    assert data["content"] == messages.FAQ_ADDED.format(name="regolamento")
    assert no_pings(data["allowed_mentions"])
    assert faq_writes("add") == added_before + 1

    stored = await repo(rb).get(gid, "regolamento")
    assert stored is not None and stored.author_id == int(MOD_ID)
    assert stored.phrasings == ("dove sono le regole", "regole del server")

    # No restart: a member's mention is answered from the new entry.
    reply = await flow.ask(RULES_QUESTION)
    body = discord_double.request_for_message(reply["id"]).json
    (embed,) = body["embeds"]
    assert "FAQ del server" in embed["footer"]["text"]
    assert embed["footer"]["text"] == messages.FAQ_FOOTER.format(name="regolamento")
    assert embed["description"] == RULES["Risposta"]
    assert {k: v for k, v in body["allowed_mentions"].items() if k != "replied_user"} == {
        "parse": []
    }
    assert reply["mentions"] == [] and not reply["mention_everyone"]

    # 👍 on a FAQ answer lands in the feedback table with the entry's name.
    thumbs = button(reply, emoji="👍")
    answer = await flow.click(reply, thumbs["custom_id"], user="member")
    assert answer["data"]["content"] == messages.FEEDBACK_THANKS
    # The vote is stored just after the thanks: give the write a moment.
    for _ in range(200):
        row = await rb.bot.database.fetch_one(  # type: ignore[attr-defined]
            "SELECT answer_kind, subject, helpful, user_id FROM answer_feedback"
        )
        if row is not None:
            break
        await asyncio.sleep(0.01)
    assert row is not None and tuple(row) == ("faq", "regolamento", 1, int(MEMBER_ID))
    assert not rb.errors


async def test_invalid_form_changes_nothing_and_correggi_reopens_it(
    rb: RunningBot, flow: Flow, gid: int, discord_double: DiscordDouble
) -> None:
    typed = {"Nome": "Nome Non Valido!", "Domanda": "Come funziona?", "Risposta": "   "}
    data = await flow.add(typed)
    assert data["flags"] & EPHEMERAL
    content = data["content"]
    assert content.startswith(messages.FAQ_NOT_SAVED)
    assert "«nome non valido!»" in content and "«nome-non-valido»" in content
    assert messages.FAQ_FIELD_EMPTY.format(field=messages.FAQ_FIELD_ANSWER) in content
    assert await repo(rb).count(gid) == 0

    # "Correggi" reopens the form with what was typed.
    message = await flow.message_reply(flow.last)
    retry = button(message, label=messages.FAQ_BUTTON_RETRY)
    body = await flow.click(message, retry["custom_id"])
    assert body["type"] == 9
    again = inputs(discord_double.modal_for(flow.last["id"]))
    assert again["Nome"]["value"] == "Nome Non Valido!"
    assert again["Domanda"]["value"] == "Come funziona?"

    # A taken name is refused with a free alternative.
    await flow.add(RULES)
    data = await flow.add({**RULES, "Domanda": "Altra domanda sulle regole?"})
    assert "«regolamento-2»" in data["content"]
    assert await repo(rb).count(gid) == 1
    assert not rb.errors


async def test_modifica_prefills_the_form_and_updates_answers_live(
    rb: RunningBot, flow: Flow
) -> None:
    await flow.add(RULES)
    edits_before = faq_writes("edit")

    assert await flow.autocomplete("faq modifica", "rego", user="mod") == ["regolamento"]
    modal = await flow.open_form("faq modifica", {"nome": "regolamento"})
    assert modal["title"] == messages.FAQ_MODAL_EDIT_TITLE
    prefilled = {label: item.get("value") for label, item in inputs(modal).items()}
    assert prefilled == RULES

    data = await flow.submit(
        modal, {**RULES, "Nome": "regole", "Risposta": "Le trovi nel canale #benvenuto."}
    )
    assert data["content"] == messages.FAQ_RENAMED.format(old="regolamento", name="regole")
    assert faq_writes("edit") == edits_before + 1

    reply = await flow.ask(RULES_QUESTION)
    (embed,) = reply["embeds"]
    assert embed["footer"]["text"] == messages.FAQ_FOOTER.format(name="regole")
    assert embed["description"] == "Le trovi nel canale #benvenuto."

    # Submitting the same values again saves nothing.
    modal = await flow.open_form("faq modifica", {"nome": "regole"})
    data = await flow.submit(modal, {**RULES, "Nome": "regole", "Risposta": embed["description"]})
    assert data["content"] == messages.FAQ_EDIT_UNCHANGED

    await flow.command("faq storia", {"nome": "regole"})
    (history,) = (await flow.message_reply(flow.last))["embeds"]
    assert history["title"] == messages.FAQ_HISTORY_TITLE.format(name="regole")
    assert history["title"].startswith("Cronologia delle modifiche")
    lines = history["description"].splitlines()
    assert len(lines) == 2
    assert "**aggiunta**" in lines[0] and f"<@{MOD_ID}>" in lines[0]
    assert "**modifica**" in lines[1] and "nome, risposta" in lines[1]
    assert not rb.errors


async def test_a_blank_name_is_derived_even_from_symbols_and_never_taken(
    rb: RunningBot, flow: Flow, gid: int
) -> None:
    cases = [
        ("???", "faq"),
        ("Что это?", "faq-2"),
        ("🐳 ?", "faq-3"),
        ("Orari?", "orari"),
        ("Orari!", "orari-2"),
    ]
    for question, expected in cases:
        data = await flow.add({"Nome": "", "Domanda": question, "Risposta": "Vedi il canale."})
        assert data["content"] == messages.FAQ_ADDED.format(name=expected), question
    # The same question again with no name is a repeat (a double submit, most
    # likely), not a new entry: refused, naming the entry that has it.
    data = await flow.add({"Nome": "", "Domanda": " orari? ", "Risposta": "Altro."})
    assert messages.FAQ_NOT_SAVED in data["content"]
    assert messages.FAQ_SAME_QUESTION.format(name="orari") in data["content"]
    assert sorted(e.name for e in await repo(rb).all_entries(gid)) == sorted(
        name for _, name in cases
    )
    assert not rb.errors


async def test_rimuovi_needs_the_invokers_confirmation(
    rb: RunningBot, flow: Flow, gid: int, discord_double: DiscordDouble
) -> None:
    await flow.add(RULES)
    removes_before, restores_before = faq_writes("remove"), faq_writes("restore")

    await flow.command("faq rimuovi", {"nome": "regolamento"})
    panel = await flow.message_reply(flow.last)
    assert panel["flags"] & EPHEMERAL
    assert "«regolamento»" in panel["content"]
    confirm = button(panel, label=messages.FAQ_BUTTON_REMOVE)
    cancel = button(panel, label=messages.FAQ_BUTTON_CANCEL)

    # Another moderator cannot press someone else's buttons.
    body = await flow.click(panel, confirm["custom_id"], user="owner")
    assert body["type"] == 4 and body["data"]["content"] == messages.FAQ_NOT_YOURS
    assert await repo(rb).get(gid, "regolamento") is not None

    body = await flow.click(panel, cancel["custom_id"])
    assert body["type"] == 7
    assert discord_double.messages[panel["id"]]["components"] == []
    assert await repo(rb).get(gid, "regolamento") is not None

    await flow.command("faq rimuovi", {"nome": "regolamento"})
    panel = await flow.message_reply(flow.last)
    body = await flow.click(panel, button(panel, label=messages.FAQ_BUTTON_REMOVE)["custom_id"])
    assert body["type"] == 7
    assert body["data"]["content"] == messages.FAQ_REMOVED.format(name="regolamento")
    assert body["data"]["components"] == []
    assert await repo(rb).get(gid, "regolamento") is None
    assert faq_writes("remove") == removes_before + 1

    reply = await flow.ask(RULES_QUESTION)
    assert "FAQ del server" not in str(reply["embeds"])

    assert await flow.autocomplete("faq ripristina", "reg") == ["regolamento"]
    body = await flow.command("faq ripristina", {"nome": "regolamento"})
    assert body["data"]["content"] == messages.FAQ_RESTORED.format(name="regolamento")
    assert faq_writes("restore") == restores_before + 1
    reply = await flow.ask(RULES_QUESTION)
    assert reply["embeds"][0]["footer"]["text"] == messages.FAQ_FOOTER.format(name="regolamento")
    assert not rb.errors


async def test_a_confirmation_is_rechecked_when_pressed(
    rb: RunningBot, flow: Flow, gid: int, discord_double: DiscordDouble
) -> None:
    await flow.add(RULES)
    await flow.add({**RULES, "Nome": "orari", "Domanda": "A che ora aprite?"})

    # The moderator loses the role before pressing: refused, the entry stays,
    # and the panel keeps its buttons.
    await flow.command("faq rimuovi", {"nome": "regolamento"})
    panel = await flow.message_reply(flow.last)
    mod = discord_double.guild.member(MOD_ID)
    assert mod is not None
    mod["roles"] = []
    body = await flow.click(panel, button(panel, label=messages.FAQ_BUTTON_REMOVE)["custom_id"])
    assert body["type"] == 4 and body["data"]["flags"] & EPHEMERAL
    assert body["data"]["content"] == messages.FAQ_NOT_MODERATOR
    assert await repo(rb).get(gid, "regolamento") is not None
    assert discord_double.messages[panel["id"]]["components"] != []
    mod["roles"] = [MOD_ROLE_ID]

    # Someone else removed the entry meanwhile: the answer replaces the panel.
    await flow.command("faq rimuovi", {"nome": "orari"})
    panel = await flow.message_reply(flow.last)
    await repo(rb).remove(gid, "orari", actor_id=None)
    body = await flow.click(panel, button(panel, label=messages.FAQ_BUTTON_REMOVE)["custom_id"])
    assert body["type"] == 7
    assert body["data"]["content"] == messages.FAQ_NOT_FOUND.format(name="orari")
    assert body["data"]["components"] == []
    assert not rb.errors


async def test_unknown_names_are_explained_privately(rb: RunningBot, flow: Flow, gid: int) -> None:
    await flow.add(RULES)
    cases = [
        ("faq modifica", messages.FAQ_NOT_FOUND),
        ("faq rimuovi", messages.FAQ_NOT_FOUND),
        ("faq storia", messages.FAQ_NOT_FOUND),
        ("faq mostra", messages.FAQ_NOT_FOUND),
        ("faq ripristina", messages.FAQ_NOT_DELETED),
    ]
    for command, text in cases:
        body = await flow.command(command, {"nome": "sconosciuta"})
        assert body["type"] == 4, command
        assert body["data"]["flags"] & EPHEMERAL, command
        assert body["data"]["content"] == text.format(name="sconosciuta"), command
        assert no_pings(body["data"]["allowed_mentions"]), command
    # A removed entry whose name was taken again: the same path, another reason.
    await repo(rb).remove(gid, "regolamento", actor_id=None)
    await flow.add({**RULES, "Domanda": "Dove leggo le regole?"})
    body = await flow.command("faq ripristina", {"nome": "regolamento"})
    assert body["data"]["content"] == messages.FAQ_RESTORE_TAKEN.format(name="regolamento")
    assert not rb.errors


async def test_everyone_can_read_with_faq_mostra(
    rb: RunningBot, flow: Flow, discord_double: DiscordDouble
) -> None:
    await flow.add(RULES)

    # Design: writing is a Manage Messages command, reading is open to everyone.
    group = discord_double.find_command("faq")
    assert int(group["default_member_permissions"]) == Perm.MANAGE_MESSAGES
    assert group["contexts"] == [0]
    for name in ("faq-mostra", "faq-elenco"):
        command = discord_double.find_command(name)
        assert command.get("default_member_permissions") is None
        assert command["contexts"] == [0]

    assert await flow.autocomplete("faq-mostra", "rego", user="member") == ["regolamento"]
    assert await flow.autocomplete("faq-mostra", "trovo", user="member") == ["regolamento"]
    body = await flow.command("faq-mostra", {"nome": "regolamento"}, user="member")
    data = body["data"]
    assert not data.get("flags", 0) & EPHEMERAL  # shown to the channel
    assert no_pings(data["allowed_mentions"])
    (embed,) = data["embeds"]
    assert embed["title"] == RULES["Domanda"]
    assert embed["footer"]["text"] == messages.FAQ_FOOTER.format(name="regolamento")

    body = await flow.command("faq-mostra", {"nome": "sconosciuta"}, user="member")
    assert body["data"]["flags"] & EPHEMERAL
    assert body["data"]["content"] == messages.FAQ_NOT_FOUND.format(name="sconosciuta")

    # Moderators find the same reading tools inside their group.
    assert await flow.autocomplete("faq mostra", "rego") == ["regolamento"]
    body = await flow.command("faq mostra", {"nome": "regolamento"})
    assert body["data"]["embeds"][0]["title"] == RULES["Domanda"]
    body = await flow.command("faq elenco", {})
    assert "regolamento" in body["data"]["embeds"][0]["description"]
    assert not rb.errors


async def test_faq_elenco_pages_with_buttons(
    rb: RunningBot, flow: Flow, gid: int, discord_double: DiscordDouble
) -> None:
    for number in range(12):
        entry = new_entry(gid, f"voce-{number:02}", f"Domanda numero {number}?", "Risposta.")
        await repo(rb).add(entry, actor_id=None)

    await flow.command("faq-elenco", user="member")
    page = await flow.message_reply(flow.last)
    assert page["flags"] & EPHEMERAL
    (embed,) = page["embeds"]
    assert len(embed["description"].splitlines()) == 10
    assert embed["footer"]["text"] == messages.FAQ_LIST_FOOTER.format(page=1, pages=2, total=12)
    previous, following = button(page, label="◀"), button(page, label="▶")
    assert previous.get("disabled") is True and not following.get("disabled")

    body = await flow.click(page, following["custom_id"], user="member")
    assert body["type"] == 7
    page = discord_double.messages[page["id"]]
    (embed,) = page["embeds"]
    assert embed["description"].splitlines() == [
        "`voce-10` — Domanda numero 10?",
        "`voce-11` — Domanda numero 11?",
    ]
    assert button(page, label="▶").get("disabled") is True
    assert not button(page, label="◀").get("disabled")

    body = await flow.click(page, button(page, label="◀")["custom_id"], user="member")
    assert body["type"] == 7
    page = discord_double.messages[page["id"]]
    assert page["embeds"][0]["description"].startswith("`voce-00`")

    body = await flow.click(page, button(page, label="▶")["custom_id"], user="owner")
    assert body["data"]["content"] == messages.FAQ_NOT_YOURS
    assert not rb.errors


async def test_members_without_permission_change_nothing(
    rb: RunningBot, flow: Flow, gid: int, discord_double: DiscordDouble
) -> None:
    await flow.add(RULES)
    history = "SELECT COUNT(*) FROM faq_history"
    writes_before = (await rb.bot.database.fetch_one(history))[0]  # type: ignore[attr-defined]

    # As if an admin had opened /faq to everyone (Server Settings > Integrations;
    # Discord hides it from members by default): the code still refuses.
    everyone = {"id": discord_double.guild.id, "type": 1, "permission": True}
    discord_double.set_command_permissions("faq", [everyone])
    for name, options in [
        ("faq aggiungi", None),
        ("faq modifica", {"nome": "regolamento"}),
        ("faq rimuovi", {"nome": "regolamento"}),
        ("faq ripristina", {"nome": "regolamento"}),
        ("faq esporta", None),
        ("faq senza-risposta", None),
    ]:
        body = await flow.command(name, options, user="member")
        assert body["type"] == 4, name
        assert body["data"]["content"] == messages.FAQ_NOT_MODERATOR, name
        assert body["data"]["flags"] & EPHEMERAL

    # A moderator who loses the role while the form is open cannot save it.
    modal = await flow.open_form("faq modifica", {"nome": "regolamento"})
    mod = discord_double.guild.member(MOD_ID)
    assert mod is not None
    mod["roles"] = []
    data = await flow.submit(modal, {**RULES, "Risposta": "Cambiata!"})
    assert data["content"] == messages.FAQ_NOT_MODERATOR
    mod["roles"] = [MOD_ROLE_ID]

    stored = await repo(rb).get(gid, "regolamento")
    assert stored is not None and stored.answer == RULES["Risposta"]
    assert (await rb.bot.database.fetch_one(history))[0] == writes_before  # type: ignore[attr-defined]

    # A role listed in MOD_ROLE_IDS is enough, without Manage Messages.
    data = await flow.add({**RULES, "Nome": "aiuto", "Domanda": "Chi mi aiuta?"}, user="helper")
    assert data["content"] == messages.FAQ_ADDED.format(name="aiuto")
    assert not rb.errors


async def test_entries_stay_in_their_server(
    rb: RunningBot, flow: Flow, discord_double: DiscordDouble, world: ExtraWorld
) -> None:
    await flow.add(RULES)
    other = world.other_guild_id

    reply = await flow.ask(RULES_QUESTION, guild_id=other, channel=world.other_channel_id)
    assert reply["guild_id"] == other
    assert "FAQ del server" not in str(reply["embeds"])

    assert await flow.autocomplete("faq-mostra", "rego", user="member", guild_id=other) == []
    body = await flow.command("faq-mostra", {"nome": "regolamento"}, user="member", guild_id=other)
    assert body["data"]["content"] == messages.FAQ_NOT_FOUND.format(name="regolamento")
    body = await flow.command("faq-elenco", user="member", guild_id=other)
    assert body["data"]["content"] == messages.FAQ_LIST_EMPTY

    # The owner of the other server exports nothing of this one.
    exported = discord_double.attachment(await run_export(flow, user="owner", guild_id=other))
    assert yaml.safe_load(exported)["faq"] == []

    # And the first server still has it.
    reply = await flow.ask(RULES_QUESTION)
    assert reply["embeds"][0]["footer"]["text"] == messages.FAQ_FOOTER.format(name="regolamento")
    assert not rb.errors


def import_payload(flow: Flow, attachment: JSON, user: str = "mod") -> JSON:
    """/faq importa with a file."""
    return flow.p.slash_command("faq importa", {"file": attachment}, user=user)


async def run_export(flow: Flow, **kw: Any) -> JSON:
    """/faq esporta: deferred at once (type 5), then a followup with the file."""
    mark = flow.d.mark()
    flow.last = flow.p.slash_command("faq esporta", None, user=kw.pop("user", "mod"), **kw)
    body = (await flow.callback(flow.last)).json
    assert body["type"] == 5, body
    await flow.d.wait_request("POST", f"/webhooks/{APP_ID}/{flow.last['token']}", start=mark)
    return await flow.message_reply(flow.last)


async def run_import(flow: Flow, attachment: JSON) -> str:
    payload = import_payload(flow, attachment)
    mark = flow.d.mark()
    body = await flow.send(payload)
    if body["type"] == 5:  # deferred: the answer comes as a followup
        await flow.d.wait_request("POST", f"/webhooks/{APP_ID}/{payload['token']}", start=mark)
    message = flow.d.original_message(payload["id"])
    assert message is not None and message["flags"] & EPHEMERAL
    content: str = message["content"]
    return content


async def test_esporta_and_importa_with_attachments(
    rb: RunningBot,
    flow: Flow,
    gid: int,
    discord_double: DiscordDouble,
    file_server: Callable[[str, bytes], JSON],
) -> None:
    await flow.add(RULES)
    await flow.add({"Nome": "orari", "Domanda": "A che ora apre il supporto?", "Risposta": "9-18"})

    export = await run_export(flow)
    assert export["flags"] & EPHEMERAL
    assert export["content"] == messages.FAQ_EXPORTED.format(count=2)
    (attachment,) = export["attachments"]
    assert attachment["filename"] == f"faq-{gid}.yaml"
    document = yaml.safe_load(discord_double.attachment(export))
    assert [item["name"] for item in document["faq"]] == ["orari", "regolamento"]

    # The exported file itself, read back from Discord's CDN, changes nothing.
    imports_before = faq_writes("import")
    content = await run_import(flow, attachment)
    assert content == messages.FAQ_IMPORTED.format(added=0, updated=0, unchanged=2)
    assert faq_writes("import") == imports_before

    # An edited file: one answer changed, one entry added; answered at once.
    edited = copy.deepcopy(document)
    edited["faq"][0]["answer"] = "Dalle 9 alle 18, dal lunedì al venerdì."
    edited["faq"].append(
        {"name": "wifi", "question": "Qual è la password del wifi?", "answer": "Chiedi in cassa."}
    )
    text = yaml.safe_dump(edited, allow_unicode=True).encode()
    content = await run_import(flow, file_server("modificato.yaml", text))
    assert content == messages.FAQ_IMPORTED.format(added=1, updated=1, unchanged=1)
    assert faq_writes("import") == imports_before + 1
    reply = await flow.ask("qual è la password del wifi?")
    assert reply["embeds"][0]["footer"]["text"] == messages.FAQ_FOOTER.format(name="wifi")

    # All or nothing: one bad entry and nothing is imported.
    broken = copy.deepcopy(edited)
    broken["faq"][0]["answer"] = "Tutto il giorno."
    broken["faq"].append({"name": "Nome Non Valido", "question": "?", "answer": "x"})
    text = yaml.safe_dump(broken, allow_unicode=True).encode()
    content = await run_import(flow, file_server("rotto.yaml", text))
    assert content.startswith(messages.FAQ_IMPORT_REJECTED)
    assert "Voce n. 4" in content
    orari = await repo(rb).get(gid, "orari")
    assert orari is not None and orari.answer == "Dalle 9 alle 18, dal lunedì al venerdì."

    content = await run_import(flow, file_server("binario.yaml", b"\xff\xfe\x00rotto"))
    assert content == messages.FAQ_IMPORT_NOT_UTF8

    huge = {**file_server("grande.yaml", b"faq: []"), "size": 50 * 1024 * 1024}
    content = await run_import(flow, huge)
    assert content == messages.FAQ_IMPORT_TOO_BIG.format(max=5)
    assert await repo(rb).count(gid) == 3
    assert not rb.errors


async def test_esporta_splits_a_big_export_into_importable_files(
    rb: RunningBot,
    flow: Flow,
    gid: int,
    discord_double: DiscordDouble,
    file_server: Callable[[str, bytes], JSON],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in ("uno", "due", "tre"):
        await flow.add({"Nome": name, "Domanda": f"Domanda {name}?", "Risposta": "x" * 300})
    limit = 700  # each entry alone is about 400 bytes with the header
    # The module the extension loader executed (it replaces any earlier import).
    monkeypatch.setattr(sys.modules["bot.discord_app.faq.transfer"], "IMPORT_MAX_BYTES", limit)

    mark = discord_double.mark()
    first = await run_export(flow)
    webhook = f"/webhooks/{APP_ID}/{flow.last['token']}"

    def followups() -> list[Any] | None:
        found = discord_double.find_requests("POST", webhook, start=mark)
        return found if len(found) >= 3 else None

    requests = await discord_double.wait_until(followups)
    files = [discord_double.messages[r.message_id] for r in requests]
    assert first["content"] == messages.FAQ_EXPORTED_SPLIT.format(count=3, parts=3, max=5)
    assert [m["content"] for m in files[1:]] == [
        messages.FAQ_EXPORTED_PART.format(number=n, parts=3) for n in (2, 3)
    ]
    names = []
    for number, message in enumerate(files, start=1):
        assert message["flags"] & EPHEMERAL
        filename = f"faq-{gid}-{number}.yaml"
        data = discord_double.attachment(message, filename)
        assert len(data) <= limit
        names += [item["name"] for item in yaml.safe_load(data)["faq"]]
        content = await run_import(flow, file_server(filename, data))
        assert content == messages.FAQ_IMPORTED.format(added=0, updated=0, unchanged=1)
    assert sorted(names) == ["due", "tre", "uno"]
    assert not rb.errors


async def test_importa_refuses_an_alias_bomb_and_changes_nothing(
    rb: RunningBot, flow: Flow, gid: int, file_server: Callable[[str, bytes], JSON]
) -> None:
    await flow.add(RULES)
    before = await repo(rb).all_entries(gid)
    bomb = "faq:\n- &voce {name: a, question: q, answer: r}\n" + "- *voce\n" * 5_000

    payload = import_payload(flow, file_server("bomba.yaml", bomb.encode()))
    mark = flow.d.mark()
    body = (await flow.callback(payload)).json
    assert body["type"] == 5  # deferred before downloading and parsing
    await flow.d.wait_request("POST", f"/webhooks/{APP_ID}/{payload['token']}", start=mark)
    message = flow.d.original_message(payload["id"])
    assert message is not None and message["flags"] & EPHEMERAL
    assert message["content"] == messages.FAQ_YAML_ALIASES.format(line=3)
    assert await repo(rb).all_entries(gid) == before

    # More entries than the server may hold: refused naming the cap, before any record.
    cap = rb.bot.settings.faq_max_entries
    many = "faq:\n" + "- {name: a, question: q, answer: r}\n" * (cap + 1)
    content = await run_import(flow, file_server("tante.yaml", many.encode()))
    assert messages.FAQ_YAML_TOO_MANY.format(count=cap + 1, max=cap) in content
    assert await repo(rb).all_entries(gid) == before
    assert not rb.errors


async def test_a_masked_link_is_refused_with_its_real_target(
    rb: RunningBot, flow: Flow, gid: int
) -> None:
    answer = "Scarica il client da [https://discord.com/download](https://evil.example)."
    data = await flow.add(
        {"Nome": "client", "Domanda": "Dove scarico Discord?", "Risposta": answer}
    )
    content = data["content"]
    assert content.startswith(messages.FAQ_NOT_SAVED)
    assert "«https://discord.com/download»" in content and "https://evil.example" in content
    assert await repo(rb).count(gid) == 0

    honest = "Scarica il client da [discord.com/download](https://discord.com/download)."
    data = await flow.add(
        {"Nome": "client", "Domanda": "Dove scarico Discord?", "Risposta": honest}
    )
    assert data["content"] == messages.FAQ_ADDED.format(name="client")
    assert not rb.errors


async def test_hostile_text_is_stored_verbatim_and_never_pings(
    rb: RunningBot, flow: Flow, gid: int
) -> None:
    question = f"@everyone **Chi** paga? <@{MEMBER_ID}> '; DROP TABLE faq_entries; --"
    answer = f"@here <@&{MOD_ROLE_ID}> ||spoiler|| `x`\nRobert'); DELETE FROM faq_history;--"
    data = await flow.add({"Nome": "trappola", "Domanda": question, "Risposta": answer})
    assert data["content"] == messages.FAQ_ADDED.format(name="trappola")

    stored = await repo(rb).get(gid, "trappola")
    assert stored is not None
    assert (stored.question, stored.answer) == (question, answer)

    body = await flow.command("faq-mostra", {"nome": "trappola"}, user="member")
    assert no_pings(body["data"]["allowed_mentions"])
    shown = await flow.message_reply(flow.last)
    assert shown["mentions"] == [] and shown["mention_roles"] == []
    assert not shown["mention_everyone"]
    (embed,) = shown["embeds"]
    assert r"\*\*Chi\*\*" in embed["title"]  # markdown in a title is shown as typed
    assert embed["description"] == answer

    # Asked as stored, hostile text and all: the answer quotes it and pings nobody.
    reply = await flow.ask(question)
    assert reply["embeds"][0]["footer"]["text"] == messages.FAQ_FOOTER.format(name="trappola")
    assert reply["mentions"] == [] and reply["mention_roles"] == []
    assert not reply["mention_everyone"]

    await flow.command("faq-elenco", user="member")
    listing = (await flow.message_reply(flow.last))["embeds"][0]["description"]
    assert "@everyone" not in listing and f"<@{MEMBER_ID}>" not in listing
    assert r"\*\*Chi\*\*" in listing

    await flow.command("faq rimuovi", {"nome": "trappola"})
    panel = await flow.message_reply(flow.last)
    assert "@everyone" not in panel["content"] and not panel["mention_everyone"]
    assert await repo(rb).count(gid) == 1
    assert not rb.errors


async def test_unanswered_question_becomes_an_entry(
    rb: RunningBot, flow: Flow, gid: int, discord_double: DiscordDouble
) -> None:
    asked = "Quando riapre la piscina comunale?"
    for _ in range(2):
        reply = await flow.ask(asked)
        assert reply["embeds"][0]["title"] == messages.UNKNOWN_TITLE
    await flow.ask("Che tempo fa domani a Bari?")
    # The bot logs an unanswered question after replying, and reads do not
    # wait for writes: give the last log a moment to land.
    for _ in range(200):
        logged = await rb.bot.storage.unanswered.top(gid, 5)
        if len(logged) == 2 and logged[0].count == 2:
            break
        await asyncio.sleep(0.01)

    await flow.command("faq senza-risposta")
    panel = await flow.message_reply(flow.last)
    (embed,) = panel["embeds"]
    rows = embed["description"].splitlines()
    assert rows[0] == messages.FAQ_UNANSWERED_ROW.format(
        number=1, question=asked, times=messages.FAQ_TIMES_MANY.format(count=2)
    )
    assert len(rows) == 2
    select = panel["components"][0]["components"][0]
    assert [option["label"] for option in select["options"]] == [
        asked,
        "Che tempo fa domani a Bari?",
    ]

    body = await flow.click(panel, select["custom_id"], values=["0"])
    assert body["type"] == 9
    modal = discord_double.modal_for(flow.last["id"])
    prefilled = inputs(modal)
    assert prefilled["Domanda"]["value"] == asked
    assert prefilled["Nome"]["value"] == "quando-riapre-la-piscina-comunal"

    data = await flow.submit(
        modal, {"Nome": "piscina", "Domanda": asked, "Risposta": "A settembre."}
    )
    assert data["content"] == messages.FAQ_ADDED.format(name="piscina")
    remaining = await UnansweredLog(rb.bot.database).top(gid)  # type: ignore[attr-defined]
    assert [q.example for q in remaining] == ["Che tempo fa domani a Bari?"]

    reply = await flow.ask(asked)
    assert reply["embeds"][0]["footer"]["text"] == messages.FAQ_FOOTER.format(name="piscina")
    assert not rb.errors


def test_older_changes_agree_with_their_count() -> None:
    from bot.discord_app.faq.rendering import keep_last_lines, older_changes

    assert older_changes(1) == "…e un'altra modifica meno recente."
    assert older_changes(3) == "…e altre 3 modifiche meno recenti."
    lines = [f"riga {n:02d} " + "x" * 40 for n in range(10)]
    text = keep_last_lines(lines, 9 * 50 + len(older_changes(10)) + 1, older_changes)
    assert text.splitlines()[0] == older_changes(1)
    assert text.splitlines()[1:] == lines[1:]
    text = keep_last_lines(lines, 8 * 50 + len(older_changes(10)) + 1, older_changes)
    assert text.splitlines()[0] == older_changes(2)


# --- storage under faults: other processes, a deleted file, a lock (issue 10) -----------

BLANK_RACE_NAME = "a-che-ora-apre-la-palestra"


def write_failures(cause: str) -> float:
    value = METRICS.registry.get_sample_value(
        "timoniere_faq_write_failures_total", {"cause": cause}
    )
    return value or 0.0


def database_path(running: RunningBot) -> Path:
    return Path(running.bot.settings.database_path)  # type: ignore[attr-defined]


async def test_twenty_simultaneous_blank_name_submits_save_one_entry(
    rb: RunningBot, flow: Flow, gid: int, discord_double: DiscordDouble
) -> None:
    fields = {"Nome": "", "Domanda": "A che ora apre la palestra?", "Risposta": "Alle 7."}
    forms = [await flow.open_form("faq aggiungi") for _ in range(20)]
    submits = [flow.p.modal_submit(form, fields, user="mod") for form in forms]
    await asyncio.gather(*(discord_double.dispatch_interaction(s) for s in submits))
    callbacks = [await discord_double.wait_callback(s["id"]) for s in submits]
    # Each submit is deferred before it touches storage; its answer is the followup.
    answers = [await settled(discord_double, s, c) for s, c in zip(submits, callbacks, strict=True)]
    contents = [answer["data"]["content"] for answer in answers]

    saved = [c for c in contents if c.startswith(messages.FAQ_ADDED.format(name=BLANK_RACE_NAME))]
    refused = [c for c in contents if c.startswith(messages.FAQ_NOT_SAVED)]
    assert len(saved) == 1, contents
    assert len(refused) == 19, contents
    same = messages.FAQ_SAME_QUESTION.format(name=BLANK_RACE_NAME)
    assert all(same in text for text in refused), refused
    assert [e.name for e in await repo(rb).all_entries(gid)] == [BLANK_RACE_NAME]
    assert not rb.errors


async def test_reads_and_autocomplete_answer_while_a_write_waits_for_a_lock(
    rb: RunningBot, flow: Flow, gid: int
) -> None:
    await flow.add(RULES)  # loads the server's FAQ index too
    with outside_writer(database_path(rb), 4):
        # A moderator's save is stuck behind the other process's lock...
        stuck = asyncio.create_task(
            repo(rb).add(new_entry(gid, "orari", "Quali sono gli orari?", "9-18."), 1)
        )
        await asyncio.sleep(0.2)
        assert not stuck.done()
        # ...while members still get names and entries at once.
        loop = asyncio.get_running_loop()
        started = loop.time()
        names = await flow.autocomplete("faq-mostra", "rego", user="member")
        shown = await flow.command("faq-mostra", {"nome": "regolamento"}, user="member")
        waited = loop.time() - started
        assert names == ["regolamento"]
        assert shown["type"] == 4 and shown["data"]["embeds"][0]["description"] == RULES["Risposta"]
        assert waited < 1.5, waited  # the lock is held for 4 s
        assert not stuck.done()
    await stuck
    assert not rb.errors


async def test_console_changes_reach_the_running_bot(
    rb: RunningBot, flow: Flow, gid: int, discord_double: DiscordDouble
) -> None:
    question = "dove si lasciano le biciclette?"
    first = await flow.ask(question)
    assert first["embeds"][0]["title"] == messages.UNKNOWN_TITLE  # index loaded, no entry

    console = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "faq",
        "add",
        "--guild",
        str(gid),
        "--name",
        "biciclette",
        "--question",
        "Dove si lasciano le biciclette?",
        "--answer",
        "Nella rastrelliera in cortile.",
        "--db",
        str(database_path(rb)),
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    _, err = await console.communicate()
    assert console.returncode == 0, err.decode()

    # The bot notices within its poll interval (2 s), no restart, no command.
    deadline = asyncio.get_running_loop().time() + 8
    while True:
        reply = await flow.ask(question)
        body = discord_double.request_for_message(reply["id"]).json
        footer = body["embeds"][0].get("footer", {}).get("text", "")
        if footer == messages.FAQ_FOOTER.format(name="biciclette"):
            break
        assert asyncio.get_running_loop().time() < deadline, body
        await asyncio.sleep(0.5)
    assert body["embeds"][0]["description"] == "Nella rastrelliera in cortile."
    assert not rb.errors


async def test_a_deleted_database_refuses_the_form_and_says_nothing_was_saved(
    rb: RunningBot, flow: Flow, gid: int, caplog: pytest.LogCaptureFixture
) -> None:
    await flow.add(RULES)
    path = database_path(rb)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    before = write_failures("file_gone")
    added = faq_writes("add")
    data = await flow.add({"Nome": "", "Domanda": "Dove si mangia?", "Risposta": "In mensa."})
    assert data["content"].startswith(messages.FAQ_NOT_SAVED)
    assert messages.DB_WRITE_FILE_GONE in data["content"]
    assert write_failures("file_gone") == before + 1
    assert faq_writes("add") == added
    # Not answered from memory as if it were saved.
    reply = await flow.ask("dove si mangia?")
    assert reply["embeds"][0]["title"] == messages.UNKNOWN_TITLE
    assert not path.exists()
    await asyncio.sleep(0.3)  # the unanswered question is logged after the reply
    # One error in all, however many writes were tried (the form, the unanswered log).
    assert caplog.text.count("was deleted or replaced while open") == 1
    assert [r.getMessage() for r in rb.errors] == [
        f"the database file {path} was deleted or replaced while open: refusing writes"
        " (restore it from a backup and restart)"
    ]
    rb.errors.clear()  # that one error is expected


async def test_a_locked_database_says_so_in_the_form_and_the_retry_works(
    rb: RunningBot, flow: Flow, gid: int
) -> None:
    bot: Any = rb.bot
    await bot.database._conn.execute("PRAGMA busy_timeout = 50")  # not the production 5 s
    before = write_failures("locked")
    with outside_writer(database_path(rb), 30):
        data = await flow.add(RULES)
    assert data["content"].startswith(messages.FAQ_NOT_SAVED)
    assert messages.DB_WRITE_LOCKED in data["content"]
    assert write_failures("locked") == before + 1
    assert await repo(rb).count(gid) == 0
    data = await flow.add(RULES)  # the lock is gone: no restart needed
    assert data["content"].startswith(messages.FAQ_ADDED.format(name="regolamento"))
    rb.errors.clear()  # the logged "not saved (locked)" line above is expected
