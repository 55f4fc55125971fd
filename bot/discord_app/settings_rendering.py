"""The text of `/impostazioni`: the settings embed, lists and history lines."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Final

import discord

from bot import messages
from bot.core.server_settings import SETTING_KEYS, ServerSettings, SettingKey
from bot.discord_app.cards import clip
from bot.discord_app.limits import DESCRIPTION_LIMIT, FIELD_VALUE_LIMIT, NEUTRAL_COLOUR
from bot.storage import SettingChange

# Twenty rows of long channel lists would overflow the embed: each row is clipped.
HISTORY_ROW_LIMIT: Final = 190


def channel_list(channel_ids: Iterable[int]) -> str:
    # <#id> and <@&id> render as names and never ping (and replies allow no mentions).
    return ", ".join(f"<#{channel_id}>" for channel_id in channel_ids) or messages.SETTINGS_NONE


def role_list(role_ids: Iterable[int]) -> str:
    return ", ".join(f"<@&{role_id}>" for role_id in role_ids) or messages.SETTINGS_NONE


def seconds_text(seconds: float) -> str:
    if seconds == 1:
        return messages.SETTINGS_ONE_SECOND
    return messages.SETTINGS_SECONDS.format(seconds=f"{seconds:g}")


def value_text(key: SettingKey, value: object) -> str:
    """A setting's value as /impostazioni shows it (`value` as stored, or as in force)."""
    if value is None:
        return messages.SETTINGS_HISTORY_DEFAULT
    if key == "auto_answer_channels" and isinstance(value, list | tuple):
        return channel_list(value)
    if key == "mod_roles" and isinstance(value, list | tuple):
        return role_list(value)
    if key == "cooldown_seconds" and isinstance(value, int | float):
        return seconds_text(value)
    if key == "paused":
        return messages.SETTINGS_STATE_PAUSED if value else messages.SETTINGS_STATE_ACTIVE
    return str(value)


def settings_embed(settings: ServerSettings) -> discord.Embed:
    embed = discord.Embed(
        title=messages.SETTINGS_TITLE,
        description=messages.SETTINGS_DEFAULTS_NOTE,
        colour=NEUTRAL_COLOUR,
    )
    for key in SETTING_KEYS:
        shown = value_text(key, getattr(settings, key))
        if key not in settings.customized:
            shown = messages.SETTINGS_DEFAULT_MARK.format(value=shown)
        embed.add_field(
            name=messages.SETTING_LABELS[key], value=clip(shown, FIELD_VALUE_LIMIT), inline=False
        )
    return embed


def history_embed(changes: Sequence[SettingChange], total: int) -> discord.Embed:
    lines = []
    for change in changes:
        key = next((k for k in SETTING_KEYS if k == change.key), None)
        if key is None:
            continue  # a key this version no longer knows
        lines.append(
            clip(
                messages.SETTINGS_HISTORY_ROW.format(
                    timestamp=int(change.changed_at.timestamp()),
                    user=change.changed_by,
                    setting=messages.SETTING_LABELS[key],
                    old=value_text(key, change.old_value),
                    new=value_text(key, change.new_value),
                ),
                HISTORY_ROW_LIMIT,
            )
        )
    if total > len(changes):
        lines.append(messages.SETTINGS_HISTORY_MORE.format(count=total - len(changes)))
    description = "\n".join(lines) or messages.SETTINGS_HISTORY_EMPTY
    return discord.Embed(
        title=messages.SETTINGS_HISTORY_TITLE,
        description=clip(description, DESCRIPTION_LIMIT),
        colour=NEUTRAL_COLOUR,
    )
