"""/impostazioni end to end: servers configure the bot from Discord, with no redeploy.

The production bot runs against the double with the environment's settings
(`e2e_support.make_settings`: "domande" auto-answers in the first server). A
second server, unknown to the environment, sets itself up; every change shows
in the very next message, and is stored with who made it.
"""

from __future__ import annotations

import json
import sqlite3
from contextlib import AbstractAsyncContextManager, closing
from pathlib import Path
from typing import Any

import pytest
from discord_double import DiscordDouble, Perm, RunningBot, running_bot
from discord_double.command_access import CommandUnavailable
from discord_double.world import MOD_ID, MOD_ROLE_ID, OWNER_ID, Guild
from e2e_support import AUTO_CHANNEL, PLAIN_CHANNEL, ROOT, Chat, make_bot, mention
from server_support import add_server, assert_silent_in, slash_text

from bot import messages
from bot.discord_app.permissions import INVITE_PERMISSIONS, INVITE_SCOPES

EPHEMERAL = 1 << 6
QUESTION = "docker compose sa fare il failover?"


def history_rows(chat: Chat) -> list[tuple[Any, ...]]:
    with closing(sqlite3.connect(chat.bot.settings.database_path)) as conn:
        return conn.execute(
            "SELECT guild_id, key, old_value, new_value, changed_by"
            " FROM server_settings_history ORDER BY id"
        ).fetchall()


async def test_a_second_server_configures_itself_without_the_environment(
    launch: Any, discord_double: DiscordDouble
) -> None:
    second: Guild = add_server(discord_double, "Secondo Server")
    help_desk = second.channel("aiuto")["id"]
    chat: Chat = await launch()
    environment = chat.bot.settings

    # Not in the environment's list: a question there gets no unprompted answer...
    before = await chat.send(QUESTION, author="member2", channel=help_desk, guild_id=second.id)
    await assert_silent_in(chat, second, before)

    # ...until that server's owner adds the channel.
    callback = await chat.slash(
        "impostazioni canali aggiungi",
        {"canale": "aiuto"},
        guild_id=second.id,
        user="owner2",
        channel=help_desk,
    )
    assert callback["data"]["content"] == messages.SETTINGS_CHANNEL_ADDED.format(
        channel=f"<#{help_desk}>"
    )
    assert callback["data"]["flags"] & EPHEMERAL
    assert callback["data"]["allowed_mentions"] == {"parse": []}

    _, reply = await chat.ask(QUESTION, author="member2", channel=help_desk, guild_id=second.id)
    assert reply["embeds"], reply

    # The first server keeps the environment's defaults; the environment is untouched.
    assert chat.bot.settings == environment
    assert chat.bot.server_settings(int(second.id)).auto_answer_channels == (int(help_desk),)
    _, first_reply = await chat.ask(QUESTION, channel=AUTO_CHANNEL)
    assert first_reply["embeds"]
    listed = await slash_text(chat, "impostazioni canali elenco", user="owner")
    assert listed == messages.SETTINGS_CHANNEL_LIST.format(channels=f"<#{AUTO_CHANNEL}>")

    owner2 = discord_double.world.user("owner2")["id"]
    assert history_rows(chat) == [
        (int(second.id), "auto_answer_channels", None, json.dumps([int(help_desk)]), int(owner2))
    ]
    assert not chat.rb.errors


