"""Helpers for tests with more than one server: a second guild in the double's world,
silence checks there, and slash commands whose private answer is plain text."""

from __future__ import annotations

from typing import Any

from discord_double import DiscordDouble, Perm
from discord_double.world import Guild, make_member, make_role, make_text_channel, make_user
from e2e_support import Chat, mention

JSON = dict[str, Any]


def add_server(double: DiscordDouble, name: str, *, suffix: str = "2") -> Guild:
    """A second guild the bot is in from the start: channels "benvenuto" (the system
    channel) and "aiuto", users `owner<suffix>` (its owner) and `member<suffix>`.
    Call before the bot starts."""
    world = double.world
    guild_id = world.new_id()
    owner = make_user(world.new_id(), f"titolare{suffix}")
    member = make_user(world.new_id(), f"socio{suffix}")
    world.users[f"owner{suffix}"] = owner
    world.users[f"member{suffix}"] = member
    bot_role = world.new_id()
    guild = Guild(id=guild_id, name=name, owner_id=owner["id"])
    guild.roles = [
        make_role(guild_id, "@everyone", Perm.EVERYONE_DEFAULT, 0),
        make_role(bot_role, "Timoniere", Perm.EVERYONE_DEFAULT, 1, managed=True),
    ]
    guild.channels = [
        make_text_channel(world.new_id(), guild_id, "benvenuto", 0),
        make_text_channel(world.new_id(), guild_id, "aiuto", 1),
    ]
    guild.members = [
        make_member(owner, []),
        make_member(member, []),
        make_member(world.bot_user, [bot_role]),
    ]
    world.guilds[guild_id] = guild
    return guild


async def assert_silent_in(chat: Chat, guild: Guild, *msgs: JSON) -> None:
    """No reply to `msgs`, checked after a probe answered in the same server (the bot
    handles events in order, and the probe waits behind that server's first FAQ load)."""
    channel = guild.channel("benvenuto")["id"]
    probe_user = chat.double.world.add_user(f"sonda-{guild.id}", "sonda")
    mark = chat.double.mark()
    probe = await chat.send(mention(""), author=probe_user, channel=channel, guild_id=guild.id)
    await chat.reply_to(probe, start=mark)
    for msg in msgs:
        assert chat.replies_to(msg) == [], msg["content"]
        said = chat.double.sent_messages(msg["channel_id"], start=mark)
        assert said == [], said


async def slash_text(chat: Chat, name: str, options: JSON | None = None, **kwargs: Any) -> str:
    """Run a slash command whose answer is a private text; return the text."""
    callback = await chat.slash(name, options, **kwargs)
    data = callback["data"]
    assert data["flags"] & (1 << 6), data
    assert data["allowed_mentions"] == {"parse": []}, data
    text: str = data["content"]
    return text
