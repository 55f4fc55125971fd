"""Gateway events for the bot: intent gating, MESSAGE_CONTENT blanking and the session log."""

from __future__ import annotations

import asyncio
import copy
import time
from typing import Any

from .records import MESSAGE_FLAG_EPHEMERAL, InteractionState, Session
from .world import JSON, Intent

# Which intent an event needs: (guild intent, DM intent). DM intent None = guild-only event.
EVENT_INTENTS: dict[str, tuple[int, int | None]] = {
    "GUILD_CREATE": (Intent.GUILDS, None),
    "GUILD_UPDATE": (Intent.GUILDS, None),
    "GUILD_DELETE": (Intent.GUILDS, None),
    "GUILD_ROLE_CREATE": (Intent.GUILDS, None),
    "GUILD_ROLE_UPDATE": (Intent.GUILDS, None),
    "GUILD_ROLE_DELETE": (Intent.GUILDS, None),
    "CHANNEL_CREATE": (Intent.GUILDS, None),
    "CHANNEL_UPDATE": (Intent.GUILDS, None),
    "CHANNEL_DELETE": (Intent.GUILDS, None),
    "THREAD_CREATE": (Intent.GUILDS, None),
    "THREAD_UPDATE": (Intent.GUILDS, None),
    "THREAD_DELETE": (Intent.GUILDS, None),
    "GUILD_MEMBER_ADD": (Intent.GUILD_MEMBERS, None),
    "GUILD_MEMBER_UPDATE": (Intent.GUILD_MEMBERS, None),
    "GUILD_MEMBER_REMOVE": (Intent.GUILD_MEMBERS, None),
    "PRESENCE_UPDATE": (Intent.GUILD_PRESENCES, None),
    "MESSAGE_CREATE": (Intent.GUILD_MESSAGES, Intent.DIRECT_MESSAGES),
    "MESSAGE_UPDATE": (Intent.GUILD_MESSAGES, Intent.DIRECT_MESSAGES),
    "MESSAGE_DELETE": (Intent.GUILD_MESSAGES, Intent.DIRECT_MESSAGES),
    "MESSAGE_DELETE_BULK": (Intent.GUILD_MESSAGES, None),
    "MESSAGE_REACTION_ADD": (Intent.GUILD_MESSAGE_REACTIONS, Intent.DIRECT_MESSAGE_REACTIONS),
    "MESSAGE_REACTION_REMOVE": (Intent.GUILD_MESSAGE_REACTIONS, Intent.DIRECT_MESSAGE_REACTIONS),
    "TYPING_START": (Intent.GUILD_MESSAGE_TYPING, Intent.DIRECT_MESSAGE_TYPING),
}


class DispatchMixin:
    """Appends events to the session log; the gateway pump sends them in order."""

    def _echo(self, event: str, msg: JSON) -> None:
        if self.echo_bot_messages and not msg["flags"] & MESSAGE_FLAG_EPHEMERAL:
            self._append_dispatch(event, copy.deepcopy(msg), missing_session_ok=True)

    def _gated(self, session: Session, event: str, data: Any) -> str | None:
        needed = EVENT_INTENTS.get(event)
        if needed is None:
            return None
        in_guild = (
            isinstance(data, dict) and data.get("guild_id") is not None
        ) or event.startswith("GUILD_")
        intent = needed[0] if in_guild else needed[1]
        if intent is None or not session.intents & intent:
            return f"intent {intent} not in IDENTIFY intents {session.intents}"
        return None

    def _blank_content(self, session: Session, data: JSON) -> JSON:
        """Section 5: without MESSAGE_CONTENT, blank content (with Discord's exceptions)."""
        if session.intents & Intent.MESSAGE_CONTENT:
            return data
        if data.get("guild_id") is None:  # DMs keep content
            return data
        if (data.get("author") or {}).get("id") == self.app_id:
            return data
        if any(m.get("id") == self.app_id for m in data.get("mentions") or []):
            return data
        data = dict(data)
        for key in ("content",):
            if key in data:
                data[key] = ""
        for key in ("embeds", "attachments", "components"):
            if key in data:
                data[key] = []
        data.pop("poll", None)
        if isinstance(data.get("referenced_message"), dict):
            ref = dict(data["referenced_message"])
            ref.setdefault("guild_id", data["guild_id"])
            data["referenced_message"] = self._blank_content(session, ref)
        return data

    def _append_dispatch(
        self, event: str, data: Any, *, missing_session_ok: bool = False
    ) -> int | None:
        session = self.session
        if session is None:
            if missing_session_ok:
                self.dropped_events.append((event, data, "no session"))
                return None
            raise RuntimeError("no identified gateway session: is the bot connected?")
        reason = self._gated(session, event, data)
        if reason:
            self.dropped_events.append((event, data, reason))
            return None
        if event in ("MESSAGE_CREATE", "MESSAGE_UPDATE"):
            data = self._blank_content(session, data)
        frame = {"op": 0, "t": event, "s": session.seq + 1, "d": data}
        session.log.append(frame)
        if session.conn is not None and not session.conn.closed:
            session.conn.wake.set()
        return frame["s"]

    async def dispatch(self, event: str, data: Any) -> int | None:
        """Send a DISPATCH to the bot (intent-gated; returns its ``s`` or None if gated out).

        MESSAGE_CREATE payloads are stored (so replies to them validate) and
        INTERACTION_CREATE payloads start the interaction clock (initial-response deadline).
        """
        if event == "MESSAGE_CREATE":
            self.messages[str(data["id"])] = copy.deepcopy(data)
        elif event == "INTERACTION_CREATE":
            self._register_interaction(data)
        s = self._append_dispatch(event, data)
        await asyncio.sleep(0)
        return s

    async def dispatch_message(self, payload: JSON) -> JSON:
        await self.dispatch("MESSAGE_CREATE", payload)
        return payload

    async def dispatch_interaction(self, payload: JSON) -> JSON:
        await self.dispatch("INTERACTION_CREATE", payload)
        return payload

    def _register_interaction(self, data: JSON) -> None:
        self.interactions[str(data["id"])] = InteractionState(
            id=str(data["id"]),
            token=data["token"],
            type=data["type"],
            payload=copy.deepcopy(data),
            created=asyncio.get_running_loop().time(),
            created_wall=time.time(),
        )
