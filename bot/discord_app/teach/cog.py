"""`/insegna`: moderators settle the questions members voted 👎 or the bot left unanswered.

`/insegna coda` lists the waiting questions; picking one offers the right
feature and system, an FAQ entry, "non rispondere a domande così" or dismiss.
The lesson is stored (who, when) and handed to the engine at once, so the
question and its close paraphrases are answered that way from the next message
on; "Annulla" (or `/insegna annulla`) takes it back just as fast. `/insegna
esporta` gives the taught phrasings as YAML for the knowledge file.

Like `/faq`, the group is hidden from members by default (Manage Messages) and
every command and press checks the moderator rights again in code.
"""

from __future__ import annotations

import io
import logging
from collections import defaultdict
from typing import TYPE_CHECKING, Final

import discord
from discord.ext import commands

from bot import messages
from bot.core.taught import Lesson, closest_entries
from bot.core.taught_export import dump_taught_examples, taught_examples
from bot.discord_app.faq.checks import faq_guild, moderators_only, require_faq_moderator
from bot.discord_app.faq.views import PickView, send_panel
from bot.discord_app.limits import SELECT_OPTIONS_LIMIT
from bot.discord_app.permissions import moderator_group
from bot.discord_app.teach import rendering
from bot.discord_app.teach.views import Decision, TaughtView, TeachView
from bot.discord_app.views import NO_MENTIONS, send_ephemeral
from bot.storage import LessonStore, ReviewItem, ReviewQueue

if TYPE_CHECKING:
    from bot.discord_app.client import TimoniereBot

log = logging.getLogger(__name__)

QUEUE_SHOWN: Final = 10
UNDO_SHOWN: Final = SELECT_OPTIONS_LIMIT
# The most asked waiting questions checked against a new lesson (one match each).
PARAPHRASES_CHECKED: Final = 200


