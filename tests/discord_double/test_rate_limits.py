"""Rate limits as Discord applies them, with limits set low: discord.py waits and delivers."""

from __future__ import annotations

import discord

from .harness import RunningBot
from .server import DiscordDouble
from .test_double import SampleBot
from .world import BOT_ROLE_ID, Perm

QUESTION = "Kubernetes o Compose?"


def message_posts(double: DiscordDouble, start: int) -> list:
    return double.find_requests("POST", "/channels/*/messages", start=start)


async def test_route_buckets_make_discord_py_wait_instead_of_failing(
    start_bot, discord_double: DiscordDouble
) -> None:
    d = discord_double
    d.rate_limits.route_limit, d.rate_limits.route_window = 2, 0.3
    rb: RunningBot = await start_bot(SampleBot())
    mark = d.mark()
    for _ in range(5):
        await d.dispatch_message(d.payloads.message(QUESTION, channel="domande"))
    await d.wait_until(lambda: len(message_posts(d, mark)) == 5, what="5 replies")

    posts = message_posts(d, mark)
    assert [p.status for p in posts] == [200] * 5  # no 429: the headers were enough
    buckets = {p.response_headers["X-RateLimit-Bucket"] for p in posts}
    assert len(buckets) == 1
    assert [p.response_headers["X-RateLimit-Remaining"] for p in posts] == ["1", "0"] * 2 + ["1"]
    # discord.py held the third and fifth requests until the bucket reset.
    assert posts[2].at - posts[0].at >= 0.3 and posts[4].at - posts[2].at >= 0.3
    # Another channel is another top-level resource: its own counter, same bucket.
    mark = d.mark()
    await d.dispatch_message(d.payloads.message(QUESTION, channel="generale"))
    other = await d.wait_request("POST", "/channels/*/messages", start=mark)
    assert other.response_headers["X-RateLimit-Bucket"] in buckets
    assert other.response_headers["X-RateLimit-Remaining"] == "1"
    assert not rb.errors


async def test_the_global_limit_is_retried_and_spares_interactions(
    start_bot, discord_double: DiscordDouble
) -> None:
    d = discord_double
    channels = ["generale", "domande"] + [
        d.world.add_text_channel(f"canale-{n}")["name"] for n in range(3)
    ]
    rb: RunningBot = await start_bot(SampleBot())
    d.rate_limits.global_limit, d.rate_limits.global_window = 2, 0.5
    mark = d.mark()
    for name in channels:  # five channels: no route bucket is exhausted
        await d.dispatch_message(d.payloads.message(QUESTION, channel=name))
    await d.wait_until(
        lambda: len(d.find_requests("POST", "/channels/*/messages", start=mark, status=200)) == 5,
        what="5 replies",
    )
    refused = d.find_requests("POST", "/channels/*/messages", start=mark, status=429)
    assert refused, "five requests in a row should pass a global limit of 2"
    assert all(r.response["global"] and r.response_headers["Via"] for r in refused)
    assert refused[0].response_headers["X-RateLimit-Scope"] == "global"

    # Interaction endpoints are not bound to the global limit.
    d.rate_limits.global_window = 60.0
    inter = await d.dispatch_interaction(d.payloads.slash_command("domanda", {"testo": "x"}))
    assert (await d.wait_callback(inter["id"])).status == 200
    assert not rb.errors


async def test_too_many_invalid_requests_get_a_cloudflare_ban(
    start_bot, discord_double: DiscordDouble
) -> None:
    d = discord_double
    d.guild.overwrite("domande", BOT_ROLE_ID, deny=Perm.SEND_MESSAGES)
    d.rate_limits.invalid_limit = 2
    rb: RunningBot = await start_bot(SampleBot())
    mark = d.mark()
    for _ in range(2):  # two 403s
        await d.dispatch_message(d.payloads.message(QUESTION, channel="domande"))
        await d.wait_request("POST", "/channels/*/messages", start=d.mark() - 1, status=403)
    await d.dispatch_message(d.payloads.message(QUESTION, channel="generale"))
    record = await rb.wait_error("429")
    assert isinstance(record.exc_info[1], discord.HTTPException)
    banned = d.find_requests("POST", "/channels/*/messages", start=mark, status=429)
    assert banned and "Via" not in banned[0].response_headers
