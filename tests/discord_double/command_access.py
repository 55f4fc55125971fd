"""Which commands Discord's client offers a user: a command it hides is never invoked.

docs: interactions/application-commands.mdx
- "Permissions": "If you don't have permission to use a command, it will not show up in
  the command picker. Members with the Administrator permission can use all commands."
  Overwrites (Server Settings > Integrations) for users, roles and channels; those of a
  command, else the app-wide ones (id = application id); ``@everyone`` = guild id, "All
  Channels" = guild id - 1.
- "Using Default Permissions": ``default_member_permissions`` is the permission set a member
  needs; ``"0"`` hides the command from everyone but admins "unless a specific overwrite is
  configured".
- "Interaction Contexts" / ``dm_permission``: ``contexts`` without ``BOT_DM`` (1), or the
  deprecated ``dm_permission: false``, keeps a global command out of DMs; "Guild commands
  don't support the BOT_DM interaction context."
"""

from __future__ import annotations

from .world import JSON, Guild, Perm

ROLE, USER, CHANNEL = 1, 2, 3
GUILD_CONTEXT, BOT_DM_CONTEXT = 0, 1


class CommandUnavailable(ValueError):
    """Discord's client does not offer this command here, so no interaction is ever sent."""


def check_in_dm(cmd: JSON) -> None:
    if cmd.get("guild_id"):
        raise CommandUnavailable(f"/{cmd['name']} is a guild command: not available in DMs")
    contexts = cmd.get("contexts")
    if contexts is not None:
        allowed = BOT_DM_CONTEXT in contexts
    else:
        allowed = cmd.get("dm_permission") is not False
    if not allowed:
        raise CommandUnavailable(f"/{cmd['name']} is guild-only: not delivered in DMs")


def _decide(overwrites: list[JSON], wanted: set[str], kind: int) -> bool | None:
    """An explicit allow among ``wanted`` targets wins over a deny; None if none apply."""
    found = [o["permission"] for o in overwrites if o["type"] == kind and o["id"] in wanted]
    if not found:
        return None
    return any(found)


def check_in_guild(
    cmd: JSON,
    guild: Guild,
    user_id: str,
    channel_id: str,
    member_permissions: int,
    overwrites: list[JSON],
) -> None:
    """``overwrites``: the command's own (or else the app-wide) permission overwrites."""
    contexts = cmd.get("contexts")
    if contexts is not None and GUILD_CONTEXT not in contexts:
        raise CommandUnavailable(f"/{cmd['name']} is not available in servers")
    if user_id == guild.owner_id or member_permissions & Perm.ADMINISTRATOR:
        return
    name = f"/{cmd['name']}"
    all_channels = str(int(guild.id) - 1)
    channel_rule = _decide(overwrites, {channel_id}, CHANNEL)
    if channel_rule is None:
        channel_rule = _decide(overwrites, {all_channels}, CHANNEL)
    if channel_rule is False:
        raise CommandUnavailable(f"{name} is disabled in channel {channel_id}")
    member = guild.member(user_id)
    roles = set(member["roles"]) if member else set()
    for rule in (
        _decide(overwrites, {user_id}, USER),
        _decide(overwrites, roles, ROLE),
        _decide(overwrites, {guild.id}, ROLE),  # @everyone
    ):
        if rule is True:
            return
        if rule is False:
            raise CommandUnavailable(f"{name} is disabled for this member by an overwrite")
    required = cmd.get("default_member_permissions")
    if required is None:
        return
    needed = int(str(required))
    if needed == 0 or member_permissions & needed != needed:
        raise CommandUnavailable(
            f"{name} needs permissions {needed} (default_member_permissions); the member has"
            f" {member_permissions}: Discord's client does not show it"
        )
