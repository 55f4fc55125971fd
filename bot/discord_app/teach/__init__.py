"""Moderators teach the bot (issue 9, item 5): `/insegna coda`, `annulla`, `esporta`.

One feature package: `cog` (the commands and what a choice does), `views`
(the choices and the buttons after a lesson) and `rendering` (the text).
Loaded as the extension `bot.discord_app.teach`. The matching itself is the
core's (`bot.core.taught`), the records are storage's (`review_queue`,
`lessons`); questions reach the queue from the client's `record_unanswered`
and `record_feedback` (a 👎).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.discord_app.teach.cog import Teach

if TYPE_CHECKING:
    from bot.discord_app.client import TimoniereBot


async def setup(bot: TimoniereBot) -> None:
    await bot.add_cog(Teach(bot))
