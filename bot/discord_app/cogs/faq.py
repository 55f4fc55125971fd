"""Moderator FAQ on Discord: `/faq …` to write, `/faq-mostra` and `/faq-elenco` to read.

Read access. Discord applies `default_permissions` to a whole top-level command:
subcommands of one group cannot have different defaults. So the FAQ has two
surfaces instead of one group with mixed audiences:

* `/faq` (default permission Manage Messages, servers only) holds every
  moderator tool: `aggiungi`, `modifica`, `rimuovi`, `ripristina`, `storia`,
  `senza-risposta`, `esporta`, `importa`. Members don't even see it.
* `/faq-mostra nome:` and `/faq-elenco` are top-level commands with no default
  permissions, so everyone in a server can read the FAQ (`/faq mostra` and
  `/faq elenco` do the same inside the moderators' group). In Discord's command
  picker they sit right next to `/faq` (typing "/faq" lists them). Free
  questions keep flowing through mentions and `/chiedi`, which already answer
  with FAQ entries.

Who may write. Default permissions are only a default: server admins can
re-grant `/faq` to anyone (Server Settings > Integrations), and the moderator
roles of `MOD_ROLE_IDS` are unknown to Discord. So every `/faq` subcommand also
checks in code (Manage Messages in the channel, or one of those roles), and the
checks run again when a form is submitted or a confirmation button pressed,
because a member may lose the role while a form is open. A refusal is an
ephemeral Italian message and changes nothing.

Every write goes to storage first and then to the engine's FAQ index
(`upsert_faq` / `remove_faq`, or a reload after an import), so the bot answers
with the new text at once, without a restart. Replies never ping: they are sent
with no allowed mentions, and text written by users (questions in lists and
titles) is shown with its markdown escaped.
"""

from __future__ import annotations

import asyncio
import io
import logging
import math
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Final

import discord
from discord import app_commands
from discord.ext import commands

from bot import messages, metrics
from bot.core.answers import FaqView
from bot.core.faq import (
    QUESTION_MAX,
    YAML_MAX_CHARS,
    DuplicateName,
    FaqEntry,
    FaqError,
    HistoryRecord,
    InvalidEntry,
    NoChanges,
    dump_parts,
    free_name,
    load_entries,
    new_entry,
    parse_phrasings,
    slugify,
)
from bot.discord_app.cards import clip, faq_card
from bot.discord_app.faq_views import (
    ConfirmView,
    FaqDraft,
    FaqModal,
    ModalFactory,
    PagerView,
    PickOption,
    PickView,
    RetryView,
    send_panel,
)
from bot.discord_app.limits import (
    CHOICES_LIMIT,
    CONTENT_LIMIT,
    DESCRIPTION_LIMIT,
    NEUTRAL_COLOUR,
    TITLE_LIMIT,
)
from bot.discord_app.permissions import has_permission_or_role
from bot.discord_app.views import NO_MENTIONS, send_ephemeral
from bot.storage import FaqRepository, UnansweredQuestion

if TYPE_CHECKING:
    from bot.discord_app.client import TimoniereBot

log = logging.getLogger(__name__)

PAGE_SIZE: Final = 10
UNANSWERED_SHOWN: Final = 10
# Import and export share one limit: every file /faq esporta sends is at most
# this big (a bigger export is split), so it can always be imported again. It
# also keeps the text within `YAML_MAX_CHARS` (a character is at least a byte)
# and below Discord's smallest upload limit.
IMPORT_MAX_MB: Final = 5
IMPORT_MAX_BYTES: Final = min(IMPORT_MAX_MB * 1_000_000, YAML_MAX_CHARS)


def plain(text: str) -> str:
    """User-written text shown inside our own formatting: no markdown, no mention syntax."""
    return discord.utils.escape_mentions(discord.utils.escape_markdown(text))


def choices(names: Sequence[str]) -> list[app_commands.Choice[str]]:
    return [app_commands.Choice(name=name, value=name) for name in names[:CHOICES_LIMIT]]


def draft_of(entry: FaqEntry) -> FaqDraft:
    return FaqDraft(
        name=entry.name,
        question=entry.question,
        answer=entry.answer,
        phrasings="\n".join(entry.phrasings),
    )


