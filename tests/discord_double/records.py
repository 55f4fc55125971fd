"""What the fake Discord records and keeps: requests, frames, faults, interactions, sessions."""

from __future__ import annotations

import asyncio
import fnmatch
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from .world import JSON

MESSAGE_FLAG_EPHEMERAL = 1 << 6
MESSAGE_FLAG_LOADING = 1 << 7


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
    response_headers: dict[str, str] = field(default_factory=dict)  # e.g. X-RateLimit-*
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
    last_heartbeat_at: float = 0.0  # loop time of the last op 1 (or of HELLO)
    watchdog: asyncio.Task[None] | None = None


def error(status: int, code: int, message: str, **extra: Any) -> tuple[int, JSON]:
    return status, {"code": code, "message": message, **extra}


class Refusal(Exception):
    """Discord's error response, raised from a helper; the route wrapper sends it."""

    def __init__(self, status: int, code: int, message: str) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.response = error(status, code, message)


def match_path(
    path: str, pattern: str | Callable[[RecordedRequest], bool] | None, rec: RecordedRequest
) -> bool:
    if pattern is None:
        return True
    if callable(pattern):
        return bool(pattern(rec))
    if any(c in pattern for c in "*?["):
        return fnmatch.fnmatchcase(path, pattern)
    return path == pattern
