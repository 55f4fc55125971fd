"""Helpers for the end-to-end tests: the production bot against the discord double.

`Chat` wraps the double and the running bot with the few moves the tests repeat:
ask and wait for the reply, prove that a message got no reply, run a slash
command, click a button by label.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Callable
from contextlib import closing
from pathlib import Path
from typing import Any, Final, TypeVar

from discord_double import DiscordDouble, RecordedRequest, RunningBot
from discord_double.world import (
    APP_ID,
    GENERAL_CHANNEL_ID,
    GUILD_ID,
    MEMBER_ID,
    QUESTIONS_CHANNEL_ID,
)

from bot.config import Settings
from bot.core.engine import Engine
from bot.core.knowledge import KnowledgeBase, load_knowledge_dir
from bot.discord_app.client import TimoniereBot
from bot.discord_app.views import Feedback

ROOT: Final = Path(__file__).resolve().parents[2]
KNOWLEDGE_DIR: Final = ROOT / "knowledge"
AUTO_CHANNEL: Final = QUESTIONS_CHANNEL_ID  # "domande": the bot answers without a mention
PLAIN_CHANNEL: Final = GENERAL_CHANNEL_ID  # "generale": only mentions are answered
JSON = dict[str, Any]
EPHEMERAL: Final = 1 << 6  # message flag: only the user who pressed sees it
CHANNEL_MESSAGE: Final = 4  # interaction callback type: respond with a message

_KB: KnowledgeBase | None = None


def knowledge() -> KnowledgeBase:
    """The real knowledge base, loaded once per test session (it is immutable)."""
    global _KB
    if _KB is None:
        _KB = load_knowledge_dir(KNOWLEDGE_DIR)
    return _KB


def make_settings(tmp_path: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "database_path": tmp_path / "db.sqlite3",
        "knowledge_dir": KNOWLEDGE_DIR,
        "auto_answer_channel_ids": (int(AUTO_CHANNEL),),
    }
    values.update(overrides)
    return Settings(**values)


def make_bot(tmp_path: Path, *, kb: KnowledgeBase | None = None, **overrides: Any) -> TimoniereBot:
    """The production bot, as `run_bot` builds it, over the database in `tmp_path`
    (fresh unless an earlier bot of the same test used it)."""
    settings = make_settings(tmp_path, **overrides)
    return TimoniereBot(settings, Engine(kb or knowledge(), settings.confidence_threshold))


def mention(text: str) -> str:
    return f"<@{APP_ID}> {text}".rstrip()


class Chat:
    """Conversation moves against a running Timoniere."""

    def __init__(self, double: DiscordDouble, rb: RunningBot) -> None:
        self.double = double
        self.rb = rb
        self.payloads = double.payloads
        self._probes = 0
        self._probe_ids: set[str] = set()
        self._sent_at: dict[str, int] = {}  # message id -> REST mark when it was sent
        self.last_interaction: JSON | None = None

    @property
    def bot(self) -> TimoniereBot:
        bot = self.rb.bot
        assert isinstance(bot, TimoniereBot)
        return bot

    # --- messages ---------------------------------------------------------------

    async def send(self, content: str, **kwargs: Any) -> JSON:
        payload = self.payloads.message(content, **kwargs)
        self._sent_at[payload["id"]] = self.double.mark()
        return await self.double.dispatch_message(payload)

    async def forum_post(
        self, forum: str, title: str, body: str, **kwargs: Any
    ) -> tuple[JSON, JSON]:
        """Publish a post (thread and starter message) in a forum channel."""
        mark = self.double.mark()
        thread, starter = await self.double.create_forum_post(forum, title, body, **kwargs)
        self._sent_at[starter["id"]] = mark
        return thread, starter

    async def ask(self, content: str, **kwargs: Any) -> tuple[JSON, JSON]:
        """Dispatch a user message; return it and the bot's reply to it."""
        mark = self.double.mark()
        msg = await self.send(content, **kwargs)
        reply = await self.reply_to(msg, start=mark)
        return msg, reply

    async def reply_to(self, msg: JSON, *, start: int = 0, timeout: float = 5.0) -> JSON:
        def check() -> JSON | None:
            for sent in self.double.sent_messages(msg["channel_id"], start=start):
                if (sent.get("message_reference") or {}).get("message_id") == msg["id"]:
                    return sent
            return None

        found: JSON = await self.double.wait_until(
            check, timeout=timeout, what=f"a reply to message {msg['id']}"
        )
        return found

    def replies_to(self, msg: JSON) -> list[JSON]:
        return [
            sent
            for sent in self.double.sent_messages()
            if (sent.get("message_reference") or {}).get("message_id") == msg["id"]
        ]

    async def barrier(self) -> None:
        """Wait until the bot has handled every message dispatched so far.

        The probe is a bare mention from a new user (so no rate limit or
        cooldown applies) in the plain channel: the bot handles gateway events
        in order, and a guild message only yields before its decision on the
        first FAQ load, which the probe waits behind too (one SQLite thread).
        So once the probe's reply has landed, a reply to an earlier message
        would have been sent already. No sleeping.
        """
        self._probes += 1
        user = self.double.world.add_user(f"probe{self._probes}", f"sonda{self._probes}")
        mark = self.double.mark()
        probe = await self.send(mention(""), author=user, channel=PLAIN_CHANNEL)
        self._probe_ids.add(probe["id"])
        await self.reply_to(probe, start=mark)

    async def assert_silent(self, *msgs: JSON) -> None:
        """The bot said nothing about `msgs` (checked after a barrier): no reply to
        them, and no message at all in their channels since they were sent, but
        for the answers to barrier probes."""
        await self.barrier()
        for msg in msgs:
            said = [
                sent
                for sent in self.double.sent_messages(
                    msg["channel_id"], start=self._sent_at[msg["id"]]
                )
                if (sent.get("message_reference") or {}).get("message_id") not in self._probe_ids
            ]
            assert said == [] and self.replies_to(msg) == [], (
                f"unexpected message after {msg['content'][:80]!r}: {said}"
            )

    def body(self, message: JSON) -> JSON:
        """What discord.py sent for a message the bot created."""
        body: JSON = self.double.body_for_message(message)
        return body

    # --- interactions -----------------------------------------------------------

    async def interact(self, payload: JSON) -> JSON:
        """Dispatch an interaction; return how the bot answered it (see `settled`)."""
        self.last_interaction = payload
        await self.double.dispatch_interaction(payload)
        rec = await self.double.wait_callback(payload["id"])
        assert rec.status in (200, 204), (rec.status, rec.response)
        return await settled(self.double, payload, rec)

    async def slash(self, name: str, options: JSON | None = None, **kwargs: Any) -> JSON:
        return await self.interact(self.payloads.slash_command(name, options, **kwargs))

    async def click(self, message: JSON, label: str, *, user: str = "member") -> JSON:
        """Click the button of `message` labelled (or with the emoji) `label`."""
        custom_id = button_id(message, label)
        return await self.interact(self.payloads.component_click(message, custom_id, user=user))

    def original(self, interaction: JSON | None = None) -> JSON:
        """The message an interaction's response created (default: the last interaction)."""
        interaction = interaction or self.last_interaction
        assert interaction is not None
        msg = self.double.original_message(interaction["id"])
        assert msg is not None
        return msg

    # --- errors -----------------------------------------------------------------

    def error_logs(self) -> list[str]:
        return [record.getMessage() for record in self.rb.errors]