def problem_text(error: FaqError) -> str:
    if isinstance(error, InvalidEntry):
        return "\n".join(f"- {problem}" for problem in error.problems)
    return error.message


async def send_file(
    interaction: discord.Interaction, text: str, content: str, filename: str
) -> None:
    """A private followup with `content` attached as a UTF-8 file."""
    data = io.BytesIO(content.encode("utf-8"))
    await interaction.followup.send(
        text,
        file=discord.File(data, filename=filename),
        ephemeral=True,
        allowed_mentions=NO_MENTIONS,
    )


def times(count: int) -> str:
    return messages.FAQ_TIMES_ONE if count == 1 else messages.FAQ_TIMES_MANY.format(count=count)


def history_line(record: HistoryRecord) -> str:
    fields = record.changed_fields()
    details = ""
    if fields:
        names = ", ".join(messages.FAQ_FIELD_NAMES[field] for field in fields)
        details = messages.FAQ_HISTORY_CHANGED.format(fields=names)
    actor = messages.FAQ_HISTORY_CONSOLE if record.actor_id is None else f"<@{record.actor_id}>"
    return messages.FAQ_HISTORY_ROW.format(
        at=discord.utils.format_dt(record.at, "f"),
        action=messages.FAQ_ACTIONS[record.action],
        actor=actor,
        details=details,
    )


def older_changes(count: int) -> str:
    if count == 1:
        return messages.FAQ_HISTORY_OLDER_ONE
    return messages.FAQ_HISTORY_OLDER_MANY.format(count=count)


def keep_last_lines(lines: list[str], limit: int, older: Callable[[int], str]) -> str:
    """The most recent lines that fit in `limit`, with `older(count)` about the others."""
    kept: list[str] = []
    size = 0
    reserve = len(older(len(lines))) + 1
    for line in reversed(lines):
        if size + len(line) + 1 > limit - reserve:
            break
        kept.append(line)
        size += len(line) + 1
    kept.reverse()
    dropped = len(lines) - len(kept)
    if dropped:
        kept.insert(0, older(dropped))
    return "\n".join(kept)


