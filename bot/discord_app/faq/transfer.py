"""`/faq esporta` and `/faq importa`: the YAML file, to and from Discord attachments."""

from __future__ import annotations

import asyncio
import io
import logging
from collections.abc import Sequence
from typing import Final

import discord

from bot import messages
from bot.core.faq import FaqEntry, FaqError
from bot.core.faq_yaml import YAML_MAX_CHARS, dump_parts
from bot.discord_app.views import NO_MENTIONS

log = logging.getLogger(__name__)

# Import and export share one limit: every file /faq esporta sends is at most
# this big (a bigger export is split), so it can always be imported again. It
# also keeps the text within `YAML_MAX_CHARS` (a character is at least a byte)
# and below Discord's smallest upload limit.
IMPORT_MAX_MB: Final = 5
IMPORT_MAX_BYTES: Final = min(IMPORT_MAX_MB * 1_000_000, YAML_MAX_CHARS)


def _too_big() -> FaqError:
    return FaqError(messages.FAQ_IMPORT_TOO_BIG.format(max=IMPORT_MAX_MB))


def check_upload_size(file: discord.Attachment) -> None:
    """Refuse a file that is too big before downloading it (Discord's size may be stale)."""
    if file.size > IMPORT_MAX_BYTES:
        raise _too_big()


async def read_upload(file: discord.Attachment) -> str:
    """The text of an uploaded export file; `FaqError` says why it can't be read."""
    try:
        data = await file.read()
    except discord.HTTPException as exc:
        log.warning("faq import: could not download %s", file.url, exc_info=True)
        raise FaqError(messages.FAQ_IMPORT_UNREADABLE) from exc
    if len(data) > IMPORT_MAX_BYTES:
        raise _too_big()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FaqError(messages.FAQ_IMPORT_NOT_UTF8) from exc


async def _send_file(
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


async def send_export(
    interaction: discord.Interaction, guild_id: int, entries: Sequence[FaqEntry]
) -> None:
    """The entries as YAML files, each one importable by itself (the interaction is deferred)."""
    # Dumping hundreds of long entries takes a while: not on the event loop.
    parts = await asyncio.to_thread(dump_parts, entries, IMPORT_MAX_BYTES)
    if len(parts) == 1:
        text = messages.FAQ_EXPORTED.format(count=len(entries))
        await _send_file(interaction, text, parts[0], f"faq-{guild_id}.yaml")
        return
    for number, part in enumerate(parts, start=1):
        text = messages.FAQ_EXPORTED_PART.format(number=number, parts=len(parts))
        if number == 1:
            text = messages.FAQ_EXPORTED_SPLIT.format(
                count=len(entries), parts=len(parts), max=IMPORT_MAX_MB
            )
        await _send_file(interaction, text, part, f"faq-{guild_id}-{number}.yaml")
