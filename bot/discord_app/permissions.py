"""Who may use the moderator commands.

Discord's `default_permissions` only hide a command by default: server admins
can re-grant it to anyone, and our moderator roles (`MOD_ROLE_IDS`) are
unknown to Discord. So every moderator command checks again with this, as an
app-command check whose refusal carries the Italian text to show.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, TypeVar, cast

import discord
from discord import app_commands

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
    """`permission` (a `discord.Permissions` flag) here, Administrator, or a moderator role."""
    user = interaction.user
    if interaction.guild is None or not isinstance(user, discord.Member):
        return False
    permissions = interaction.permissions
    if getattr(permissions, permission) or permissions.administrator:
        return True
    wanted = set(mod_role_ids)
    return any(role.id in wanted for role in user.roles)


def require_moderator(interaction: discord.Interaction, permission: str, refusal: str) -> None:
    """Raise `Refused(refusal)` unless the user has `permission` or a moderator role."""
    bot = cast("TimoniereBot", interaction.client)
    if not has_permission_or_role(interaction, permission, bot.settings.mod_role_ids):
        raise Refused(refusal)


def moderators_only(permission: str, refusal: str) -> Callable[[T], T]:
    """An app-command check: `require_moderator` before the command runs."""

    def predicate(interaction: discord.Interaction) -> bool:
        require_moderator(interaction, permission, refusal)
        return True

    return app_commands.check(predicate)