async def settled(
    double: DiscordDouble, payload: JSON, callback: RecordedRequest, *, timeout: float = 5.0
) -> JSON:
    """The interaction's answer as a callback body: the callback itself, or, when
    the bot deferred (it does before touching storage), the message (type 4) or
    edit (type 7) its first followup sent, with "deferred" set."""
    body: JSON = callback.json
    if body["type"] not in (5, 6):
        return body
    webhook = f"/webhooks/{APP_ID}/{payload['token']}"
    followup = await double.wait_request(
        None, lambda r: r.path.startswith(webhook), start=callback.index, timeout=timeout
    )
    assert followup.status in (200, 204), (followup.status, followup.response)
    return {"type": 4 if body["type"] == 5 else 7, "data": followup.json, "deferred": True}


def ephemeral_text(callback: JSON) -> str:
    """The text of an interaction's private reply, which must mention no one."""
    assert callback["type"] == CHANNEL_MESSAGE
    data = callback["data"]
    assert data["flags"] & EPHEMERAL
    assert data["allowed_mentions"] == {"parse": []}
    text: str = data["content"]
    return text


def buttons(message: JSON) -> list[JSON]:
    return [
        component
        for row in message.get("components") or []
        for component in row.get("components") or []
        if component.get("type") == 2
    ]


def button_labels(message: JSON) -> list[str]:
    return [
        button.get("label") or (button.get("emoji") or {}).get("name", "")
        for button in buttons(message)
    ]


def button_id(message: JSON, label: str) -> str:
    for button in buttons(message):
        if label in (button.get("label"), (button.get("emoji") or {}).get("name")):
            custom_id: str = button["custom_id"]
            return custom_id
    raise AssertionError(f"no button {label!r} in {button_labels(message)}")


T = TypeVar("T")


async def eventually(read: Callable[[], T], done: Callable[[T], bool], timeout: float = 2.0) -> T:
    """Poll `read` until `done` holds (or time runs out) and return the last value.

    The bot writes votes and unanswered questions *after* replying, so a test
    that has seen the reply must give the write a moment before reading it.
    """
    deadline = asyncio.get_running_loop().time() + timeout
    value = read()
    while not done(value) and asyncio.get_running_loop().time() < deadline:
        await asyncio.sleep(0.01)
        value = read()
    return value


def spy_on_feedback(chat: Chat) -> list[Feedback]:
    """The votes the bot hands to its (real) `record_feedback`, in order."""
    seen: list[Feedback] = []
    record = chat.bot.record_feedback

    async def recording(feedback: Feedback) -> None:
        seen.append(feedback)
        await record(feedback)

    chat.bot.record_feedback = recording  # type: ignore[method-assign]
    return seen


def feedback_rows(database: Path) -> list[tuple[Any, ...]]:
    with closing(sqlite3.connect(database)) as conn:
        return conn.execute(
            "SELECT guild_id, channel_id, message_id, user_id, answer_kind, subject, helpful"
            " FROM answer_feedback ORDER BY at"
        ).fetchall()


__all__ = [
    "AUTO_CHANNEL",
    "GUILD_ID",
    "KNOWLEDGE_DIR",
    "MEMBER_ID",
    "PLAIN_CHANNEL",
    "ROOT",
    "Chat",
    "button_id",
    "button_labels",
    "buttons",
    "eventually",
    "feedback_rows",
    "knowledge",
    "make_bot",
    "make_settings",
    "mention",
    "settled",
    "spy_on_feedback",
]
