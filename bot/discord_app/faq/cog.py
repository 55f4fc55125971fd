"""The FAQ cog: `/faq …` for moderators, `/faq-mostra` and `/faq-elenco` for everyone.

Commands only say what happens; names are resolved by `transformers`, rights
checked by `checks`, text built by `rendering`, files handled by `transfer`,
and every failure becomes a reply in `bot.discord_app.errors`. Whatever waits
for storage is acknowledged first (`acknowledge`): Discord allows 3 seconds.
"""

from __future__ import annotations

import asyncio
import logging
import math
from typing import TYPE_CHECKING, Final

import discord
from discord import app_commands
from discord.ext import commands

from bot import messages, metrics
from bot.core.answers import FaqView
from bot.core.faq import FaqEntry, new_entry, parse_phrasings
from bot.core.faq_review import answerable_questions, probe_lines
from bot.core.faq_yaml import load_entries
from bot.discord_app.cards import clip, faq_card
from bot.discord_app.faq import rendering, transfer
from bot.discord_app.faq.checks import faq_guild, moderators_only, require_faq_moderator
from bot.discord_app.faq.transformers import AnyEntryName, LiveEntry, RemovedEntryName
from bot.discord_app.faq.views import (
    ConfirmView,
    FaqDraft,
    FaqModal,
    PagerView,
    PickView,
    acknowledge,
    send_panel,
)
from bot.discord_app.limits import CONTENT_LIMIT
from bot.discord_app.permissions import moderator_group
from bot.discord_app.views import NO_MENTIONS, send_ephemeral
from bot.storage import FaqChangeWatcher, FaqRepository

if TYPE_CHECKING:
    from bot.discord_app.client import TimoniereBot

log = logging.getLogger(__name__)

PAGE_SIZE: Final = 10
UNANSWERED_SHOWN: Final = 10
# The most asked unanswered questions re-checked after an add or an edit
# (each is one engine question).
UNANSWERED_CHECKED: Final = 200
# How often to look for FAQ changes made by the console while the bot runs:
# one `PRAGMA data_version` each time, a table read only when something changed.
OUTSIDE_CHANGES_POLL_SECONDS: Final = 2.0

Entry = app_commands.Transform[FaqEntry, LiveEntry]
RemovedName = app_commands.Transform[str, RemovedEntryName]
AnyName = app_commands.Transform[str, AnyEntryName]


