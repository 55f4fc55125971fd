"""A connection that stops heartbeating is closed by the gateway; discord.py resumes."""

from __future__ import annotations

from .harness import RunningBot
from .server import DiscordDouble
from .test_double import SampleBot


async def test_a_missed_heartbeat_closes_the_connection_and_the_bot_resumes(
    start_bot, discord_double: DiscordDouble
) -> None:
    d = discord_double
    d.heartbeat_interval_ms = 200
    rb: RunningBot = await start_bot(SampleBot())
    ws = rb.bot.ws
    assert ws is not None and ws._keep_alive is not None
    first = d.live_connection
    assert first is not None
    mark = d.gateway_mark()
    ws._keep_alive.stop()  # the bot's heartbeat thread dies, the socket stays open

    closed = await d.wait_gateway(direction="close", start=mark, timeout=3.0)
    assert closed.conn_id == first.id
    assert closed.d == {"code": 4000, "by": "double", "reason": "Heartbeat missed"}
    resume = await d.wait_gateway(op=6, start=mark, timeout=5.0)
    assert resume.conn_id != first.id and resume.d["session_id"] == d.session.id

    # The resumed session heartbeats again and delivers messages.
    mark = d.mark()
    msg = await d.dispatch_message(d.payloads.message("Kubernetes o Compose?"))
    reply = await d.wait_reply(msg["channel_id"], start=mark)
    assert reply["message_reference"]["message_id"] == msg["id"]
    assert d.live_connection is not None and d.live_connection.id == resume.conn_id
    assert not rb.errors
