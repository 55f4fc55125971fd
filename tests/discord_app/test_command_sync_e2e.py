"""Slash command sync: to the dev guild when set, and only when the command set changed."""

from __future__ import annotations

from contextlib import AbstractAsyncContextManager
from pathlib import Path

import pytest
from discord_double import DiscordDouble, RunningBot, running_bot
from discord_double.world import APP_ID, GUILD_ID
from e2e_support import ROOT, Chat, knowledge, make_bot

from bot.core.knowledge import KnowledgeBase, load_knowledge

GLOBAL = f"/applications/{APP_ID}/commands"
IN_GUILD = f"/applications/{APP_ID}/guilds/{GUILD_ID}/commands"
FIXED = {"chiedi", "confronto", "aiuto"}


def command_writes(double: DiscordDouble, start: int = 0) -> list[tuple[str, str]]:
    """Every request that creates, changes or deletes application commands."""
    return [
        (r.method, r.path)
        for r in double.requests[start:]
        if "/commands" in r.path and r.method in ("PUT", "POST", "PATCH", "DELETE")
    ]


async def test_without_dev_guild_commands_are_synced_globally(timoniere: Chat) -> None:
    double = timoniere.double
    assert command_writes(double) == [("PUT", GLOBAL)]
    names = {command["name"] for command in double.commands[None]}
    assert {feature.id for feature in knowledge().features} | FIXED <= names
    assert GUILD_ID not in double.commands


async def test_dev_guild_sync_happens_once_per_command_set(
    discord_double: DiscordDouble, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    double = discord_double

    def start(kb: KnowledgeBase | None = None) -> AbstractAsyncContextManager[RunningBot]:
        return running_bot(
            double, lambda: make_bot(tmp_path, kb=kb, dev_guild_id=int(GUILD_ID)), monkeypatch
        )

    # First start: everything goes to the dev guild (instant there), nothing global.
    async with start() as rb:
        assert command_writes(double) == [("PUT", IN_GUILD)]
        names = {command["name"] for command in double.commands[GUILD_ID]}
        assert {feature.id for feature in knowledge().features} | FIXED <= names
        assert None not in double.commands
        chat = Chat(double, rb)
        callback = await chat.slash("autoscaling", {"sistema": "compose"})
        assert callback["data"]["embeds"][0]["description"].startswith("**No.**")

    # Same command set: the restart does not touch Discord's command list...
    mark = double.mark()
    async with start() as rb:
        assert command_writes(double, mark) == []
        # ...and the commands synced last time still work.
        callback = await Chat(double, rb).slash("segreti")
        assert callback["data"]["embeds"][0]["title"].startswith("Gestione dei segreti")

    # A changed table (other features, so other commands): synced again.
    other = load_knowledge(ROOT / "tests/fixtures/podman-vs-docker.yaml")
    mark = double.mark()
    async with start(other) as rb:
        assert command_writes(double, mark) == [("PUT", IN_GUILD)]
        names = {command["name"] for command in double.commands[GUILD_ID]}
        assert {feature.id for feature in other.features} | FIXED <= names
        assert "autoscaling" not in names
        callback = await Chat(double, rb).slash(other.features[0].id)
        assert callback["type"] == 4
    assert not double.log_records
