"""Threads made while the bot runs: THREAD_CREATE, and forum posts with their starter message.

Docs (discord-api-docs, ``developers/``):
- events/gateway-events.mdx, "Thread Create": "Sent when a thread is created ... The inner
  payload is a channel object. When a thread is created, includes an additional
  ``newly_created`` boolean field."
- topics/threads.mdx, "Public & Private Threads": "The created thread and the message it was
  started from will share the same id."
- topics/threads.mdx, "Creating Threads in Forum and Media Channels": "a message is created
  that has the same ID as the thread"; threads there inherit "all permissions from the parent
  channel"; "Messages cannot be sent directly in forum channels" (section "Forums").
- topics/threads.mdx, "Permissions": "Clients will not be informed of a thread through the
  gateway if they do not have permission to view that thread." So THREAD_CREATE (and the
  post's MESSAGE_CREATE) are not sent when the bot cannot see the parent.

Discord sends THREAD_CREATE before the starter's MESSAGE_CREATE for a new post; the double
does the same (``message_first=True`` flips it, for clients that must cope with either).
"""

from __future__ import annotations

import copy
from typing import Any

from .world import JSON, THREAD_ONLY_TYPES, Guild, Perm, make_thread


class ThreadsMixin:
    def _bot_sees(self, guild: Guild, channel_id: str) -> bool:
        return bool(guild.permissions(self.app_id, channel_id) & Perm.VIEW_CHANNEL)

    def _new_thread(self, guild: Guild, parent: JSON, name: str, owner: str | JSON) -> JSON:
        thread_id = self.world.new_id()
        thread = make_thread(thread_id, guild.id, parent["id"], name, self.world.user(owner)["id"])
        if parent["type"] in THREAD_ONLY_TYPES:
            thread["applied_tags"] = []
            parent["last_message_id"] = thread_id  # the newest post (docs: forum fields)
        guild.threads.append(thread)
        return thread

    async def _announce_thread(self, guild: Guild, thread: JSON) -> bool:
        if not self._bot_sees(guild, thread["id"]):
            self.dropped_events.append(("THREAD_CREATE", thread, "bot cannot view the parent"))
            return False
        await self.dispatch("THREAD_CREATE", {**copy.deepcopy(thread), "newly_created": True})
        return True

    async def start_thread(
        self, parent: str, name: str, *, owner: str | JSON = "member", guild_id: str | None = None
    ) -> JSON:
        """A member opens a public thread in text channel ``parent``: THREAD_CREATE."""
        guild = self.world.guilds[guild_id] if guild_id else self.guild
        thread = self._new_thread(guild, guild.channel(parent), name, owner)
        await self._announce_thread(guild, thread)
        return thread

    async def create_forum_post(
        self,
        forum: str,
        title: str,
        content: str,
        *,
        author: str | JSON = "member",
        guild_id: str | None = None,
        message_first: bool = False,
        **message: Any,
    ) -> tuple[JSON, JSON]:
        """A member publishes a post in forum channel ``forum``: the thread (named ``title``)
        and its starter message (same id, ``content`` as body). Returns (thread, message)."""
        guild = self.world.guilds[guild_id] if guild_id else self.guild
        parent = guild.channel(forum)
        if parent["type"] not in THREAD_ONLY_TYPES:
            raise ValueError(f"{forum!r} is not a forum or media channel")
        thread = self._new_thread(guild, parent, title, author)
        starter = self.payloads.message(
            content,
            author=author,
            channel=thread["id"],
            guild_id=guild.id,
            message_id=thread["id"],
            **message,
        )
        thread["last_message_id"] = starter["id"]
        thread["message_count"] = thread["total_message_sent"] = 1
        if message_first:
            await self._dispatch_starter(guild, starter)
            await self._announce_thread(guild, thread)
        elif await self._announce_thread(guild, thread):
            await self._dispatch_starter(guild, starter)
        return thread, starter

    async def _dispatch_starter(self, guild: Guild, starter: JSON) -> None:
        if self._bot_sees(guild, starter["channel_id"]):
            await self.dispatch_message(starter)
