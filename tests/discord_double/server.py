"""A fake Discord (REST under ``/api/v10`` + gateway websocket at ``/gateway``) on 127.0.0.1.

Unmodified discord.py is pointed at it by :meth:`DiscordDouble.patch` (approach A of
``/work/shared/docs/discord-double.md``): ``discord.http.Route.BASE`` and
``discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY`` are monkeypatched and READY's
``resume_gateway_url`` points back here.

Everything the bot sends is recorded (:attr:`DiscordDouble.requests`,
:attr:`DiscordDouble.gateway_frames`); tests wait for things with the ``wait_*`` helpers, which
are event driven and re-raise the exception of a watched ``connect()`` task (gotcha 5).

The behaviour is split by concern into mixins: the test API (``observing``), fault injection
(``faults``), HTTP plumbing (``routes``), REST handlers by resource (``rest_*``), gateway
events (``dispatch``), threads and forum posts (``threads``) and the websocket
(``gateway``). Shared records live in ``records``.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
import os
from typing import Any

import yarl
from aiohttp import web

from .dispatch import DispatchMixin
from .faults import FaultsMixin
from .gateway import GatewayMixin
from .observing import ObservingMixin
from .payloads import PayloadFactory
from .rate_limits import RateLimits
from .records import (
    DoubleError,
    Fault,
    GatewayConnection,
    GatewayFrame,
    InteractionState,
    RecordedRequest,
    Session,
)
from .rest_commands import RestCommandsMixin
from .rest_guilds import RestGuildsMixin
from .rest_interactions import RestInteractionsMixin
from .rest_messages import RestMessagesMixin
from .routes import API_PREFIX, RoutesMixin
from .threads import ThreadsMixin
from .world import JSON, Guild, Intent, World

__all__ = ["DiscordDouble", "DoubleError", "RecordedRequest"]

DEFAULT_ATTACHMENT_SIZE_LIMIT = 10 * 1024 * 1024


class DiscordDouble(
    ObservingMixin,
    FaultsMixin,
    RoutesMixin,
    RestGuildsMixin,
    RestCommandsMixin,
    RestMessagesMixin,
    RestInteractionsMixin,
    DispatchMixin,
    ThreadsMixin,
    GatewayMixin,
):
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
        #: close a connection that misses its heartbeat (after ``heartbeat_tolerance`` intervals)
        self.enforce_heartbeats = True
        self.heartbeat_tolerance = 1.5
        self.heartbeat_close_code = 4000
        #: dispatch MESSAGE_CREATE/UPDATE/DELETE for the bot's own messages, like Discord
        self.echo_bot_messages = True
        #: per-route buckets, the global limit and the invalid-request limit (set low in tests)
        self.rate_limits = RateLimits()
        #: append every REST request to this JSON-lines file (default: $DISCORD_DOUBLE_RECORD)
        self.record_path: str | None = os.environ.get("DISCORD_DOUBLE_RECORD") or None

        self.requests: list[RecordedRequest] = []
        self.gateway_frames: list[GatewayFrame] = []
        self.messages: dict[str, JSON] = {}  # every message the double knows, by id
        self.files: dict[str, dict[str, bytes]] = {}  # message id -> filename -> bytes
        self.commands: dict[str | None, list[JSON]] = {}  # guild id (None = global) -> commands
        #: Server Settings > Integrations overwrites: (guild id, command id or app id) -> list
        self.command_overwrites: dict[tuple[str, str], list[JSON]] = {}
        self.interactions: dict[str, InteractionState] = {}
        self.dropped_events: list[tuple[str, Any, str]] = []  # (event, data, reason)
        self.identify_payloads: list[JSON] = []
        self.unhandled: list[RecordedRequest] = []  # requests to routes the double lacks
        #: (channel id, embeds) the bot sent where it lacks Embed Links: Discord drops them
        self.dropped_embeds: list[tuple[str, list[JSON]]] = []
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
            if conn.watchdog:
                conn.watchdog.cancel()
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

    def set_command_permissions(
        self, command: str | None, overwrites: list[JSON], *, guild_id: str | None = None
    ) -> None:
        """What a server admin sets under Server Settings > Integrations: ``overwrites`` like
        ``{"id": role_id, "type": 1, "permission": True}`` (type 1 role, 2 user, 3 channel)
        for one synced command, or for all of the app's commands (``command=None``)."""
        guild = self.world.guilds[guild_id] if guild_id else self.guild
        target = self.app_id if command is None else self.find_command(command, guild.id)["id"]
        self.command_overwrites[(guild.id, target)] = [
            {**o, "id": str(o["id"])} for o in overwrites
        ]

    def command_overwrites_for(self, guild_id: str, command_id: str) -> list[JSON]:
        """A command's own overwrites, else the app-wide ones (docs: "When the id field is the
        application ID ... the permissions apply to all commands that do not contain explicit
        overwrites")."""
        own = self.command_overwrites.get((guild_id, command_id))
        return own if own is not None else self.command_overwrites.get((guild_id, self.app_id), [])

    def watch(self, task: asyncio.Task[Any]) -> None:
        """Every wait helper re-raises this task's exception (e.g. the bot's ``connect()``)."""
        self._watched.append(task)
        task.add_done_callback(lambda _t: self._notify())

    def unwatch(self, task: asyncio.Task[Any]) -> None:
        if task in self._watched:
            self._watched.remove(task)
