"""A fake Discord for end-to-end tests of discord.py bots (see README.md)."""

from .harness import (
    DoubleBotMixin,
    RunningBot,
    prepare_bot,
    running_bot,
    safety_connector,
    serving,
)
from .payloads import PayloadFactory
from .server import DiscordDouble, DoubleError, RecordedRequest
from .world import Intent, Perm, World

__all__ = [
    "DiscordDouble",
    "DoubleBotMixin",
    "DoubleError",
    "Intent",
    "PayloadFactory",
    "Perm",
    "RecordedRequest",
    "RunningBot",
    "World",
    "prepare_bot",
    "running_bot",
    "safety_connector",
    "serving",
]
