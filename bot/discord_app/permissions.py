"""Who may use the moderator commands.

Discord's `default_permissions` only hide a command by default: server admins
can re-grant it to anyone, and our moderator roles (`MOD_ROLE_IDS`) are
unknown to Discord. So every moderator command checks again with this.
"""

from __future__ import annotations

from collections.abc import Iterable

import discord


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
