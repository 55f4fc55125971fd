"""Health and metrics HTTP server (aiohttp), off unless `HEALTH_PORT` is set.

  GET /healthz  200 while the process and its event loop are alive (liveness).
  GET /readyz   200 when every readiness check passes, else 503 with JSON that
                names the failing checks (readiness).
  GET /metrics  Prometheus text exposition of the given registry.

Readiness checks are named callables returning a bool or an awaitable bool,
e.g. {"gateway": lambda: client.is_ready(), "database": store.ping,
"knowledge": lambda: kb is not None}. A check that raises or exceeds
`check_timeout` counts as failing. Sync checks run on the event loop, so they
must be cheap; anything doing I/O should be async.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
import time
from collections.abc import Awaitable, Callable, Mapping
from typing import Final

from aiohttp import web
from prometheus_client import CollectorRegistry
from prometheus_client.exposition import choose_encoder

from bot.config import Settings

log = logging.getLogger(__name__)

ReadinessCheck = Callable[[], bool | Awaitable[bool]]

HEALTHZ_PATH: Final = "/healthz"
READYZ_PATH: Final = "/readyz"
METRICS_PATH: Final = "/metrics"


class HealthServer:
    def __init__(
        self,
        host: str,
        port: int,
        checks: Mapping[str, ReadinessCheck],
        registry: CollectorRegistry,
        *,
        check_timeout: float = 2.0,
    ) -> None:
        self._host = host
        self._requested_port = port
        self._checks = dict(checks)
        self._registry = registry
        self._check_timeout = check_timeout
        self._runner: web.AppRunner | None = None
        self._bound_port: int | None = None
        self._started_at = time.monotonic()

    @property
    def port(self) -> int:
        """The bound port once started (useful with port 0), else the requested one."""
        return self._bound_port if self._bound_port is not None else self._requested_port

    @property
    def running(self) -> bool:
        return self._runner is not None

    def add_check(self, name: str, check: ReadinessCheck) -> None:
        """Register (or replace) a readiness check, also after start()."""
        self._checks[name] = check

    def _app(self) -> web.Application:
        app = web.Application()
        app.router.add_get(HEALTHZ_PATH, self._healthz)
        app.router.add_get(READYZ_PATH, self._readyz)
        app.router.add_get(METRICS_PATH, self._metrics)
        return app

    async def start(self) -> None:
        if self._runner is not None:
            raise RuntimeError("health server already started")
        # No access log: probes hit these endpoints every few seconds.
        # handle_signals=False: SIGTERM belongs to bot.lifecycle.
        runner = web.AppRunner(self._app(), access_log=None, handle_signals=False)
        await runner.setup()
        site = web.TCPSite(runner, self._host, self._requested_port)
        try:
            await site.start()
        except BaseException:
            await runner.cleanup()
            raise
        self._runner = runner
        for address in runner.addresses:
            if isinstance(address, tuple) and len(address) >= 2:
                self._bound_port = int(address[1])
                break
        log.info("Health server listening on %s:%d", self._host, self.port)

    async def stop(self) -> None:
        runner, self._runner = self._runner, None
        if runner is not None:
            await runner.cleanup()
            log.info("Health server stopped")

    async def run_checks(self) -> dict[str, str]:
        """Run every check concurrently; map name -> "ok" or the failure reason."""
        names = list(self._checks)
        results = await asyncio.gather(*(self._run_check(self._checks[n]) for n in names))
        return dict(zip(names, results, strict=True))

    async def _run_check(self, check: ReadinessCheck) -> str:
        try:
            async with asyncio.timeout(self._check_timeout):
                result = check()
                if inspect.isawaitable(result):
                    result = await result
        except TimeoutError:
            return "timeout"
        except Exception as exc:
            log.warning("Readiness check raised", exc_info=True)
            return f"error: {type(exc).__name__}"
        return "ok" if result is True else "failing"

    async def _healthz(self, request: web.Request) -> web.Response:
        uptime = round(time.monotonic() - self._started_at, 1)
        return web.json_response({"status": "ok", "uptime_seconds": uptime})

    async def _readyz(self, request: web.Request) -> web.Response:
        checks = await self.run_checks()
        failing = [name for name, outcome in checks.items() if outcome != "ok"]
        if failing:
            body = {"status": "unavailable", "failing": failing, "checks": checks}
            return web.json_response(body, status=503)
        return web.json_response({"status": "ok", "checks": checks})

    async def _metrics(self, request: web.Request) -> web.Response:
        # Same content negotiation as prometheus-client's own server: the
        # classic text format, or OpenMetrics when the scraper asks for it.
        encoder, content_type = choose_encoder(request.headers.get("Accept", ""))
        response = web.Response(body=encoder(self._registry))
        # content_type carries parameters (version, charset), which
        # web.Response(content_type=...) refuses; set the raw header instead.
        response.headers["Content-Type"] = content_type
        return response


async def start_health_server(
    settings: Settings,
    checks: Mapping[str, ReadinessCheck],
    registry: CollectorRegistry,
) -> HealthServer | None:
    """Start the server described by the settings, or return None when it is off."""
    if settings.health_port is None:
        log.info("Health server disabled (HEALTH_PORT is not set)")
        return None
    server = HealthServer(settings.health_host, settings.health_port, checks, registry)
    await server.start()
    return server
