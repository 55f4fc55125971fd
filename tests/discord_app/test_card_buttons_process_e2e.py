"""A card's buttons after the bot *process* restarts: the production `run_bot`
(through `bot_process.py`, as in `test_runner.py`), stopped with SIGTERM and
started again on the same database and the same fake Discord."""

from __future__ import annotations

import signal
from pathlib import Path

from discord_double import DiscordDouble
from e2e_support import button_id, eventually, feedback_rows
from test_runner import BotProcess, ask, double, processes

from bot import messages

__all__ = ["double", "processes"]  # the fixtures, shared with test_runner.py


async def test_a_card_answers_its_buttons_in_the_next_process(
    double: DiscordDouble, processes: list[BotProcess], tmp_path: Path
) -> None:
    first, _ = await BotProcess.start_ready(double, tmp_path)
    processes.append(first)
    card = await ask(double, "compose fa auto-scaling?")
    first.send_signal(signal.SIGTERM)
    assert await first.wait_exit() == 0, first.log()

    second, _ = await BotProcess.start_ready(double, tmp_path)
    processes.append(second)
    click = double.payloads.component_click(card, button_id(card, "👍"))
    await double.dispatch_interaction(click)
    callback = (await double.wait_callback(click["id"])).json
    assert callback["data"]["content"] == messages.FEEDBACK_THANKS
    rows = await eventually(lambda: feedback_rows(second.database), bool)
    assert [(row[2], row[5], row[6]) for row in rows] == [(int(card["id"]), "autoscaling", 1)]
    assert "Traceback" not in second.log()
