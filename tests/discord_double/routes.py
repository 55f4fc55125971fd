"""HTTP plumbing of the fake Discord: recording middleware, body parsing and the route table."""

from __future__ import annotations

import asyncio
import json
import logging
import traceback
from collections.abc import Callable
from typing import Any

from aiohttp import web

from .rate_limits import Limited
from .records import RecordedRequest, Refusal, UploadedFile

log = logging.getLogger("discord_double")
REC_KEY = web.RequestKey("rec", object)
JSON_KEY = web.ResponseKey("json", object)

API_PREFIX = "/api/v10"


class RoutesMixin:
    """Records every API request, applies faults and auth, then calls the handler."""

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
        now = asyncio.get_running_loop().time()
        try:
            fault = self._take_fault(rec)
            # An injected fault stands in for Discord's whole answer, limits included.
            limited, limit_headers = (None, {}) if fault else self._admit(request, rec, now)
            if fault is not None:
                rec.injected = True
                resp = self._json(fault.status, fault.body, fault.headers)
            elif limited is not None:
                resp = self._limited(limited)
            elif not self._authorized(rec):
                resp = self._json(401, {"message": "401: Unauthorized", "code": 0})
            else:
                resp = await handler(request)
            if isinstance(resp, web.Response):
                resp.headers.update(limit_headers)
            self.rate_limits.record_status(resp.status, now)
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
        rec.response_headers = dict(resp.headers)
        rec.done = True
        if self.record_path:
            self._append_recording(request, rec)
        self._notify()
        return resp

    def _admit(
        self, request: web.Request, rec: RecordedRequest, now: float
    ) -> tuple[Limited | None, dict[str, str]]:
        """The rate limits, for routes the double serves (unknown ones just 404)."""
        resource = request.match_info.route.resource
        if resource is None:
            return None, {}
        template = resource.canonical[len(API_PREFIX) :]
        return self.rate_limits.admit(rec.method, template, dict(request.match_info), now)

    def _limited(self, limited: Limited) -> web.Response:
        if limited.is_text:
            return web.Response(
                status=429,
                text=str(limited.body),
                headers=limited.headers,
                content_type="text/plain",
            )
        return self._json(429, limited.body, limited.headers)

    def _append_recording(self, request: web.Request, rec: RecordedRequest) -> None:
        """One JSON line per REST request (``DISCORD_DOUBLE_RECORD``), so a whole test run's
        traffic can be checked against Discord's OpenAPI spec (``spec_check.py``)."""
        route = request.match_info.route.resource
        template = route.canonical[len(API_PREFIX) :] if route is not None else None
        line = {
            "method": rec.method,
            "route": template,
            "path": rec.path,
            "query": rec.query,
            "body": rec.json,
            "multipart": bool(rec.files) or request.content_type == "multipart/form-data",
            "status": rec.status,
            # discord.py's, or a test's raw client (those requests are not the bot's)
            "user_agent": rec.headers.get("User-Agent", ""),
        }
        with open(self.record_path, "a", encoding="utf-8") as out:
            out.write(json.dumps(line, ensure_ascii=False) + "\n")

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
            try:
                result = await fn(rec, **request.match_info)
            except Refusal as refusal:
                result = refusal.response
            if isinstance(result, web.Response):
                return result
            status, body = result
            return self._json(status, body)

        return handler
