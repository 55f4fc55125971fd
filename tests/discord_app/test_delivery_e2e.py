"""Delivery health and metrics against the fake Discord: /readyz and the counters
tell the truth when replies stop getting through."""

from __future__ import annotations

import pytest
from discord_double import DiscordDouble
from e2e_support import AUTO_CHANNEL, PLAIN_CHANNEL, Chat, mention

from bot.discord_app.runner import readiness_checks
from bot.health import HealthServer
from bot.lifecycle import GracefulShutdown
from bot.metrics import REGISTRY

SEND = f"/channels/{AUTO_CHANNEL}/messages"


def sample(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


class Counts:
    """Counter values since the start of a test (the registry is process-wide)."""

    NAMES = (
        ("timoniere_replies_computed_total", {}),
        ("timoniere_replies_delivered_total", {}),
        ("timoniere_rate_limited_total", {}),
        ("timoniere_interactions_late_total", {}),
        ("timoniere_send_failures_total", {"cause": "server_error"}),
        ("timoniere_send_failures_total", {"cause": "rate_limited"}),
        ("timoniere_questions_total", {"kind": "unknown"}),
    )

    def __init__(self) -> None:
        self._start = self._now()

    @classmethod
    def _now(cls) -> dict[str, float]:
        return {cls._key(n, lab): sample(n, **lab) for n, lab in cls.NAMES}

    @staticmethod
    def _key(name: str, labels: dict[str, str]) -> str:
        short = name.removeprefix("timoniere_").removesuffix("_total")
        return short + "".join(f":{v}" for v in labels.values())

    def since(self) -> dict[str, float]:
        now = self._now()
        return {key: now[key] - self._start[key] for key in now if now[key] != self._start[key]}


async def readyz(chat: Chat) -> dict[str, str]:
    server = HealthServer(
        "127.0.0.1", 0, readiness_checks(chat.bot, GracefulShutdown(1.0)), REGISTRY
    )
    return await server.run_checks()


@pytest.mark.usefixtures("fast_backoff")
async def test_replies_failing_with_500s_make_the_bot_unready_until_one_gets_through(
    timoniere: Chat,
) -> None:
    assert (await readyz(timoniere))["delivery"] == "ok"
    counts = Counts()
    fault = timoniere.double.inject_error("POST", SEND, status=500, times=5)
    lost = await timoniere.send("Compose fa auto-scaling?", channel=AUTO_CHANNEL)
    await timoniere.rb.wait_error("could not reply")
    assert len(fault.hits) == 5 and timoniere.replies_to(lost) == []

    checks = await readyz(timoniere)
    assert checks["delivery"] == "failing" and checks["gateway"] == "ok"
    assert counts.since() == {"replies_computed": 1, "send_failures:server_error": 1}

    await timoniere.ask("compose ha il failover?", channel=AUTO_CHANNEL)
    assert (await readyz(timoniere))["delivery"] == "ok"
    assert counts.since() == {
        "replies_computed": 2,
        "replies_delivered": 1,
        "send_failures:server_error": 1,
    }


async def test_429s_are_counted_and_a_give_up_is_a_failed_send(timoniere: Chat) -> None:
    double = timoniere.double
    counts = Counts()
    double.inject_429("POST", SEND, retry_after=0.01)
    await timoniere.ask("Compose fa auto-scaling?", channel=AUTO_CHANNEL)
    assert (await readyz(timoniere))["delivery"] == "ok"
    assert counts.since() == {"replies_computed": 1, "replies_delivered": 1, "rate_limited": 1}

    # discord.py tries five times, then gives up: the reply is lost, and said so.
    fault = double.inject_429("POST", SEND, retry_after=0.01, times=5)
    lost = await timoniere.send("compose ha il failover?", channel=AUTO_CHANNEL)
    await timoniere.rb.wait_error("could not reply")
    assert len(fault.hits) == 5 and timoniere.replies_to(lost) == []
    assert (await readyz(timoniere))["delivery"] == "failing"
    assert counts.since() == {
        "replies_computed": 2,
        "replies_delivered": 1,
        "rate_limited": 6,
        "send_failures:rate_limited": 1,
    }


async def test_an_interaction_answered_after_the_deadline_is_counted_late(
    timoniere: Chat, discord_double: DiscordDouble
) -> None:
    counts = Counts()
    await timoniere.slash("aiuto", channel=PLAIN_CHANNEL)
    assert "interactions_late" not in counts.since()

    discord_double.interaction_deadline = 0.0  # Discord has already given up on it
    payload = timoniere.payloads.slash_command("aiuto", channel=PLAIN_CHANNEL)
    await discord_double.dispatch_interaction(payload)
    rec = await discord_double.wait_callback(payload["id"])
    assert rec.status == 404
    assert counts.since()["interactions_late"] == 1
    # Discord was there and said no: that is not a delivery outage.
    assert (await readyz(timoniere))["delivery"] == "ok"


async def test_the_unknown_ratio_counts_only_messages_the_bot_meant_to_answer(
    timoniere: Chat,
) -> None:
    counts = Counts()
    chatter = await timoniere.send("qualcuno ha visto la partita ieri sera?", channel=AUTO_CHANNEL)
    await timoniere.assert_silent(chatter)
    # The barrier probe (a bare mention) is the only unknown counted.
    assert counts.since().get("questions:unknown", 0) == 1

    await timoniere.ask(mention("qualcuno ha visto la partita ieri sera?"), channel=PLAIN_CHANNEL)
    assert counts.since()["questions:unknown"] == 2
