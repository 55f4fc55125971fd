"""A server's own settings, set from Discord with `/impostazioni`.

Each setting a server has not touched falls back to the deployment's default
(the environment, `bot.config`). The database stores only what a server set,
as JSON per key; `resolve` turns that into the settings in force, ignoring a
stored value it cannot read (a hand-edited file, an older format) rather than
refusing to answer in that server.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Final, Literal, get_args

from bot import messages
from bot.core.auto_reply import DEFAULT_SENSITIVITY, SENSITIVITIES, Sensitivity

SettingKey = Literal[
    "auto_answer_channels", "mod_roles", "cooldown_seconds", "sensitivity", "paused"
]
SETTING_KEYS: Final[tuple[SettingKey, ...]] = get_args(SettingKey)

# Discord's embeds list at most 25 fields; /diagnostica shows one per channel.
MAX_AUTO_CHANNELS: Final = 20
MAX_MOD_ROLES: Final = 20
MAX_COOLDOWN_SECONDS: Final = 86_400


@dataclass(frozen=True)
class ServerSettings:
    auto_answer_channels: tuple[int, ...] = ()
    mod_roles: tuple[int, ...] = ()
    cooldown_seconds: float = 60.0
    sensitivity: str = DEFAULT_SENSITIVITY
    paused: bool = False
    # The keys this server set itself; the others are the deployment's defaults.
    customized: frozenset[SettingKey] = field(default=frozenset())

    @property
    def auto_reply_sensitivity(self) -> Sensitivity:
        return SENSITIVITIES[self.sensitivity]

    def answers_unprompted_in(self, channel_id: int) -> bool:
        return not self.paused and channel_id in self.auto_answer_channels

    def stored_value(self, key: SettingKey) -> object:
        """The JSON-ready value of `key`, as the database keeps it."""
        value = getattr(self, key)
        return list(value) if isinstance(value, tuple) else value


def _id_tuple(value: object) -> tuple[int, ...] | None:
    if not isinstance(value, list) or len(value) > max(MAX_AUTO_CHANNELS, MAX_MOD_ROLES):
        return None
    if not all(isinstance(item, int) and not isinstance(item, bool) for item in value):
        return None
    return tuple(dict.fromkeys(value))


def parse_stored(key: SettingKey, value: object) -> object | None:
    """The typed value of a stored setting, or None when it cannot be read."""
    if key in ("auto_answer_channels", "mod_roles"):
        return _id_tuple(value)
    if key == "cooldown_seconds":
        if isinstance(value, bool) or not isinstance(value, int | float):
            return None
        return float(value) if 0 <= value <= MAX_COOLDOWN_SECONDS else None
    if key == "sensitivity":
        return value if isinstance(value, str) and value in SENSITIVITIES else None
    return value if isinstance(value, bool) else None


def resolve(stored: Mapping[str, object], defaults: ServerSettings) -> ServerSettings:
    """The settings in force: what the server stored, else the defaults."""
    values: dict[str, Any] = {}
    for key in SETTING_KEYS:
        if key not in stored:
            continue
        parsed = parse_stored(key, stored[key])
        if parsed is not None:
            values[key] = parsed
    customized = frozenset(key for key in SETTING_KEYS if key in values)
    return replace(defaults, customized=customized, **values)


def defaults_for_guild(defaults: ServerSettings, guild_channels: Iterable[int]) -> ServerSettings:
    """The deployment defaults narrowed to one server's channels (the environment
    lists the auto-answer channels of every server in one variable)."""
    present = set(guild_channels)
    return replace(
        defaults,
        auto_answer_channels=tuple(c for c in defaults.auto_answer_channels if c in present),
    )


# --- changes a moderator asks for: the new value, or a refusal to show ------------------


class InvalidSetting(ValueError):
    """A change that is refused; `message` is the Italian text to show."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def add_channel(current: tuple[int, ...], channel_id: int) -> tuple[int, ...]:
    if channel_id in current:
        raise InvalidSetting(messages.SETTINGS_CHANNEL_ALREADY)
    if len(current) >= MAX_AUTO_CHANNELS:
        raise InvalidSetting(messages.SETTINGS_TOO_MANY_CHANNELS.format(max=MAX_AUTO_CHANNELS))
    return (*current, channel_id)


def remove_channel(current: tuple[int, ...], channel_id: int) -> tuple[int, ...]:
    if channel_id not in current:
        raise InvalidSetting(messages.SETTINGS_CHANNEL_NOT_THERE)
    return tuple(c for c in current if c != channel_id)


def add_role(current: tuple[int, ...], role_id: int) -> tuple[int, ...]:
    if role_id in current:
        raise InvalidSetting(messages.SETTINGS_ROLE_ALREADY)
    if len(current) >= MAX_MOD_ROLES:
        raise InvalidSetting(messages.SETTINGS_TOO_MANY_ROLES.format(max=MAX_MOD_ROLES))
    return (*current, role_id)


def remove_role(current: tuple[int, ...], role_id: int) -> tuple[int, ...]:
    if role_id not in current:
        raise InvalidSetting(messages.SETTINGS_ROLE_NOT_THERE)
    return tuple(r for r in current if r != role_id)


def check_cooldown(seconds: float) -> float:
    if not 0 <= seconds <= MAX_COOLDOWN_SECONDS:
        raise InvalidSetting(messages.SETTINGS_COOLDOWN_RANGE.format(max=MAX_COOLDOWN_SECONDS))
    return float(seconds)


def check_sensitivity(level: str) -> str:
    if level not in SENSITIVITIES:
        raise InvalidSetting(
            messages.SETTINGS_SENSITIVITY_UNKNOWN.format(levels=", ".join(SENSITIVITIES))
        )
    return level


# --- the sibling of /faq esporta: a server's own settings as a JSON file -----------------

EXPORT_FORMAT: Final = "timoniere-settings"
EXPORT_VERSION: Final = 1
IMPORT_MAX_BYTES: Final = 64_000


def export_text(settings: ServerSettings) -> str:
    """What the server set (not the defaults, which belong to the deployment)."""
    document = {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "settings": {key: settings.stored_value(key) for key in sorted(settings.customized)},
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def parse_import(text: str) -> dict[SettingKey, object]:
    """The settings of an exported file, ready to store; `InvalidSetting` lists every
    problem, and then nothing is imported."""
    try:
        document = json.loads(text)
    except ValueError:
        raise InvalidSetting(messages.SETTINGS_IMPORT_NOT_OURS) from None
    if (
        not isinstance(document, dict)
        or document.get("format") != EXPORT_FORMAT
        or not isinstance(document.get("settings"), dict)
    ):
        raise InvalidSetting(messages.SETTINGS_IMPORT_NOT_OURS)
    if document.get("version") != EXPORT_VERSION:
        raise InvalidSetting(messages.SETTINGS_IMPORT_VERSION.format(version=EXPORT_VERSION))
    values: dict[SettingKey, object] = {}
    problems = []
    for name, value in document["settings"].items():
        key = next((k for k in SETTING_KEYS if k == name), None)
        if key is None:
            problems.append(messages.SETTINGS_IMPORT_UNKNOWN_KEY.format(key=name))
            continue
        parsed = parse_stored(key, value)
        if parsed is None:
            problems.append(messages.SETTINGS_IMPORT_BAD_VALUE.format(key=name))
            continue
        values[key] = list(parsed) if isinstance(parsed, tuple) else parsed
    if problems:
        raise InvalidSetting(messages.SETTINGS_IMPORT_INVALID.format(problems="\n".join(problems)))
    return values
