"""Settings: the one place that reads the environment and `.env`.

Every setting the bot knows is declared in `SETTINGS`; `.env.example` documents
the same list. Validation collects every problem at once so an operator can fix
them all in one go.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dotenv import dotenv_values

DEFAULT_KNOWLEDGE_DIR = Path(__file__).resolve().parent.parent / "knowledge"


class ConfigError(Exception):
    """Raised with one human-readable line per invalid setting."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


class Secret(str):
    """A string that never shows itself in `repr` or logs."""

    def __repr__(self) -> str:
        return "Secret('***')"

    def reveal(self) -> str:
        return str.__str__(self)

    def __str__(self) -> str:
        return "***"

    def __format__(self, spec: str) -> str:
        return "***"


def _parse_bool(raw: str) -> bool:
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on", "si", "sì"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ValueError("expected true or false")


def _parse_id_list(raw: str) -> tuple[int, ...]:
    ids = []
    for part in raw.replace(";", ",").split(","):
        part = part.strip()
        if not part:
            continue
        if not part.isdigit():
            raise ValueError(f"{part!r} is not a numeric Discord id")
        ids.append(int(part))
    return tuple(ids)


def _parse_optional_id(raw: str) -> int | None:
    raw = raw.strip()
    if not raw:
        return None
    if not raw.isdigit():
        raise ValueError("expected a numeric Discord id")
    return int(raw)


def _parse_port(raw: str) -> int | None:
    raw = raw.strip()
    if not raw or raw == "0":
        return None
    port = int(raw)
    if not 1 <= port <= 65535:
        raise ValueError("expected a TCP port between 1 and 65535")
    return port


def _parse_choice(*choices: str) -> Callable[[str], str]:
    def parse(raw: str) -> str:
        value = raw.strip().lower()
        if value not in choices:
            raise ValueError("expected one of: " + ", ".join(choices))
        return value

    return parse


def _parse_positive_int(raw: str) -> int:
    value = int(raw)
    if value < 1:
        raise ValueError("expected a positive integer")
    return value


def _parse_threshold(raw: str) -> float:
    value = float(raw)
    if not 0.0 <= value <= 1.0:
        raise ValueError("expected a number between 0 and 1")
    return value


@dataclass(frozen=True)
class SettingSpec:
    env: str
    attr: str
    parse: Callable[[str], Any]
    default: Any


SETTINGS: tuple[SettingSpec, ...] = (
    SettingSpec("DISCORD_TOKEN", "discord_token", lambda raw: Secret(raw.strip()), None),
    SettingSpec("DATABASE_PATH", "database_path", lambda raw: Path(raw), Path("data/timoniere.sqlite3")),
    SettingSpec("KNOWLEDGE_DIR", "knowledge_dir", lambda raw: Path(raw), DEFAULT_KNOWLEDGE_DIR),
    SettingSpec("DEV_GUILD_ID", "dev_guild_id", _parse_optional_id, None),
    SettingSpec("AUTO_ANSWER_CHANNEL_IDS", "auto_answer_channel_ids", _parse_id_list, ()),
    SettingSpec("MOD_ROLE_IDS", "mod_role_ids", _parse_id_list, ()),
    SettingSpec("MESSAGE_CONTENT_INTENT", "message_content_intent", _parse_bool, True),
    SettingSpec("LOG_LEVEL", "log_level", _parse_choice("debug", "info", "warning", "error"), "info"),
    SettingSpec("LOG_FORMAT", "log_format", _parse_choice("text", "json"), "text"),
    SettingSpec("HEALTH_PORT", "health_port", _parse_port, None),
    SettingSpec("HEALTH_HOST", "health_host", str.strip, "0.0.0.0"),
    SettingSpec("FAQ_MAX_ENTRIES", "faq_max_entries", _parse_positive_int, 500),
    SettingSpec("CONFIDENCE_THRESHOLD", "confidence_threshold", _parse_threshold, 0.5),
    SettingSpec("CHANNEL_COOLDOWN_SECONDS", "channel_cooldown_seconds", float, 60.0),
    SettingSpec("USER_RATE_LIMIT_PER_MINUTE", "user_rate_limit_per_minute", _parse_positive_int, 6),
)


@dataclass(frozen=True)
class Settings:
    discord_token: Secret | None = None
    database_path: Path = Path("data/timoniere.sqlite3")
    knowledge_dir: Path = DEFAULT_KNOWLEDGE_DIR
    dev_guild_id: int | None = None
    auto_answer_channel_ids: tuple[int, ...] = ()
    mod_role_ids: tuple[int, ...] = ()
    message_content_intent: bool = True
    log_level: str = "info"
    log_format: str = "text"
    health_port: int | None = None
    health_host: str = "0.0.0.0"
    faq_max_entries: int = 500
    confidence_threshold: float = 0.5
    channel_cooldown_seconds: float = 60.0
    user_rate_limit_per_minute: int = 6


def _merged_environment(environ: Mapping[str, str] | None, env_file: Path | None) -> dict[str, str]:
    values: dict[str, str] = {}
    path = env_file if env_file is not None else Path(".env")
    if path.is_file():
        values.update({k: v for k, v in dotenv_values(path).items() if v is not None})
    # Real environment variables win over the file, as in docker and kubectl.
    values.update(os.environ if environ is None else environ)
    return values


def load_settings(
    environ: Mapping[str, str] | None = None,
    env_file: Path | None = None,
    *,
    require_token: bool = False,
) -> Settings:
    """Read and validate every setting; raise ConfigError listing all problems."""
    source = _merged_environment(environ, env_file)
    values: dict[str, Any] = {}
    problems: list[str] = []
    for spec in SETTINGS:
        raw = source.get(spec.env)
        if raw is None or (raw.strip() == "" and spec.default is not None):
            values[spec.attr] = spec.default
            continue
        try:
            values[spec.attr] = spec.parse(raw)
        except ValueError as exc:
            shown = "***" if spec.env == "DISCORD_TOKEN" else repr(raw)
            problems.append(f"{spec.env}={shown}: {exc}")
    token = values.get("discord_token")
    if require_token and not token:
        problems.append(
            "DISCORD_TOKEN is missing: create a bot at https://discord.com/developers/applications,"
            " copy its token into .env (see .env.example), or try `python -m bot chat` offline"
        )
    if problems:
        raise ConfigError(problems)
    return Settings(**values)
