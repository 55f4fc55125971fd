"""REST handlers for application commands (global and per guild), validated like Discord."""

from __future__ import annotations

import copy
from typing import Any

from . import limits
from .records import RecordedRequest, error
from .world import JSON


class RestCommandsMixin:
    """Command sync: stored per scope (guild id, ``None`` for global)."""

    def _command_scope(
        self, rec: RecordedRequest, app_id: str, guild_id: str | None
    ) -> tuple[int, Any] | None:
        if app_id != self.app_id:
            return error(403, 50001, "Missing Access")
        if guild_id is not None and guild_id not in self.world.guilds:
            return error(403, 50001, "Missing Access")
        return None

    def _store_command(self, cmd: JSON, guild_id: str | None, existing: list[JSON]) -> JSON:
        cmd = copy.deepcopy(cmd)
        ctype = cmd.setdefault("type", 1)
        old = next(
            (c for c in existing if c["name"] == cmd.get("name") and c["type"] == ctype), None
        )
        cmd["id"] = old["id"] if old else self.world.new_id()
        cmd["application_id"] = self.app_id
        cmd["version"] = self.world.new_id()
        cmd.setdefault("description", "")
        cmd.setdefault("default_member_permissions", None)
        cmd.setdefault("nsfw", False)
        cmd.setdefault("contexts", None)
        cmd.setdefault("integration_types", [0])
        if guild_id is not None:
            cmd["guild_id"] = guild_id
            cmd.pop("dm_permission", None)
        else:
            cmd.setdefault("dm_permission", True)
        return cmd

    async def _list_commands(
        self, rec: RecordedRequest, app_id: str, guild_id: str | None = None
    ) -> tuple[int, Any]:
        return self._command_scope(rec, app_id, guild_id) or (
            200,
            copy.deepcopy(self.commands.get(guild_id, [])),
        )

    async def _bulk_commands(
        self, rec: RecordedRequest, app_id: str, guild_id: str | None = None
    ) -> tuple[int, Any]:
        err = self._command_scope(rec, app_id, guild_id)
        if err:
            return err
        invalid = limits.validate_commands(rec.json)
        if invalid:
            return invalid
        existing = self.commands.get(guild_id, [])
        stored = [self._store_command(c, guild_id, existing) for c in rec.json]
        self.commands[guild_id] = stored
        return 200, copy.deepcopy(stored)

    async def _upsert_command(
        self, rec: RecordedRequest, app_id: str, guild_id: str | None = None
    ) -> tuple[int, Any]:
        err = self._command_scope(rec, app_id, guild_id)
        if err:
            return err
        existing = self.commands.get(guild_id, [])
        new = rec.json or {}
        merged = [
            c
            for c in existing
            if not (c["name"] == new.get("name") and c["type"] == new.get("type", 1))
        ]
        invalid = limits.validate_commands([*merged, new])
        if invalid:
            return invalid
        cmd = self._store_command(new, guild_id, existing)
        self.commands[guild_id] = [*merged, cmd]
        return 201, copy.deepcopy(cmd)

    def _find_stored_command(self, guild_id: str | None, command_id: str) -> JSON | None:
        return next((c for c in self.commands.get(guild_id, []) if c["id"] == command_id), None)

    async def _get_command(
        self, rec: RecordedRequest, app_id: str, command_id: str, guild_id: str | None = None
    ) -> tuple[int, Any]:
        cmd = self._find_stored_command(guild_id, command_id)
        return (
            (200, copy.deepcopy(cmd)) if cmd else error(404, 10063, "Unknown application command")
        )

    async def _patch_command(
        self, rec: RecordedRequest, app_id: str, command_id: str, guild_id: str | None = None
    ) -> tuple[int, Any]:
        cmd = self._find_stored_command(guild_id, command_id)
        if cmd is None:
            return error(404, 10063, "Unknown application command")
        updated = {**cmd, **(rec.json or {})}
        others = [c for c in self.commands[guild_id] if c is not cmd]
        invalid = limits.validate_commands([*others, updated])
        if invalid:
            return invalid
        cmd.update(rec.json or {})
        return 200, copy.deepcopy(cmd)

    async def _delete_command(
        self, rec: RecordedRequest, app_id: str, command_id: str, guild_id: str | None = None
    ) -> tuple[int, Any]:
        cmd = self._find_stored_command(guild_id, command_id)
        if cmd is None:
            return error(404, 10063, "Unknown application command")
        self.commands[guild_id].remove(cmd)
        return 204, None
