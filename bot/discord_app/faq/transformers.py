"""Entry names typed in slash commands: autocompleted, and resolved in one place.

`LiveEntry` turns a name into the server's live entry, or fails with the
Italian "not found" before the command runs. Live names are autocompleted from
the FAQ index in memory once the server's is loaded, so typing never waits on
the database (a write held up by another process's lock, for one). The name-only transformers serve
commands whose target is not a live entry (restore, history): the repository
reports an unknown name there.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final, cast

import discord
from discord import app_commands

from bot import messages
from bot.core.faq import EntryNotFound, FaqEntry, rank_names
from bot.discord_app.faq.checks import faq_guild
from bot.discord_app.faq.rendering import plain
from bot.discord_app.limits import CHOICES_LIMIT
from bot.storage import FaqRepository

if TYPE_CHECKING:
    from bot.discord_app.client import TimoniereBot

# Longer than any valid name (NAME_MAX), so a long typo still gets "not found".
NAME_OPTION_MAX: Final = 100

Choices = list[app_commands.Choice[int | float | str]]


def repository(interaction: discord.Interaction) -> FaqRepository | None:
    """The FAQ repository, or None while the database is closed (start-up, shutdown)."""
    bot = cast("TimoniereBot", interaction.client)
    return None if bot.database is None else bot.storage.faq


async def live_names(
    interaction: discord.Interaction, repo: FaqRepository, guild_id: int, typed: str
) -> list[str]:
    """Live entry names for autocomplete: from memory when loaded, else from the database."""
    bot = cast("TimoniereBot", interaction.client)
    in_memory = bot.engine.faq_questions(guild_id)
    if in_memory is not None:
        return rank_names(in_memory, typed, CHOICES_LIMIT)
    return await repo.search_names(guild_id, typed, CHOICES_LIMIT)


class _EntryName(app_commands.Transformer):
    @property
    def min_value(self) -> int:
        return 1

    @property
    def max_value(self) -> int:
        return NAME_OPTION_MAX

    async def names(
        self, interaction: discord.Interaction, repo: FaqRepository, guild_id: int, typed: str
    ) -> list[str]:
        raise NotImplementedError

    async def autocomplete(
        self, interaction: discord.Interaction, value: int | float | str, /
    ) -> Choices:
        repo = repository(interaction)
        if interaction.guild_id is None or repo is None:
            return []
        names = await self.names(interaction, repo, interaction.guild_id, str(value))
        choices: Choices = [app_commands.Choice(name=name, value=name) for name in names]
        return choices[:CHOICES_LIMIT]


class _NameOnly(_EntryName):
    async def transform(self, interaction: discord.Interaction, value: str, /) -> str:
        return value


class LiveEntry(_EntryName):
    """A live entry of this server, by name (autocomplete also matches its question)."""

    async def names(
        self, interaction: discord.Interaction, repo: FaqRepository, guild_id: int, typed: str
    ) -> list[str]:
        return await live_names(interaction, repo, guild_id, typed)

    async def transform(self, interaction: discord.Interaction, value: str, /) -> FaqEntry:
        repo = repository(interaction)
        if repo is None:
            raise RuntimeError("the database is not open")
        entry = await repo.get(faq_guild(interaction), value)
        if entry is None:
            raise EntryNotFound(messages.FAQ_NOT_FOUND.format(name=plain(value)))
        return entry


class RemovedEntryName(_NameOnly):
    """The name of a removed entry that could be restored."""

    async def names(
        self, interaction: discord.Interaction, repo: FaqRepository, guild_id: int, typed: str
    ) -> list[str]:
        return await repo.search_removed_names(guild_id, typed, CHOICES_LIMIT)


class AnyEntryName(_NameOnly):
    """The name of an entry that exists or existed (live ones first)."""

    async def names(
        self, interaction: discord.Interaction, repo: FaqRepository, guild_id: int, typed: str
    ) -> list[str]:
        live = await live_names(interaction, repo, guild_id, typed)
        removed = await repo.search_removed_names(guild_id, typed, CHOICES_LIMIT)
        return list(dict.fromkeys([*live, *removed]))
