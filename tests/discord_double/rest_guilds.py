"""REST handlers for users, the application, guilds and channels."""

from __future__ import annotations

import copy
from typing import Any

from .records import RecordedRequest, error
from .world import Guild, Intent, Perm


class RestGuildsMixin:
    """Read-mostly REST routes served from the :class:`~.world.World`."""

    async def _get_gateway(self, rec: RecordedRequest) -> tuple[int, Any]:
        return 200, {"url": self.gateway_url}

    async def _get_gateway_bot(self, rec: RecordedRequest) -> tuple[int, Any]:
        limit = {"total": 1000, "remaining": 999, "reset_after": 14400000, "max_concurrency": 1}
        return 200, {"url": self.gateway_url, "shards": 1, "session_start_limit": limit}

    async def _get_me(self, rec: RecordedRequest) -> tuple[int, Any]:
        me = copy.deepcopy(self.world.bot_user)
        me.update(
            {"verified": True, "mfa_enabled": False, "email": None, "locale": "it", "bio": ""}
        )
        return 200, me

    async def _get_user(self, rec: RecordedRequest, user_id: str) -> tuple[int, Any]:
        try:
            return 200, copy.deepcopy(self.world.user(user_id))
        except KeyError:
            return error(404, 10013, "Unknown User")

    async def _create_dm(self, rec: RecordedRequest) -> tuple[int, Any]:
        try:
            return 200, copy.deepcopy(
                self.world.dm_channel(str((rec.json or {}).get("recipient_id")))
            )
        except KeyError:
            return error(400, 50007, "Cannot send messages to this user")

    async def _get_application(self, rec: RecordedRequest) -> tuple[int, Any]:
        app = self.world.application()
        flags = 0
        if self.portal_intents & Intent.GUILD_PRESENCES:
            flags |= 1 << 13
        if self.portal_intents & Intent.GUILD_MEMBERS:
            flags |= 1 << 15
        if self.portal_intents & Intent.MESSAGE_CONTENT:
            flags |= 1 << 19
        app["flags"] = flags
        return 200, app

    def _guild_or_404(self, guild_id: str) -> Guild | None:
        return self.world.guilds.get(str(guild_id))

    async def _get_guild(self, rec: RecordedRequest, guild_id: str) -> tuple[int, Any]:
        guild = self._guild_or_404(guild_id)
        if guild is None:
            return error(404, 10004, "Unknown Guild")
        data = guild.to_gateway(with_members=False, with_presences=False, bot_id=self.app_id)
        for key in (
            "members",
            "channels",
            "threads",
            "presences",
            "voice_states",
            "joined_at",
            "large",
        ):
            data.pop(key, None)
        data["approximate_member_count"] = len(guild.members)
        return 200, data

    async def _get_guild_channels(self, rec: RecordedRequest, guild_id: str) -> tuple[int, Any]:
        guild = self._guild_or_404(guild_id)
        return (200, copy.deepcopy(guild.channels)) if guild else error(404, 10004, "Unknown Guild")

    async def _get_guild_roles(self, rec: RecordedRequest, guild_id: str) -> tuple[int, Any]:
        guild = self._guild_or_404(guild_id)
        return (200, copy.deepcopy(guild.roles)) if guild else error(404, 10004, "Unknown Guild")

    async def _get_member(
        self, rec: RecordedRequest, guild_id: str, user_id: str
    ) -> tuple[int, Any]:
        guild = self._guild_or_404(guild_id)
        if guild is None:
            return error(404, 10004, "Unknown Guild")
        member = guild.member(user_id)
        return (200, copy.deepcopy(member)) if member else error(404, 10007, "Unknown Member")

    async def _get_channel(self, rec: RecordedRequest, channel_id: str) -> tuple[int, Any]:
        found = self.world.find_channel(channel_id)
        return (200, copy.deepcopy(found[1])) if found else error(404, 10003, "Unknown Channel")

    async def _typing(self, rec: RecordedRequest, channel_id: str) -> tuple[int, Any]:
        err = self._check_channel_perms(
            channel_id, Perm.VIEW_CHANNEL | self._send_permission(channel_id)
        )
        return err or (204, None)
