"""Proof that the double drives an unmodified discord.py bot end to end."""

from __future__ import annotations

import asyncio
import io
import logging
import time
from typing import Literal

import aiohttp
import discord
import pytest
from discord import app_commands
from discord.ext import commands

from .harness import DoubleBotMixin, RunningBot, running_bot
from .limits import (
    FormErrors,
    validate_autocomplete,
    validate_commands,
    validate_components,
    validate_message,
    validate_modal,
)
from .server import DiscordDouble
from .world import GUILD_ID, Intent, Perm

GUILD = discord.Object(int(GUILD_ID))
SUGGESTIONS = ["Kubernetes vs Compose", "Quanto costa Kubernetes?", "Compose in produzione", "Helm"]


# ---------------------------------------------------------------------------------------------
# sample bot
# ---------------------------------------------------------------------------------------------
class ReportModal(discord.ui.Modal, title="Segnala una risposta"):
    motivo: discord.ui.TextInput[ReportModal] = discord.ui.TextInput(label="Motivo", max_length=200)

    async def on_submit(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message(
            f"Segnalazione ricevuta: {self.motivo.value}", ephemeral=True
        )


class FeedbackView(discord.ui.View):
    @discord.ui.button(label="Utile", style=discord.ButtonStyle.success)
    async def useful(
        self, interaction: discord.Interaction, button: discord.ui.Button[FeedbackView]
    ) -> None:
        await interaction.response.edit_message(content="Grazie del feedback!", view=None)

    @discord.ui.button(label="Segnala", style=discord.ButtonStyle.danger)
    async def report(
        self, interaction: discord.Interaction, button: discord.ui.Button[FeedbackView]
    ) -> None:
        await interaction.response.send_modal(ReportModal())


@app_commands.command(name="domanda", description="Fai una domanda a Timoniere")
@app_commands.describe(testo="La domanda", formato="Lunghezza della risposta")
async def domanda(
    interaction: discord.Interaction,
    testo: str,
    formato: Literal["breve", "dettagliato"] | None = None,
) -> None:
    embed = discord.Embed(title="Risposta", description=f"{testo} ({formato or 'breve'})")
    await interaction.response.send_message(embed=embed, view=FeedbackView())


@domanda.autocomplete("testo")
async def domanda_autocomplete(
    interaction: discord.Interaction, current: str
) -> list[app_commands.Choice[str]]:
    if current == "troppi":  # violates the 25-choice limit on purpose
        return [app_commands.Choice(name=f"scelta {i}", value=str(i)) for i in range(30)]
    return [
        app_commands.Choice(name=s, value=s) for s in SUGGESTIONS if current.lower() in s.lower()
    ]


@app_commands.command(name="lenta", description="Risposta differita")
async def lenta(interaction: discord.Interaction) -> None:
    await interaction.response.defer(thinking=True)
    await interaction.followup.send("fatto")
    await interaction.edit_original_response(content="fatto (modificato)")
    await interaction.original_response()
    await interaction.original_response()


@app_commands.command(name="ritardo", description="Risponde troppo tardi")
async def ritardo(interaction: discord.Interaction) -> None:
    await asyncio.sleep(0.15)
    await interaction.response.send_message("troppo tardi")


class SampleBot(DoubleBotMixin, commands.Bot):
    def __init__(
        self,
        *,
        message_content: bool = True,
        members: bool = False,
        extra_commands: list[app_commands.Command] = (),
    ) -> None:
        intents = discord.Intents.default()
        intents.message_content = message_content
        intents.members = members
        super().__init__(
            command_prefix=commands.when_mentioned, intents=intents, guild_ready_timeout=0.05
        )
        self.seen: list[discord.Message] = []
        self.extra_commands = list(extra_commands)

    async def setup_hook(self) -> None:
        self.tree.add_command(domanda, guild=GUILD)
        self.tree.add_command(lenta, guild=GUILD)
        self.tree.add_command(ritardo, guild=GUILD)
        for cmd in self.extra_commands:
            self.tree.add_command(cmd)
        await self.tree.sync()
        await self.tree.sync(guild=GUILD)

    async def on_message(self, message: discord.Message) -> None:
        if message.author.bot:
            return
        self.seen.append(message)
        if message.content == "!campi":  # 26 fields: Discord refuses
            embed = discord.Embed(title="Troppi campi")
            for i in range(26):
                embed.add_field(name=f"c{i}", value="v")
            await message.channel.send(embed=embed)
        elif message.content == "!esporta":
            data = discord.File(io.BytesIO(b"domanda,risposta\nk8s,si\n"), filename="export.csv")
            await message.channel.send("Ecco l'esportazione", file=data)
        elif message.attachments:
            data = await message.attachments[0].read()
            await message.channel.send(
                f"letti {len(data)} byte da {message.attachments[0].filename}"
            )
        elif message.content:
            embed = discord.Embed(title="Risposta", description=message.content)
            await message.reply(embed=embed, allowed_mentions=discord.AllowedMentions.none())


@pytest.fixture
async def rb(start_bot) -> RunningBot:
    return await start_bot(SampleBot())


async def ask(double: DiscordDouble, content: str, **kwargs) -> tuple[dict, dict]:
    """Dispatch a user message and return (message, the bot's reply)."""
    mark = double.mark()
    msg = await double.dispatch_message(double.payloads.message(content, **kwargs))
    return msg, await double.wait_reply(msg["channel_id"], start=mark)


# ---------------------------------------------------------------------------------------------
# startup and messages
# ---------------------------------------------------------------------------------------------
async def test_startup_sequence(rb: RunningBot, discord_double: DiscordDouble) -> None:
    d = discord_double
    assert [(r.method, r.path) for r in d.requests[:4]] == [
        ("GET", "/users/@me"),
        ("GET", "/oauth2/applications/@me"),
        ("PUT", f"/applications/{d.app_id}/commands"),
        ("PUT", f"/applications/{d.app_id}/guilds/{GUILD_ID}/commands"),
    ]
    assert all(r.headers["Authorization"] == f"Bot {d.token}" for r in d.requests)
    assert (
        d.requests[0]
        .headers["User-Agent"]
        .startswith("DiscordBot (https://github.com/Rapptz/discord.py")
    )
    assert (
        d.identify_payloads[0]["intents"]
        == discord.Intents.default().value | Intent.MESSAGE_CONTENT
    )
    guild = rb.bot.get_guild(int(GUILD_ID))
    assert guild is not None and guild.member_count == 5
    # without the GUILD_MEMBERS intent Discord only sends the bot's own member
    assert [m.id for m in guild.members] == [int(d.app_id)]
    assert guild.get_role(int(GUILD_ID)).permissions.send_messages
    assert {c["name"] for c in d.commands[GUILD_ID]} == {"domanda", "lenta", "ritardo"}
    assert not d.unhandled


async def test_message_reply_body(rb: RunningBot, discord_double: DiscordDouble) -> None:
    msg, reply = await ask(discord_double, "Meglio Kubernetes o Compose? <@1000000000000000002>")
    body = discord_double.request_for_message(reply["id"]).json
    assert body["embeds"][0]["title"] == "Risposta"
    assert body["embeds"][0]["description"].startswith("Meglio Kubernetes")
    assert body["message_reference"]["message_id"] == int(msg["id"])  # discord.py sends ints
    assert body["allowed_mentions"] == {"parse": []}
    assert reply["mentions"] == []  # nobody pinged thanks to allowed_mentions
    assert reply["referenced_message"]["id"] == msg["id"]
    assert rb.bot.seen[-1].content == msg["content"]


async def test_attachment_is_stored(rb: RunningBot, discord_double: DiscordDouble) -> None:
    _, reply = await ask(discord_double, "!esporta")
    assert reply["attachments"][0]["filename"] == "export.csv"
    assert discord_double.attachment(reply, "export.csv").startswith(b"domanda,risposta")


async def test_bot_reads_user_attachment(rb: RunningBot, discord_double: DiscordDouble) -> None:
    _, reply = await ask(discord_double, "", files={"tabella.csv": b"a,b\n1,2\n"})
    assert reply["content"] == "letti 8 byte da tabella.csv"


async def test_interaction_file_upload(start_bot, discord_double: DiscordDouble) -> None:
    @app_commands.command(name="esporta", description="Esporta le FAQ")
    async def esporta(interaction: discord.Interaction) -> None:
        data = discord.File(io.BytesIO(b"id,domanda\n1,k8s\n"), filename="faq.csv")
        await interaction.response.send_message("Esportazione", file=data, ephemeral=True)

    await start_bot(SampleBot(extra_commands=[esporta]))
    d = discord_double
    inter = await d.dispatch_interaction(d.payloads.slash_command("esporta"))
    cb = await d.wait_callback(inter["id"])
    assert cb.status == 200 and [f.filename for f in cb.files] == ["faq.csv"]
    message = d.original_message(inter["id"])
    assert message["attachments"][0]["filename"] == "faq.csv"
    assert d.attachment(message) == b"id,domanda\n1,k8s\n"
    assert d.body_for_message(message)["flags"] == 64


# ---------------------------------------------------------------------------------------------
# interactions
# ---------------------------------------------------------------------------------------------
async def test_slash_autocomplete_button_modal(
    rb: RunningBot, discord_double: DiscordDouble
) -> None:
    d = discord_double
    p = d.payloads

    ac = await d.dispatch_interaction(p.autocomplete("domanda", {"testo": "kube"}, focused="testo"))
    cb = await d.wait_callback(ac["id"])
    assert cb.status == 200 and cb.json["type"] == 8
    assert [c["value"] for c in cb.json["data"]["choices"]] == [
        "Kubernetes vs Compose",
        "Quanto costa Kubernetes?",
    ]

    cmd = await d.dispatch_interaction(
        p.slash_command("domanda", {"testo": "Kubernetes vs Compose", "formato": "dettagliato"})
    )
    assert cmd["data"]["guild_id"] == GUILD_ID
    cb = await d.wait_callback(cmd["id"])
    assert cb.status == 200 and cb.json["type"] == 4
    answer = d.original_message(cmd["id"])
    assert answer["embeds"][0]["description"] == "Kubernetes vs Compose (dettagliato)"
    useful_id, report_id = p.custom_ids(answer)  # discord.py's random hex custom_ids

    click = await d.dispatch_interaction(p.component_click(answer, report_id))
    cb = await d.wait_callback(click["id"])
    assert cb.status == 200 and cb.json["type"] == 9
    modal = d.modal_for(click["id"])
    assert modal["title"] == "Segnala una risposta"

    submit = await d.dispatch_interaction(
        p.modal_submit(modal, {"Motivo": "risposta datata"}, message=answer)
    )
    cb = await d.wait_callback(submit["id"])
    assert cb.status == 200 and cb.json["type"] == 4
    reply = d.original_message(submit["id"])
    assert reply["content"] == "Segnalazione ricevuta: risposta datata"
    assert reply["flags"] & 64  # ephemeral
    click = await d.dispatch_interaction(p.component_click(answer, useful_id, user="mod"))
    cb = await d.wait_callback(click["id"])
    assert cb.status == 200 and cb.json["type"] == 7
    assert d.messages[answer["id"]]["content"] == "Grazie del feedback!"
    assert d.messages[answer["id"]]["components"] == []

    assert not rb.errors


async def test_defer_followup_and_edit_original(
    rb: RunningBot, discord_double: DiscordDouble
) -> None:
    d = discord_double
    mark = d.mark()
    cmd = await d.dispatch_interaction(d.payloads.slash_command("lenta"))
    await d.wait_request("GET", "/webhooks/*/messages/@original", start=mark)
    statuses = [(r.method, r.path.split("/")[1], r.status) for r in d.requests[mark:]]
    assert statuses == [
        ("POST", "interactions", 200),
        ("POST", "webhooks", 200),
        ("PATCH", "webhooks", 200),
        ("GET", "webhooks", 200),
    ]
    original = d.original_message(cmd["id"])
    assert original["content"] == "fatto (modificato)"
    assert not original["flags"] & 128  # the first followup replaced the "thinking" state


async def test_member_permissions_and_global_command(
    start_bot, discord_double: DiscordDouble
) -> None:
    @app_commands.command(name="permessi", description="Posso moderare?")
    async def permessi(interaction: discord.Interaction) -> None:
        perms = interaction.permissions
        await interaction.response.send_message(f"{perms.manage_messages} {perms.administrator}")

    await start_bot(SampleBot(extra_commands=[permessi]))
    d = discord_double
    cases = [
        ({"user": "mod"}, "True False"),
        ({"user": "member"}, "False False"),
        ({"user": "owner"}, "True True"),
        ({"user": "member", "member_permissions": Perm.MANAGE_MESSAGES}, "True False"),
    ]
    for kwargs, expected in cases:
        inter = d.payloads.slash_command("permessi", **kwargs)
        assert "guild_id" not in inter["data"]  # a global command
        await d.dispatch_interaction(inter)
        await d.wait_callback(inter["id"])
        assert d.original_message(inter["id"])["content"] == expected, kwargs


async def test_expired_token_rejects_followups(
    rb: RunningBot, discord_double: DiscordDouble
) -> None:
    discord_double.interaction_token_ttl = 0.0  # Discord: 15 minutes
    mark = discord_double.mark()
    await discord_double.dispatch_interaction(discord_double.payloads.slash_command("lenta"))
    followup = await discord_double.wait_request("POST", "/webhooks/*", start=mark)
    assert followup.status == 401 and followup.response["code"] == 50027
    await rb.wait_error("50027")


async def test_initial_response_deadline(rb: RunningBot, discord_double: DiscordDouble) -> None:
    discord_double.interaction_deadline = 0.1
    cmd = await discord_double.dispatch_interaction(
        discord_double.payloads.slash_command("ritardo")
    )
    cb = await discord_double.wait_callback(cmd["id"])
    assert cb.status == 404 and cb.response["code"] == 10062
    await rb.wait_error("10062")


async def test_second_initial_response_rejected(
    rb: RunningBot, discord_double: DiscordDouble
) -> None:
    d = discord_double
    inter = await d.dispatch_interaction(d.payloads.slash_command("domanda", {"testo": "x"}))
    await d.wait_callback(inter["id"])
    url = f"{d.api_base}/interactions/{inter['id']}/{inter['token']}/callback"
    async with (
        aiohttp.ClientSession() as s,
        s.post(url, json={"type": 4, "data": {"content": "bis"}}) as resp,
    ):
        assert resp.status == 400
        assert resp.headers["Content-Type"] == "application/json"
        assert (await resp.json())["code"] == 40060


async def test_webhook_routes_refuse_unknown_tokens_and_messages(
    rb: RunningBot, discord_double: DiscordDouble
) -> None:
    d = discord_double
    inter = await d.dispatch_interaction(d.payloads.slash_command("domanda", {"testo": "x"}))
    await d.wait_callback(inter["id"])
    base = f"{d.api_base}/webhooks/{d.app_id}"
    cases = [
        ("GET", f"{base}/{inter['token']}/messages/@original", 200, None),
        ("GET", f"{base}/not-a-token/messages/@original", 404, 10015),
        ("PATCH", f"{base}/not-a-token/messages/@original", 404, 10015),
        ("POST", f"{base}/not-a-token", 404, 10015),
        ("GET", f"{base}/{inter['token']}/messages/123", 404, 10008),
        ("DELETE", f"{base}/{inter['token']}/messages/123", 404, 10008),
    ]
    async with aiohttp.ClientSession() as s:
        for method, url, status, code in cases:
            async with s.request(method, url, json={"content": "y"}) as resp:
                assert resp.status == status, (method, url)
                body = await resp.json()
                if code is None:
                    assert body["id"] == d.original_message(inter["id"])["id"]
                else:
                    assert body["code"] == code, (method, url)
    assert d.original_message(inter["id"]) is not None  # nothing was deleted
    assert not d.internal_errors


# ---------------------------------------------------------------------------------------------
# gateway
# ---------------------------------------------------------------------------------------------
async def test_close_4000_resumes_and_replays(
    rb: RunningBot, discord_double: DiscordDouble
) -> None:
    d = discord_double
    g = d.gateway_mark()
    session_id = d.session.id
    await d.close_gateway(4000)
    # dispatched while the bot is disconnected: must be replayed after RESUME
    msg, reply = await ask(d, "dopo la chiusura")
    resume = await d.wait_gateway(op=6, start=g)
    assert resume.d["session_id"] == session_id
    assert resume.conn_id == 2
    resumed = await d.wait_gateway(event="RESUMED", direction="send", start=g)
    replayed = [f for f in d.gateway_frames[g : resumed.index] if f.t == "MESSAGE_CREATE"]
    assert [f.d["id"] for f in replayed] == [msg["id"]] and replayed[0].conn_id == 2
    assert reply["embeds"][0]["description"] == "dopo la chiusura"
    assert len(d.identify_payloads) == 1  # resumed, not re-identified
    _msg, reply = await ask(d, "e ancora")
    assert reply["embeds"][0]["description"] == "e ancora"


async def test_invalid_session_reidentifies(rb: RunningBot, discord_double: DiscordDouble) -> None:
    d = discord_double
    g = d.gateway_mark()
    await d.invalidate_session(resumable=False)
    await d.wait_gateway(event="READY", direction="send", start=g)
    assert len(d.identify_payloads) == 2
    _msg, reply = await ask(d, "nuova sessione")
    assert reply["embeds"][0]["description"] == "nuova sessione"


async def test_compressed_frames_and_heartbeat_request(
    start_bot, discord_double: DiscordDouble
) -> None:
    discord_double.compress_frames = True
    await start_bot(SampleBot())
    assert discord_double.live_connection.compressor is not None
    g = discord_double.gateway_mark()
    await discord_double.send_heartbeat_request()
    await discord_double.wait_gateway(op=1, start=g)
    _msg, reply = await ask(discord_double, "zlib")
    assert reply["embeds"][0]["description"] == "zlib"


async def test_message_content_blanked_without_intent(
    start_bot, discord_double: DiscordDouble
) -> None:
    d = discord_double
    rb = await start_bot(SampleBot(message_content=False))
    p = d.payloads
    seen = rb.bot.wait_for("message", check=lambda m: m.author.id != rb.bot.user.id)
    await d.dispatch_message(p.message("segreto"))
    assert (await rb.wait_for(seen)).content == ""
    # exceptions: messages mentioning the app, and DMs
    _msg, reply = await ask(d, f"<@{d.app_id}> ciao")
    assert reply["embeds"][0]["description"] == f"<@{d.app_id}> ciao"
    _msg, reply = await ask(d, "in privato", dm=True)
    assert reply["embeds"][0]["description"] == "in privato"
    assert reply["channel_id"] == d.world.dm_channel("member")["id"]


async def test_privileged_intent_portal_switch(discord_double: DiscordDouble, monkeypatch) -> None:
    discord_double.portal_intents = Intent.PRIVILEGED & ~Intent.MESSAGE_CONTENT
    with pytest.raises(discord.PrivilegedIntentsRequired):
        async with running_bot(discord_double, SampleBot(), monkeypatch):
            pass
    assert discord_double.connections[-1].close_code == 4014


async def test_members_intent_gets_full_member_list(
    start_bot, discord_double: DiscordDouble
) -> None:
    # chunking on: member_count == len(members) avoids discord.py's 5 s chunk wait
    rb = await start_bot(SampleBot(members=True))
    guild = rb.bot.get_guild(int(GUILD_ID))
    assert guild.member_count == len(guild.members) == 5
    assert guild.chunked
    mod = guild.get_member(int(discord_double.world.users["mod"]["id"]))
    assert mod.guild_permissions.manage_messages and not mod.guild_permissions.administrator


async def test_raw_gateway_identify_checks_and_heartbeat_switch(
    discord_double: DiscordDouble,
) -> None:
    d = discord_double
    async with aiohttp.ClientSession() as s:
        async with s.ws_connect(d.gateway_url) as ws:
            assert (await ws.receive_json())["op"] == 10
            d.ack_heartbeats = False
            await ws.send_json({"op": 1, "d": None})
            await ws.send_json({"op": 2, "d": {"token": "sbagliato", "intents": 1}})
            msg = await ws.receive()  # no op 11 before the close: ACKs are switched off
            assert msg.type == aiohttp.WSMsgType.CLOSE and msg.data == 4004
        d.ack_heartbeats = True
        async with s.ws_connect(d.gateway_url) as ws:
            await ws.receive_json()
            await ws.send_json({"op": 1, "d": None})
            assert (await ws.receive_json())["op"] == 11
            await ws.send_json({"op": 2, "d": {"token": d.token, "intents": 1}})
            ready = await ws.receive_json()
            assert (ready["t"], ready["s"]) == ("READY", 1)
            assert ready["d"]["resume_gateway_url"] == d.gateway_url
            guild = await ws.receive_json()
            assert (guild["t"], guild["s"]) == ("GUILD_CREATE", 2)
            assert await d.dispatch("MESSAGE_CREATE", d.payloads.message("x")) is None  # no intent
            assert await d.dispatch("TYPING_START", {"channel_id": "1", "user_id": "2"}) is None


async def test_guild_events_gated_by_intents(start_bot, discord_double: DiscordDouble) -> None:
    await start_bot(SampleBot())
    member = discord_double.world.users["member"]
    s = await discord_double.dispatch(
        "GUILD_MEMBER_ADD", {"guild_id": GUILD_ID, "user": member, "roles": []}
    )
    assert s is None  # default intents lack GUILD_MEMBERS
    assert discord_double.dropped_events[-1][0] == "GUILD_MEMBER_ADD"


# ---------------------------------------------------------------------------------------------
# rate limits, server errors, limits
# ---------------------------------------------------------------------------------------------
async def test_429_with_via_is_retried(rb: RunningBot, discord_double: DiscordDouble) -> None:
    fault = discord_double.inject_429("POST", "/channels/*/messages", retry_after=0.05)
    mark = discord_double.mark()
    _msg, reply = await ask(discord_double, "piano")
    sends = discord_double.find_requests("POST", "/channels/*/messages", start=mark)
    assert [r.status for r in sends] == [429, 200]
    assert sends[1].at - sends[0].at >= 0.045
    assert fault.hits == [sends[0].index]
    assert reply["embeds"][0]["description"] == "piano"


async def test_429_without_via_is_not_retried(
    rb: RunningBot, discord_double: DiscordDouble
) -> None:
    discord_double.inject_429("POST", "/channels/*/messages", via=False)
    mark = discord_double.mark()
    await discord_double.dispatch_message(discord_double.payloads.message("bannato?"))
    await rb.wait_error("429")
    assert [
        r.status for r in discord_double.find_requests("POST", "/channels/*/messages", start=mark)
    ] == [429]


async def test_500_is_retried_and_logged(
    rb: RunningBot, discord_double: DiscordDouble, caplog
) -> None:
    caplog.set_level(logging.DEBUG, logger="discord.http")
    discord_double.inject_error("POST", "/channels/*/messages", status=500)
    mark = discord_double.mark()
    await ask(discord_double, "instabile")
    statuses = [
        r.status for r in discord_double.find_requests("POST", "/channels/*/messages", start=mark)
    ]
    assert statuses == [500, 200]  # discord.py slept 1 s and retried
    assert any("has returned 500" in r.getMessage() for r in caplog.records)


async def test_embed_with_26_fields_is_rejected(
    rb: RunningBot, discord_double: DiscordDouble
) -> None:
    mark = discord_double.mark()
    await discord_double.dispatch_message(discord_double.payloads.message("!campi"))
    rejected = await discord_double.wait_request("POST", "/channels/*/messages", start=mark)
    assert rejected.status == 400
    assert rejected.response["code"] == 50035
    assert (
        rejected.response["errors"]["embeds"]["0"]["fields"]["_errors"][0]["code"]
        == "BASE_TYPE_MAX_LENGTH"
    )
    await rb.wait_error("In embeds.0.fields: Must be 25 or fewer in length.")


async def test_autocomplete_over_25_choices_rejected(
    rb: RunningBot, discord_double: DiscordDouble
) -> None:
    d = discord_double
    ac = await d.dispatch_interaction(
        d.payloads.autocomplete("domanda", {"testo": "troppi"}, focused="testo")
    )
    cb = await d.wait_callback(ac["id"])
    assert cb.status == 400 and "choices" in cb.response["errors"]["data"]


async def test_long_command_description_fails_sync(
    discord_double: DiscordDouble, monkeypatch
) -> None:
    @app_commands.command(name="prolissa", description="x" * 101)
    async def prolissa(interaction: discord.Interaction) -> None:
        pass

    with pytest.raises(app_commands.CommandSyncFailure, match="Must be between 1 and 100"):
        async with running_bot(discord_double, SampleBot(extra_commands=[prolissa]), monkeypatch):
            pass


async def test_no_reply_to_bots(rb: RunningBot, discord_double: DiscordDouble) -> None:
    mark = discord_double.mark()
    await discord_double.dispatch_message(
        discord_double.payloads.message("ciao", author="other_bot")
    )
    await asyncio.sleep(0.2)  # the one negative wait of the suite
    assert discord_double.sent_messages(start=mark) == []


async def test_safety_net_blocks_real_hosts(rb: RunningBot) -> None:
    t0 = time.perf_counter()
    with pytest.raises(aiohttp.ClientConnectorError):
        await rb.bot.http.get_from_cdn("https://cdn.discordapp.com/embed/avatars/0.png")
    assert time.perf_counter() - t0 < 1


# ---------------------------------------------------------------------------------------------
# validators (no bot needed)
# ---------------------------------------------------------------------------------------------
def _cmd(**kw) -> dict:
    return {"name": "cmd", "description": "d", "type": 1, "options": [], **kw}


def test_message_limits() -> None:
    assert validate_message({"content": "x" * 2001}).flat() == [
        "content: Must be 2000 or fewer in length."
    ]
    assert not validate_message({"content": "x" * 2000})
    big = [{"title": "t", "description": "d" * 4096}, {"description": "d" * 1905}]
    assert validate_message({"embeds": big}).flat() == [
        "embeds: Embed size exceeds maximum size of 6000"
    ]
    assert not validate_message(
        {"embeds": [{"description": " " * 10 + "d" * 4096}, {"description": "d" * 1904}]}
    )
    bad_embed = {
        "title": "t" * 257,
        "description": "d" * 4097,
        "footer": {"text": "f" * 2049},
        "author": {"name": "a" * 257},
        "fields": [{"name": "n" * 257, "value": "v" * 1025}, {"name": "ok", "value": " "}],
    }
    assert validate_message({"embeds": [bad_embed]}).flat() == [
        "embeds.0.title: Must be 256 or fewer in length.",
        "embeds.0.description: Must be 4096 or fewer in length.",
        "embeds.0.footer.text: Must be 2048 or fewer in length.",
        "embeds.0.author.name: Must be 256 or fewer in length.",
        "embeds.0.fields.0.name: Must be 256 or fewer in length.",
        "embeds.0.fields.0.value: Must be 1024 or fewer in length.",
        "embeds.0.fields.1.value: This field is required",
        "embeds: Embed size exceeds maximum size of 6000",
    ]
    rows = [
        {
            "type": 1,
            "components": [
                {"type": 2, "style": 1, "label": "b", "custom_id": f"{r}{i}"} for i in range(5)
            ],
        }
        for r in range(6)
    ]
    assert validate_message({"components": rows}).flat() == [
        "components: Must be 5 or fewer in length."
    ]
    row = {
        "type": 1,
        "components": [{"type": 2, "style": 1, "label": "l" * 81, "custom_id": "c" * 101}] * 2,
    }
    errors = FormErrors()
    validate_components(errors, [row])
    flat = errors.flat()
    assert "components: Component custom id cannot be duplicated" in flat
    assert "components.0.components.0.label: Must be 80 or fewer in length." in flat
    assert "components.0.components.0.custom_id: Must be between 1 and 100 in length." in flat


def test_command_sync_limits() -> None:
    assert validate_commands([_cmd()]) is None
    status, body = validate_commands([_cmd(name="Maiuscolo")])
    assert (
        status == 400
        and body["errors"]["0"]["name"]["_errors"][0]["code"] == "APPLICATION_COMMAND_INVALID_NAME"
    )
    assert validate_commands([_cmd(name="perché-l'ok")]) is None  # unicode letters and ' are fine
    opts = [{"type": 3, "name": f"o{i}", "description": "d"} for i in range(26)]
    assert "options" in validate_commands([_cmd(options=opts)])[1]["errors"]["0"]
    choices = [{"name": f"c{i}", "value": f"c{i}"} for i in range(26)]
    opt = {"type": 3, "name": "o", "description": "d", "choices": choices, "autocomplete": True}
    errs = validate_commands([_cmd(options=[opt])])[1]["errors"]["0"]["options"]["0"]
    assert {"choices", "autocomplete"} <= set(errs)
    opt = {"type": 3, "name": "o", "description": "d", "choices": [{"name": "", "value": "v"}]}
    assert validate_commands([_cmd(options=[opt])]) is not None
    big = [
        {
            "type": 3,
            "name": f"o{i}",
            "description": "d" * 100,
            "choices": [{"name": "n" * 100, "value": "v" * 100}] * 25,
        }
        for i in range(2)
    ]
    assert (
        validate_commands([_cmd(options=big)])[1]["errors"]["0"]["_errors"][0]["code"]
        == "APPLICATION_COMMAND_TOO_LARGE"
    )
    assert validate_commands([_cmd(name=f"c{i}") for i in range(101)])[1]["code"] == 30032
    mixed = [
        {"type": 1, "name": "sub", "description": "d"},
        {"type": 3, "name": "o", "description": "d"},
    ]
    assert validate_commands([_cmd(options=mixed)]) is not None
    group = {
        "type": 2,
        "name": "g",
        "description": "d",
        "options": [{"type": 2, "name": "gg", "description": "d", "options": []}],
    }
    assert validate_commands([_cmd(options=[group])]) is not None
    order = [
        {"type": 3, "name": "a", "description": "d"},
        {"type": 3, "name": "b", "description": "d", "required": True},
    ]
    assert validate_commands([_cmd(options=order)]) is not None
    assert validate_commands([_cmd(), _cmd()]) is not None  # duplicate names


def test_autocomplete_and_modal_limits() -> None:
    assert validate_autocomplete({"choices": [{"name": "n", "value": "v"}] * 26}).flat() == [
        "data.choices: Must be 25 or fewer in length."
    ]
    text = {"type": 4, "custom_id": "t", "style": 1, "label": "l" * 46, "max_length": 4001}
    modal = {
        "custom_id": "m",
        "title": "t" * 46,
        "components": [{"type": 1, "components": [text]}] * 6,
    }
    flat = validate_modal(modal).flat()
    assert "data.title: Must be between 1 and 45 in length." in flat
    assert "data.components: Must be between 1 and 5 in length." in flat
    assert "data.components.0.components.0.label: Must be between 1 and 45 in length." in flat
    assert (
        "data.components.0.components.0.max_length: int value should be <= 4000 and >= 1." in flat
    )


async def test_empty_message_and_permissions(discord_double: DiscordDouble) -> None:
    d = discord_double
    headers = {"Authorization": f"Bot {d.token}"}
    url = f"{d.api_base}/channels/{d.guild.channel('generale')['id']}/messages"
    async with aiohttp.ClientSession(headers=headers) as s:
        async with s.post(url, json={"content": "  ", "embeds": []}) as resp:
            assert resp.status == 400 and (await resp.json())["code"] == 50006
        d.guild.role(GUILD_ID)["permissions"] = str(Perm.VIEW_CHANNEL)
        d.guild.role("Timoniere")["permissions"] = "0"
        async with s.post(url, json={"content": "ciao"}) as resp:
            assert resp.status == 403 and (await resp.json())["code"] == 50013
        async with s.post(
            url, json={"content": "ciao"}, headers={"Authorization": "Bot sbagliato"}
        ) as resp:
            assert resp.status == 401
