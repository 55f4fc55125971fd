"""Answers to chat messages: DMs, mentions and the auto-answer channels.

In an auto-answer channel nobody addressed the bot, so it speaks only when
the core's `should_auto_reply` says so (an answer, to a real question); a burst of the same
question gets one card (cooldown per channel and topic), and one user cannot
make it talk more than a few times a minute.

Before answering, the bot reads its own permissions in the channel
(`send_plan`): without Read Message History it answers without a reply
reference, without Embed Links it sends the card as text, and where it may not
send at all it stays silent. Each gap is logged once per channel (not on every
message) and counted in `timoniere_missing_permission_total`.

Threads answer like their parent channel, and a forum post is asked by its
title and first message together (`threads.py`).
"""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING, Any, Final

import discord
from discord.ext import commands

from bot import messages, metrics
from bot.core.answers import Answer, AnswerKind
from bot.core.auto_reply import asks_a_question, should_auto_reply
from bot.core.conversation import ConversationMemory
from bot.core.engine import next_context
from bot.core.server_settings import ServerSettings
from bot.core.throttle import Cooldown, RateLimiter, ReplyBudget
from bot.discord_app.card_buttons import card_view
from bot.discord_app.cards import card_for, card_text
from bot.discord_app.delivery import SEND_ERRORS, send_failure_cause
from bot.discord_app.permissions import ANSWER_PERMISSIONS, SendPlan, send_plan
from bot.discord_app.threads import (
    awaits_its_thread,
    conversation_key,
    home_channel_id,
    late_forum_starter,
    question_text,
)
from bot.discord_app.views import NO_MENTIONS
from bot.lifecycle import ShuttingDown

if TYPE_CHECKING:
    from bot.discord_app.client import TimoniereBot

log = logging.getLogger(__name__)

MAX_QUESTION_CHARS: Final = 2000


