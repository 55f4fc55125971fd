"""A fake Discord (REST under ``/api/v10`` + gateway websocket at ``/gateway``) on 127.0.0.1.

Unmodified discord.py is pointed at it by :meth:`DiscordDouble.patch` (approach A of
``/work/shared/docs/discord-double.md``): ``discord.http.Route.BASE`` and
``discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY`` are monkeypatched and READY's
``resume_gateway_url`` points back here.

Everything the bot sends is recorded (:attr:`DiscordDouble.requests`,
:attr:`DiscordDouble.gateway_frames`); tests wait for things with the ``wait_*`` helpers, which
are event driven and re-raise the exception of a watched ``connect()`` task (gotcha 5).
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import fnmatch
import itertools
import json
import logging
import mimetypes
import re
import time
import traceback
import uuid
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import yarl
from aiohttp import WSMsgType, web

from . import limits
from .payloads import PayloadFactory
from .world import JSON, Guild, Intent, Perm, World, iso_now

log = logging.getLogger("discord_double")
REC_KEY = web.RequestKey("rec", object)
JSON_KEY = web.ResponseKey("json", object)

API_PREFIX = "/api/v10"
MESSAGE_FLAG_EPHEMERAL = 1 << 6
MESSAGE_FLAG_LOADING = 1 << 7
DEFAULT_ATTACHMENT_SIZE_LIMIT = 10 * 1024 * 1024

# Interaction types and the callback types Discord accepts for each (docs section 6).
PING, APPLICATION_COMMAND, MESSAGE_COMPONENT, AUTOCOMPLETE, MODAL_SUBMIT = 1, 2, 3, 4, 5
ALLOWED_CALLBACKS: dict[int, set[int]] = {
    PING: {1},
    APPLICATION_COMMAND: {4, 5, 9},
    MESSAGE_COMPONENT: {4, 5, 6, 7, 9},
    AUTOCOMPLETE: {8},
    MODAL_SUBMIT: {4, 5, 6, 7},
}

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


class DoubleError(AssertionError):
    """Raised by wait helpers on timeout (with diagnostics)."""


@dataclass
class UploadedFile:
    field_name: str
    filename: str
    content_type: str
    data: bytes


@dataclass
class RecordedRequest:
    index: int
    method: str
    path: str  # after /api/v10, e.g. "/channels/123/messages"
    query: dict[str, str]
    headers: dict[str, str]
    json: Any  # parsed JSON body, or multipart ``payload_json``
    files: list[UploadedFile] = field(default_factory=list)
    status: int | None = None  # filled when the response is sent
    response: Any = None  # JSON body sent back (None for 204)
    message_id: str | None = None  # message created or edited by this request, if any
    created: bool = False  # True if message_id was created by this request
    injected: bool = False  # answered by fault injection
    done: bool = False
    at: float = 0.0  # loop.time() on arrival

    def __repr__(self) -> str:  # compact for diagnostics
        return f"<#{self.index} {self.method} {self.path} -> {self.status}>"


@dataclass
class GatewayFrame:
    index: int
    conn_id: int
    direction: str  # "send" (double -> bot), "recv" (bot -> double), "close" (d = {code, by})
    op: int | None
    t: str | None
    s: int | None
    d: Any
    at: float = 0.0


@dataclass
class Fault:
    method: str | None
    matcher: str | Callable[[RecordedRequest], bool] | None
    status: int
    remaining: int
    body: Any
    headers: dict[str, str]
    hits: list[int] = field(default_factory=list)  # request indexes answered by this fault


@dataclass
class InteractionState:
    id: str
    token: str
    type: int
    payload: JSON
    created: float  # loop time
    created_wall: float
    responded: bool = False
    response_type: int | None = None
    original_message_id: str | None = None
    deferred_pending: bool = False  # type 5 sent and no followup/edit yet
    followup_ids: list[str] = field(default_factory=list)
    modal: JSON | None = None
    autocomplete_choices: list[JSON] | None = None


@dataclass
class Session:
    id: str
    intents: int
    identify: JSON
    log: list[JSON] = field(default_factory=list)  # dispatch frames, log[i]["s"] == i + 1
    conn: GatewayConnection | None = None

    @property
    def seq(self) -> int:
        return len(self.log)


@dataclass
class GatewayConnection:
    id: int
    ws: web.WebSocketResponse
    query: dict[str, str]
    compressor: Any = None
    session: Session | None = None
    next_index: int = 0
    replay_end: int | None = None
    wake: asyncio.Event = field(default_factory=asyncio.Event)
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    pump: asyncio.Task[None] | None = None
    closed: bool = False
    close_code: int | None = None  # sent by the double, or received from the bot
    last_heartbeat: Any = None


def _error(status: int, code: int, message: str, **extra: Any) -> tuple[int, JSON]:
    return status, {"code": code, "message": message, **extra}


def _match_path(
    path: str, pattern: str | Callable[[RecordedRequest], bool] | None, rec: RecordedRequest
) -> bool:
    if pattern is None:
        return True
    if callable(pattern):
        return bool(pattern(rec))
    if any(c in pattern for c in "*?["):
        return fnmatch.fnmatchcase(path, pattern)
    return path == pattern


class DiscordDouble:
    """The fake Discord. ``await start()``, ``patch(monkeypatch)``, run a bot, ``await stop()``."""

    def __init__(
        self,
        world: World | None = None,
        *,
        interaction_deadline: float = 3.0,
        interaction_token_ttl: float = 900.0,
        heartbeat_interval_ms: int = 41250,
        compress_frames: bool = False,
        attachment_size_limit: int = DEFAULT_ATTACHMENT_SIZE_LIMIT,
    ) -> None:
        self.world = world or World()
        #: seconds allowed for the initial interaction response (Discord: 3 s)
        self.interaction_deadline = interaction_deadline
        #: seconds an interaction token stays valid for followups / @original (Discord: 15 min)
        self.interaction_token_ttl = interaction_token_ttl
        self.heartbeat_interval_ms = heartbeat_interval_ms
        #: send zlib-stream binary frames when the client asks for ``compress=zlib-stream``
        self.compress_frames = compress_frames
        self.attachment_size_limit = attachment_size_limit
        #: developer-portal switches for privileged intents (IDENTIFY asking for more → 4014)
        self.portal_intents = Intent.PRIVILEGED
        #: answer op 1 with op 11 (switch off for zombie-connection tests)
        self.ack_heartbeats = True
        #: dispatch MESSAGE_CREATE/UPDATE/DELETE for the bot's own messages, like Discord
        self.echo_bot_messages = True

        self.requests: list[RecordedRequest] = []
        self.gateway_frames: list[GatewayFrame] = []
        self.messages: dict[str, JSON] = {}  # every message the double knows, by id
        self.files: dict[str, dict[str, bytes]] = {}  # message id -> filename -> bytes
        self.commands: dict[str | None, list[JSON]] = {}  # guild id (None = global) -> commands
        self.interactions: dict[str, InteractionState] = {}
        self.dropped_events: list[tuple[str, Any, str]] = []  # (event, data, reason)
        self.identify_payloads: list[JSON] = []
        self.unhandled: list[RecordedRequest] = []  # requests to routes the double lacks
        self.internal_errors: list[str] = []  # bugs in the double itself
        self.log_records: list[logging.LogRecord] = []  # filled by the harness (ERROR+)
        self.session: Session | None = None
        self.connections: list[GatewayConnection] = []
        self.faults: list[Fault] = []
        self.failure_seen = False  # a wait helper already re-raised a watched task's failure

        #: payload builders bound to this double (``double.payloads.message(...)``)
        self.payloads = PayloadFactory(self)
        self._conn_ids = itertools.count(1)
        self._changed = asyncio.Event()
        self._watched: list[asyncio.Task[Any]] = []
        self._runner: web.AppRunner | None = None
        self.port: int | None = None

    # =========================================================================================
    # lifecycle
    # =========================================================================================
    @property
    def base_url(self) -> str:
        assert self.port is not None, "double not started"
        return f"http://127.0.0.1:{self.port}"

    @property
    def api_base(self) -> str:
        return self.base_url + API_PREFIX

    @property
    def gateway_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/gateway"

    @property
    def token(self) -> str:
        return self.world.token

    @property
    def app_id(self) -> str:
        return self.world.app_id

    @property
    def guild(self) -> Guild:
        return self.world.guild

    async def start(self) -> DiscordDouble:
        self._changed = asyncio.Event()
        app = web.Application(middlewares=[self._middleware], client_max_size=64 * 1024 * 1024)
        self._add_routes(app.router)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = self._runner.addresses[0][1]
        return self

    async def stop(self) -> None:
        for conn in self.connections:
            if conn.pump:
                conn.pump.cancel()
            if not conn.ws.closed:
                with contextlib.suppress(TimeoutError, ConnectionError, RuntimeError):
                    await asyncio.wait_for(conn.ws.close(code=1001), 1.0)
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    def patch(self, monkeypatch: Any) -> None:
        """Point discord.py's REST base and default gateway at this double (approach A)."""
        import discord.gateway
        import discord.http

        monkeypatch.setattr(discord.http.Route, "BASE", self.api_base)
        monkeypatch.setattr(
            discord.gateway.DiscordWebSocket, "DEFAULT_GATEWAY", yarl.URL(self.gateway_url)
        )

    def watch(self, task: asyncio.Task[Any]) -> None:
        """Every wait helper re-raises this task's exception (e.g. the bot's ``connect()``)."""
        self._watched.append(task)
        task.add_done_callback(lambda _t: self._notify())

    def unwatch(self, task: asyncio.Task[Any]) -> None:
        if task in self._watched:
            self._watched.remove(task)

    # =========================================================================================
    # waiting
    # =========================================================================================
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
            and _match_path(r.path, path, r)
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

    # =========================================================================================
    # fault injection
    # =========================================================================================
    def inject_429(
        self,
        method: str | None,
        path: str | Callable[[RecordedRequest], bool] | None,
        *,
        times: int = 1,
        retry_after: float = 0.05,
        via: bool = True,
        is_global: bool = False,
    ) -> Fault:
        """Answer the next ``times`` matching requests with 429 (with Via, discord.py retries)."""
        body = {
            "message": "You are being rate limited.",
            "retry_after": retry_after,
            "global": is_global,
        }
        headers = {
            "Retry-After": str(max(1, round(retry_after))),
            "X-RateLimit-Limit": "5",
            "X-RateLimit-Remaining": "0",
            "X-RateLimit-Reset-After": str(retry_after),
            "X-RateLimit-Scope": "global" if is_global else "user",
        }
        if is_global:
            headers["X-RateLimit-Global"] = "true"
        if via:
            headers["Via"] = "1.1 google"
        return self.inject_error(method, path, status=429, times=times, body=body, headers=headers)

    def inject_error(
        self,
        method: str | None,
        path: str | Callable[[RecordedRequest], bool] | None,
        *,
        status: int = 500,
        times: int = 1,
        body: Any = None,
        headers: dict[str, str] | None = None,
    ) -> Fault:
        """Answer the next ``times`` matching requests with ``status`` (default a 500)."""
        if body is None:
            body = {"message": f"{status}: Internal Server Error", "code": 0}
        fault = Fault(method.upper() if method else None, path, status, times, body, headers or {})
        self.faults.append(fault)
        return fault

    def _take_fault(self, rec: RecordedRequest) -> Fault | None:
        for fault in self.faults:
            if (
                fault.remaining > 0
                and (fault.method in (None, rec.method))
                and _match_path(rec.path, fault.matcher, rec)
            ):
                fault.remaining -= 1
                fault.hits.append(rec.index)
                return fault
        return None

    # =========================================================================================
    # HTTP plumbing
    # =========================================================================================
    def _json(
        self, status: int, body: Any = None, headers: dict[str, str] | None = None
    ) -> web.Response:
        if status == 204 or body is None:
            resp = web.Response(status=status if body is not None else 204, headers=headers or {})
        else:
            # gotcha 1: exactly "application/json" (no charset) or discord.py treats it as text
            resp = web.Response(
                status=status,
                body=json.dumps(body).encode(),
                headers={**(headers or {}), "Content-Type": "application/json"},
            )
        resp[JSON_KEY] = body
        return resp

    async def _parse_body(self, request: web.Request) -> tuple[Any, list[UploadedFile]]:
        ctype = request.content_type
        files: list[UploadedFile] = []
        if ctype == "multipart/form-data":
            payload: Any = None
            reader = await request.multipart()
            async for part in reader:
                if part is None:
                    break
                data = await part.read()  # type: ignore[union-attr]
                name = part.name or ""  # type: ignore[union-attr]
                if name == "payload_json":
                    payload = json.loads(data)
                else:
                    files.append(
                        UploadedFile(
                            name,
                            part.filename or name,  # type: ignore[union-attr]
                            part.headers.get("Content-Type", "application/octet-stream"),
                            bytes(data),
                        )
                    )
            return payload, files
        raw = await request.read()
        if not raw:
            return None, files
        try:
            return json.loads(raw), files
        except ValueError:
            return raw.decode(errors="replace"), files

    @web.middleware
    async def _middleware(self, request: web.Request, handler: Any) -> web.StreamResponse:
        if not request.path.startswith(API_PREFIX + "/"):
            return await handler(request)
        body, files = await self._parse_body(request)
        rec = RecordedRequest(
            index=len(self.requests),
            method=request.method,
            path=request.path[len(API_PREFIX) :],
            query=dict(request.query),
            headers=dict(request.headers),
            json=body,
            files=files,
            at=asyncio.get_running_loop().time(),
        )
        self.requests.append(rec)
        request[REC_KEY] = rec
        try:
            fault = self._take_fault(rec)
            if fault is not None:
                rec.injected = True
                resp = self._json(fault.status, fault.body, fault.headers)
            elif not self._authorized(rec):
                resp = self._json(401, {"message": "401: Unauthorized", "code": 0})
            else:
                resp = await handler(request)
        except web.HTTPNotFound:
            self.unhandled.append(rec)
            resp = self._json(404, {"message": "404: Not Found", "code": 0})
        except web.HTTPMethodNotAllowed:
            self.unhandled.append(rec)
            resp = self._json(405, {"message": "405: Method Not Allowed", "code": 0})
        except Exception:
            tb = traceback.format_exc()
            self.internal_errors.append(f"{rec.method} {rec.path}: {tb}")
            log.error("discord double crashed handling %s %s\n%s", rec.method, rec.path, tb)
            resp = self._json(500, {"message": "double internal error", "code": 0})
        rec.status = resp.status
        rec.response = resp.get(JSON_KEY) if isinstance(resp, web.Response) else None
        rec.done = True
        self._notify()
        return resp

    def _authorized(self, rec: RecordedRequest) -> bool:
        if rec.path.startswith(("/interactions/", "/webhooks/")):
            return True  # interaction callbacks and webhooks carry no Authorization
        return rec.headers.get("Authorization") == f"Bot {self.world.token}"

    def _add_routes(self, r: web.UrlDispatcher) -> None:
        P = API_PREFIX
        w = self._wrap
        r.add_get("/gateway", self._gateway_handler)
        r.add_get("/attachments/{channel_id}/{attachment_id}/{filename}", self._serve_attachment)
        r.add_get(P + "/gateway", w(self._get_gateway))
        r.add_get(P + "/gateway/bot", w(self._get_gateway_bot))
        r.add_get(P + "/users/@me", w(self._get_me))
        r.add_post(P + "/users/@me/channels", w(self._create_dm))
        r.add_get(P + "/users/{user_id}", w(self._get_user))
        r.add_get(P + "/oauth2/applications/@me", w(self._get_application))
        r.add_get(P + "/applications/@me", w(self._get_application))
        for prefix in (
            P + "/applications/{app_id}/commands",
            P + "/applications/{app_id}/guilds/{guild_id}/commands",
        ):
            r.add_get(prefix, w(self._list_commands))
            r.add_put(prefix, w(self._bulk_commands))
            r.add_post(prefix, w(self._upsert_command))
            r.add_get(prefix + "/{command_id}", w(self._get_command))
            r.add_patch(prefix + "/{command_id}", w(self._patch_command))
            r.add_delete(prefix + "/{command_id}", w(self._delete_command))
        r.add_get(P + "/channels/{channel_id}", w(self._get_channel))
        r.add_post(P + "/channels/{channel_id}/typing", w(self._typing))
        r.add_get(P + "/channels/{channel_id}/messages", w(self._history))
        r.add_post(P + "/channels/{channel_id}/messages", w(self._post_message))
        r.add_get(P + "/channels/{channel_id}/messages/{message_id}", w(self._get_message))
        r.add_patch(P + "/channels/{channel_id}/messages/{message_id}", w(self._patch_message))
        r.add_delete(P + "/channels/{channel_id}/messages/{message_id}", w(self._delete_message))
        r.add_put(
            P + "/channels/{channel_id}/messages/{message_id}/reactions/{emoji}/@me",
            w(self._add_reaction),
        )
        r.add_delete(
            P + "/channels/{channel_id}/messages/{message_id}/reactions/{emoji}/@me",
            w(self._remove_reaction),
        )
        r.add_get(P + "/guilds/{guild_id}", w(self._get_guild))
        r.add_get(P + "/guilds/{guild_id}/channels", w(self._get_guild_channels))
        r.add_get(P + "/guilds/{guild_id}/roles", w(self._get_guild_roles))
        r.add_get(P + "/guilds/{guild_id}/members/{user_id}", w(self._get_member))
        r.add_post(
            P + "/interactions/{interaction_id}/{token}/callback", w(self._interaction_callback)
        )
        r.add_post(P + "/webhooks/{app_id}/{token}", w(self._webhook_execute))
        r.add_get(P + "/webhooks/{app_id}/{token}/messages/{message_id}", w(self._webhook_get))
        r.add_patch(P + "/webhooks/{app_id}/{token}/messages/{message_id}", w(self._webhook_patch))
        r.add_delete(
            P + "/webhooks/{app_id}/{token}/messages/{message_id}", w(self._webhook_delete)
        )

    def _wrap(self, fn: Callable[..., Any]) -> Callable[[web.Request], Any]:
        async def handler(request: web.Request) -> web.Response:
            rec: RecordedRequest = request[REC_KEY]  # type: ignore[assignment]
            result = await fn(rec, **request.match_info)
            if isinstance(result, web.Response):
                return result
            status, body = result
            return self._json(status, body)

        return handler

    # =========================================================================================
    # REST: users, application, guilds, channels
    # =========================================================================================
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
            return _error(404, 10013, "Unknown User")

    async def _create_dm(self, rec: RecordedRequest) -> tuple[int, Any]:
        try:
            return 200, copy.deepcopy(
                self.world.dm_channel(str((rec.json or {}).get("recipient_id")))
            )
        except KeyError:
            return _error(400, 50007, "Cannot send messages to this user")

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
            return _error(404, 10004, "Unknown Guild")
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
        return (
            (200, copy.deepcopy(guild.channels)) if guild else _error(404, 10004, "Unknown Guild")
        )

    async def _get_guild_roles(self, rec: RecordedRequest, guild_id: str) -> tuple[int, Any]:
        guild = self._guild_or_404(guild_id)
        return (200, copy.deepcopy(guild.roles)) if guild else _error(404, 10004, "Unknown Guild")

    async def _get_member(
        self, rec: RecordedRequest, guild_id: str, user_id: str
    ) -> tuple[int, Any]:
        guild = self._guild_or_404(guild_id)
        if guild is None:
            return _error(404, 10004, "Unknown Guild")
        member = guild.member(user_id)
        return (200, copy.deepcopy(member)) if member else _error(404, 10007, "Unknown Member")

    async def _get_channel(self, rec: RecordedRequest, channel_id: str) -> tuple[int, Any]:
        found = self.world.find_channel(channel_id)
        return (200, copy.deepcopy(found[1])) if found else _error(404, 10003, "Unknown Channel")

    async def _typing(self, rec: RecordedRequest, channel_id: str) -> tuple[int, Any]:
        err = self._check_channel_perms(channel_id, Perm.VIEW_CHANNEL | Perm.SEND_MESSAGES)
        return err or (204, None)

    # =========================================================================================
    # REST: application commands
    # =========================================================================================
    def _command_scope(
        self, rec: RecordedRequest, app_id: str, guild_id: str | None
    ) -> tuple[int, Any] | None:
        if app_id != self.app_id:
            return _error(403, 50001, "Missing Access")
        if guild_id is not None and guild_id not in self.world.guilds:
            return _error(403, 50001, "Missing Access")
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
            (200, copy.deepcopy(cmd)) if cmd else _error(404, 10063, "Unknown application command")
        )

    async def _patch_command(
        self, rec: RecordedRequest, app_id: str, command_id: str, guild_id: str | None = None
    ) -> tuple[int, Any]:
        cmd = self._find_stored_command(guild_id, command_id)
        if cmd is None:
            return _error(404, 10063, "Unknown application command")
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
            return _error(404, 10063, "Unknown application command")
        self.commands[guild_id].remove(cmd)
        return 204, None

    def find_command(self, name: str, guild_id: str | None = None) -> JSON:
        """A synced command by name: guild commands of ``guild_id`` first, then global ones."""
        for scope in ([guild_id] if guild_id else []) + [None]:
            for cmd in self.commands.get(scope, []):
                if cmd["name"] == name and cmd["type"] == 1:
                    return cmd
        raise KeyError(
            f"command {name!r} was never synced (guild={guild_id}); synced: {self.commands}"
        )

    # =========================================================================================
    # REST: channel messages
    # =========================================================================================
    def _check_channel_perms(self, channel_id: str, needed: int) -> tuple[int, Any] | None:
        found = self.world.find_channel(channel_id)
        if found is None:
            return _error(404, 10003, "Unknown Channel")
        guild, _ch = found
        if guild is None:
            return None
        perms = guild.permissions(self.app_id, channel_id)
        if not perms & Perm.VIEW_CHANNEL:
            return _error(403, 50001, "Missing Access")
        if perms & needed != needed:
            return _error(403, 50013, "Missing Permissions")
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
            return _error(413, 40005, "Request entity too large")
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
            return _error(400, 50109, "The request body contains invalid JSON.")
        errors = limits.validate_message(body)
        if errors:
            return 400, errors.body()
        if not allow_empty and not has_files and limits.message_is_empty(body):
            return _error(400, 50006, "Cannot send an empty message")
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
        needed = Perm.VIEW_CHANNEL | Perm.SEND_MESSAGES | (Perm.ATTACH_FILES if rec.files else 0)
        err = (
            self._check_channel_perms(channel_id, needed)
            or self._validate_send(body, has_files=bool(rec.files))
            or self._check_reference(body, channel_id)
        )
        if err:
            return err
        atts = self._attachments_for(rec, channel_id, body, [])
        if isinstance(atts, tuple):
            return atts
        flags = (body.get("flags") or 0) & ~MESSAGE_FLAG_EPHEMERAL
        msg = self._build_message(channel_id, body, attachments=atts, flags=flags)
        rec.message_id, rec.created = msg["id"], True
        self._echo("MESSAGE_CREATE", msg)
        return 200, copy.deepcopy(msg)

    async def _get_message(
        self, rec: RecordedRequest, channel_id: str, message_id: str
    ) -> tuple[int, Any]:
        msg = self.messages.get(message_id)
        if msg is None or msg["channel_id"] != channel_id or msg["flags"] & MESSAGE_FLAG_EPHEMERAL:
            return _error(404, 10008, "Unknown Message")
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
            return _error(400, 50109, "The request body contains invalid JSON.")
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
            return _error(400, 50006, "Cannot send an empty message")
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
            return _error(404, 10008, "Unknown Message")
        if msg["author"]["id"] != self.app_id:
            return _error(403, 50005, "Cannot edit a message authored by another user")
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
            return _error(404, 10008, "Unknown Message")
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
            return _error(404, 10008, "Unknown Message")
        msg.setdefault("bot_reactions", []).append(emoji)
        return 204, None

    async def _remove_reaction(
        self, rec: RecordedRequest, channel_id: str, message_id: str, emoji: str
    ) -> tuple[int, Any]:
        msg = self.messages.get(message_id)
        if msg is None:
            return _error(404, 10008, "Unknown Message")
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

    # =========================================================================================
    # REST: interactions and webhooks
    # =========================================================================================
    async def _interaction_callback(
        self, rec: RecordedRequest, interaction_id: str, token: str
    ) -> tuple[int, Any]:
        inter = self.interactions.get(interaction_id)
        if inter is None or inter.token != token:
            return _error(404, 10062, "Unknown interaction")
        if inter.responded:
            return _error(400, 40060, "Interaction has already been acknowledged.")
        if asyncio.get_running_loop().time() - inter.created > self.interaction_deadline:
            return _error(404, 10062, "Unknown interaction")
        body = rec.json if isinstance(rec.json, dict) else {}
        ctype = body.get("type")
        if ctype not in ALLOWED_CALLBACKS.get(inter.type, set()):
            errors = limits.FormErrors()
            errors.add(
                ("type",),
                "INTERACTION_RESPONSE_TYPE_INVALID",
                f"Interaction response type {ctype} is not valid for interaction type {inter.type}",
            )
            return 400, errors.body()
        data = body.get("data") or {}
        result: JSON = {"interaction": {"id": inter.id, "type": inter.type}}
        channel_id = inter.payload.get("channel_id") or inter.payload.get("channel", {}).get("id")
        if ctype == 4:
            err = self._validate_send(data, has_files=bool(rec.files))
            if err:
                return err
            atts = self._attachments_for(rec, channel_id, data, [])
            if isinstance(atts, tuple):
                return atts
            flags = (data.get("flags") or 0) & (
                MESSAGE_FLAG_EPHEMERAL | limits.IS_COMPONENTS_V2 | 4 | 4096
            )
            msg_type = 20 if inter.type == APPLICATION_COMMAND else 0
            msg = self._build_message(
                channel_id,
                data,
                attachments=atts,
                msg_type=msg_type,
                flags=flags,
                interaction=inter,
            )
            inter.original_message_id = msg["id"]
            rec.message_id, rec.created = msg["id"], True
            self._echo("MESSAGE_CREATE", msg)
            result["interaction"].update(
                response_message_id=msg["id"],
                response_message_loading=False,
                response_message_ephemeral=bool(flags & MESSAGE_FLAG_EPHEMERAL),
            )
            result["resource"] = {"type": 4, "message": copy.deepcopy(msg)}
        elif ctype == 5:
            flags = MESSAGE_FLAG_LOADING | ((data.get("flags") or 0) & MESSAGE_FLAG_EPHEMERAL)
            msg_type = 20 if inter.type == APPLICATION_COMMAND else 0
            msg = self._build_message(
                channel_id, {}, attachments=[], msg_type=msg_type, flags=flags, interaction=inter
            )
            inter.original_message_id = msg["id"]
            rec.message_id, rec.created = msg["id"], True
            inter.deferred_pending = True
            self._echo("MESSAGE_CREATE", msg)
            result["interaction"].update(
                response_message_id=msg["id"],
                response_message_loading=True,
                response_message_ephemeral=bool(flags & MESSAGE_FLAG_EPHEMERAL),
            )
        elif ctype in (6, 7):
            target = (inter.payload.get("message") or {}).get("id")
            if target is None or target not in self.messages:
                errors = limits.FormErrors()
                errors.add(
                    ("type",),
                    "INTERACTION_RESPONSE_TYPE_INVALID",
                    "This interaction has no message to update",
                )
                return 400, errors.body()
            msg = self.messages[target]
            if ctype == 7:
                err = self._apply_edit(rec, msg, data)
                if err:
                    return err
                rec.message_id = msg["id"]
                self._echo("MESSAGE_UPDATE", msg)
                result["resource"] = {"type": 7, "message": copy.deepcopy(msg)}
            result["interaction"].update(
                response_message_id=msg["id"],
                response_message_loading=False,
                response_message_ephemeral=bool(msg["flags"] & MESSAGE_FLAG_EPHEMERAL),
            )
            inter.original_message_id = msg["id"]
        elif ctype == 8:
            errors = limits.validate_autocomplete(data)
            if errors:
                return 400, errors.body()
            inter.autocomplete_choices = copy.deepcopy(data["choices"])
        elif ctype == 9:
            errors = limits.validate_modal(data)
            if errors:
                return 400, errors.body()
            inter.modal = copy.deepcopy(data)
        inter.responded = True
        inter.response_type = ctype
        if rec.query.get("with_response") in ("1", "true", "True"):
            return 200, result
        return 204, None

    def _webhook_interaction(
        self, app_id: str, token: str
    ) -> tuple[InteractionState | None, tuple[int, Any] | None]:
        inter = next((i for i in self.interactions.values() if i.token == token), None)
        if app_id != self.app_id or inter is None or not inter.responded:
            return None, _error(404, 10015, "Unknown Webhook")
        if time.time() - inter.created_wall > self.interaction_token_ttl:
            return None, _error(401, 50027, "Invalid Webhook Token")
        return inter, None

    async def _webhook_execute(
        self, rec: RecordedRequest, app_id: str, token: str
    ) -> tuple[int, Any]:
        inter, err = self._webhook_interaction(app_id, token)
        if err:
            return err
        assert inter is not None
        body = rec.json
        err = self._validate_send(body, has_files=bool(rec.files))
        if err:
            return err
        channel_id = inter.payload.get("channel_id") or inter.payload.get("channel", {}).get("id")
        if inter.deferred_pending and inter.original_message_id in self.messages:
            # The first followup after a deferred "thinking" response edits that message.
            msg = self.messages[inter.original_message_id]
            err = self._apply_edit(rec, msg, body)
            if err:
                return err
            inter.deferred_pending = False
            self._echo("MESSAGE_UPDATE", msg)
        else:
            atts = self._attachments_for(rec, channel_id, body, [])
            if isinstance(atts, tuple):
                return atts
            flags = (body.get("flags") or 0) & (
                MESSAGE_FLAG_EPHEMERAL | limits.IS_COMPONENTS_V2 | 4 | 4096
            )
            msg = self._build_message(
                channel_id, body, attachments=atts, flags=flags, interaction=inter
            )
            inter.followup_ids.append(msg["id"])
            self._echo("MESSAGE_CREATE", msg)
        rec.message_id, rec.created = msg["id"], True
        if rec.query.get("wait") in ("1", "true", "True"):
            return 200, copy.deepcopy(msg)
        return 204, None

    def _webhook_target(
        self, app_id: str, token: str, message_id: str
    ) -> tuple[tuple[InteractionState, JSON] | None, tuple[int, Any] | None]:
        """The interaction and the message a webhook route names, or the error to send."""
        inter, err = self._webhook_interaction(app_id, token)
        if err:
            return None, err
        assert inter is not None
        msg = self._webhook_message(inter, message_id)
        if msg is None:
            return None, _error(404, 10008, "Unknown Message")
        return (inter, msg), None

    def _webhook_message(self, inter: InteractionState, message_id: str) -> JSON | None:
        if message_id == "@original":
            return self.messages.get(inter.original_message_id or "")
        if message_id in inter.followup_ids or message_id == inter.original_message_id:
            return self.messages.get(message_id)
        return None

    async def _webhook_get(
        self, rec: RecordedRequest, app_id: str, token: str, message_id: str
    ) -> tuple[int, Any]:
        found, err = self._webhook_target(app_id, token, message_id)
        if err:
            return err
        assert found is not None
        return 200, copy.deepcopy(found[1])

    async def _webhook_patch(
        self, rec: RecordedRequest, app_id: str, token: str, message_id: str
    ) -> tuple[int, Any]:
        found, err = self._webhook_target(app_id, token, message_id)
        if err:
            return err
        assert found is not None
        inter, msg = found
        err = self._apply_edit(rec, msg, rec.json)
        if err:
            return err
        if msg["id"] == inter.original_message_id:
            inter.deferred_pending = False
        rec.message_id = msg["id"]
        self._echo("MESSAGE_UPDATE", msg)
        return 200, copy.deepcopy(msg)

    async def _webhook_delete(
        self, rec: RecordedRequest, app_id: str, token: str, message_id: str
    ) -> tuple[int, Any]:
        found, err = self._webhook_target(app_id, token, message_id)
        if err:
            return err
        assert found is not None
        _, msg = found
        self._delete_stored(msg)
        return 204, None

    # =========================================================================================
    # gateway
    # =========================================================================================
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

    def _frame(self, conn: GatewayConnection, direction: str, payload: JSON) -> None:
        self.gateway_frames.append(
            GatewayFrame(
                index=len(self.gateway_frames),
                conn_id=conn.id,
                direction=direction,
                op=payload.get("op"),
                t=payload.get("t"),
                s=payload.get("s"),
                d=payload.get("d"),
                at=asyncio.get_running_loop().time(),
            )
        )
        self._notify()

    async def _send(self, conn: GatewayConnection, payload: JSON) -> None:
        async with conn.lock:
            if conn.ws.closed:
                raise ConnectionResetError("gateway connection closed")
            text = json.dumps(payload)
            if conn.compressor is not None:
                data = conn.compressor.compress(text.encode()) + conn.compressor.flush(
                    zlib.Z_SYNC_FLUSH
                )
                await conn.ws.send_bytes(data)
            else:
                await conn.ws.send_str(text)
            self._frame(conn, "send", payload)

    async def _pump(self, conn: GatewayConnection) -> None:
        session = conn.session
        assert session is not None
        try:
            while not conn.closed:
                while conn.next_index < len(session.log) and (
                    conn.replay_end is None or conn.next_index < conn.replay_end
                ):
                    frame = session.log[conn.next_index]
                    conn.next_index += 1
                    await self._send(conn, frame)
                if conn.replay_end is not None:
                    conn.replay_end = None
                    await self._send(
                        conn,
                        {"op": 0, "t": "RESUMED", "s": None, "d": {"_trace": ["discord-double"]}},
                    )
                    continue
                conn.wake.clear()
                await conn.wake.wait()
        except (ConnectionResetError, ConnectionError, RuntimeError):
            return

    def _start_pump(self, conn: GatewayConnection) -> None:
        assert conn.session is not None
        conn.session.conn = conn
        conn.pump = asyncio.create_task(self._pump(conn), name=f"double-gateway-pump-{conn.id}")

    async def _gateway_handler(self, request: web.Request) -> web.StreamResponse:
        ws = web.WebSocketResponse(max_msg_size=0, compress=False, autoping=True)
        await ws.prepare(request)
        conn = GatewayConnection(id=next(self._conn_ids), ws=ws, query=dict(request.query))
        if self.compress_frames and request.query.get("compress") == "zlib-stream":
            conn.compressor = zlib.compressobj()
        self.connections.append(conn)
        try:
            await self._send(
                conn,
                {
                    "op": 10,
                    "s": None,
                    "t": None,
                    "d": {
                        "heartbeat_interval": self.heartbeat_interval_ms,
                        "_trace": ["discord-double"],
                    },
                },
            )
            async for msg in ws:
                if msg.type == WSMsgType.TEXT:
                    await self._on_client_frame(conn, msg.data)
                elif msg.type == WSMsgType.BINARY:
                    await self._close(conn, 4002, "Decode error")
                elif msg.type == WSMsgType.ERROR:
                    break
        except (ConnectionResetError, ConnectionError):
            pass
        finally:
            conn.closed = True
            if conn.close_code is None:  # closed by the bot
                conn.close_code = ws.close_code
                self._frame(conn, "close", {"d": {"code": ws.close_code, "by": "bot"}})
            if conn.pump is not None:
                conn.pump.cancel()
        return ws

    async def _close(self, conn: GatewayConnection, code: int, reason: str = "") -> None:
        conn.closed = True
        if conn.close_code is None:
            conn.close_code = code
            self._frame(conn, "close", {"d": {"code": code, "by": "double", "reason": reason}})
        if conn.pump is not None:
            conn.pump.cancel()
        await conn.ws.close(code=code, message=reason.encode())

    async def _on_client_frame(self, conn: GatewayConnection, text: str) -> None:
        try:
            payload = json.loads(text)
        except ValueError:
            await self._close(conn, 4002, "Decode error")
            return
        self._frame(conn, "recv", payload)
        op, d = payload.get("op"), payload.get("d")
        if op == 1:
            conn.last_heartbeat = d
            if self.ack_heartbeats:
                await self._send(conn, {"op": 11, "s": None, "t": None, "d": None})
        elif op == 2:
            await self._identify(conn, d or {})
        elif op == 6:
            await self._resume(conn, d or {})
        elif op in (3, 4, 8):
            if conn.session is None:
                await self._close(conn, 4003, "Not authenticated.")
            elif op == 8:
                self._answer_member_request(d or {})
        else:
            await self._close(conn, 4001, "Unknown opcode.")

    async def _identify(self, conn: GatewayConnection, d: JSON) -> None:
        if conn.session is not None:
            await self._close(conn, 4005, "Already authenticated.")
            return
        if d.get("token") != self.world.token:
            await self._close(conn, 4004, "Authentication failed.")
            return
        intents = d.get("intents")
        if not isinstance(intents, int) or intents < 0 or intents >= 1 << 26:
            await self._close(conn, 4013, "Invalid intent(s).")
            return
        if intents & Intent.PRIVILEGED & ~self.portal_intents:
            await self._close(conn, 4014, "Disallowed intent(s).")
            return
        self.identify_payloads.append(copy.deepcopy(d))
        session = Session(id=uuid.uuid4().hex, intents=intents, identify=copy.deepcopy(d))
        self.session = session
        conn.session = session
        conn.next_index = 0
        ready = {
            "v": 10,
            "user_settings": {},
            "user": copy.deepcopy(self.world.bot_user),
            "guilds": [{"id": gid, "unavailable": True} for gid in self.world.guilds],
            "session_id": session.id,
            "session_type": "normal",
            "resume_gateway_url": self.gateway_url,
            "application": {"id": self.app_id, "flags": 0},
            "private_channels": [],
            "relationships": [],
            "presences": [],
            "guild_join_requests": [],
            "geo_ordered_rtc_regions": ["milan"],
            "auth": {},
            "_trace": ["discord-double"],
        }
        if d.get("shard") is not None:
            ready["shard"] = d["shard"]
        self._append_dispatch("READY", ready)
        for guild in self.world.guilds.values():
            data = guild.to_gateway(
                with_members=bool(intents & Intent.GUILD_MEMBERS),
                with_presences=bool(intents & Intent.GUILD_PRESENCES),
                bot_id=self.app_id,
            )
            self._append_dispatch("GUILD_CREATE", data)
        self._start_pump(conn)

    async def _resume(self, conn: GatewayConnection, d: JSON) -> None:
        if d.get("token") != self.world.token:
            await self._close(conn, 4004, "Authentication failed.")
            return
        session = self.session
        seq = d.get("seq") or 0
        if session is None or session.id != d.get("session_id") or seq > session.seq:
            await self._send(conn, {"op": 9, "s": None, "t": None, "d": False})
            return
        old = session.conn
        if old is not None and old is not conn and not old.closed:
            await self._close(old, 4000, "Session resumed elsewhere")
        conn.session = session
        conn.next_index = seq
        conn.replay_end = session.seq
        self._start_pump(conn)

    def _answer_member_request(self, d: JSON) -> None:
        guild = self.world.guilds.get(str(d.get("guild_id")))
        if guild is None:
            return
        chunk = {
            "guild_id": guild.id,
            "members": copy.deepcopy(guild.members),
            "chunk_index": 0,
            "chunk_count": 1,
            "not_found": [],
        }
        if d.get("nonce") is not None:
            chunk["nonce"] = d["nonce"]
        self._append_dispatch("GUILD_MEMBERS_CHUNK", chunk)

    @property
    def live_connection(self) -> GatewayConnection | None:
        if self.session and self.session.conn and not self.session.conn.closed:
            return self.session.conn
        return None

    def _require_live(self) -> GatewayConnection:
        conn = self.live_connection
        if conn is None:
            raise RuntimeError("no live gateway connection")
        return conn

    async def close_gateway(self, code: int = 4000, reason: str = "") -> None:
        """Close the bot's gateway connection with ``code`` (4000/1001 → the bot RESUMEs)."""
        await self._close(self._require_live(), code, reason)

    async def invalidate_session(self, resumable: bool = False) -> None:
        """Send op 9. ``False`` forgets the session: the bot must IDENTIFY again."""
        conn = self._require_live()
        if not resumable:
            self.session = None
        await self._send(conn, {"op": 9, "s": None, "t": None, "d": resumable})

    async def request_reconnect(self) -> None:
        """Send op 7 RECONNECT: the bot closes and RESUMEs."""
        await self._send(self._require_live(), {"op": 7, "s": None, "t": None, "d": None})

    async def send_heartbeat_request(self) -> None:
        """Send op 1: the bot must heartbeat immediately."""
        await self._send(self._require_live(), {"op": 1, "s": None, "t": None, "d": None})