async def test_the_settings_survive_a_restart(
    discord_double: DiscordDouble, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    def start() -> AbstractAsyncContextManager[RunningBot]:
        return running_bot(discord_double, lambda: make_bot(tmp_path), monkeypatch)

    async with start() as rb:
        chat = Chat(discord_double, rb)
        await chat.slash("impostazioni canali rimuovi", {"canale": "domande"}, user="owner")
        await chat.slash("impostazioni sensibilita", {"livello": "alta"}, user="owner")

    async with start() as rb:
        again = Chat(discord_double, rb)
        settings = again.bot.server_settings(int(discord_double.guild.id))
        assert settings.auto_answer_channels == ()
        assert settings.sensitivity == "alta"
        silent = await again.send(QUESTION, channel=AUTO_CHANNEL)
        await again.assert_silent(silent)


async def test_pause_and_resume_apply_at_once(timoniere: Chat) -> None:
    chat = timoniere
    assert await slash_text(chat, "impostazioni pausa", user="owner") == messages.SETTINGS_PAUSED
    assert (
        await slash_text(chat, "impostazioni pausa", user="owner")
        == messages.SETTINGS_ALREADY_PAUSED
    )
    unprompted = await chat.send(QUESTION, channel=AUTO_CHANNEL)
    await chat.assert_silent(unprompted)
    # Paused means unprompted only: whoever mentions the bot still gets an answer.
    _, addressed = await chat.ask(mention(QUESTION), channel=AUTO_CHANNEL)
    assert addressed["embeds"]

    resumed = await slash_text(chat, "impostazioni riprendi", user="owner")
    assert resumed == messages.SETTINGS_RESUMED
    _, reply = await chat.ask(QUESTION, author="mod", channel=AUTO_CHANNEL)
    assert reply["embeds"]
    owner = int(OWNER_ID)
    guild = int(chat.double.guild.id)
    assert history_rows(chat) == [
        (guild, "paused", None, "true", owner),
        (guild, "paused", "true", "false", owner),
    ]


async def test_cooldown_is_set_per_server_and_bad_values_are_refused(timoniere: Chat) -> None:
    chat = timoniere
    # The environment's default (60 s) holds back the same question asked again...
    _, first = await chat.ask(QUESTION, channel=AUTO_CHANNEL)
    repeat = await chat.send(QUESTION, author="mod", channel=AUTO_CHANNEL)
    await chat.assert_silent(repeat)

    refused = await slash_text(chat, "impostazioni attesa", {"secondi": 90000}, user="owner")
    assert refused == messages.SETTINGS_COOLDOWN_RANGE.format(max=86400)
    refused = await slash_text(chat, "impostazioni attesa", {"secondi": -1}, user="owner")
    assert refused == messages.SETTINGS_COOLDOWN_RANGE.format(max=86400)
    assert history_rows(chat) == []

    # ...and with no pause it is answered at once.
    assert await slash_text(chat, "impostazioni attesa", {"secondi": 0}, user="owner") == (
        messages.SETTINGS_COOLDOWN_OFF
    )
    _, again = await chat.ask(QUESTION, author="owner", channel=AUTO_CHANNEL)
    assert again["embeds"] and first["embeds"]
    text = await slash_text(chat, "impostazioni attesa", {"secondi": 30}, user="owner")
    assert text == messages.SETTINGS_COOLDOWN_SET.format(
        seconds=messages.SETTINGS_SECONDS.format(seconds=30)
    )
    assert "30 secondi." in text and "secondi secondi" not in text
    text = await slash_text(chat, "impostazioni attesa", {"secondi": 1}, user="owner")
    assert text == messages.SETTINGS_COOLDOWN_SET.format(seconds=messages.SETTINGS_ONE_SECOND)


async def test_sensitivity_changes_what_gets_an_unprompted_answer(timoniere: Chat) -> None:
    chat = timoniere
    search = "autoscaling dkc"  # a bare search: "normale" answers it, "bassa" does not
    await slash_text(chat, "impostazioni attesa", {"secondi": 0}, user="owner")
    _, reply = await chat.ask(search, channel=AUTO_CHANNEL)
    assert reply["embeds"]

    text = await slash_text(chat, "impostazioni sensibilita", {"livello": "bassa"}, user="owner")
    assert text == messages.SETTINGS_SENSITIVITY_SET.format(
        level="bassa", explanation=messages.SENSITIVITY_EXPLAINED["bassa"]
    )
    quiet = await chat.send(search, author="mod", channel=AUTO_CHANNEL)
    await chat.assert_silent(quiet)

    command = chat.double.find_command("impostazioni")
    (level_option,) = next(o for o in command["options"] if o["name"] == "sensibilita")["options"]
    assert [c["value"] for c in level_option["choices"]] == ["bassa", "normale", "alta"]


async def test_channels_text_and_forum_and_their_refusals(
    launch: Any, discord_double: DiscordDouble
) -> None:
    forum = discord_double.world.add_text_channel("forum-aiuto", type=15, available_tags=[])
    discord_double.world.add_text_channel("Sezione", type=4)  # a category
    chat: Chat = await launch()
    # Discord's picker would not offer a category; a client with stale commands might.
    wrong = await slash_text(
        chat, "impostazioni canali aggiungi", {"canale": "Sezione"}, user="owner"
    )
    assert wrong == messages.SETTINGS_CHANNEL_WRONG_KIND
    added = await slash_text(
        chat, "impostazioni canali aggiungi", {"canale": "forum-aiuto"}, user="owner"
    )
    assert added == messages.SETTINGS_CHANNEL_ADDED.format(channel=f"<#{forum['id']}>")
    again = await slash_text(
        chat, "impostazioni canali aggiungi", {"canale": "forum-aiuto"}, user="owner"
    )
    assert again == messages.SETTINGS_CHANNEL_ALREADY
    listed = await slash_text(chat, "impostazioni canali elenco", user="owner")
    assert listed == messages.SETTINGS_CHANNEL_LIST.format(
        channels=f"<#{AUTO_CHANNEL}>, <#{forum['id']}>"
    )
    not_there = await slash_text(
        chat, "impostazioni canali rimuovi", {"canale": "generale"}, user="owner"
    )
    assert not_there == messages.SETTINGS_CHANNEL_NOT_THERE
    removed = await slash_text(
        chat, "impostazioni canali rimuovi", {"canale": "domande"}, user="owner"
    )
    assert removed == messages.SETTINGS_CHANNEL_REMOVED.format(channel=f"<#{AUTO_CHANNEL}>")
    quiet = await chat.send(QUESTION, channel=AUTO_CHANNEL)
    await chat.assert_silent(quiet)

    # Discord's picker offers only text, announcement and forum channels.
    command = chat.double.find_command("impostazioni")
    channels = next(o for o in command["options"] if o["name"] == "canali")
    add = next(o for o in channels["options"] if o["name"] == "aggiungi")
    assert sorted(add["options"][0]["channel_types"]) == [0, 5, 15]
    assert not chat.rb.errors


async def test_moderator_roles_are_set_by_manage_server_only(
    timoniere: Chat, discord_double: DiscordDouble
) -> None:
    chat = timoniere
    # Hidden from members and moderators by default (default_member_permissions)...
    command = discord_double.find_command("impostazioni")
    assert int(command["default_member_permissions"]) == Perm.MANAGE_GUILD
    assert command["contexts"] == [0]
    with pytest.raises(CommandUnavailable):
        discord_double.payloads.slash_command("impostazioni mostra", user="mod")
    # ...and refused in code when an admin opens the bot's commands to everyone.
    everyone = {"id": discord_double.guild.id, "type": 1, "permission": True}
    discord_double.set_command_permissions(None, [everyone])
    refused = await slash_text(chat, "impostazioni mostra", user="mod")
    assert refused == messages.SETTINGS_NOT_ALLOWED

    for role, refusal in (
        ("@everyone", messages.SETTINGS_ROLE_EVERYONE),
        ("Timoniere", messages.SETTINGS_ROLE_MANAGED),
    ):
        text = await slash_text(chat, "impostazioni ruoli aggiungi", {"ruolo": role}, user="owner")
        assert text == refusal
    added = await slash_text(
        chat, "impostazioni ruoli aggiungi", {"ruolo": "Moderatore"}, user="owner"
    )
    assert added == messages.SETTINGS_ROLE_ADDED.format(role=f"<@&{MOD_ROLE_ID}>")

    # Now the moderator may configure the server, and manage it only so far:
    paused = await slash_text(chat, "impostazioni pausa", user="mod")
    assert paused == messages.SETTINGS_PAUSED
    escalation = await slash_text(
        chat, "impostazioni ruoli rimuovi", {"ruolo": "Moderatore"}, user="mod"
    )
    assert escalation == messages.SETTINGS_ROLES_NEED_MANAGE_GUILD
    # /diagnostica follows the server's roles too, and says the answers are paused.
    diagnosis = await chat.slash("diagnostica", user="mod")
    (embed,) = diagnosis["data"]["embeds"]
    assert embed["title"] == messages.DIAGNOSE_TITLE
    assert messages.DIAGNOSE_PAUSED in embed["description"].splitlines()

    removed = await slash_text(
        chat, "impostazioni ruoli rimuovi", {"ruolo": "Moderatore"}, user="owner"
    )
    assert removed == messages.SETTINGS_ROLE_REMOVED.format(role=f"<@&{MOD_ROLE_ID}>")
    assert await slash_text(chat, "impostazioni mostra", user="mod") == (
        messages.SETTINGS_NOT_ALLOWED
    )
    guild = int(discord_double.guild.id)
    assert [(row[1], row[4]) for row in history_rows(chat)] == [
        ("mod_roles", int(OWNER_ID)),
        ("paused", int(MOD_ID)),
        ("mod_roles", int(OWNER_ID)),
    ]
    assert {row[0] for row in history_rows(chat)} == {guild}


async def test_mostra_and_storia_show_defaults_and_changes(timoniere: Chat) -> None:
    chat = timoniere
    shown = await chat.slash("impostazioni mostra", user="owner")
    (embed,) = shown["data"]["embeds"]
    assert embed["title"] == messages.SETTINGS_TITLE
    fields = {field["name"]: field["value"] for field in embed["fields"]}
    label = messages.SETTING_LABELS
    assert fields[label["auto_answer_channels"]] == messages.SETTINGS_DEFAULT_MARK.format(
        value=f"<#{AUTO_CHANNEL}>"
    )
    assert fields[label["sensitivity"]] == messages.SETTINGS_DEFAULT_MARK.format(value="normale")

    await chat.slash("impostazioni sensibilita", {"livello": "alta"}, user="owner")
    shown = await chat.slash("impostazioni mostra", user="owner")
    fields = {field["name"]: field["value"] for field in shown["data"]["embeds"][0]["fields"]}
    assert fields[label["sensitivity"]] == "alta"

    history = await chat.slash("impostazioni storia", user="owner")
    (embed,) = history["data"]["embeds"]
    (line,) = embed["description"].splitlines()
    assert line.endswith(
        f"<@{OWNER_ID}> · {label['sensitivity']}: {messages.SETTINGS_HISTORY_DEFAULT} → alta"
    )
    assert history["data"]["flags"] & EPHEMERAL


async def test_export_then_import_restores_and_another_server_is_refused(
    launch: Any, discord_double: DiscordDouble
) -> None:
    second = add_server(discord_double, "Secondo Server")
    chat: Chat = await launch()
    await chat.slash("impostazioni sensibilita", {"livello": "bassa"}, user="owner")
    await chat.slash("impostazioni canali aggiungi", {"canale": "generale"}, user="owner")

    await chat.slash("impostazioni esporta", user="owner")
    export = chat.original()
    assert export["flags"] & EPHEMERAL
    assert export["content"] == messages.SETTINGS_EXPORTED.format(count=2)
    document = json.loads(discord_double.attachment(export))
    assert document["settings"] == {
        "auto_answer_channels": [int(AUTO_CHANNEL), int(PLAIN_CHANNEL)],
        "sensitivity": "bassa",
    }
    (attachment,) = export["attachments"]

    await chat.slash("impostazioni sensibilita", {"livello": "alta"}, user="owner")
    await chat.slash("impostazioni pausa", user="owner")
    restored = await run_import(chat, attachment, user="owner")
    assert restored == messages.SETTINGS_IMPORTED.format(count=1)
    settings = chat.bot.server_settings(int(discord_double.guild.id))
    assert settings.sensitivity == "bassa" and settings.paused  # paused was not exported

    elsewhere = await run_import(chat, attachment, user="owner2", guild=second)
    missing = ", ".join(
        messages.SETTINGS_IMPORT_MISSING_CHANNEL.format(id=channel)
        for channel in (AUTO_CHANNEL, PLAIN_CHANNEL)
    )
    assert elsewhere == messages.SETTINGS_IMPORT_MISSING.format(items=missing)
    assert chat.bot.server_settings(int(second.id)).customized == frozenset()
    assert not chat.rb.errors


async def run_import(
    chat: Chat, attachment: dict[str, Any], *, user: str, guild: Guild | None = None
) -> str:
    """/impostazioni importa with a file."""
    guild_id = guild.id if guild else discord_double_guild(chat)
    payload = chat.payloads.slash_command(
        "impostazioni importa", {"file": attachment}, guild_id=guild_id, user=user
    )
    body = await chat.interact(payload)
    # Deferred while the file downloads; `interact` returns the followup then.
    assert body.get("deferred"), body
    assert body["data"]["flags"] & EPHEMERAL
    content: str = body["data"]["content"]
    return content


def discord_double_guild(chat: Chat) -> str:
    guild_id: str = chat.double.guild.id
    return guild_id


async def test_aiuto_and_the_readme_describe_the_setup_flow(timoniere: Chat) -> None:
    permissions = str(INVITE_PERMISSIONS.value)
    scopes = "+".join(INVITE_SCOPES)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"scope={scopes}&permissions={permissions}" in readme
    assert "`/impostazioni`" in readme
    # What the answers need (see /diagnostica) and slash commands; nothing else.
    assert {name for name, granted in INVITE_PERMISSIONS if granted} == {
        "read_messages",  # View Channel
        "send_messages",
        "send_messages_in_threads",
        "read_message_history",
        "embed_links",
        "use_application_commands",
    }

    callback = await timoniere.slash("aiuto")
    (embed,) = callback["data"]["embeds"]
    text = embed["description"]
    assert f"`{permissions}`" in text
    assert all(f"`{scope}`" in text for scope in INVITE_SCOPES)
    assert "`/impostazioni`" in text and "`/diagnostica`" in text


async def test_a_change_the_database_refuses_is_not_applied(timoniere: Chat) -> None:
    chat = timoniere
    path = chat.bot.settings.database_path
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)

    refused = await slash_text(chat, "impostazioni pausa", user="owner")
    assert refused == messages.SETTINGS_NOT_SAVED["file_gone"]
    # Not applied from memory as if it were saved: the channel still gets answers.
    assert not chat.bot.server_settings(int(chat.double.guild.id)).paused
    _, reply = await chat.ask(QUESTION, channel=AUTO_CHANNEL)
    assert reply["embeds"]
    assert [r.getMessage() for r in chat.rb.errors] == [
        f"the database file {path} was deleted or replaced while open: refusing writes"
        " (restore it from a backup and restart)"
    ]
    chat.rb.errors.clear()  # that one error is expected


async def test_two_admins_adding_channels_at_once_keep_both(
    launch: Any, discord_double: DiscordDouble
) -> None:
    double = discord_double
    extra = double.world.add_text_channel("altre-domande")["id"]
    chat: Chat = await launch()
    first = double.payloads.slash_command(
        "impostazioni canali aggiungi", {"canale": "generale"}, user="owner"
    )
    second = double.payloads.slash_command(
        "impostazioni canali aggiungi", {"canale": "altre-domande"}, user="owner"
    )
    # Both arrive before either is answered: each reads the list and writes it back.
    await double.dispatch_interaction(first)
    await double.dispatch_interaction(second)
    for payload in (first, second):
        assert (await double.wait_callback(payload["id"])).status in (200, 204)

    channels = chat.bot.server_settings(int(double.guild.id)).auto_answer_channels
    assert channels == (int(AUTO_CHANNEL), int(PLAIN_CHANNEL), int(extra))
    assert len(history_rows(chat)) == 2