class Answers(commands.Cog):
    def __init__(self, bot: TimoniereBot) -> None:
        self.bot = bot
        settings = bot.settings
        self.memory = ConversationMemory()
        # Each server sets its own pause (`/impostazioni attesa`), passed on every hit.
        self.cooldown = Cooldown(settings.channel_cooldown_seconds)
        self.rate_limit = RateLimiter(settings.user_rate_limit_per_minute, 60.0)
        self.reply_budget = ReplyBudget()
        # (channel id, permission) gaps already logged: one line each, not one per message.
        self._reported_gaps: set[tuple[int, str]] = set()

    def _addressed(self, message: discord.Message) -> bool:
        if message.guild is None:
            return True
        user = self.bot.user
        return user is not None and user in message.mentions

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        if message.author.bot or message.author == self.bot.user:
            return
        if message.type not in (discord.MessageType.default, discord.MessageType.reply):
            return
        if awaits_its_thread(message):
            return
        addressed = self._addressed(message)
        server = self._server(message)
        auto_channel = server.answers_unprompted_in(home_channel_id(message))
        if not addressed and not auto_channel:
            return
        question = question_text(message)[:MAX_QUESTION_CHARS]
        # Cheap first look; `should_auto_reply` decides once the answer is known.
        if not addressed and not asks_a_question(question, server.auto_reply_sensitivity):
            return
        plan = send_plan(message.channel)
        if not plan.can_send:
            # Nothing the bot works out here could be said: skip the work too.
            self._note_gaps(message.channel.id, plan)
            return
        try:
            # In-flight work: on SIGTERM the bot finishes this reply before closing.
            async with self.bot.work():
                await self._answer(message, question, addressed)
        except ShuttingDown:
            log.info("shutting down: not answering message %s", message.id)

    @commands.Cog.listener()
    async def on_thread_create(self, thread: discord.Thread) -> None:
        starter = late_forum_starter(thread)
        if starter is not None:
            await self.on_message(starter)

    async def _answer(self, message: discord.Message, question: str, addressed: bool) -> None:
        started = time.perf_counter()
        guild_id = message.guild.id if message.guild else None
        await self.bot.ensure_faq_loaded(guild_id)
        key = conversation_key(message)
        answer = self.bot.engine.ask(question, self.memory.get(key), guild_id)
        self.memory.put(key, next_context(answer, self.memory.get(key)))
        if answer.declined:
            log.info("a moderator taught to leave questions like message %s alone", message.id)
            return
        server = self._server(message)
        if not addressed and not should_auto_reply(answer, question, server.auto_reply_sensitivity):
            return
        if answer.small_talk:
            # Greeted or thanked: answered in kind, not a question left unanswered.
            if self._allowed(message):
                await self._reply(message, answer.text, None)
            return
        # Only messages the bot meant to answer count, so chatter it ignores
        # does not inflate the unknown ratio.
        record_answer(answer.kind, time.perf_counter() - started)

        if answer.kind == "unknown":
            # Only an addressed message gets here unanswered: unprompted, the
            # rule above never replies to an unknown.
            if not question:
                if self._allowed(message):
                    await self._reply(message, messages.DISCORD_EMPTY_MENTION, None)
                return
        elif not addressed:
            # Only unprompted answers are throttled: whoever addresses the bot
            # gets a reply. "The same question" is the same feature *and*
            # system, so the follow-up "e kubernetes?" after "compose fa
            # autoscaling?" is answered.
            topic = answer.feature or (answer.faq.name if answer.faq else answer.kind)
            burst = (message.channel.id, topic, answer.system)
            if not self.cooldown.hit(burst, server.cooldown_seconds):
                log.info("cooldown: %s already answered in %s", topic, message.channel.id)
                return
        if not self._allowed(message):
            return
        await self._reply(message, None, answer)
        if answer.kind == "unknown":
            # After the reply: a busy database must not cost the user an answer.
            await self.bot.record_unanswered(guild_id, question)

    def _server(self, message: discord.Message) -> ServerSettings:
        """This server's settings, read on every message: a change applies at once."""
        return self.bot.server_settings(message.guild.id if message.guild else None)

    def _allowed(self, message: discord.Message) -> bool:
        """The per-user limit counts replies, not every message the bot reads."""
        if self.rate_limit.allow(message.author.id):
            return True
        log.info("rate limit: not answering user %s", message.author.id)
        return False

    async def _reply(
        self, message: discord.Message, text: str | None, answer: Answer | None
    ) -> None:
        # Read now, not at arrival: a moderator may have changed them meanwhile.
        plan = send_plan(message.channel)
        self._note_gaps(message.channel.id, plan)
        if not plan.can_send:
            return
        # Computed: meant for Discord. Less delivered and failed, the rest went
        # over the reply budget below.
        metrics.record_reply_computed()
        # Past Discord's pace in this channel, discord.py would queue the reply
        # behind 429s; more than a minute late, it is dropped instead.
        if self.reply_budget.take(message.channel.id) is None:
            log.warning(
                "reply budget: channel %s is over a minute behind, not answering message %s",
                message.channel.id,
                message.id,
            )
            return
        card: dict[str, Any] = {}
        if answer is not None:
            card["view"] = card_view(self.bot.engine.kb, answer, message.author.id)
            if plan.with_embed:
                card["embed"] = card_for(answer)
            else:
                text = card_text(card_for(answer))
        if plan.as_reply:
            card["reference"] = message
        try:
            await message.channel.send(
                text, allowed_mentions=NO_MENTIONS, mention_author=False, **card
            )
        except SEND_ERRORS as exc:
            # Discord refused or failed (after its own retries): the next
            # message must still be answered, so log and move on.
            metrics.record_send_failed(send_failure_cause(exc))
            log.exception("could not reply in channel %s", message.channel.id)
        else:
            metrics.record_reply_delivered()

    def _note_gaps(self, channel_id: int, plan: SendPlan) -> None:
        """Count every reply a missing permission holds back or degrades; log each
        (channel, permission) once, and again only after it was fixed and lost."""
        fixed = {(channel_id, p) for p in ANSWER_PERMISSIONS if p not in plan.missing}
        self._reported_gaps -= fixed
        for permission in plan.missing:
            metrics.record_missing_permission(permission)
            if (channel_id, permission) in self._reported_gaps:
                continue
            self._reported_gaps.add((channel_id, permission))
            log.warning(
                "missing permission %s in channel %s: %s",
                permission,
                channel_id,
                _GAP_EFFECT[permission],
            )


_GAP_EFFECT: Final = {
    "view_channel": "not answering there",
    "send_messages": "not answering there",
    "send_messages_in_threads": "not answering in this thread",
    "read_message_history": "answering without a reply reference",
    "embed_links": "sending cards as plain text",
}


def record_answer(kind: AnswerKind, seconds: float) -> None:
    from bot import metrics

    metrics.record_answer(kind, seconds)


async def setup(bot: TimoniereBot) -> None:
    await bot.add_cog(Answers(bot))
