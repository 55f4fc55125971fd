"""Project-wide pytest fixtures.

``discord_double`` (a started fake Discord) and ``start_bot`` (run any discord.py Bot against
it) come from ``tests/discord_double``; see ``tests/discord_double/README.md``.
"""

try:
    from discord_double.fixtures import discord_double, start_bot
except ImportError:  # if tests/ ever becomes a package
    from tests.discord_double.fixtures import discord_double, start_bot  # type: ignore[no-redef]

__all__ = ["discord_double", "start_bot"]
