"""Slash commands: one per feature (generated from the knowledge YAML),
/chiedi, /confronto and /aiuto."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot import messages
from bot.core.answers import Answer
from bot.core.faq import QUESTION_MAX
from bot.core.knowledge import Feature, KnowledgeBase
from bot.core.matcher import BOTH
from bot.core.text import normalize
from bot.discord_app.card_buttons import card_view
from bot.discord_app.cards import card_for, clip, keep_first_lines
from bot.discord_app.limits import (
    CHOICE_NAME_LIMIT,
    CHOICES_LIMIT,
    COMMAND_DESCRIPTION_LIMIT,
    DESCRIPTION_LIMIT,
    NEUTRAL_COLOUR,
)
from bot.discord_app.views import NO_MENTIONS, send_ephemeral
from bot.lifecycle import ShuttingDown

if TYPE_CHECKING:
    from bot.discord_app.client import TimoniereBot


def system_choices(kb: KnowledgeBase) -> list[app_commands.Choice[str]]:
    choices = [app_commands.Choice(name=system.name, value=system.id) for system in kb.systems]
    choices.append(app_commands.Choice(name=messages.CHOICE_BOTH, value=BOTH))
    return choices


def autocomplete_phrases(kb: KnowledgeBase) -> list[str]:
    phrases: list[str] = []
    for feature in kb.features:
        phrases.append(feature.title)
        phrases.extend(feature.examples)
    return [clip(phrase, CHOICE_NAME_LIMIT) for phrase in dict.fromkeys(phrases)]


def suggest(phrases: list[str], current: str, limit: int = CHOICES_LIMIT) -> list[str]:
    wanted = normalize(current)
    if not wanted:
        return phrases[:limit]
    words = wanted.split()
    hits = [p for p in phrases if all(word in normalize(p) for word in words)]
    return hits[:limit]


class Commands(commands.Cog):
    def __init__(self, bot: TimoniereBot) -> None:
        self.bot = bot
        self.phrases = autocomplete_phrases(bot.engine.kb)
        self.feature_commands = [self._feature_command(f) for f in bot.engine.kb.features]

    async def cog_load(self) -> None:
        for command in self.feature_commands:
            self.bot.tree.add_command(command, override=True)

    async def cog_unload(self) -> None:
        for command in self.feature_commands:
            self.bot.tree.remove_command(command.name)

    async def _send_card(self, interaction: discord.Interaction, answer: Answer) -> None:
        view = card_view(self.bot.engine.kb, answer, interaction.user.id)
        if interaction.response.is_done():
            await interaction.followup.send(
                embed=card_for(answer), view=view, allowed_mentions=NO_MENTIONS
            )
            return
        await interaction.response.send_message(
            embed=card_for(answer), view=view, allowed_mentions=NO_MENTIONS
        )

    def _feature_command(self, feature: Feature) -> app_commands.Command[Commands, ..., None]:
        engine = self.bot.engine
        cog = self

        @app_commands.describe(sistema=messages.OPTION_SYSTEM)
        @app_commands.choices(sistema=system_choices(engine.kb))
        async def callback(
            interaction: discord.Interaction,
            sistema: app_commands.Choice[str] | None = None,
        ) -> None:
            answer = engine.feature(feature.id, sistema.value if sistema else None)
            await cog._send_card(interaction, answer)

        return app_commands.Command(
            name=feature.id,
            description=clip(feature.description, COMMAND_DESCRIPTION_LIMIT),
            callback=callback,
        )

    @app_commands.command(name="chiedi", description=messages.CMD_ASK)
    @app_commands.describe(domanda=messages.OPTION_QUESTION)
    async def chiedi(
        self,
        interaction: discord.Interaction,
        # As long as an FAQ question: an unanswered one can become an entry as asked.
        domanda: app_commands.Range[str, 1, QUESTION_MAX],
    ) -> None:
        try:
            # In-flight work: on SIGTERM the bot finishes this reply before closing.
            async with self.bot.work():
                await self._ask(interaction, domanda)
        except ShuttingDown:
            await send_ephemeral(interaction, messages.OPS_SHUTTING_DOWN)

    async def _ask(self, interaction: discord.Interaction, domanda: str) -> None:
        started = time.perf_counter()
        if not self.bot.faq_loaded(interaction.guild_id):
            # The first question after a start reads the server's FAQ: tell
            # Discord we are on it, or a big FAQ could outlast its 3 s.
            await interaction.response.defer(thinking=True)
        await self.bot.ensure_faq_loaded(interaction.guild_id)
        answer = self.bot.engine.ask(domanda, None, interaction.guild_id)
        from bot import metrics

        metrics.record_answer(answer.kind, time.perf_counter() - started)
        await self._send_card(interaction, answer)
        if answer.kind == "unknown":
            await self.bot.record_unanswered(interaction.guild_id, domanda)

    @chiedi.autocomplete("domanda")
    async def chiedi_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return [app_commands.Choice(name=p, value=p) for p in suggest(self.phrases, current)]

    @app_commands.command(name="confronto", description=messages.CMD_OVERVIEW)
    async def confronto(self, interaction: discord.Interaction) -> None:
        await self._send_card(interaction, self.bot.engine.overview())

    @app_commands.command(name="aiuto", description=messages.CMD_HELP)
    async def aiuto(self, interaction: discord.Interaction) -> None:
        kb = self.bot.engine.kb
        comparison = self.bot.engine.builder.comparison
        lines = [f"• `/{f.id}`: {f.description}" for f in kb.features]
        # A big table must not push the text past Discord's limit.
        more = messages.HELP_MORE_COMMANDS.format(count=len(lines))
        room = DESCRIPTION_LIMIT - len(
            messages.HELP_TEXT.format(comparison=comparison, commands="")
        )
        shown, hidden = keep_first_lines(lines, room - len(more) - 1)
        if hidden:
            shown.append(
                messages.HELP_MORE_COMMANDS_ONE
                if hidden == 1
                else messages.HELP_MORE_COMMANDS.format(count=hidden)
            )
        embed = discord.Embed(
            title=messages.HELP_TITLE,
            description=messages.HELP_TEXT.format(comparison=comparison, commands="\n".join(shown)),
            colour=NEUTRAL_COLOUR,
        )
        await interaction.response.send_message(
            embed=embed, ephemeral=True, allowed_mentions=NO_MENTIONS
        )


async def setup(bot: TimoniereBot) -> None:
    await bot.add_cog(Commands(bot))
