"""The gateway websocket: HELLO, IDENTIFY/RESUME, heartbeats, the send pump and closes."""

from __future__ import annotations

import asyncio
import copy
import json
import uuid
import zlib

from aiohttp import WSMsgType, web

from .records import GatewayConnection, GatewayFrame, Session
from .world import JSON, Intent


class GatewayMixin:
    """One websocket per connection; a session survives reconnects and RESUMEs."""

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
            conn.last_heartbeat_at = asyncio.get_running_loop().time()
            if self.enforce_heartbeats:
                conn.watchdog = asyncio.create_task(
                    self._heartbeat_watchdog(conn), name=f"double-heartbeat-watchdog-{conn.id}"
                )
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
            if conn.watchdog is not None:
                conn.watchdog.cancel()
        return ws

    async def _heartbeat_watchdog(self, conn: GatewayConnection) -> None:
        """Close a connection whose heartbeats stop: "If your app fails to send a heartbeat
        event in time, your connection will be closed and you will be forced to Resume"
        (docs: events/gateway.mdx, "Heartbeat Interval"). The docs name no close code; the
        double uses ``heartbeat_close_code`` (4000, resumable) and allows
        ``heartbeat_tolerance`` intervals, since the first beat may come after a full one."""
        loop = asyncio.get_running_loop()
        allowed = self.heartbeat_interval_ms / 1000 * self.heartbeat_tolerance
        while not conn.closed:
            remaining = conn.last_heartbeat_at + allowed - loop.time()
            if remaining > 0:
                await asyncio.sleep(remaining)
                continue
            if not conn.ws.closed:
                # Shielded: the connection handler cancels this task as the socket closes.
                await asyncio.shield(
                    self._close(conn, self.heartbeat_close_code, "Heartbeat missed")
                )
            return

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
            conn.last_heartbeat_at = asyncio.get_running_loop().time()
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
