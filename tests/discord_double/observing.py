"""The test API of the fake Discord: waiting for, finding and reading what the bot did.

Wait helpers are event driven and re-raise the exception of a watched ``connect()`` task.
Mixed into :class:`~.server.DiscordDouble`, whose state (``requests``, ``messages``...) they read.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from .records import (
    MESSAGE_FLAG_LOADING,
    DoubleError,
    GatewayFrame,
    RecordedRequest,
    match_path,
)
from .world import JSON


class ObservingMixin:
    """Waits, finds and reads for tests (part of :class:`~.server.DiscordDouble`)."""

    def _notify(self) -> None:
        self._changed.set()
        self._changed = asyncio.Event()

    def _check_watched(self) -> None:
        for task in self._watched:
            if task.done():
                self.failure_seen = True
                if task.cancelled():
                    raise DoubleError("the bot's connect() task was cancelled")
                exc = task.exception()
                if exc is not None:
                    raise exc
                raise DoubleError("the bot's connect() task ended (bot closed?)")

    def diagnostics(self) -> str:
        lines = ["last requests: " + ", ".join(repr(r) for r in self.requests[-8:])]
        frames = [
            f"{f.direction}:{f.op}{'/' + f.t if f.t else ''}" for f in self.gateway_frames[-8:]
        ]
        lines.append("last gateway frames: " + ", ".join(frames))
        if self.unhandled:
            lines.append(
                "unhandled routes: " + ", ".join(f"{r.method} {r.path}" for r in self.unhandled)
            )
        for rec in self.log_records[-5:]:
            exc = ""
            if rec.exc_info and rec.exc_info[1] is not None:
                exc = f" [{type(rec.exc_info[1]).__name__}: {rec.exc_info[1]}]"
            lines.append(f"bot log {rec.levelname} {rec.name}: {rec.getMessage()}{exc}")
        lines.extend(f"double internal error: {e}" for e in self.internal_errors[-3:])
        return "\n".join(lines)

    async def wait_until(
        self, check: Callable[[], Any], *, timeout: float = 5.0, what: str = "condition"
    ) -> Any:
        """Wait until ``check()`` returns something other than None/False; return it."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            changed = self._changed
            result = check()
            if result is not None and result is not False:
                return result
            self._check_watched()
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise DoubleError(
                    f"timed out after {timeout}s waiting for {what}\n{self.diagnostics()}"
                )
            waiter = asyncio.ensure_future(changed.wait())
            try:
                await asyncio.wait(
                    [waiter, *self._watched], timeout=remaining, return_when=asyncio.FIRST_COMPLETED
                )
            finally:
                waiter.cancel()

    def mark(self) -> int:
        """Index of the next REST request (use as ``start=`` of the wait helpers)."""
        return len(self.requests)

    def gateway_mark(self) -> int:
        return len(self.gateway_frames)

    def find_requests(
        self,
        method: str | None = None,
        path: str | Callable[[RecordedRequest], bool] | None = None,
        *,
        start: int = 0,
        status: int | None = None,
    ) -> list[RecordedRequest]:
        """Completed requests matching method, path (exact, glob or predicate) and status."""
        return [
            r
            for r in self.requests[start:]
            if r.done
            and (method is None or r.method == method.upper())
            and match_path(r.path, path, r)
            and (status is None or r.status == status)
        ]

    async def wait_request(
        self,
        method: str | None = None,
        path: str | Callable[[RecordedRequest], bool] | None = None,
        *,
        start: int = 0,
        status: int | None = None,
        timeout: float = 5.0,
    ) -> RecordedRequest:
        """First completed request at index >= ``start`` matching; path may use ``*`` globs."""

        def check() -> RecordedRequest | None:
            found = self.find_requests(method, path, start=start, status=status)
            return found[0] if found else None

        return await self.wait_until(
            check, timeout=timeout, what=f"request {method} {path} status={status}"
        )

    def sent_messages(self, channel_id: str | None = None, *, start: int = 0) -> list[JSON]:
        """Messages the bot created by requests at index >= ``start`` (channel sends,
        interaction responses, followups), in their current (live, edited) state."""
        out: dict[str, JSON] = {}
        for r in self.requests[start:]:
            msg = self.messages.get(r.message_id or "") if r.done and r.created else None
            if msg is not None and (channel_id is None or msg["channel_id"] == str(channel_id)):
                out.setdefault(msg["id"], msg)
        return list(out.values())

    async def wait_reply(
        self, channel_id: str | None = None, *, start: int = 0, timeout: float = 5.0
    ) -> JSON:
        """The first message the bot created (in ``channel_id``) by a request at index >= start.

        A deferred "thinking" message counts once it got its content (followup or edit)."""

        def check() -> JSON | None:
            found = self.sent_messages(channel_id, start=start)
            ready = [m for m in found if not m["flags"] & MESSAGE_FLAG_LOADING]
            return ready[0] if ready else None

        return await self.wait_until(
            check, timeout=timeout, what=f"a bot message in channel {channel_id}"
        )

    def request_for_message(self, message: JSON | str) -> RecordedRequest:
        """The request that created a message (to assert ``allowed_mentions``, ``nonce``...).
        For a deferred response that is the followup which resolved the "thinking" state."""
        mid = message["id"] if isinstance(message, dict) else str(message)
        for r in reversed(self.requests):
            if r.message_id == mid and r.created:
                return r
        raise KeyError(mid)

    def body_for_message(self, message: JSON | str) -> JSON:
        """The message body the bot sent for a message it created (for channel sends the request
        JSON, for interaction callbacks its ``data``): assert ``allowed_mentions`` etc. here."""
        rec = self.request_for_message(message)
        body = rec.json or {}
        return body.get("data") or {} if rec.path.startswith("/interactions/") else body

    async def wait_callback(self, interaction_id: str, *, timeout: float = 5.0) -> RecordedRequest:
        """The (first completed) callback request for an interaction, whatever its status."""
        return await self.wait_request(
            "POST", f"/interactions/{interaction_id}/*/callback", timeout=timeout
        )

    def modal_for(self, interaction_id: str) -> JSON:
        """The modal (callback type 9 ``data``) the bot opened for an interaction."""
        modal = self.interactions[str(interaction_id)].modal
        if modal is None:
            raise KeyError(f"interaction {interaction_id} got no modal")
        return modal

    def original_message(self, interaction_id: str) -> JSON | None:
        inter = self.interactions[str(interaction_id)]
        return self.messages.get(inter.original_message_id or "")

    def attachment(self, message: JSON | str, filename: str | None = None) -> bytes:
        """Bytes of a file the bot uploaded with a message (the only file if no name given)."""
        mid = message["id"] if isinstance(message, dict) else str(message)
        files = self.files.get(mid) or {}
        if filename is None:
            if len(files) != 1:
                raise KeyError(f"message {mid} has files {sorted(files)}; pass filename")
            return next(iter(files.values()))
        return files[filename]

    async def wait_gateway(
        self,
        op: int | None = None,
        *,
        event: str | None = None,
        direction: str = "recv",
        start: int = 0,
        timeout: float = 5.0,
    ) -> GatewayFrame:
        """A gateway frame (``recv`` = sent by the bot) at index >= ``start``."""

        def check() -> GatewayFrame | None:
            for f in self.gateway_frames[start:]:
                if (
                    f.direction == direction
                    and (op is None or f.op == op)
                    and (event is None or f.t == event)
                ):
                    return f
            return None

        return await self.wait_until(
            check, timeout=timeout, what=f"gateway {direction} op={op} t={event}"
        )

    def find_command(self, name: str, guild_id: str | None = None) -> JSON:
        """A synced command by name: guild commands of ``guild_id`` first, then global ones."""
        for scope in ([guild_id] if guild_id else []) + [None]:
            for cmd in self.commands.get(scope, []):
                if cmd["name"] == name and cmd["type"] == 1:
                    return cmd
        raise KeyError(
            f"command {name!r} was never synced (guild={guild_id}); synced: {self.commands}"
        )
