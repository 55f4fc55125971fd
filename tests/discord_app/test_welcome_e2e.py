"""The welcome when the bot joins a server, end to end.

The double announces a new guild with GUILD_CREATE after READY, as Discord does
when the bot is invited; discord.py calls that `on_guild_join`.
"""

from __future__ import annotations

import logging

import pytest
from discord_double import DiscordDouble, Perm
from discord_double.world import Guild
from e2e_support import Chat, eventually
from server_support import add_server

from bot import messages

WELCOME_LOG = "bot.discord_app.cogs.welcome"


def bot_role(guild: Guild) -> str:
    role_id: str = guild.role("Timoniere")["id"]
    return role_id


async def join(chat: Chat, guild: Guild) -> int:
    """The bot is invited to `guild`: a REST mark taken just before."""
    double = chat.double
    mark = double.mark()
    data = guild.to_gateway(with_members=False, with_presences=False, bot_id=double.app_id)
    # discord.py reads GUILD_CREATE without "unavailable" as a join, and with
    # "unavailable": false as a guild back from an outage (GUILD_AVAILABLE).
    del data["unavailable"]
    await double.dispatch("GUILD_CREATE", data)
    return mark


def welcome_sent(double: DiscordDouble, mark: int) -> list[dict[str, object]]:
    return [m for m in double.sent_messages(start=mark) if m["content"] == messages.WELCOME_TEXT]


async def test_the_welcome_goes_to_the_system_channel(timoniere: Chat) -> None:
    double = timoniere.double
    guild = add_server(double, "Nuovo Server")
    mark = await join(timoniere, guild)

    message = await double.wait_reply(guild.channel("benvenuto")["id"], start=mark)
    assert message["content"] == messages.WELCOME_TEXT
    for command in ("`/aiuto`", "`/impostazioni`", "`/diagnostica`"):
        assert command in message["content"]
    body = timoniere.body(message)
    assert body["allowed_mentions"] == {"parse": []}
    assert len(welcome_sent(double, mark)) == 1
    assert not timoniere.rb.errors


async def test_without_the_system_channel_the_first_writable_channel(timoniere: Chat) -> None:
    double = timoniere.double
    guild = add_server(double, "Nuovo Server")
    guild.overwrite("benvenuto", bot_role(guild), deny=Perm.SEND_MESSAGES)
    mark = await join(timoniere, guild)

    message = await double.wait_reply(guild.channel("aiuto")["id"], start=mark)
    assert message["content"] == messages.WELCOME_TEXT
    assert welcome_sent(double, mark) == [message]
    assert not timoniere.rb.errors


async def test_where_it_may_write_nowhere_it_stays_silent_and_logs_why(
    timoniere: Chat, caplog: pytest.LogCaptureFixture
) -> None:
    double = timoniere.double
    guild = add_server(double, "Server Chiuso")
    for channel in ("benvenuto", "aiuto"):
        guild.overwrite(channel, bot_role(guild), deny=Perm.VIEW_CHANNEL)
    mark = await join(timoniere, guild)

    def lines() -> list[str]:
        return [
            r.getMessage()
            for r in caplog.records
            if r.name == WELCOME_LOG and r.levelno == logging.WARNING
        ]

    logged = await eventually(lines, bool)
    assert logged == [f"joined guild {guild.id}: no channel to post the welcome in"]
    assert welcome_sent(double, mark) == []
    assert [r for r in double.requests[mark:] if r.method == "POST"] == []
    assert not timoniere.rb.errors