class Faq(commands.Cog):
    faq = moderator_group("faq", messages.FAQ_CMD_GROUP, permission="manage_messages")

    def __init__(self, bot: TimoniereBot) -> None:
        self.bot = bot
        self._follower: asyncio.Task[None] | None = None

    async def cog_load(self) -> None:
        self._follower = asyncio.create_task(
            self._follow_outside_changes(), name="faq-outside-changes"
        )

    async def cog_unload(self) -> None:
        if self._follower is not None:
            self._follower.cancel()

    async def _follow_outside_changes(self) -> None:
        """Reload a server's FAQ index when another process (the console) changed it."""
        watcher: FaqChangeWatcher | None = None
        while True:
            database = self.bot.database
            try:
                if database is not None and (watcher is None or watcher.database is not database):
                    watcher = FaqChangeWatcher(database)
                    await watcher.start()
                elif database is not None and watcher is not None:
                    for guild_id in await watcher.changed_guilds():
                        await self._reload_index(guild_id)
            except Exception:
                # Closing, or the file is gone: the writes report that themselves.
                log.warning("could not check for FAQ changes made outside the bot", exc_info=True)
            await asyncio.sleep(OUTSIDE_CHANGES_POLL_SECONDS)

    async def _reload_index(self, guild_id: int) -> None:
        if not self.bot.engine.has_faq(guild_id):
            return  # not loaded yet: its first question loads the current entries
        for _ in range(3):
            before = await self.entries.last_change(guild_id)
            entries = await self.entries.all_entries(guild_id)
            # A change saved here meanwhile is already in the live index; installing
            # a list read before it would drop it, so read again instead.
            if await self.entries.last_change(guild_id) == before:
                self.bot.engine.set_faq(guild_id, entries)
                log.info("faq: reloaded guild %s after a change made outside the bot", guild_id)
                return
        log.warning("faq: guild %s kept changing; its index reloads on the next change", guild_id)

    @property
    def entries(self) -> FaqRepository:
        return self.bot.storage.faq

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        faq_guild(interaction)  # every FAQ belongs to a server
        return True

    async def _publish(
        self, guild_id: int, entry: FaqEntry, previous_name: str | None = None
    ) -> None:
        """Make a stored entry answerable now (the index is loaded first if needed)."""
        await self.bot.ensure_faq_loaded(guild_id)
        self.bot.engine.upsert_faq(guild_id, entry, previous_name)

    async def _confirm(
        self, interaction: discord.Interaction, guild_id: int, name: str, text: str
    ) -> None:
        """Confirm a saved entry at once, then add the logged questions it now answers.

        Re-checking them asks the engine up to UNANSWERED_CHECKED questions; on a
        big FAQ, in a burst of saves, that would hold every confirmation back.
        """
        await send_ephemeral(interaction, text)
        tail = await self._now_answers(guild_id, name)
        if tail:
            await interaction.edit_original_response(
                content=clip(text + tail, CONTENT_LIMIT), allowed_mentions=NO_MENTIONS
            )

    async def _now_answers(self, guild_id: int, name: str) -> str:
        """The logged unanswered questions entry `name` now answers, as a reply's tail."""
        logged = await self.bot.storage.unanswered.top(guild_id, UNANSWERED_CHECKED)
        found = []
        for question in logged:
            found += answerable_questions(self.bot.engine, guild_id, [question.example], name)
            # One question takes a few ms on a big FAQ, 200 take most of a second:
            # let other interactions be acknowledged in between.
            await asyncio.sleep(0)
        return rendering.now_answers([item.question for item in found])

    # --- the form -----------------------------------------------------------------

    def _add_form(self, draft: FaqDraft, forget: str | None = None) -> FaqModal:
        """The add form; `forget` is the unanswered question it answers, if any."""

        async def save(interaction: discord.Interaction, typed: FaqDraft) -> None:
            await self._save_new(interaction, typed, forget)

        return FaqModal(
            title=messages.FAQ_MODAL_ADD_TITLE, draft=draft, on_save=save, name_required=False
        )

    def _edit_form(self, draft: FaqDraft, original: str) -> FaqModal:
        async def save(interaction: discord.Interaction, typed: FaqDraft) -> None:
            await self._save_edit(interaction, typed, original)

        return FaqModal(
            title=messages.FAQ_MODAL_EDIT_TITLE, draft=draft, on_save=save, name_required=True
        )

    async def _save_new(
        self, interaction: discord.Interaction, draft: FaqDraft, forget: str | None
    ) -> None:
        guild_id = require_faq_moderator(interaction)
        await acknowledge(interaction)
        user_id = interaction.user.id
        # A blank name is derived by the repository inside its write transaction.
        entry = new_entry(
            guild_id,
            draft.name.strip(),
            draft.question,
            draft.answer,
            parse_phrasings(draft.phrasings),
            author_id=user_id,
        )
        stored = await self.entries.add(entry, actor_id=user_id)
        metrics.record_faq_write("add")
        await self._publish(guild_id, stored)
        if forget:
            await self.bot.storage.unanswered.forget(guild_id, forget)
        log.info("faq: %s added %r in guild %s", user_id, stored.name, guild_id)
        text = messages.FAQ_ADDED.format(name=stored.name)
        await self._confirm(interaction, guild_id, stored.name, text)

    async def _save_edit(
        self, interaction: discord.Interaction, draft: FaqDraft, original: str
    ) -> None:
        guild_id = require_faq_moderator(interaction)
        await acknowledge(interaction)
        user_id = interaction.user.id
        edited = await self.entries.edit(
            guild_id,
            original,
            question=draft.question,
            answer=draft.answer,
            phrasings=list(parse_phrasings(draft.phrasings)),
            new_name=draft.name.strip() or original,
            actor_id=user_id,
        )
        metrics.record_faq_write("edit")
        await self._publish(guild_id, edited, previous_name=original)
        log.info("faq: %s edited %r in guild %s", user_id, edited.name, guild_id)
        if edited.name != original:
            text = messages.FAQ_RENAMED.format(old=original, name=edited.name)
        else:
            text = messages.FAQ_EDITED.format(name=edited.name)
        await self._confirm(interaction, guild_id, edited.name, text)

    # --- /faq: writes ------------------------------------------------------------

    @faq.command(name="aggiungi", description=messages.FAQ_CMD_ADD)
    @moderators_only
    async def aggiungi(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_modal(self._add_form(FaqDraft()))

    @faq.command(name="modifica", description=messages.FAQ_CMD_EDIT)
    @app_commands.describe(nome=messages.FAQ_OPTION_NAME)
    @moderators_only
    async def modifica(self, interaction: discord.Interaction, nome: Entry) -> None:
        draft = FaqDraft.of(nome)
        if not draft.fits_form():
            await send_ephemeral(
                interaction, messages.FAQ_TOO_LONG_FOR_MODAL.format(name=nome.name)
            )
            return
        await interaction.response.send_modal(self._edit_form(draft, nome.name))

    @faq.command(name="rimuovi", description=messages.FAQ_CMD_REMOVE)
    @app_commands.describe(nome=messages.FAQ_OPTION_NAME)
    @moderators_only
    async def rimuovi(self, interaction: discord.Interaction, nome: Entry) -> None:
        name = nome.name

        async def confirm(pressed: discord.Interaction) -> None:
            guild_id = require_faq_moderator(pressed)
            # Acknowledged before storage: a busy database must not make Discord
            # say "interaction failed" for a removal that went through.
            await pressed.response.defer()
            removed = await self.entries.remove(guild_id, name, actor_id=pressed.user.id)
            metrics.record_faq_write("remove")
            await self.bot.ensure_faq_loaded(guild_id)
            self.bot.engine.remove_faq(guild_id, removed.name)
            log.info("faq: %s removed %r in guild %s", pressed.user.id, name, guild_id)
            await pressed.edit_original_response(
                content=messages.FAQ_REMOVED.format(name=name), view=None
            )

        async def cancel(pressed: discord.Interaction) -> None:
            await pressed.response.edit_message(
                content=messages.FAQ_REMOVE_CANCELLED.format(name=name), view=None
            )

        view = ConfirmView(interaction.user.id, on_confirm=confirm, on_cancel=cancel)
        await send_panel(interaction, rendering.removal_prompt(nome), view=view)

    @faq.command(name="ripristina", description=messages.FAQ_CMD_RESTORE)
    @app_commands.describe(nome=messages.FAQ_OPTION_REMOVED_NAME)
    @moderators_only
    async def ripristina(self, interaction: discord.Interaction, nome: RemovedName) -> None:
        guild_id = faq_guild(interaction)
        await acknowledge(interaction)
        restored = await self.entries.restore(guild_id, nome, actor_id=interaction.user.id)
        metrics.record_faq_write("restore")
        await self._publish(guild_id, restored)
        log.info("faq: %s restored %r in guild %s", interaction.user.id, restored.name, guild_id)
        await send_ephemeral(interaction, messages.FAQ_RESTORED.format(name=restored.name))

    @faq.command(name="importa", description=messages.FAQ_CMD_IMPORT)
    @app_commands.describe(file=messages.FAQ_OPTION_FILE)
    @moderators_only
    async def importa(self, interaction: discord.Interaction, file: discord.Attachment) -> None:
        guild_id = faq_guild(interaction)
        transfer.check_upload_size(file)
        await acknowledge(interaction)
        text = await transfer.read_upload(file)
        # Parsing a big file takes a while: keep the event loop free meanwhile.
        records = await asyncio.to_thread(load_entries, text, max_entries=self.entries.max_entries)
        result = await self.entries.import_entries(guild_id, records, actor_id=interaction.user.id)
        if result.added or result.updated:
            metrics.record_faq_write("import")
        await self.bot.reindex_faq(guild_id)
        log.info("faq: %s imported into guild %s: %s", interaction.user.id, guild_id, result)
        await send_ephemeral(
            interaction,
            messages.FAQ_IMPORTED.format(
                added=result.added, updated=result.updated, unchanged=result.unchanged
            ),
        )

    # --- /faq: moderator reads -----------------------------------------------------

    @faq.command(name="prova", description=messages.FAQ_CMD_PROBE)
    @app_commands.describe(domanda=messages.FAQ_OPTION_PROBE_QUESTION)
    @moderators_only
    async def prova(self, interaction: discord.Interaction, domanda: str) -> None:
        guild_id = faq_guild(interaction)
        if not self.bot.faq_loaded(guild_id):
            await acknowledge(interaction)
        await self.bot.ensure_faq_loaded(guild_id)
        probe = self.bot.engine.probe_faq(domanda, guild_id)
        titles = {feature.id: feature.title for feature in self.bot.engine.kb.features}
        await send_ephemeral(interaction, "\n".join(probe_lines(probe, titles)))

    @faq.command(name="storia", description=messages.FAQ_CMD_HISTORY)
    @app_commands.describe(nome=messages.FAQ_OPTION_NAME)
    @moderators_only
    async def storia(self, interaction: discord.Interaction, nome: AnyName) -> None:
        guild_id = faq_guild(interaction)
        await acknowledge(interaction)
        records = await self.entries.history(guild_id, nome)
        await send_panel(interaction, embed=rendering.history_embed(records))

    @faq.command(name="senza-risposta", description=messages.FAQ_CMD_UNANSWERED)
    @moderators_only
    async def senza_risposta(self, interaction: discord.Interaction) -> None:
        guild_id = faq_guild(interaction)
        await acknowledge(interaction)
        questions = await self.bot.storage.unanswered.top(guild_id, UNANSWERED_SHOWN)
        if not questions:
            await send_ephemeral(interaction, messages.FAQ_UNANSWERED_EMPTY)
            return

        async def pick(picked: discord.Interaction, index: int) -> None:
            question = questions[index]
            form = self._add_form(FaqDraft.answering(question), question.normalized)
            await picked.response.send_modal(form)

        options = rendering.unanswered_options(questions)
        view = PickView(interaction.user.id, options, messages.FAQ_UNANSWERED_PLACEHOLDER, pick)
        await send_panel(interaction, embed=rendering.unanswered_embed(questions), view=view)

    @faq.command(name="esporta", description=messages.FAQ_CMD_EXPORT)
    @moderators_only
    async def esporta(self, interaction: discord.Interaction) -> None:
        guild_id = faq_guild(interaction)
        await acknowledge(interaction)
        await transfer.send_export(interaction, guild_id, await self.entries.export(guild_id))

    # --- everyone: /faq-mostra and /faq-elenco --------------------------------------

    @app_commands.command(name="faq-mostra", description=messages.FAQ_CMD_SHOW)
    @app_commands.guild_only()
    @app_commands.describe(nome=messages.FAQ_OPTION_NAME)
    async def mostra(self, interaction: discord.Interaction, nome: Entry) -> None:
        await self._show(interaction, nome)

    @faq.command(name="mostra", description=messages.FAQ_CMD_SHOW)
    @app_commands.describe(nome=messages.FAQ_OPTION_NAME)
    async def faq_mostra(self, interaction: discord.Interaction, nome: Entry) -> None:
        await self._show(interaction, nome)

    @app_commands.command(name="faq-elenco", description=messages.FAQ_CMD_LIST)
    @app_commands.guild_only()
    async def elenco(self, interaction: discord.Interaction) -> None:
        await self._list(interaction)

    @faq.command(name="elenco", description=messages.FAQ_CMD_LIST)
    async def faq_elenco(self, interaction: discord.Interaction) -> None:
        await self._list(interaction)

    async def _show(self, interaction: discord.Interaction, entry: FaqEntry) -> None:
        answer = self.bot.engine.builder.faq_answer(
            entry.question, FaqView(entry.name, entry.question, entry.answer), 1.0
        )
        await interaction.response.send_message(
            embed=faq_card(answer), allowed_mentions=NO_MENTIONS
        )

    async def _list(self, interaction: discord.Interaction) -> None:
        guild_id = faq_guild(interaction)
        await acknowledge(interaction)

        async def render(page: int) -> tuple[discord.Embed, int, int]:
            return await self._list_page(guild_id, page)

        embed, page, pages = await render(0)
        if embed.description is None:
            await send_ephemeral(interaction, messages.FAQ_LIST_EMPTY)
            return
        view = PagerView(interaction.user.id, render, page, pages) if pages > 1 else None
        await send_panel(interaction, embed=embed, view=view)

    async def _list_page(self, guild_id: int, page: int) -> tuple[discord.Embed, int, int]:
        total = await self.entries.count(guild_id)
        pages = max(1, math.ceil(total / PAGE_SIZE))
        page = min(max(page, 0), pages - 1)
        entries = await self.entries.list_entries(
            guild_id, offset=page * PAGE_SIZE, limit=PAGE_SIZE
        )
        return rendering.list_embed(entries, page, pages, total), page, pages