class Faq(commands.Cog):
    faq = app_commands.Group(
        name="faq",
        description=messages.FAQ_CMD_GROUP,
        default_permissions=discord.Permissions(manage_messages=True),
        guild_only=True,
        allowed_contexts=app_commands.AppCommandContext(guild=True),
    )

    def __init__(self, bot: TimoniereBot) -> None:
        self.bot = bot

    # --- plumbing ---------------------------------------------------------------

    def _repo(self) -> FaqRepository:
        return self.bot.storage.faq

    async def _guild(self, interaction: discord.Interaction) -> int | None:
        if interaction.guild_id is None:
            await send_ephemeral(interaction, messages.FAQ_GUILD_ONLY)
        return interaction.guild_id

    async def _moderator_guild(self, interaction: discord.Interaction) -> int | None:
        """The guild id if the user may manage its FAQ; otherwise refuse and return None."""
        guild_id = await self._guild(interaction)
        if guild_id is None:
            return None
        moderator = has_permission_or_role(
            interaction, "manage_messages", self.bot.settings.mod_role_ids
        )
        if not moderator:
            log.info("faq: refused user %s in guild %s", interaction.user.id, guild_id)
            await send_ephemeral(interaction, messages.FAQ_NOT_MODERATOR)
            return None
        return guild_id

    async def _moderated_entry(
        self, interaction: discord.Interaction, name: str
    ) -> tuple[int, FaqEntry] | None:
        """For write commands on one entry: a moderator's guild and the live entry."""
        guild_id = await self._moderator_guild(interaction)
        if guild_id is None:
            return None
        entry = await self._entry_or_explain(interaction, guild_id, name)
        return None if entry is None else (guild_id, entry)

    async def _entry_or_explain(
        self, interaction: discord.Interaction, guild_id: int, name: str
    ) -> FaqEntry | None:
        """The live entry called `name`, or None after telling the user it does not exist."""
        entry = await self._repo().get(guild_id, name)
        if entry is None:
            await send_ephemeral(interaction, messages.FAQ_NOT_FOUND.format(name=plain(name)))
        return entry

    async def _publish(
        self, guild_id: int, entry: FaqEntry, previous_name: str | None = None
    ) -> None:
        """Make a stored entry answerable now (the index is loaded first if needed)."""
        await self.bot.ensure_faq_loaded(guild_id)
        self.bot.engine.upsert_faq(guild_id, entry, previous_name)

    async def _reject(
        self,
        interaction: discord.Interaction,
        error: FaqError,
        draft: FaqDraft | None = None,
        reopen: ModalFactory | None = None,
    ) -> None:
        """Show why nothing was saved; "Correggi" reopens the form with what was typed."""
        text = f"{messages.FAQ_NOT_SAVED}\n{problem_text(error)}"
        if draft is None or reopen is None or not draft.fits_form():
            await send_panel(interaction, text)
            return
        footer = f"\n\n{messages.FAQ_RETRY_HINT}"
        text = clip(text, CONTENT_LIMIT - len(footer)) + footer
        await send_panel(interaction, text, view=RetryView(interaction.user.id, draft, reopen))

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
        guild_id = await self._moderator_guild(interaction)
        if guild_id is None:
            return
        user_id = interaction.user.id
        repo = self._repo()
        name = draft.name.strip()
        if not name:
            # Derived from the question: never empty (a question of only symbols or
            # non-Latin letters has no slug) and never one that is already taken.
            taken = await repo.taken_names(guild_id)
            name = free_name(slugify(draft.question) or "faq", taken)
        entry = new_entry(
            guild_id,
            name,
            draft.question,
            draft.answer,
            parse_phrasings(draft.phrasings),
            author_id=user_id,
        )
        try:
            stored = await repo.add(entry, actor_id=user_id)
        except (InvalidEntry, DuplicateName) as exc:
            await self._reject(interaction, exc, draft, lambda d: self._add_form(d, forget))
            return
        except FaqError as exc:
            await self._reject(interaction, exc)
            return
        metrics.record_faq_write("add")
        await self._publish(guild_id, stored)
        if forget:
            await self.bot.storage.unanswered.forget(guild_id, forget)
        log.info("faq: %s added %r in guild %s", user_id, stored.name, guild_id)
        await send_ephemeral(interaction, messages.FAQ_ADDED.format(name=stored.name))

    async def _save_edit(
        self, interaction: discord.Interaction, draft: FaqDraft, original: str
    ) -> None:
        guild_id = await self._moderator_guild(interaction)
        if guild_id is None:
            return
        user_id = interaction.user.id
        try:
            edited = await self._repo().edit(
                guild_id,
                original,
                question=draft.question,
                answer=draft.answer,
                phrasings=list(parse_phrasings(draft.phrasings)),
                new_name=draft.name.strip() or original,
                actor_id=user_id,
            )
        except NoChanges as exc:
            await send_ephemeral(interaction, exc.message)
            return
        except (InvalidEntry, DuplicateName) as exc:
            await self._reject(interaction, exc, draft, lambda d: self._edit_form(d, original))
            return
        except FaqError as exc:
            await self._reject(interaction, exc)
            return
        metrics.record_faq_write("edit")
        await self._publish(guild_id, edited, previous_name=original)
        log.info("faq: %s edited %r in guild %s", user_id, edited.name, guild_id)
        if edited.name != original:
            text = messages.FAQ_RENAMED.format(old=original, name=edited.name)
        else:
            text = messages.FAQ_EDITED.format(name=edited.name)
        await send_ephemeral(interaction, text)

    # --- /faq: writes ------------------------------------------------------------

    @faq.command(name="aggiungi", description=messages.FAQ_CMD_ADD)
    async def aggiungi(self, interaction: discord.Interaction) -> None:
        if await self._moderator_guild(interaction) is None:
            return
        await interaction.response.send_modal(self._add_form(FaqDraft()))

    @faq.command(name="modifica", description=messages.FAQ_CMD_EDIT)
    @app_commands.describe(nome=messages.FAQ_OPTION_NAME)
    async def modifica(
        self, interaction: discord.Interaction, nome: app_commands.Range[str, 1, 100]
    ) -> None:
        found = await self._moderated_entry(interaction, nome)
        if found is None:
            return
        _, entry = found
        draft = draft_of(entry)
        if not draft.fits_form():
            await send_ephemeral(
                interaction, messages.FAQ_TOO_LONG_FOR_MODAL.format(name=entry.name)
            )
            return
        await interaction.response.send_modal(self._edit_form(draft, entry.name))

    @faq.command(name="rimuovi", description=messages.FAQ_CMD_REMOVE)
    @app_commands.describe(nome=messages.FAQ_OPTION_NAME)
    async def rimuovi(
        self, interaction: discord.Interaction, nome: app_commands.Range[str, 1, 100]
    ) -> None:
        found = await self._moderated_entry(interaction, nome)
        if found is None:
            return
        guild_id, entry = found
        name = entry.name

        async def confirm(pressed: discord.Interaction) -> bool:
            if await self._moderator_guild(pressed) is None:
                return False
            try:
                removed = await self._repo().remove(guild_id, name, actor_id=pressed.user.id)
            except FaqError as exc:  # e.g. removed meanwhile by someone else
                await pressed.response.edit_message(content=exc.message, view=None)
                return True
            metrics.record_faq_write("remove")
            await self.bot.ensure_faq_loaded(guild_id)
            self.bot.engine.remove_faq(guild_id, removed.name)
            log.info("faq: %s removed %r in guild %s", pressed.user.id, name, guild_id)
            await pressed.response.edit_message(
                content=messages.FAQ_REMOVED.format(name=name), view=None
            )
            return True

        async def cancel(pressed: discord.Interaction) -> bool:
            await pressed.response.edit_message(
                content=messages.FAQ_REMOVE_CANCELLED.format(name=name), view=None
            )
            return True

        text = messages.FAQ_REMOVE_CONFIRM.format(name=name, question=plain(entry.question))
        view = ConfirmView(interaction.user.id, on_confirm=confirm, on_cancel=cancel)
        await send_panel(interaction, text, view=view)

    @faq.command(name="ripristina", description=messages.FAQ_CMD_RESTORE)
    @app_commands.describe(nome=messages.FAQ_OPTION_REMOVED_NAME)
    async def ripristina(
        self, interaction: discord.Interaction, nome: app_commands.Range[str, 1, 100]
    ) -> None:
        guild_id = await self._moderator_guild(interaction)
        if guild_id is None:
            return
        try:
            restored = await self._repo().restore(guild_id, nome, actor_id=interaction.user.id)
        except FaqError as exc:
            await send_ephemeral(interaction, exc.message)
            return
        metrics.record_faq_write("restore")
        await self._publish(guild_id, restored)
        log.info("faq: %s restored %r in guild %s", interaction.user.id, restored.name, guild_id)
        await send_ephemeral(interaction, messages.FAQ_RESTORED.format(name=restored.name))

    @faq.command(name="importa", description=messages.FAQ_CMD_IMPORT)
    @app_commands.describe(file=messages.FAQ_OPTION_FILE)
    async def importa(self, interaction: discord.Interaction, file: discord.Attachment) -> None:
        guild_id = await self._moderator_guild(interaction)
        if guild_id is None:
            return
        too_big = messages.FAQ_IMPORT_TOO_BIG.format(max=IMPORT_MAX_MB)
        if file.size > IMPORT_MAX_BYTES:
            await send_ephemeral(interaction, too_big)
            return
        await interaction.response.defer(ephemeral=True, thinking=True)
        try:
            data = await file.read()
        except discord.HTTPException:
            log.warning("faq import: could not download %s", file.url, exc_info=True)
            await send_ephemeral(interaction, messages.FAQ_IMPORT_UNREADABLE)
            return
        if len(data) > IMPORT_MAX_BYTES:
            await send_ephemeral(interaction, too_big)
            return
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            await send_ephemeral(interaction, messages.FAQ_IMPORT_NOT_UTF8)
            return
        repo = self._repo()
        try:
            # Parsing a big file takes a while: keep the event loop free meanwhile.
            records = await asyncio.to_thread(load_entries, text, max_entries=repo.max_entries)
            result = await repo.import_entries(guild_id, records, actor_id=interaction.user.id)
        except FaqError as exc:
            await send_ephemeral(interaction, clip(exc.message, CONTENT_LIMIT))
            return
        if result.added or result.updated:
            metrics.record_faq_write("import")
        await self.bot.ensure_faq_loaded(guild_id)
        self.bot.engine.set_faq(guild_id, await repo.all_entries(guild_id))
        log.info("faq: %s imported into guild %s: %s", interaction.user.id, guild_id, result)
        await send_ephemeral(
            interaction,
            messages.FAQ_IMPORTED.format(
                added=result.added, updated=result.updated, unchanged=result.unchanged
            ),
        )

    # --- /faq: moderator reads -----------------------------------------------------

    @faq.command(name="storia", description=messages.FAQ_CMD_HISTORY)
    @app_commands.describe(nome=messages.FAQ_OPTION_NAME)
    async def storia(
        self, interaction: discord.Interaction, nome: app_commands.Range[str, 1, 100]
    ) -> None:
        guild_id = await self._moderator_guild(interaction)
        if guild_id is None:
            return
        try:
            records = await self._repo().history(guild_id, nome)
        except FaqError as exc:
            await send_ephemeral(interaction, exc.message)
            return
        lines = [history_line(record) for record in records]
        embed = discord.Embed(
            title=clip(messages.FAQ_HISTORY_TITLE.format(name=records[-1].name), TITLE_LIMIT),
            description=keep_last_lines(lines, DESCRIPTION_LIMIT, older_changes),
            colour=NEUTRAL_COLOUR,
        )
        await send_panel(interaction, embed=embed)

    @faq.command(name="senza-risposta", description=messages.FAQ_CMD_UNANSWERED)
    async def senza_risposta(self, interaction: discord.Interaction) -> None:
        guild_id = await self._moderator_guild(interaction)
        if guild_id is None:
            return
        questions = await self.bot.storage.unanswered.top(guild_id, UNANSWERED_SHOWN)
        if not questions:
            await send_ephemeral(interaction, messages.FAQ_UNANSWERED_EMPTY)
            return
        rows = [
            messages.FAQ_UNANSWERED_ROW.format(
                number=number, question=plain(clip(q.example, 200)), times=times(q.count)
            )
            for number, q in enumerate(questions, start=1)
        ]
        embed = discord.Embed(
            title=messages.FAQ_UNANSWERED_TITLE,
            description=clip("\n".join(rows), DESCRIPTION_LIMIT),
            colour=NEUTRAL_COLOUR,
        )
        embed.set_footer(text=messages.FAQ_UNANSWERED_HINT)
        options = [PickOption(" ".join(q.example.split()), times(q.count)) for q in questions]

        async def pick(picked: discord.Interaction, index: int) -> None:
            await picked.response.send_modal(self._add_form(*self._draft_for(questions[index])))

        view = PickView(interaction.user.id, options, messages.FAQ_UNANSWERED_PLACEHOLDER, pick)
        await send_panel(interaction, embed=embed, view=view)

    @staticmethod
    def _draft_for(question: UnansweredQuestion) -> tuple[FaqDraft, str]:
        text = clip(" ".join(question.example.split()), QUESTION_MAX)
        return FaqDraft(name=slugify(text), question=text), question.normalized

    @faq.command(name="esporta", description=messages.FAQ_CMD_EXPORT)
    async def esporta(self, interaction: discord.Interaction) -> None:
        guild_id = await self._moderator_guild(interaction)
        if guild_id is None:
            return
        await interaction.response.defer(ephemeral=True, thinking=True)
        entries = await self._repo().export(guild_id)
        # Dumping hundreds of long entries takes a while: not on the event loop.
        parts = await asyncio.to_thread(dump_parts, entries, IMPORT_MAX_BYTES)
        if len(parts) == 1:
            text = messages.FAQ_EXPORTED.format(count=len(entries))
            await send_file(interaction, text, parts[0], f"faq-{guild_id}.yaml")
            return
        # Too big for one importable file: several, each one importable by itself.
        for number, part in enumerate(parts, start=1):
            text = messages.FAQ_EXPORTED_PART.format(number=number, parts=len(parts))
            if number == 1:
                text = messages.FAQ_EXPORTED_SPLIT.format(
                    count=len(entries), parts=len(parts), max=IMPORT_MAX_MB
                )
            await send_file(interaction, text, part, f"faq-{guild_id}-{number}.yaml")

    # --- autocomplete --------------------------------------------------------------

    async def live_names(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        if interaction.guild_id is None or self.bot.database is None:
            return []
        names = await self._repo().search_names(interaction.guild_id, current, CHOICES_LIMIT)
        return choices(names)

    async def removed_names(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        if interaction.guild_id is None or self.bot.database is None:
            return []
        repo = self._repo()
        names = await repo.search_removed_names(interaction.guild_id, current, CHOICES_LIMIT)
        return choices(names)

    async def any_names(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        if interaction.guild_id is None or self.bot.database is None:
            return []
        repo = self._repo()
        live = await repo.search_names(interaction.guild_id, current, CHOICES_LIMIT)
        removed = await repo.search_removed_names(interaction.guild_id, current, CHOICES_LIMIT)
        return choices(list(dict.fromkeys([*live, *removed])))

    # --- everyone: /faq-mostra and /faq-elenco --------------------------------------

    @app_commands.command(name="faq-mostra", description=messages.FAQ_CMD_SHOW)
    @app_commands.guild_only()
    @app_commands.describe(nome=messages.FAQ_OPTION_NAME)
    async def mostra(
        self, interaction: discord.Interaction, nome: app_commands.Range[str, 1, 100]
    ) -> None:
        await self._show(interaction, nome)

    @faq.command(name="mostra", description=messages.FAQ_CMD_SHOW)
    @app_commands.describe(nome=messages.FAQ_OPTION_NAME)
    async def faq_mostra(
        self, interaction: discord.Interaction, nome: app_commands.Range[str, 1, 100]
    ) -> None:
        await self._show(interaction, nome)

    @app_commands.command(name="faq-elenco", description=messages.FAQ_CMD_LIST)
    @app_commands.guild_only()
    async def elenco(self, interaction: discord.Interaction) -> None:
        await self._list(interaction)

    @faq.command(name="elenco", description=messages.FAQ_CMD_LIST)
    async def faq_elenco(self, interaction: discord.Interaction) -> None:
        await self._list(interaction)

    async def _show(self, interaction: discord.Interaction, nome: str) -> None:
        guild_id = await self._guild(interaction)
        if guild_id is None:
            return
        entry = await self._entry_or_explain(interaction, guild_id, nome)
        if entry is None:
            return
        answer = self.bot.engine.builder.faq_answer(
            entry.question, FaqView(entry.name, entry.question, entry.answer), 1.0
        )
        await interaction.response.send_message(
            embed=faq_card(answer), allowed_mentions=NO_MENTIONS
        )

    async def _list(self, interaction: discord.Interaction) -> None:
        guild_id = await self._guild(interaction)
        if guild_id is None:
            return

        async def render(page: int) -> tuple[discord.Embed, int, int]:
            return await self._list_page(guild_id, page)

        embed, page, pages = await render(0)
        if embed.description is None:
            await send_ephemeral(interaction, messages.FAQ_LIST_EMPTY)
            return
        view = PagerView(interaction.user.id, render, page, pages) if pages > 1 else None
        await send_panel(interaction, embed=embed, view=view)

    async def _list_page(self, guild_id: int, page: int) -> tuple[discord.Embed, int, int]:
        repo = self._repo()
        total = await repo.count(guild_id)
        pages = max(1, math.ceil(total / PAGE_SIZE))
        page = min(max(page, 0), pages - 1)
        entries = await repo.list_entries(guild_id, offset=page * PAGE_SIZE, limit=PAGE_SIZE)
        rows = [
            messages.FAQ_LIST_ROW.format(name=entry.name, question=plain(entry.question))
            for entry in entries
        ]
        embed = discord.Embed(
            title=messages.FAQ_LIST_TITLE,
            description=clip("\n".join(rows), DESCRIPTION_LIMIT) if rows else None,
            colour=NEUTRAL_COLOUR,
        )
        embed.set_footer(
            text=messages.FAQ_LIST_FOOTER.format(page=page + 1, pages=pages, total=total)
        )
        return embed, page, pages

    modifica.autocomplete("nome")(live_names)
    rimuovi.autocomplete("nome")(live_names)
    mostra.autocomplete("nome")(live_names)
    faq_mostra.autocomplete("nome")(live_names)
    storia.autocomplete("nome")(any_names)
    ripristina.autocomplete("nome")(removed_names)


async def setup(bot: TimoniereBot) -> None:
    await bot.add_cog(Faq(bot))
