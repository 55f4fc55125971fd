"""A burst in one channel: replies at Discord's pace, none more than a minute late
(issue 10, "Replies under a burst").

Discord lets a bot post about 5 messages at once in a channel and then about
one a second. Seventy-two people mention the bot in the same instant: the
first 65 replies fit in the next minute, the rest would come later than that,
so the bot drops them with a log line instead of queueing them.
"""

from __future__ import annotations

import logging

import pytest
from e2e_support import AUTO_CHANNEL, Chat, mention

from bot.core.throttle import CHANNEL_BURST, CHANNEL_RATE, MAX_REPLY_DELAY

BURST = 72
ON_TIME = CHANNEL_BURST + int(MAX_REPLY_DELAY * CHANNEL_RATE)  # 65


async def test_a_burst_in_one_channel_drops_what_would_be_a_minute_late(
    timoniere: Chat, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="bot.discord_app.cogs.answers")
    double = timoniere.double
    # Different people, so the per-user limit plays no part.
    users = [double.world.add_user(f"folla{n}", f"persona{n}") for n in range(BURST)]
    mark = double.mark()
    sent = [
        await timoniere.send(mention("Compose fa auto-scaling?"), author=user, channel=AUTO_CHANNEL)
        for user in users
    ]

    def answered() -> set[str]:
        return {
            (reply.get("message_reference") or {}).get("message_id")
            for reply in double.sent_messages(AUTO_CHANNEL, start=mark)
        }

    def dropped() -> list[str]:
        return [
            record.getMessage()
            for record in caplog.records
            if record.getMessage().startswith("reply budget:")
        ]

    # Every message of the burst is either answered or dropped with a log line.
    await double.wait_until(
        lambda: len(answered()) + len(dropped()) == BURST or None,
        timeout=30.0,
        what="every message of the burst decided",
    )
    flags = [message["id"] in answered() for message in sent]
    # The budget refills at one reply a second while the burst is read: allow that.
    replies = flags.count(True)
    assert ON_TIME <= replies <= ON_TIME + 3, replies
    assert flags == [True] * replies + [False] * (BURST - replies)  # the last ones dropped
    lines = dropped()
    assert len(lines) == BURST - replies
    assert all(str(m["id"]) in line for m, line in zip(sent[replies:], lines, strict=True))
    assert not timoniere.rb.errors
