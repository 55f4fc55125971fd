"""The Discord client: wiring, command sync and the last-resort error handlers.

Business logic lives in the core; the cogs translate Discord events into core
calls. This module only assembles them.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import logging
import sqlite3
from contextlib import AbstractAsyncContextManager
from pathlib import Path
from typing import Any, Final

import discord
from discord import app_commands
from discord.ext import commands

from bot.config import Settings
from bot.core.engine import Engine
from bot.core.knowledge import KnowledgeError, load_knowledge_dir
from bot.core.text import normalize
from bot.discord_app.delivery import DeliveryMonitor, delivery_trace
from bot.discord_app.errors import report_error
from bot.discord_app.views import NO_MENTIONS, Feedback
from bot.lifecycle import GracefulShutdown
from bot.storage import Database, Storage

log = logging.getLogger(__name__)

COMMANDS_EXTENSION: Final = "bot.discord_app.cogs.commands"
EXTENSIONS: Final = (
    "bot.discord_app.cogs.answers",
    COMMANDS_EXTENSION,
    "bot.discord_app.cogs.admin",
    "bot.discord_app.cogs.diagnostics",
    "bot.discord_app.faq",
)
SYNC_STATE_FILE: Final = "command-sync.json"


def build_intents(message_content: bool) -> discord.Intents:
    intents = discord.Intents.none()
    intents.guilds = True
    intents.guild_messages = True
    intents.dm_messages = True
    intents.message_content = message_content
    return intents


class TimoniereTree(app_commands.CommandTree["TimoniereBot"]):
    async def on_error(
        self, interaction: discord.Interaction, error: app_commands.AppCommandError
    ) -> None:
        await self.client.on_app_command_error(interaction, error)


class TimoniereBot(commands.Bot):
    def __init__(
        self,
        settings: Settings,
        engine: Engine,
        *,
        extensions: tuple[str, ...] = EXTENSIONS,
        shutdown: GracefulShutdown | None = None,
        **options: Any,
    ) -> None:
        # Every REST attempt feeds the delivery check of /readyz and the metrics.
        self.delivery = DeliveryMonitor()
        options.setdefault("http_trace", delivery_trace(self.delivery))
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=build_intents(settings.message_content_intent),
            allowed_mentions=NO_MENTIONS,
            help_command=None,
            tree_cls=TimoniereTree,
            **options,
        )
        self.settings = settings
        self.engine = engine
        self.extension_names = extensions
        self._storage: Storage | None = None
        # Set by the runner: answers run inside `work()` so SIGTERM lets them finish.
        self.shutdown = shutdown
        self._faq_loaded: set[int] = set()
        self._connects = 0
        self._reload_lock = asyncio.Lock()

    # --- start-up -------------------------------------------------------------

    async def setup_hook(self) -> None:
        await self.open_storage()
        for extension in self.extension_names:
            await self.load_extension(extension)
        if not self.settings.message_content_intent:
            log.warning(
                "Message Content intent is off: answering only mentions, DMs and slash commands"
            )
        await self.sync_commands()

    async def open_storage(self) -> None:
        self._storage = await Storage.open(
            self.settings.database_path, faq_max_entries=self.settings.faq_max_entries
        )

    @property
    def storage(self) -> Storage:
        """The database and its repositories, opened once by `setup_hook`."""
        if self._storage is None:
            raise RuntimeError("the database is not open")
        return self._storage

    @property
    def database(self) -> Database | None:
        """The open database, or None before start-up and after close."""
        return None if self._storage is None else self._storage.database

    async def close(self) -> None:
        try:
            await super().close()
        finally:
            await self.close_storage()

    async def close_storage(self) -> None:
        storage, self._storage = self._storage, None
        if storage is not None:
            await storage.close()

    # --- operations -------------------------------------------------------------

    def work(self) -> AbstractAsyncContextManager[None]:
        """Run an answer as in-flight work: a graceful shutdown waits for it.

        Raises `bot.lifecycle.ShuttingDown` on entry once shutdown has started.
        """
        if self.shutdown is None:
            return contextlib.nullcontext()
        return self.shutdown.work()

    async def on_message(self, message: discord.Message, /) -> None:
        # No prefix commands: the cogs answer messages. commands.Bot's default
        # would treat every mention as a command and log CommandNotFound.
        return None

    async def on_connect(self) -> None:
        self._connects += 1
        if self._connects > 1:
            _record_reconnect()

    async def on_resumed(self) -> None:
        _record_reconnect()

    async def reload_knowledge(self) -> str | None:
        """Reload the knowledge files; return None, or the error (the old base stays live).

        The FAQ indexes carry over. The commands cog is reloaded so the
        per-feature slash commands follow the new table; `sync_commands` only
        talks to Discord when the command payload actually changed.
        """
        async with self._reload_lock:
            directory = self.settings.knowledge_dir
            try:
                kb = await asyncio.to_thread(load_knowledge_dir, directory)
            except KnowledgeError as exc:
                log.error("knowledge reload failed, keeping the current base: %s", exc)
                return str(exc)
            self.engine = self.engine.with_knowledge(kb)
            if COMMANDS_EXTENSION in self.extensions:
                await self.reload_extension(COMMANDS_EXTENSION)
                if self.application_id is not None:
                    try:
                        await self.sync_commands()
                    except discord.HTTPException:
                        # The new table answers already; only the slash menu lags.
                        log.exception("knowledge reloaded, but syncing slash commands failed")
            log.info("knowledge reloaded from %s: %d features", directory, len(kb.features))
            return None

    # --- command sync ---------------------------------------------------------

    def _sync_guild(self) -> discord.Object | None:
        guild_id = self.settings.dev_guild_id
        return discord.Object(id=guild_id) if guild_id else None

    def command_payload(self) -> list[dict[str, Any]]:
        guild = self._sync_guild()
        return [command.to_dict(self.tree) for command in self.tree.get_commands(guild=guild)]

    def _sync_state_path(self) -> Path:
        return Path(self.settings.database_path).parent / SYNC_STATE_FILE

    async def sync_commands(self) -> bool:
        """Sync slash commands only when they changed (Discord rate-limits syncs)."""
        guild = self._sync_guild()
        if guild is not None:
            self.tree.copy_global_to(guild=guild)
        scope = f"guild:{guild.id}" if guild else "global"
        # Sorted by name: reloading a cog re-adds its commands at the end of the
        # tree, and a mere change of order must not cost a sync.
        ordered = sorted(self.command_payload(), key=lambda c: (c.get("type", 1), c["name"]))
        payload = json.dumps(ordered, sort_keys=True, ensure_ascii=False)
        digest = hashlib.sha256(f"{self.application_id}:{payload}".encode()).hexdigest()
        path = self._sync_state_path()
        try:
            state = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            state = {}
        if state.get(scope) == digest:
            log.info("slash commands unchanged (%s): sync skipped", scope)
            return False
        await self.tree.sync(guild=guild)
        state[scope] = digest
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(state), encoding="utf-8")
        log.info("slash commands synced (%s)", scope)
        return True

    # --- storage helpers used by the cogs ---------------------------------------

    async def ensure_faq_loaded(self, guild_id: int | None) -> None:
        if guild_id is None or guild_id in self._faq_loaded or self._storage is None:
            return
        entries = await self._storage.faq.all_entries(guild_id)
        self.engine.set_faq(guild_id, entries)
        self._faq_loaded.add(guild_id)

    async def record_unanswered(self, guild_id: int | None, question: str) -> None:
        if self._storage is None or guild_id is None:
            return
        normalized = normalize(question)[:300]
        if not normalized:
            return
        try:
            await self._storage.unanswered.record(guild_id, normalized, question[:300])
        except sqlite3.Error:
            # Bookkeeping only: a locked or failing database must not break a reply.
            log.exception("could not log an unanswered question in guild %s", guild_id)

    async def record_feedback(self, feedback: Feedback) -> None:
        log.info(
            "feedback helpful=%s kind=%s topic=%s", feedback.helpful, feedback.kind, feedback.topic
        )
        if self._storage is None or feedback.message_id is None:
            return
        try:
            await self._storage.feedback.record(
                guild_id=feedback.guild_id or 0,
                channel_id=feedback.channel_id or 0,
                message_id=feedback.message_id,
                user_id=feedback.user_id,
                answer_kind=feedback.kind,
                subject=feedback.topic,
                helpful=feedback.helpful,
            )
        except sqlite3.Error:
            log.exception("could not store feedback on message %s", feedback.message_id)

    # --- errors -----------------------------------------------------------------

    async def on_app_command_error(
        self, interaction: discord.Interaction, error: app_commands.AppCommandError
    ) -> None:
        command = interaction.command
        name = f"/{command.qualified_name}" if command is not None else "a slash command"
        await report_error(interaction, error, name)

    async def on_error(self, event_method: str, /, *args: Any, **kwargs: Any) -> None:
        # One bad event must never take the bot down: log it and carry on.
        log.exception("error while handling %s", event_method)


def _record_reconnect() -> None:
    from bot import metrics

    metrics.record_reconnect()
