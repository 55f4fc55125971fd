"""HealthServer over real HTTP on 127.0.0.1 with an aiohttp client."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping

import aiohttp
import pytest

from bot.config import Settings
from bot.health import HealthServer, ReadinessCheck, start_health_server
from bot.metrics import Metrics

Started = Callable[[Mapping[str, ReadinessCheck]], Awaitable[HealthServer]]


@pytest.fixture
def metrics() -> Metrics:
    return Metrics()


@pytest.fixture
async def started(metrics: Metrics) -> AsyncIterator[Started]:
    servers: list[HealthServer] = []

    async def start(checks: Mapping[str, ReadinessCheck]) -> HealthServer:
        server = HealthServer("127.0.0.1", 0, checks, metrics.registry, check_timeout=0.2)
        await server.start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        await server.stop()


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=5)) as session:
        yield session


def url(server: HealthServer, path: str) -> str:
    return f"http://127.0.0.1:{server.port}{path}"


async def test_port_zero_binds_a_free_port(started: Started) -> None:
    server = await started({})
    assert server.port > 0
    assert server.running


async def test_healthz_is_200_even_when_not_ready(
    started: Started, http: aiohttp.ClientSession
) -> None:
    server = await started({"gateway": lambda: False})
    async with http.get(url(server, "/healthz")) as response:
        assert response.status == 200
        assert (await response.json())["status"] == "ok"
    async with http.head(url(server, "/healthz")) as response:
        assert response.status == 200


async def test_readyz_200_when_all_checks_pass(
    started: Started, http: aiohttp.ClientSession
) -> None:
    async def database() -> bool:
        await asyncio.sleep(0)
        return True

    server = await started({"gateway": lambda: True, "database": database})
    async with http.get(url(server, "/readyz")) as response:
        assert response.status == 200
        body = await response.json()
    assert body == {"status": "ok", "checks": {"gateway": "ok", "database": "ok"}}


async def test_readyz_without_checks_is_ready(
    started: Started, http: aiohttp.ClientSession
) -> None:
    server = await started({})
    async with http.get(url(server, "/readyz")) as response:
        assert response.status == 200


async def test_readyz_503_names_each_failing_check(
    started: Started, http: aiohttp.ClientSession
) -> None:
    async def slow() -> bool:
        await asyncio.sleep(5)
        return True

    def broken() -> bool:
        raise OSError("database is locked")

    server = await started(
        {
            "gateway": lambda: False,
            "database": broken,
            "knowledge": lambda: True,
            "slow": slow,
            "sloppy": lambda: None,  # type: ignore[arg-type,return-value]
        }
    )
    async with http.get(url(server, "/readyz")) as response:
        assert response.status == 503
        assert response.content_type == "application/json"
        body = await response.json()
    assert body["status"] == "unavailable"
    assert body["failing"] == ["gateway", "database", "slow", "sloppy"]
    assert body["checks"] == {
        "gateway": "failing",
        "database": "error: OSError",
        "knowledge": "ok",
        "slow": "timeout",
        "sloppy": "failing",
    }


async def test_readiness_follows_state_changes(
    started: Started, http: aiohttp.ClientSession
) -> None:
    state = {"connected": False}
    server = await started({"gateway": lambda: state["connected"]})
    async with http.get(url(server, "/readyz")) as response:
        assert response.status == 503
    state["connected"] = True
    async with http.get(url(server, "/readyz")) as response:
        assert response.status == 200
    server.add_check("accepting", lambda: False)
    async with http.get(url(server, "/readyz")) as response:
        assert (await response.json())["failing"] == ["accepting"]


async def test_metrics_endpoint_serves_the_registry(
    started: Started, http: aiohttp.ClientSession, metrics: Metrics
) -> None:
    metrics.record_answer("faq", 0.0002)
    server = await started({})
    async with http.get(url(server, "/metrics")) as response:
        assert response.status == 200
        assert response.headers["Content-Type"].startswith("text/plain; version=")
        text = await response.text()
    assert 'timoniere_questions_total{kind="faq"} 1.0' in text
    assert "timoniere_answer_latency_seconds_bucket" in text
    openmetrics = {"Accept": "application/openmetrics-text; version=1.0.0"}
    async with http.get(url(server, "/metrics"), headers=openmetrics) as response:
        assert response.headers["Content-Type"].startswith("application/openmetrics-text")
        assert (await response.text()).endswith("# EOF\n")


async def test_unknown_path_is_404(started: Started, http: aiohttp.ClientSession) -> None:
    server = await started({})
    async with http.get(url(server, "/")) as response:
        assert response.status == 404


async def test_stop_closes_the_port(http: aiohttp.ClientSession, metrics: Metrics) -> None:
    server = HealthServer("127.0.0.1", 0, {}, metrics.registry)
    await server.start()
    port = server.port
    await server.stop()
    await server.stop()  # idempotent
    assert not server.running
    with pytest.raises(aiohttp.ClientConnectionError):
        async with http.get(f"http://127.0.0.1:{port}/healthz"):
            pass


async def test_start_twice_is_an_error(started: Started) -> None:
    server = await started({})
    with pytest.raises(RuntimeError):
        await server.start()


async def test_port_in_use_raises_and_leaves_nothing_running(
    started: Started, metrics: Metrics
) -> None:
    first = await started({})
    second = HealthServer("127.0.0.1", first.port, {}, metrics.registry)
    with pytest.raises(OSError):
        await second.start()
    assert not second.running


async def test_start_health_server_is_off_without_port(metrics: Metrics) -> None:
    assert await start_health_server(Settings(), {}, metrics.registry) is None


async def test_start_health_server_uses_settings(
    http: aiohttp.ClientSession, metrics: Metrics
) -> None:
    # Pick a free port first, since settings do not accept 0 (it means "off").
    probe = HealthServer("127.0.0.1", 0, {}, metrics.registry)
    await probe.start()
    port = probe.port
    await probe.stop()
    settings = Settings(health_port=port, health_host="127.0.0.1")
    server = await start_health_server(settings, {"x": lambda: True}, metrics.registry)
    assert server is not None
    try:
        async with http.get(f"http://127.0.0.1:{port}/readyz") as response:
            assert response.status == 200
    finally:
        await server.stop()