class Teach(commands.Cog):
    insegna = moderator_group("insegna", messages.TEACH_CMD_GROUP, permission="manage_messages")

    def __init__(self, bot: TimoniereBot) -> None:
        self.bot = bot

    async def cog_load(self) -> None:
        """Every server's lessons into the engine: a few rows, read once at start-up."""
        if self.bot.database is None:
            return  # the command tree alone (its checks and tests): nothing to answer with
        by_guild: defaultdict[int, list[Lesson]] = defaultdict(list)
        for lesson in await self.lessons.live_everywhere():
            by_guild[lesson.guild_id].append(lesson)
        for guild_id, lessons in by_guild.items():
            self.bot.engine.set_lessons(guild_id, lessons)

    @property
    def queue(self) -> ReviewQueue:
        return self.bot.storage.review

    @property
    def lessons(self) -> LessonStore:
        return self.bot.storage.lessons

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        faq_guild(interaction)  # lessons belong to a server
        return True

    # --- the queue ------------------------------------------------------------------

    @insegna.command(name="coda", description=messages.TEACH_CMD_QUEUE)
    @moderators_only
    async def coda(self, interaction: discord.Interaction) -> None:
        await self._show_queue(interaction, faq_guild(interaction), edit=False)

    async def _show_queue(
        self, interaction: discord.Interaction, guild_id: int, *, edit: bool
    ) -> None:
        items = await self.queue.waiting(guild_id, QUEUE_SHOWN)
        if not items:
            if edit:
                await interaction.response.edit_message(
                    content=messages.TEACH_QUEUE_EMPTY, embed=None, view=None
                )
            else:
                await send_ephemeral(interaction, messages.TEACH_QUEUE_EMPTY)
            return

        async def pick(picked: discord.Interaction, index: int) -> None:
            await self._show_item(picked, items[index])

        view = PickView(
            interaction.user.id,
            rendering.queue_options(items),
            messages.TEACH_QUEUE_PLACEHOLDER,
            pick,
        )
        embed = rendering.queue_embed(items)
        if edit:
            await interaction.response.edit_message(content=None, embed=embed, view=view)
            view.origin = interaction
        else:
            await send_panel(interaction, embed=embed, view=view)

    async def _show_item(self, interaction: discord.Interaction, item: ReviewItem) -> None:
        guild_id = require_faq_moderator(interaction)
        await self.bot.ensure_faq_loaded(guild_id)
        engine = self.bot.engine
        entries = closest_entries(
            item.question, engine.faq_questions(guild_id) or [], SELECT_OPTIONS_LIMIT
        )

        async def decide(pressed: discord.Interaction, decision: Decision) -> None:
            await self._teach(pressed, item, decision)

        view = TeachView(
            interaction.user.id,
            rendering.feature_options(engine.kb),
            rendering.entry_options(entries),
            decide,
        )
        await interaction.response.edit_message(
            content=rendering.panel_text(item, engine.kb), embed=None, view=view
        )
        view.origin = interaction

    async def _teach(
        self, interaction: discord.Interaction, item: ReviewItem, decision: Decision
    ) -> None:
        guild_id = require_faq_moderator(interaction)
        user_id = interaction.user.id
        lesson = await self.lessons.teach(
            guild_id,
            item.id,
            decision.choice,
            actor_id=user_id,
            feature=decision.feature,
            system=decision.system,
            faq_name=decision.faq_name,
        )
        self.bot.engine.teach(guild_id, lesson)
        settled = [item, *await self._settle_paraphrases(guild_id, lesson)]
        if lesson.shapes_answers:
            # Answered now: no longer candidates for a new FAQ in /faq senza-risposta.
            for question in settled:
                await self.bot.storage.unanswered.forget(guild_id, question.normalized)
        log.info("teach: %s taught lesson %s (%s)", user_id, lesson.id, lesson.choice)

        async def undo(pressed: discord.Interaction) -> None:
            await self._undo(pressed, lesson.id)

        async def next_question(pressed: discord.Interaction) -> None:
            await self._show_queue(pressed, require_faq_moderator(pressed), edit=True)

        view = TaughtView(user_id, on_undo=undo, on_next=next_question)
        text = rendering.taught_text(lesson, self.bot.engine.kb, also=len(settled) - 1)
        await interaction.response.edit_message(content=text, embed=None, view=view)
        view.origin = interaction

    async def _settle_paraphrases(self, guild_id: int, lesson: Lesson) -> list[ReviewItem]:
        """Waiting questions the new lesson now answers leave the queue with it."""
        if not lesson.shapes_answers:
            return []
        engine = self.bot.engine
        waiting = await self.queue.waiting(guild_id, PARAPHRASES_CHECKED)
        same = [
            item
            for item in waiting
            if (found := engine.lesson_for(guild_id, item.question)) is not None
            and found.id == lesson.id
        ]
        await self.queue.settle(guild_id, [item.id for item in same], lesson.id)
        return same

    # --- undo -------------------------------------------------------------------------

    async def _undo(self, interaction: discord.Interaction, lesson_id: int) -> None:
        guild_id = require_faq_moderator(interaction)
        lesson = await self.lessons.undo(guild_id, lesson_id, actor_id=interaction.user.id)
        self.bot.engine.unteach(guild_id, lesson.id)
        log.info("teach: %s undid lesson %s in guild %s", interaction.user.id, lesson.id, guild_id)
        await interaction.response.edit_message(
            content=rendering.undone_text(lesson), embed=None, view=None
        )

    @insegna.command(name="annulla", description=messages.TEACH_CMD_UNDO)
    @moderators_only
    async def annulla(self, interaction: discord.Interaction) -> None:
        guild_id = faq_guild(interaction)
        recent = await self.lessons.recent(guild_id, UNDO_SHOWN)
        if not recent:
            await send_ephemeral(interaction, messages.TEACH_UNDO_EMPTY)
            return

        async def pick(picked: discord.Interaction, index: int) -> None:
            await self._undo(picked, recent[index].id)

        view = PickView(
            interaction.user.id,
            rendering.lesson_options(recent, self.bot.engine.kb),
            messages.TEACH_UNDO_PLACEHOLDER,
            pick,
        )
        await send_panel(interaction, view=view)

    # --- export -----------------------------------------------------------------------

    @insegna.command(name="esporta", description=messages.TEACH_CMD_EXPORT)
    @moderators_only
    async def esporta(self, interaction: discord.Interaction) -> None:
        guild_id = faq_guild(interaction)
        kb = self.bot.engine.kb
        examples = taught_examples(await self.lessons.live(guild_id), kb)
        count = sum(len(texts) for texts in examples.values())
        if not count:
            await send_ephemeral(interaction, messages.TEACH_EXPORT_EMPTY)
            return
        header = messages.TEACH_EXPORT_HEADER.format(guild=guild_id)
        data = dump_taught_examples(examples, kb, header).encode("utf-8")
        text = (
            messages.TEACH_EXPORTED_ONE
            if count == 1
            else messages.TEACH_EXPORTED.format(count=count)
        )
        await interaction.response.send_message(
            text,
            file=discord.File(io.BytesIO(data), filename=f"insegnate-{guild_id}.yaml"),
            ephemeral=True,
            allowed_mentions=NO_MENTIONS,
        )
