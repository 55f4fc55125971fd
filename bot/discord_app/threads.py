"""Threads and forum posts, as the answers cog sees them.

A thread belongs to its parent channel: a thread of an auto-answer text
channel, and every post of an auto-answer forum channel, is answered like the
channel itself. A forum post's question is its title and its first message
together (Discord gives the starter message the thread's id). Inside a thread
the conversation is the thread's, not each member's: a follow-up in a post
("e con Compose?") keeps the post's subject whoever writes it.
"""

from __future__ import annotations

import re
from collections.abc import Hashable
from typing import Final

import discord

_SENTENCE_END: Final = (".", "?", "!", ":", "…")
_MENTION: Final = re.compile(r"<@!?\d+>|<@&\d+>|<#\d+>")


def strip_mentions(text: str) -> str:
    return " ".join(_MENTION.sub(" ", text).split())


def home_channel_id(message: discord.Message) -> int:
    """The channel whose settings apply to a message: a thread's parent, else its channel."""
    channel = message.channel
    if isinstance(channel, discord.Thread):
        return channel.parent_id
    return channel.id


def starts_forum_post(message: discord.Message) -> bool:
    """True for the first message of a forum (or media) post."""
    channel = message.channel
    return (
        isinstance(channel, discord.Thread)
        and message.id == channel.id
        and isinstance(channel.parent, discord.ForumChannel)
    )


def question_text(message: discord.Message) -> str:
    """What the member asked, without mentions: a forum post's title with its body,
    else the message."""
    text = message.content
    if starts_forum_post(message):
        assert isinstance(message.channel, discord.Thread)
        title = message.channel.name.strip()
        if title and not title.endswith(_SENTENCE_END):
            title += "."
        text = f"{title}\n{text}"
    return strip_mentions(text)


def conversation_key(message: discord.Message) -> Hashable:
    """Whose follow-ups share a context: everyone in a thread, else each member per channel."""
    if isinstance(message.channel, discord.Thread):
        return ("thread", message.channel.id)
    return (message.channel.id, message.author.id)


def awaits_its_thread(message: discord.Message) -> bool:
    """A post's starter that arrived before its thread (Discord does not promise the
    order): discord.py could only give it a partial channel, so it waits for
    THREAD_CREATE (`late_forum_starter`) to be read with the post's title."""
    return isinstance(message.channel, discord.PartialMessageable) and (
        message.guild is not None and message.id == message.channel.id
    )


def late_forum_starter(thread: discord.Thread) -> discord.Message | None:
    """The starter of a new post that `awaits_its_thread`, now placed in its thread."""
    starter = thread.starter_message
    if starter is None or not isinstance(starter.channel, discord.PartialMessageable):
        return None
    if not isinstance(thread.parent, discord.ForumChannel):
        return None
    starter.channel = thread
    return starter
