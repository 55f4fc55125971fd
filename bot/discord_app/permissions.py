"""Who may use the moderator commands, and what the bot itself may do in a channel.

Discord's `default_permissions` only hide a command by default: server admins
can re-grant it to anyone, and our moderator roles (each server's, set with
`/impostazioni ruoli`; `MOD_ROLE_IDS` by default) are unknown to Discord. So
every moderator command checks again with this, as an app-command check whose
refusal carries the Italian text to show.

The check reads the member's server-wide permissions (their roles; the owner has
all), never `interaction.permissions`: Discord resolves that for the channel,
overwrites included, and the FAQ and the settings belong to the whole server, so
a Manage Messages overwrite in one channel must not open them.

`send_plan` reads the bot's own permissions before it answers in a channel:
Discord refuses a reply without Read Message History (403) and silently drops
embeds without Embed Links, so the bot adapts instead of failing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final, TypeVar, cast

import discord
from discord import app_commands

from bot.metrics import ChannelPermission

if TYPE_CHECKING:
    from bot.discord_app.client import TimoniereBot

T = TypeVar("T")


class Refused(app_commands.CheckFailure):
    """A check that failed for a reason the user is told: `message` is Italian."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def has_permission_or_role(
    interaction: discord.Interaction, permission: str, mod_role_ids: Iterable[int]
) -> bool:
    """`permission` (a `discord.Permissions` flag) server-wide, Administrator, or a
    moderator role."""
    member = server_member(interaction)
    if member is None:
        return False
    permissions = member.guild_permissions
    if getattr(permissions, permission) or permissions.administrator:
        return True
    wanted = set(mod_role_ids)
    return any(role.id in wanted for role in member.roles)


def server_member(interaction: discord.Interaction) -> discord.Member | None:
    """The user as a member of the server the interaction came from; None in DMs.

    Their `guild_permissions` come from the cached server's roles (the GUILDS intent),
    so a server discord.py has not cached grants nothing: refusing is the safe side.
    """
    user = interaction.user
    if interaction.guild is None or not isinstance(user, discord.Member):
        return None
    return user


def require_moderator(interaction: discord.Interaction, permission: str, refusal: str) -> None:
    """Raise `Refused(refusal)` unless the user has `permission` or a moderator role."""
    bot = cast("TimoniereBot", interaction.client)
    mod_roles = bot.server_settings(interaction.guild_id).mod_roles
    if not has_permission_or_role(interaction, permission, mod_roles):
        raise Refused(refusal)


def moderators_only(permission: str, refusal: str) -> Callable[[T], T]:
    """An app-command check: `require_moderator` before the command runs."""

    def predicate(interaction: discord.Interaction) -> bool:
        require_moderator(interaction, permission, refusal)
        return True

    return app_commands.check(predicate)


def moderator_group(name: str, description: str, *, permission: str) -> app_commands.Group:
    """A slash-command group for one server's moderators, used only inside servers.

    `permission` hides it from members without that flag, by default only: each
    command still needs `moderators_only` (see above).
    """
    return app_commands.Group(
        name=name,
        description=description,
        default_permissions=discord.Permissions(**{permission: True}),
        guild_only=True,
        # `contexts` too: Discord deprecates `dm_permission` in favour of it.
        allowed_contexts=app_commands.AppCommandContext(guild=True),
    )


# What the invite link asks for (README, /aiuto): what answers need, and slash commands.
INVITE_PERMISSIONS: Final = discord.Permissions(
    view_channel=True,
    send_messages=True,
    send_messages_in_threads=True,
    read_message_history=True,
    embed_links=True,
    use_application_commands=True,
)
INVITE_SCOPES: Final = ("bot", "applications.commands")


def may_manage_server(interaction: discord.Interaction) -> bool:
    """Manage Server or Administrator server-wide: what changing the moderator roles needs."""
    member = server_member(interaction)
    if member is None:
        return False
    permissions = member.guild_permissions
    return permissions.manage_guild or permissions.administrator


# The channel permissions the bot's answers depend on, in the order /diagnostica lists them.
ANSWER_PERMISSIONS: Final[tuple[ChannelPermission, ...]] = (
    "view_channel",
    "send_messages",
    "send_messages_in_threads",
    "read_message_history",
    "embed_links",
)
_SEND_PERMISSIONS: Final = frozenset({"view_channel", "send_messages", "send_messages_in_threads"})


@dataclass(frozen=True)
class SendPlan:
    """How the bot may answer in a channel: `missing` lists what it lacks there."""

    missing: tuple[ChannelPermission, ...] = ()

    @property
    def can_send(self) -> bool:
        return not _SEND_PERMISSIONS.intersection(self.missing)

    @property
    def as_reply(self) -> bool:
        return "read_message_history" not in self.missing

    @property
    def with_embed(self) -> bool:
        return "embed_links" not in self.missing


def bot_permissions(channel: object) -> discord.Permissions | None:
    """The bot's permissions in a guild channel or thread; None in DMs, or when discord.py
    cannot tell (then the bot just tries, and Discord decides)."""
    if isinstance(channel, discord.PartialMessageable):
        return None  # not cached: its `permissions_for` is always "none", which is no answer
    guild = getattr(channel, "guild", None)
    if guild is None or guild.me is None or not hasattr(channel, "permissions_for"):
        return None
    try:
        permissions: discord.Permissions = channel.permissions_for(guild.me)
    except discord.ClientException:  # a thread whose parent is not cached
        return None
    return permissions


def send_plan(channel: object) -> SendPlan:
    """What the bot lacks to answer in `channel`; sending needs View Channel and Send
    Messages, or Send Messages in Threads in a thread (threads do not inherit Send Messages)."""
    permissions = bot_permissions(channel)
    if permissions is None:
        return SendPlan()
    send: ChannelPermission = (
        "send_messages_in_threads" if isinstance(channel, discord.Thread) else "send_messages"
    )
    blocking = _lacking(permissions, ("view_channel", send))
    if blocking:
        return SendPlan(blocking)
    return SendPlan(_lacking(permissions, ("read_message_history", "embed_links")))


def _lacking(
    permissions: discord.Permissions, wanted: tuple[ChannelPermission, ...]
) -> tuple[ChannelPermission, ...]:
    return tuple(name for name in wanted if not getattr(permissions, name))
