"""REST handlers for channel messages: send, edit, delete, history, reactions, attachments."""

from __future__ import annotations

import copy
import itertools
import mimetypes
import re
from typing import Any

from aiohttp import web

from . import limits
from .records import (
    MESSAGE_FLAG_EPHEMERAL,
    MESSAGE_FLAG_LOADING,
    InteractionState,
    RecordedRequest,
    error,
)
from .world import JSON, THREAD_ONLY_TYPES, THREAD_TYPES, Guild, Perm, iso_now


class RestMessagesMixin:
    """Message routes, with Discord's permission, size and validation errors."""

    def _bot_permissions(self, channel_id: str) -> int:
        """The bot's permissions in a channel (every permission in a DM)."""
        found = self.world.find_channel(channel_id)
        if found is None or found[0] is None:
            return Perm.ALL
        return found[0].permissions(self.app_id, channel_id)

    def _send_permission(self, channel_id: str) -> int:
        """SEND_MESSAGES, or SEND_MESSAGES_IN_THREADS in a thread: "The SEND_MESSAGES
        permission is not inherited; users must have SEND_MESSAGES_IN_THREADS to send a
        message in a thread" (docs: topics/permissions.mdx, "Inherited Permissions")."""
        found = self.world.find_channel(channel_id)
        if found is not None and found[1].get("type") in THREAD_TYPES:
            return Perm.SEND_MESSAGES_IN_THREADS
        return Perm.SEND_MESSAGES

    def _check_channel_perms(self, channel_id: str, needed: int) -> tuple[int, Any] | None:
        found = self.world.find_channel(channel_id)
        if found is None:
            return error(404, 10003, "Unknown Channel")
        guild, _ch = found
        if guild is None:
            return None
        perms = guild.permissions(self.app_id, channel_id)
        if not perms & Perm.VIEW_CHANNEL:
            return error(403, 50001, "Missing Access")
        if perms & needed != needed:
            return error(403, 50013, "Missing Permissions")
        return None

    def _resolve_mentions(self, guild: Guild | None, body: JSON, referenced: JSON | None) -> JSON:
        content = body.get("content") or ""
        allowed = body.get("allowed_mentions")
        if allowed is None:
            parse = {"users", "roles", "everyone"}
            users_ok: set[str] = set()
            roles_ok: set[str] = set()
            replied = True
        else:
            parse = set(allowed.get("parse") or [])
            users_ok = {str(u) for u in allowed.get("users") or []}
            roles_ok = {str(r) for r in allowed.get("roles") or []}
            replied = bool(allowed.get("replied_user", False))
        user_ids = [
            u
            for u in dict.fromkeys(re.findall(r"<@!?(\d+)>", content))
            if "users" in parse or u in users_ok
        ]
        if referenced is not None and replied:
            author_id = referenced["author"]["id"]
            if author_id not in user_ids:
                user_ids.append(author_id)
        mentions = []
        for uid in user_ids:
            try:
                user = copy.deepcopy(self.world.user(uid))
            except KeyError:
                continue
            if guild is not None and (member := guild.member(uid)) is not None:
                user["member"] = {k: v for k, v in member.items() if k != "user"}
            mentions.append(user)
        roles = [
            r
            for r in dict.fromkeys(re.findall(r"<@&(\d+)>", content))
            if "roles" in parse or r in roles_ok
        ]
        everyone = ("@everyone" in content or "@here" in content) and "everyone" in parse
        return {"mentions": mentions, "mention_roles": roles, "mention_everyone": everyone}

    def _attachments_for(
        self, rec: RecordedRequest, channel_id: str, body: JSON, existing: list[JSON]
    ) -> tuple[int, Any] | list[JSON]:
        """Build attachment objects from multipart files; keeps listed existing attachments."""
        total = sum(len(f.data) for f in rec.files)
        if total > self.attachment_size_limit:
            return error(413, 40005, "Request entity too large")
        if len(rec.files) > 10:
            errors = limits.FormErrors()
            errors.add(("files",), "BASE_TYPE_MAX_LENGTH", "Must be 10 or fewer in length.")
            return 400, errors.body()
        listed = body.get("attachments")
        keep_ids = {str(a.get("id")) for a in listed or []}
        kept = [a for a in existing if listed is None or a["id"] in keep_ids]
        meta = {str(a.get("id")): a for a in listed or []}
        new = []
        for f in rec.files:
            idx = f.field_name.removeprefix("files[").rstrip("]")
            info = meta.get(idx, {})
            filename = info.get("filename") or f.filename
            att_id = self.world.new_id()
            url = f"{self.base_url}/attachments/{channel_id}/{att_id}/{filename}"
            att = {
                "id": att_id,
                "filename": filename,
                "size": len(f.data),
                "url": url,
                "proxy_url": url,
                "content_type": f.content_type
                or mimetypes.guess_type(filename)[0]
                or "application/octet-stream",
            }
            if info.get("description"):
                att["description"] = info["description"]
            new.append((att, f.data))
        return [*kept, *new]

    def _build_message(
        self,
        channel_id: str,
        body: JSON,
        *,
        attachments: list[Any],
        msg_type: int = 0,
        flags: int = 0,
        interaction: InteractionState | None = None,
    ) -> JSON:
        found = self.world.find_channel(channel_id)
        guild = found[0] if found else None
        ref = body.get("message_reference")
        referenced = self.messages.get(str(ref.get("message_id"))) if ref else None
        mid = self.world.new_id()
        atts = []
        self.files[mid] = {}
        for a in attachments:
            if isinstance(a, tuple):
                att, data = a
                self.files[mid][att["filename"]] = data
                atts.append(att)
            else:
                atts.append(a)
        msg: JSON = {
            "id": mid,
            "channel_id": str(channel_id),
            "type": 19 if referenced else msg_type,
            "content": body.get("content") or "",
            "author": copy.deepcopy(self.world.bot_user),
            "timestamp": iso_now(),
            "edited_timestamp": None,
            "tts": bool(body.get("tts")),
            "pinned": False,
            "attachments": atts,
            "embeds": copy.deepcopy(body.get("embeds") or []),
            "components": self._number_components(copy.deepcopy(body.get("components") or [])),
            "reactions": [],
            "flags": flags,
            **self._resolve_mentions(guild, body, referenced),
        }
        if guild is not None:
            msg["guild_id"] = guild.id
            member = guild.member(self.app_id)
            if member:
                msg["member"] = {k: v for k, v in member.items() if k != "user"}
        if body.get("nonce") is not None:
            msg["nonce"] = body["nonce"]
        if body.get("poll"):
            msg["poll"] = body["poll"]
        if referenced is not None:
            msg["message_reference"] = {
                "type": 0,
                "message_id": referenced["id"],
                "channel_id": referenced["channel_id"],
                **({"guild_id": guild.id} if guild else {}),
            }
            msg["referenced_message"] = copy.deepcopy(referenced)
            msg["referenced_message"].pop("referenced_message", None)
        if interaction is not None:
            user = interaction.payload.get("member", {}).get("user") or interaction.payload.get(
                "user"
            )
            msg["webhook_id"] = self.app_id
            msg["application_id"] = self.app_id
            msg["interaction_metadata"] = {
                "id": interaction.id,
                "type": interaction.type,
                "user": copy.deepcopy(user),
                "authorizing_integration_owners": interaction.payload.get(
                    "authorizing_integration_owners", {}
                ),
            }
        self.messages[mid] = msg
        return msg

    @staticmethod
    def _number_components(components: list[JSON]) -> list[JSON]:
        counter = itertools.count(1)

        def walk(items: list[JSON]) -> None:
            for c in items:
                c.setdefault("id", next(counter))
                walk(c.get("components") or [])
                if isinstance(c.get("component"), dict):
                    walk([c["component"]])
                if isinstance(c.get("accessory"), dict):
                    walk([c["accessory"]])

        walk(components)
        return components

    def _validate_send(
        self, body: Any, *, has_files: bool, allow_empty: bool = False
    ) -> tuple[int, Any] | None:
        if not isinstance(body, dict):
            return error(400, 50109, "The request body contains invalid JSON.")
        errors = limits.validate_message(body)
        if errors:
            return 400, errors.body()
        if not allow_empty and not has_files and limits.message_is_empty(body):
            return error(400, 50006, "Cannot send an empty message")
        return None

    def _check_reference(self, body: JSON, channel_id: str) -> tuple[int, Any] | None:
        ref = body.get("message_reference")
        if not ref:
            return None
        target = self.messages.get(str(ref.get("message_id")))
        ok = target is not None and target["channel_id"] == str(ref.get("channel_id", channel_id))
        if not ok and ref.get("fail_if_not_exists", True):
            errors = limits.FormErrors()
            errors.add(
                ("message_reference",), "MESSAGE_REFERENCE_UNKNOWN_MESSAGE", "Unknown message"
            )
            return 400, errors.body()
        return None  # fail_if_not_exists=False: sent as a plain message

    async def _post_message(self, rec: RecordedRequest, channel_id: str) -> tuple[int, Any]:
        body = rec.json
        needed = Perm.VIEW_CHANNEL | self._send_permission(channel_id)
        needed |= Perm.ATTACH_FILES if rec.files else 0
        if isinstance(body, dict) and body.get("message_reference"):
            # Create Message, "Limitations": "When creating a message as a reply to another
            # message, the current user must have the READ_MESSAGE_HISTORY permission."
            # (docs: resources/message.mdx#create-message-limitations) -> 403 50013.
            needed |= Perm.READ_MESSAGE_HISTORY
        err = (
            self._check_channel_perms(channel_id, needed)
            or self._refuse_thread_only(channel_id)
            or self._validate_send(body, has_files=bool(rec.files))
            or self._check_reference(body, channel_id)
        )
        if err:
            return err
        atts = self._attachments_for(rec, channel_id, body, [])
        if isinstance(atts, tuple):
            return atts
        body = self._without_unembeddable(body, channel_id)
        flags = (body.get("flags") or 0) & ~MESSAGE_FLAG_EPHEMERAL
        msg = self._build_message(channel_id, body, attachments=atts, flags=flags)
        rec.message_id, rec.created = msg["id"], True
        self._echo("MESSAGE_CREATE", msg)
        return 200, copy.deepcopy(msg)

    def _refuse_thread_only(self, channel_id: str) -> tuple[int, Any] | None:
        """ "Messages cannot be sent directly in forum channels" (docs topics/threads.mdx,
        "Forums"; media channels likewise): only in their posts (threads)."""
        found = self.world.find_channel(channel_id)
        if found is not None and found[1].get("type") in THREAD_ONLY_TYPES:
            return error(400, 50008, "Cannot send messages in a non-text channel")
        return None

    def _without_unembeddable(self, body: JSON, channel_id: str) -> JSON:
        """Without Embed Links the message is still sent, its embeds silently dropped.

        docs: topics/permissions.mdx, EMBED_LINKS "Links sent by users with this permission
        will be auto-embedded"; that a bot's own rich embeds vanish too (no error) is what
        Discord does (issue 9). Interaction responses are not subject to it (docs:
        change-log.mdx, June 29 2022: EMBED_LINKS is not recomputed for interactions).
        """
        if not body.get("embeds") or self._bot_permissions(channel_id) & Perm.EMBED_LINKS:
            return body
        self.dropped_embeds.append((channel_id, copy.deepcopy(body["embeds"])))
        return {**body, "embeds": []}

    async def _get_message(
        self, rec: RecordedRequest, channel_id: str, message_id: str
    ) -> tuple[int, Any]:
        msg = self.messages.get(message_id)
        if msg is None or msg["channel_id"] != channel_id or msg["flags"] & MESSAGE_FLAG_EPHEMERAL:
            return error(404, 10008, "Unknown Message")
        return 200, copy.deepcopy(msg)

    async def _history(self, rec: RecordedRequest, channel_id: str) -> tuple[int, Any]:
        err = self._check_channel_perms(channel_id, Perm.VIEW_CHANNEL | Perm.READ_MESSAGE_HISTORY)
        if err:
            return err
        limit = int(rec.query.get("limit", 50))
        msgs = [
            m
            for m in self.messages.values()
            if m["channel_id"] == channel_id and not m["flags"] & MESSAGE_FLAG_EPHEMERAL
        ]
        msgs.sort(key=lambda m: int(m["id"]), reverse=True)
        return 200, copy.deepcopy(msgs[:limit])

    def _apply_edit(self, rec: RecordedRequest, msg: JSON, body: Any) -> tuple[int, Any] | None:
        if not isinstance(body, dict):
            return error(400, 50109, "The request body contains invalid JSON.")
        errors = limits.validate_message(body)
        if errors:
            return 400, errors.body()
        atts = self._attachments_for(rec, msg["channel_id"], body, msg["attachments"])
        if isinstance(atts, tuple):
            return atts
        result = dict(msg)
        for key in ("content", "embeds", "components"):
            if key in body:
                result[key] = (
                    body[key] if body[key] is not None else ("" if key == "content" else [])
                )
        if "attachments" in body or rec.files:
            result["attachments"] = [a[0] if isinstance(a, tuple) else a for a in atts]
        if limits.message_is_empty(result) and not msg["flags"] & MESSAGE_FLAG_LOADING:
            return error(400, 50006, "Cannot send an empty message")
        found = self.world.find_channel(msg["channel_id"])
        guild = found[0] if found else None
        if "content" in body or "allowed_mentions" in body:
            ref = msg.get("referenced_message")
            msg.update(self._resolve_mentions(guild, {"content": result["content"], **body}, ref))
        msg["content"] = result["content"]
        msg["embeds"] = copy.deepcopy(result["embeds"])
        msg["components"] = self._number_components(copy.deepcopy(result["components"]))
        if "attachments" in body or rec.files:
            msg["attachments"] = result["attachments"]
            files = self.files.setdefault(msg["id"], {})
            keep = {a["filename"] for a in result["attachments"]}
            for name in list(files):
                if name not in keep:
                    del files[name]
            for a in atts:
                if isinstance(a, tuple):
                    files[a[0]["filename"]] = a[1]
        if "flags" in body and body["flags"] is not None:
            keep_flags = msg["flags"] & (MESSAGE_FLAG_EPHEMERAL | limits.IS_COMPONENTS_V2)
            msg["flags"] = keep_flags | (
                body["flags"] & ~(MESSAGE_FLAG_EPHEMERAL | MESSAGE_FLAG_LOADING)
            )
        msg["flags"] &= ~MESSAGE_FLAG_LOADING
        msg["edited_timestamp"] = iso_now()
        return None

    async def _patch_message(
        self, rec: RecordedRequest, channel_id: str, message_id: str
    ) -> tuple[int, Any]:
        msg = self.messages.get(message_id)
        if msg is None or msg["channel_id"] != channel_id:
            return error(404, 10008, "Unknown Message")
        if msg["author"]["id"] != self.app_id:
            return error(403, 50005, "Cannot edit a message authored by another user")
        err = self._apply_edit(rec, msg, rec.json)
        if err:
            return err
        self._echo("MESSAGE_UPDATE", msg)
        return 200, copy.deepcopy(msg)

    async def _delete_message(
        self, rec: RecordedRequest, channel_id: str, message_id: str
    ) -> tuple[int, Any]:
        msg = self.messages.get(message_id)
        if msg is None or msg["channel_id"] != channel_id:
            return error(404, 10008, "Unknown Message")
        if msg["author"]["id"] != self.app_id:
            err = self._check_channel_perms(channel_id, Perm.MANAGE_MESSAGES)
            if err:
                return err
        self._delete_stored(msg)
        return 204, None

    def _delete_stored(self, msg: JSON) -> None:
        msg["deleted"] = True
        self.messages.pop(msg["id"], None)
        if not msg["flags"] & MESSAGE_FLAG_EPHEMERAL:
            data = {"id": msg["id"], "channel_id": msg["channel_id"]}
            if msg.get("guild_id"):
                data["guild_id"] = msg["guild_id"]
            self._append_dispatch("MESSAGE_DELETE", data, missing_session_ok=True)

    async def _add_reaction(
        self, rec: RecordedRequest, channel_id: str, message_id: str, emoji: str
    ) -> tuple[int, Any]:
        err = self._check_channel_perms(
            channel_id, Perm.VIEW_CHANNEL | Perm.READ_MESSAGE_HISTORY | Perm.ADD_REACTIONS
        )
        if err:
            return err
        msg = self.messages.get(message_id)
        if msg is None:
            return error(404, 10008, "Unknown Message")
        msg.setdefault("bot_reactions", []).append(emoji)
        return 204, None

    async def _remove_reaction(
        self, rec: RecordedRequest, channel_id: str, message_id: str, emoji: str
    ) -> tuple[int, Any]:
        msg = self.messages.get(message_id)
        if msg is None:
            return error(404, 10008, "Unknown Message")
        if emoji in msg.get("bot_reactions", []):
            msg["bot_reactions"].remove(emoji)
        return 204, None

    async def _serve_attachment(self, request: web.Request) -> web.Response:
        wanted = request.match_info["attachment_id"]
        for msg in self.messages.values():
            for att in msg.get("attachments", []):
                data = self.files.get(msg["id"], {}).get(att["filename"])
                if att["id"] == wanted and data is not None:
                    return web.Response(body=data, content_type=att["content_type"])
        return web.Response(status=404)
