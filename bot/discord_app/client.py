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
import time
from contextlib import AbstractAsyncContextManager
from pathlib import Path
from typing import Any, Final

import discord
from discord import app_commands
from discord.ext import commands

from bot import messages
from bot.config import Settings
from bot.core.engine import Engine
from bot.core.knowledge import KnowledgeError, load_knowledge_dir
from bot.core.server_settings import ServerSettings, SettingKey, resolve
from bot.core.text import normalize
from bot.discord_app.card_buttons import CARD_BUTTONS
from bot.discord_app.cards import clip
from bot.discord_app.delivery import DeliveryMonitor, delivery_trace
from bot.discord_app.errors import report_error
from bot.discord_app.legacy_buttons import LegacyCardButton
from bot.discord_app.limits import CONTENT_LIMIT
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
    "bot.discord_app.cogs.server_settings",
    "bot.discord_app.cogs.welcome",
    "bot.discord_app.faq",
    "bot.discord_app.teach",
)
SYNC_STATE_FILE: Final = "command-sync.json"
# Room for a reload error inside the message that explains it.
ERROR_ROOM: Final = CONTENT_LIMIT - 300


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
        # One load per guild, shared by every caller that needs it meanwhile:
        # a burst right after a restart must not read and index a big FAQ once
        # per message, and the callers resume in the order they arrived.
        self._faq_loads: dict[int, asyncio.Task[None]] = {}
        self._connects = 0
        self._reload_lock = asyncio.Lock()
        # What each server set with /impostazioni (read once at start-up, then kept
        # in step with every change), and the settings in force built from it.
        self._stored_settings: dict[int, dict[str, object]] = {}
        self._resolved_settings: dict[int, ServerSettings] = {}

    # --- start-up -------------------------------------------------------------

    async def setup_hook(self) -> None:
        # Card buttons carry their meaning in their ids: registered once, they
        # answer on every card ever posted, whatever restarts happened since.
        self.add_dynamic_items(*CARD_BUTTONS, LegacyCardButton)
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
        self._stored_settings = await self._storage.settings.load_all()
        self._resolved_settings.clear()

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
        """Reload the knowledge files; return None, or why not (in Italian).

        All or nothing: the new table goes live only with its slash commands.
        The files are validated first (`load_knowledge_dir` refuses a table
        whose commands Discord could not register); if building or syncing the
        commands still fails, the previous table and commands stay. The FAQ
        indexes carry over. `sync_commands` only talks to Discord when the
        command payload actually changed.
        """
        async with self._reload_lock:
            directory = self.settings.knowledge_dir
            try:
                kb = await asyncio.to_thread(load_knowledge_dir, directory)
            except KnowledgeError as exc:
                log.error("knowledge reload failed, keeping the current base: %s", exc)
                return messages.KB_RELOAD_FAILED.format(error=clip(str(exc), ERROR_ROOM))
            previous = self.engine
            self.engine = previous.with_knowledge(kb)
            if COMMANDS_EXTENSION in self.extensions:
                problem = await self._switch_commands()
                if problem is not None:
                    self.engine = previous
                    await self.reload_extension(COMMANDS_EXTENSION)
                    return messages.KB_RELOAD_NOT_REGISTERED.format(error=clip(problem, ERROR_ROOM))
            log.info("knowledge reloaded from %s: %d features", directory, len(kb.features))
            return None

    async def _switch_commands(self) -> str | None:
        """Rebuild the per-feature commands from `self.engine` and register them;
        return None, or what refused them."""
        try:
            await self.reload_extension(COMMANDS_EXTENSION)
        except commands.ExtensionError as exc:
            cause = exc.__cause__ or exc
            log.error("knowledge reload: the new slash commands are invalid: %s", cause)
            return str(cause)
        if self.application_id is None:
            return None
        try:
            await self.sync_commands()
        except discord.HTTPException as exc:
            # One bulk overwrite: when Discord refuses it, it keeps the old commands.
            log.error("knowledge reload: Discord refused the new slash commands: %s", exc)
            return f"{exc.status} {exc.text}".strip()
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

    # --- per-server settings -----------------------------------------------------

    @property
    def default_server_settings(self) -> ServerSettings:
        """What a server that set nothing gets: the environment's values."""
        env = self.settings
        return ServerSettings(
            auto_answer_channels=env.auto_answer_channel_ids,
            mod_roles=env.mod_role_ids,
            cooldown_seconds=env.channel_cooldown_seconds,
        )

    def server_settings(self, guild_id: int | None) -> ServerSettings:
        """The settings in force in a server (the defaults in DMs). No I/O: answers
        read this on every message."""
        if guild_id is None:
            return self.default_server_settings
        resolved = self._resolved_settings.get(guild_id)
        if resolved is None:
            stored = self._stored_settings.get(guild_id, {})
            resolved = resolve(stored, self.default_server_settings)
            self._resolved_settings[guild_id] = resolved
        return resolved

    async def change_server_settings(
        self, guild_id: int, values: dict[SettingKey, object | None], *, changed_by: int
    ) -> tuple[ServerSettings, int]:
        """Store a change (None: back to the default) and apply it at once; the
        settings now in force, and how many values actually changed."""
        store = self.storage.settings
        as_stored = {str(key): value for key, value in values.items()}
        changed = await store.set_many(guild_id, as_stored, changed_by=changed_by)
        self._stored_settings[guild_id] = await store.load(guild_id)
        self._resolved_settings.pop(guild_id, None)
        return self.server_settings(guild_id), changed

    # --- storage helpers used by the cogs ---------------------------------------

    def faq_loaded(self, guild_id: int | None) -> bool:
        """Whether answers for `guild_id` can use its FAQ without waiting for storage."""
        if guild_id is None or self._storage is None:
            return True
        load = self._faq_loads.get(guild_id)
        return load is not None and load.done() and not load.cancelled() and not load.exception()

    async def ensure_faq_loaded(self, guild_id: int | None) -> None:
        """Load and index the guild's FAQ once; later callers wait for that same load."""
        if self.faq_loaded(guild_id):
            return  # no await: the caller keeps its place in the event order
        assert guild_id is not None
        load = self._faq_loads.get(guild_id)
        if load is None or load.done():  # never started, or failed: try again
            load = asyncio.get_running_loop().create_task(
                self._load_faq(guild_id), name=f"faq-load-{guild_id}"
            )
            self._faq_loads[guild_id] = load
            load.add_done_callback(_note_failed_load)
        # Shielded: a caller that gives up (a cancelled reply) must not cancel
        # the load the others wait for.
        await asyncio.shield(load)

    async def _load_faq(self, guild_id: int) -> None:
        entries = await self.storage.faq.all_entries(guild_id)
        started = time.perf_counter()
        # Indexing a big FAQ takes a noticeable fraction of a second: off the
        # event loop, so interactions are acknowledged within Discord's 3 s.
        await asyncio.to_thread(self.engine.set_faq, guild_id, entries)
        log.info(
            "FAQ index of guild %s built: %d entries in %.3f s",
            guild_id,
            len(entries),
            time.perf_counter() - started,
        )

    async def reindex_faq(self, guild_id: int) -> None:
        """Rebuild a guild's FAQ index from storage (after a bulk change), off the loop."""
        await self.ensure_faq_loaded(guild_id)
        entries = await self.storage.faq.all_entries(guild_id)
        await asyncio.to_thread(self.engine.set_faq, guild_id, entries)

    async def record_unanswered(self, guild_id: int | None, question: str) -> None:
        # Held for both writes: a shutdown may clear self._storage in between.
        storage = self._storage
        if storage is None or guild_id is None:
            return
        normalized = normalize(question)[:300]
        if not normalized:
            return
        try:
            await storage.unanswered.record(guild_id, normalized, question[:300])
            await storage.review.add(guild_id, question, "unanswered")
        except sqlite3.Error:
            # Bookkeeping only: a locked or failing database must not break a reply.
            log.exception("could not log an unanswered question in guild %s", guild_id)
        except ValueError:
            # aiosqlite's "no active connection": the bot closed its storage
            # (shutting down) after the reply went out. Nothing to keep.
            log.warning("storage closed: unanswered question in guild %s not logged", guild_id)

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
            if not feedback.helpful and feedback.guild_id and feedback.question:
                # A 👎 sends the question to moderators' review (/insegna coda).
                await self._storage.review.add(
                    feedback.guild_id,
                    feedback.question,
                    "unhelpful",
                    answer_kind=feedback.kind,
                    subject=feedback.topic,
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


def _note_failed_load(load: asyncio.Task[None]) -> None:
    # The callers waiting get the error and report it; this line is for a
    # load whose callers all gave up meanwhile (and it retrieves the error,
    # so asyncio does not complain about it at exit).
    if not load.cancelled() and (error := load.exception()) is not None:
        log.warning("%s failed (%r); the next question retries", load.get_name(), error)


def _record_reconnect() -> None:
    from bot import metrics

    metrics.record_reconnect()
