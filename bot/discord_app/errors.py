"""The one place where a failure becomes a reply.

Commands, buttons and forms let errors propagate; the command tree's error
handler and the views' `on_error` all end here. Errors the user can act on
(`FaqError`, a refused check) carry their Italian text and are shown as is;
anything else is logged with its traceback and answered with a generic apology.
Replies are private and never ping.
"""

from __future__ import annotations

import logging

import discord
from discord import app_commands

from bot import messages
from bot.core.faq import FaqError
from bot.discord_app.cards import clip
from bot.discord_app.limits import CONTENT_LIMIT
from bot.discord_app.permissions import Refused
from bot.discord_app.views import send_ephemeral
from bot.storage import SettingsNotSaved

log = logging.getLogger(__name__)


def cause(error: BaseException) -> BaseException:
    """The error raised by our code, out of discord.py's wrappers."""
    while (
        isinstance(error, (app_commands.CommandInvokeError, app_commands.TransformerError))
        and error.__cause__ is not None
    ):
        error = error.__cause__
    return error


def user_error_text(error: BaseException) -> str | None:
    """The Italian text for an error the user can act on, or None for a bug."""
    error = cause(error)
    if isinstance(error, (Refused, FaqError)):
        return error.message
    if isinstance(error, SettingsNotSaved):
        return messages.SETTINGS_NOT_SAVED[error.cause]
    if isinstance(error, app_commands.CommandOnCooldown):
        return messages.DISCORD_SLOW_DOWN
    if isinstance(error, app_commands.CheckFailure):
        return messages.DISCORD_NOT_ALLOWED
    return None


async def report_error(
    interaction: discord.Interaction, error: BaseException, what: object
) -> None:
    """Tell the user what went wrong with `what` (a command, a button, a form)."""
    text = user_error_text(error)
    if text is None:
        log.error("%s failed", what, exc_info=error)
        text = messages.DISCORD_GENERIC_ERROR
    try:
        await send_ephemeral(interaction, clip(text, CONTENT_LIMIT))
    except discord.HTTPException:
        log.warning("could not report the error to the user", exc_info=True)
