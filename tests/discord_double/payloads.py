"""Gateway payload builders (MESSAGE_CREATE, INTERACTION_CREATE) with every field discord.py needs.

Use through ``double.payloads`` (a :class:`PayloadFactory` bound to a :class:`DiscordDouble`):
builders need the double's state (synced command ids, members, the bot's recorded messages).

Users are given by key (``"member"``, ``"mod"``, ``"owner"``, ``"other_bot"``, ``"bot"``), id,
username or dict; channels by name (``"generale"``, ``"domande"``) or id.
"""

from __future__ import annotations

import copy
import mimetypes
import re
import secrets
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from . import command_access, limits
from .world import JSON, Guild, iso_now

if TYPE_CHECKING:
    from .server import DiscordDouble

_DEFAULT = object()


def _no_none(d: JSON) -> JSON:
    return {k: v for k, v in d.items() if v is not None}


def _perm_value(perms: Any) -> int:
    return int(getattr(perms, "value", perms))


class PayloadFactory:
    def __init__(self, double: DiscordDouble) -> None:
        self.double = double
        self.world = double.world

    # ------------------------------------------------------------------------------------
    # context helpers
    # ------------------------------------------------------------------------------------
    def _guild(self, guild_id: Any) -> Guild:
        if guild_id is _DEFAULT or guild_id is None:
            return self.world.guild
        return self.world.guilds[str(guild_id)]

    def _user_with_member(self, user: JSON, guild: Guild | None) -> JSON:
        out = copy.deepcopy(user)
        if guild is not None and (m := guild.member(user["id"])) is not None:
            out["member"] = {k: v for k, v in m.items() if k != "user"}
        return out

    def member_json(
        self, who: str | JSON, guild: Guild, channel_id: str | None, permissions: Any = None
    ) -> JSON:
        """Interaction ``member``: user, roles, flags, joined_at... plus channel permissions."""
        user = self.world.user(who)
        member = guild.member(user["id"])
        if member is None:
            raise KeyError(f"{user['username']} is not a member of {guild.name}")
        data = copy.deepcopy(member)
        perms = (
            guild.permissions(user["id"], channel_id)
            if permissions is None
            else _perm_value(permissions)
        )
        data["permissions"] = str(perms)
        return data

    def _interaction(
        self,
        itype: int,
        data: JSON | None,
        *,
        user: str | JSON,
        guild_id: Any = _DEFAULT,
        channel: str | None = None,
        dm: bool = False,
        member_permissions: Any = None,
        message: JSON | None = None,
        locale: str = "it",
    ) -> JSON:
        u = self.world.user(user)
        payload: JSON = {
            "id": self.world.new_id(),
            "application_id": self.world.app_id,
            "type": itype,
            "token": "itok-" + secrets.token_urlsafe(24),
            "version": 1,
            "attachment_size_limit": self.double.attachment_size_limit,
            "locale": locale,
            "entitlements": [],
        }
        if data is not None:
            payload["data"] = data
        if message is not None:
            payload["message"] = copy.deepcopy(message)
        if dm:
            ch = self.world.dm_channel(u)
            payload["user"] = copy.deepcopy(u)
            payload["channel"] = copy.deepcopy(ch)
            payload["channel_id"] = ch["id"]
            payload["context"] = 1
            payload["authorizing_integration_owners"] = {"0": "0"}
            payload["app_permissions"] = str((1 << 53) - 1)
            return payload
        guild = self._guild(guild_id)
        if channel is None and message is not None:
            channel = message["channel_id"]
        ch = guild.channel(channel or guild.channels[0]["id"])
        payload.update(
            guild_id=guild.id,
            guild={"id": guild.id, "locale": guild.preferred_locale, "features": []},
            guild_locale=guild.preferred_locale,
            channel=copy.deepcopy(ch),
            channel_id=ch["id"],
            member=self.member_json(u, guild, ch["id"], member_permissions),
            app_permissions=str(guild.permissions(self.world.app_id, ch["id"])),
            context=0,
            authorizing_integration_owners={"0": guild.id},
        )
        return payload

    # ------------------------------------------------------------------------------------
    # MESSAGE_CREATE
    # ------------------------------------------------------------------------------------
    def message(
        self,
        content: str = "",
        *,
        author: str | JSON = "member",
        channel: str | None = None,
        guild_id: Any = _DEFAULT,
        dm: bool = False,
        reply_to: JSON | None = None,
        mention_replied_author: bool = True,
        embeds: list[JSON] | None = None,
        attachments: list[JSON] | None = None,
        files: Mapping[str, bytes] | None = None,
        components: list[JSON] | None = None,
        webhook_id: str | None = None,
        message_id: str | None = None,
        flags: int = 0,
    ) -> JSON:
        """A user's message; ``<@id>`` / ``<@&id>`` / ``@everyone`` in content fill the mentions.

        ``files`` ({filename: bytes}) become attachments served by the double, so the bot's
        ``Attachment.read()`` works (the bytes are kept in ``double.files[message_id]``).
        """
        user = self.world.user(author)
        guild: Guild | None = None
        if dm:
            ch = self.world.dm_channel(user)
        else:
            guild = self._guild(guild_id)
            ch = guild.channel(channel or guild.channels[0]["id"])
        mention_ids = list(dict.fromkeys(re.findall(r"<@!?(\d+)>", content)))
        if (
            reply_to is not None
            and mention_replied_author
            and reply_to["author"]["id"] not in mention_ids
        ):
            mention_ids.append(reply_to["author"]["id"])
        mentions = []
        for uid in mention_ids:
            try:
                mentions.append(self._user_with_member(self.world.user(uid), guild))
            except KeyError:
                continue
        message_id = message_id or self.world.new_id()
        attachments = copy.deepcopy(attachments or [])
        for filename, data in (files or {}).items():
            att_id = self.world.new_id()
            url = f"{self.double.base_url}/attachments/{ch['id']}/{att_id}/{filename}"
            ctype = mimetypes.guess_type(filename)[0] or "application/octet-stream"
            attachments.append(
                {
                    "id": att_id,
                    "filename": filename,
                    "size": len(data),
                    "url": url,
                    "proxy_url": url,
                    "content_type": ctype,
                }
            )
            self.double.files.setdefault(message_id, {})[filename] = data
        msg: JSON = {
            "id": message_id,
            "channel_id": ch["id"],
            "type": 19 if reply_to is not None else 0,
            "content": content,
            "author": copy.deepcopy(user),
            "timestamp": iso_now(),
            "edited_timestamp": None,
            "tts": False,
            "mention_everyone": "@everyone" in content or "@here" in content,
            "mentions": mentions,
            "mention_roles": list(dict.fromkeys(re.findall(r"<@&(\d+)>", content)))
            if guild
            else [],
            "attachments": attachments,
            "embeds": copy.deepcopy(embeds or []),
            "components": copy.deepcopy(components or []),
            "pinned": False,
            "flags": flags,
            "nonce": self.world.new_id(),
        }
        if guild is not None:
            msg["guild_id"] = guild.id
            member = guild.member(user["id"])
            if member is not None and webhook_id is None:
                msg["member"] = {k: v for k, v in member.items() if k != "user"}
        if webhook_id is not None:
            msg["webhook_id"] = webhook_id
        if reply_to is not None:
            msg["message_reference"] = {
                "type": 0,
                "message_id": reply_to["id"],
                "channel_id": reply_to["channel_id"],
                **({"guild_id": guild.id} if guild else {}),
            }
            ref = copy.deepcopy(reply_to)
            ref.pop("referenced_message", None)
            msg["referenced_message"] = ref
        return msg

    # ------------------------------------------------------------------------------------
    # application commands
    # ------------------------------------------------------------------------------------
    def _build_options(
        self,
        defs: list[JSON],
        given: Mapping[str, Any],
        resolved: JSON,
        guild: Guild | None,
        *,
        focused: str | None = None,
    ) -> list[JSON]:
        by_name = {d["name"]: d for d in defs}
        unknown = set(given) - set(by_name)
        if unknown:
            raise ValueError(f"unknown option(s) {sorted(unknown)}; command has {sorted(by_name)}")
        out = []
        for d in defs:  # Discord sends options in definition order
            name = d["name"]
            if name not in given:
                if d.get("required") and focused is None:
                    raise ValueError(f"required option {name!r} missing")
                continue
            value = given[name]
            otype = d["type"]
            opt: JSON = {"name": name, "type": otype}
            if name == focused:
                # what the user has typed so far, unvalidated
                opt["value"] = str(value) if otype == limits.STRING else value
                opt["focused"] = True
            else:
                opt["value"] = self._convert_value(d, value, resolved, guild)
            out.append(opt)
        return out

    def _convert_value(self, d: JSON, value: Any, resolved: JSON, guild: Guild | None) -> Any:
        otype, name = d["type"], d["name"]
        if otype == limits.STRING:
            if not isinstance(value, str):
                raise TypeError(f"option {name!r} expects str")
            if d.get("max_length") is not None and len(value) > d["max_length"]:
                raise ValueError(
                    f"option {name!r} longer than max_length (Discord's client refuses)"
                )
            if d.get("min_length") is not None and len(value) < d["min_length"]:
                raise ValueError(
                    f"option {name!r} shorter than min_length (Discord's client refuses)"
                )
        elif otype == limits.INTEGER:
            if not isinstance(value, int) or isinstance(value, bool):
                raise TypeError(f"option {name!r} expects int")
        elif otype == limits.NUMBER:
            if not isinstance(value, int | float) or isinstance(value, bool):
                raise TypeError(f"option {name!r} expects a number")
        elif otype == limits.BOOLEAN:
            if not isinstance(value, bool):
                raise TypeError(f"option {name!r} expects bool")
        elif otype in (limits.USER, limits.MENTIONABLE) and not (
            otype == limits.MENTIONABLE and guild is not None and self._is_role(guild, value)
        ):
            user = self.world.user(value)
            resolved.setdefault("users", {})[user["id"]] = copy.deepcopy(user)
            if guild is not None and (m := guild.member(user["id"])) is not None:
                member = {k: v for k, v in m.items() if k != "user"}
                member["permissions"] = str(guild.permissions(user["id"]))
                resolved.setdefault("members", {})[user["id"]] = member
            return user["id"]
        elif otype in (limits.ROLE, limits.MENTIONABLE):
            assert guild is not None, "role options need a guild"
            role = guild.role(value)
            resolved.setdefault("roles", {})[role["id"]] = copy.deepcopy(role)
            return role["id"]
        elif otype == limits.CHANNEL:
            assert guild is not None, "channel options need a guild"
            ch = guild.channel(value)
            data = {
                k: ch[k] for k in ("id", "name", "type", "parent_id", "nsfw", "flags") if k in ch
            }
            data["permissions"] = str(guild.permissions(self.world.app_id, ch["id"]))
            resolved.setdefault("channels", {})[ch["id"]] = data
            return ch["id"]
        elif otype == limits.ATTACHMENT:
            # An uploaded file's attachment object (as a test serves it), sent by id.
            if not isinstance(value, dict) or "id" not in value:
                raise TypeError(f"option {name!r} expects an attachment object")
            resolved.setdefault("attachments", {})[value["id"]] = copy.deepcopy(value)
            return value["id"]
        else:
            raise NotImplementedError(f"option type {otype} is not supported by the builder")
        choices = d.get("choices")
        if choices and value not in [c["value"] for c in choices]:
            raise ValueError(
                f"{value!r} is not a choice of option {name!r}: {[c['value'] for c in choices]}"
            )
        if otype in (limits.INTEGER, limits.NUMBER):
            if d.get("min_value") is not None and value < d["min_value"]:
                raise ValueError(f"option {name!r} below min_value")
            if d.get("max_value") is not None and value > d["max_value"]:
                raise ValueError(f"option {name!r} above max_value")
        return value

    @staticmethod
    def _is_role(guild: Guild, value: Any) -> bool:
        try:
            guild.role(str(value))
        except KeyError:
            return False
        return True

    def _command_data(
        self,
        name: str,
        options: Mapping[str, Any] | None,
        guild: Guild | None,
        *,
        focused: str | None = None,
    ) -> JSON:
        parts = name.split()
        cmd = self.double.find_command(parts[0], guild.id if guild else None)
        defs: list[JSON] = cmd.get("options") or []
        resolved: JSON = {}
        path: list[JSON] = []
        for sub in parts[1:]:
            node = next((o for o in defs if o["name"] == sub and o["type"] in (1, 2)), None)
            if node is None:
                raise ValueError(f"no subcommand {sub!r} in {name!r}")
            path.append(node)
            defs = node.get("options") or []
        if any(o["type"] in (1, 2) for o in defs):
            raise ValueError(f"{name!r} is a group: name a subcommand")
        built = self._build_options(defs, options or {}, resolved, guild, focused=focused)
        for node in reversed(path):
            built = [{"name": node["name"], "type": node["type"], "options": built}]
        data: JSON = {"id": cmd["id"], "name": cmd["name"], "type": 1, "options": built}
        if cmd.get("guild_id"):
            data["guild_id"] = cmd["guild_id"]
        if resolved:
            data["resolved"] = resolved
        return data

    def _check_access(
        self,
        name: str,
        guild: Guild | None,
        user: str | JSON,
        channel: str | None,
        member_permissions: Any,
    ) -> None:
        """Raise :class:`CommandUnavailable` where Discord's client would not offer the command
        (``default_member_permissions``, overwrites, guild-only in DMs)."""
        top = name.split()[0]
        if guild is None:
            # Global commands first; a name synced only to guilds is a guild command.
            scopes = sorted(self.double.commands.items(), key=lambda item: item[0] is not None)
            found = next((c for _, cmds in scopes for c in cmds if c["name"] == top), None)
            if found is not None:
                command_access.check_in_dm(found)
            return  # an unknown name: the data builder raises KeyError
        cmd = self.double.find_command(top, guild.id)
        user_id = self.world.user(user)["id"]
        channel_id = guild.channel(channel or guild.channels[0]["id"])["id"]
        permissions = (
            guild.permissions(user_id, channel_id)
            if member_permissions is None
            else _perm_value(member_permissions)
        )
        command_access.check_in_guild(
            cmd,
            guild,
            user_id,
            channel_id,
            permissions,
            self.double.command_overwrites_for(guild.id, cmd["id"]),
        )

    def slash_command(
        self,
        name: str,
        options: Mapping[str, Any] | None = None,
        guild_id: Any = _DEFAULT,
        *,
        user: str | JSON = "member",
        channel: str | None = None,
        member_permissions: Any = None,
        dm: bool = False,
        locale: str = "it",
    ) -> JSON:
        """INTERACTION_CREATE type 2 for a *synced* command (``"group sub"`` for subcommands).

        Values are checked like Discord's client would (types, choices, required, min/max);
        user/role/channel values are given by key/name and get ``resolved`` data.
        ``member_permissions`` overrides the computed channel permissions of the member.
        """
        guild = None if dm else self._guild(guild_id)
        self._check_access(name, guild, user, channel, member_permissions)
        data = self._command_data(name, options, guild)
        return self._interaction(
            2,
            data,
            user=user,
            guild_id=guild_id,
            channel=channel,
            dm=dm,
            member_permissions=member_permissions,
            locale=locale,
        )

    def autocomplete(
        self,
        name: str,
        options: Mapping[str, Any],
        focused: str,
        guild_id: Any = _DEFAULT,
        *,
        user: str | JSON = "member",
        channel: str | None = None,
        dm: bool = False,
        locale: str = "it",
    ) -> JSON:
        """INTERACTION_CREATE type 4: ``options`` typed so far, ``focused`` the active one."""
        if focused not in options:
            raise ValueError("the focused option must be in options")
        guild = None if dm else self._guild(guild_id)
        self._check_access(name, guild, user, channel, None)
        data = self._command_data(name, options, guild, focused=focused)
        return self._interaction(
            4, data, user=user, guild_id=guild_id, channel=channel, dm=dm, locale=locale
        )

    # ------------------------------------------------------------------------------------
    # components and modals
    # ------------------------------------------------------------------------------------
    @staticmethod
    def find_component(message: JSON, custom_id: str) -> JSON:
        found = [
            c
            for c in limits._walk_components(message.get("components") or [])
            if c.get("custom_id") == custom_id
        ]
        if not found:
            ids = [
                c.get("custom_id")
                for c in limits._walk_components(message.get("components") or [])
                if c.get("custom_id")
            ]
            raise ValueError(
                f"no component {custom_id!r} in message {message.get('id')}; custom_ids: {ids}"
            )
        return found[0]

    @staticmethod
    def custom_ids(message: JSON) -> list[str]:
        """custom_ids of a message's components in order (random hex for discord.py views)."""
        return [
            c["custom_id"]
            for c in limits._walk_components(message.get("components") or [])
            if c.get("custom_id")
        ]

    def component_click(
        self,
        message: JSON,
        custom_id: str,
        *,
        user: str | JSON = "member",
        values: list[str] | None = None,
        member_permissions: Any = None,
    ) -> JSON:
        """INTERACTION_CREATE type 3 on a message the bot sent (as the double recorded it)."""
        comp = self.find_component(message, custom_id)
        if comp.get("disabled"):
            raise ValueError(
                f"component {custom_id!r} is disabled: Discord's client cannot click it"
            )
        data: JSON = {"custom_id": custom_id, "component_type": comp["type"]}
        if comp["type"] in limits.SELECTS:
            values = list(values or [])
            lo, hi = comp.get("min_values", 1), comp.get("max_values", 1)
            if not lo <= len(values) <= hi:
                raise ValueError(f"select {custom_id!r} needs {lo}..{hi} values")
            if comp["type"] == limits.STRING_SELECT:
                allowed = [o["value"] for o in comp.get("options", [])]
                bad = [v for v in values if v not in allowed]
                if bad:
                    raise ValueError(f"{bad} not among options {allowed}")
            data["values"] = values
        elif values is not None:
            raise ValueError("values only make sense for select menus")
        found = self.world.find_channel(message["channel_id"])
        dm = found is not None and found[0] is None
        return self._interaction(
            3,
            data,
            user=user,
            guild_id=message.get("guild_id") or _DEFAULT,
            dm=dm,
            message=message,
            member_permissions=member_permissions,
        )

    def modal_submit(
        self,
        custom_id: str | JSON,
        fields: Mapping[str, str],
        *,
        user: str | JSON = "member",
        channel: str | None = None,
        guild_id: Any = _DEFAULT,
        dm: bool = False,
        message: JSON | None = None,
    ) -> JSON:
        """INTERACTION_CREATE type 5.

        ``custom_id`` is the modal's custom_id, or better the modal itself
        (``double.modal_for(interaction_id)``): then ``fields`` may be keyed by text-input
        label as well as custom_id, required / length rules are checked like Discord's
        client, and the submitted component layout mirrors the modal's.
        """
        if isinstance(custom_id, dict):
            modal = custom_id
            components = self._submit_from_modal(modal, fields)
            modal_id = modal["custom_id"]
        else:
            modal_id = custom_id
            components = [
                {"type": 1, "components": [{"type": 4, "custom_id": cid, "value": value}]}
                for cid, value in fields.items()
            ]
        data = {"custom_id": modal_id, "components": components}
        return self._interaction(
            5, data, user=user, guild_id=guild_id, channel=channel, dm=dm, message=message
        )

    @staticmethod
    def _submit_from_modal(modal: JSON, fields: Mapping[str, str]) -> list[JSON]:
        used: set[str] = set()
        out: list[JSON] = []

        def value_for(text_input: JSON, label: str | None) -> str:
            for key in (text_input["custom_id"], label):
                if key is not None and key in fields:
                    used.add(key)
                    value = fields[key]
                    break
            else:
                value = ""
            if text_input.get("required", True) and not value:
                raise ValueError(f"text input {label or text_input['custom_id']!r} is required")
            lo, hi = text_input.get("min_length") or 0, text_input.get("max_length") or 4000
            if value and not lo <= len(value) <= hi:
                raise ValueError(f"text input {label!r} must be {lo}..{hi} characters")
            return value

        for comp in modal.get("components", []):
            if comp["type"] == 1:
                ti = comp["components"][0]
                inner = {
                    "type": 4,
                    "id": ti.get("id"),
                    "custom_id": ti["custom_id"],
                    "value": value_for(ti, ti.get("label")),
                }
                out.append(
                    _no_none({"type": 1, "id": comp.get("id"), "components": [_no_none(inner)]})
                )
            elif comp["type"] == 18 and comp.get("component", {}).get("type") == 4:
                ti = comp["component"]
                inner = {
                    "type": 4,
                    "id": ti.get("id"),
                    "custom_id": ti["custom_id"],
                    "value": value_for(ti, comp.get("label")),
                }
                out.append(
                    _no_none({"type": 18, "id": comp.get("id"), "component": _no_none(inner)})
                )
        unknown = set(fields) - used
        if unknown:
            raise ValueError(
                f"fields {sorted(unknown)} are not text inputs of modal {modal.get('title')!r}"
            )
        return out
