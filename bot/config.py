"""Settings: the one place that reads the environment and `.env`.

Every setting the bot knows is declared in `SETTINGS`; `.env.example` documents
the same list (a test keeps them in sync). Real environment variables win over
`.env`, as with docker and kubectl. Validation collects every problem at once,
one line each, so an operator can fix them all in one go; the lines are Italian
because the console speaks Italian (see `bot.messages`, section "ops").

The Discord token is wrapped in `Secret`: it never shows up in `repr`, `str`,
f-strings, `%`-formatting or a `ConfigError`. Call `reveal()` only where the
token is handed to discord.py.
"""

from __future__ import annotations

import difflib
import json
import logging
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from dotenv import dotenv_values

from bot import messages
from bot.config_values import (
    TOKEN_PLACEHOLDER,
    ConfigError,
    Secret,
    mask_tokens,
    parse_bool,
    parse_choice,
    parse_host,
    parse_id_list,
    parse_optional_id,
    parse_path,
    parse_port,
    parse_positive_int,
    parse_seconds,
    parse_threshold,
    parse_token,
)

__all__ = [
    "SETTINGS",
    "SETTING_NAMES",
    "TOKEN_PLACEHOLDER",
    "ConfigError",
    "Secret",
    "Settings",
    "format_config_error",
    "load_settings",
    "mask_tokens",
    "wants_json_logs",
]

log = logging.getLogger(__name__)

DEFAULT_KNOWLEDGE_DIR = Path(__file__).resolve().parent.parent / "knowledge"


@dataclass(frozen=True)
class SettingSpec:
    env: str
    attr: str
    parse: Callable[[str], Any]
    default: Any
    help: str = ""
    secret: bool = False


SETTINGS: tuple[SettingSpec, ...] = (
    SettingSpec(
        "DISCORD_TOKEN",
        "discord_token",
        parse_token,
        None,
        "Bot token from the Discord developer portal (Bot > Reset Token).",
        secret=True,
    ),
    SettingSpec(
        "DATABASE_PATH",
        "database_path",
        parse_path,
        Path("data/timoniere.sqlite3"),
        "SQLite file holding the server FAQs; its folder is created if missing.",
    ),
    SettingSpec(
        "KNOWLEDGE_DIR",
        "knowledge_dir",
        parse_path,
        DEFAULT_KNOWLEDGE_DIR,
        "Folder with the comparison tables (*.yaml).",
    ),
    SettingSpec(
        "DEV_GUILD_ID",
        "dev_guild_id",
        parse_optional_id,
        None,
        "Server id where slash commands are synced instantly during development.",
    ),
    SettingSpec(
        "AUTO_ANSWER_CHANNEL_IDS",
        "auto_answer_channel_ids",
        parse_id_list,
        (),
        "Default channel ids where the bot answers unprompted (servers: /impostazioni).",
    ),
    SettingSpec(
        "MOD_ROLE_IDS",
        "mod_role_ids",
        parse_id_list,
        (),
        "Default moderator role ids (servers set their own with /impostazioni ruoli).",
    ),
    SettingSpec(
        "MESSAGE_CONTENT_INTENT",
        "message_content_intent",
        parse_bool,
        True,
        "Request the privileged Message Content intent (enable it in the portal too).",
    ),
    SettingSpec(
        "LOG_LEVEL",
        "log_level",
        parse_choice("debug", "info", "warning", "error"),
        "info",
        "debug, info, warning or error.",
    ),
    SettingSpec(
        "LOG_FORMAT",
        "log_format",
        parse_choice("text", "json"),
        "text",
        "text for humans, json for log collectors (one object per line).",
    ),
    SettingSpec(
        "HEALTH_PORT",
        "health_port",
        parse_port,
        None,
        "Port of /healthz, /readyz and /metrics; empty or 0 turns the server off.",
    ),
    SettingSpec(
        "HEALTH_HOST",
        "health_host",
        parse_host,
        "127.0.0.1",
        "Address the health server binds to (0.0.0.0 inside containers).",
    ),
    SettingSpec(
        "SHUTDOWN_GRACE_SECONDS",
        "shutdown_grace_seconds",
        parse_seconds(0.0, 300.0),
        10.0,
        "On SIGTERM/SIGINT, how long in-flight answers may take before being cancelled.",
    ),
    SettingSpec(
        "LOGIN_TIMEOUT_SECONDS",
        "login_timeout_seconds",
        parse_seconds(1.0, 600.0),
        60.0,
        "How long start-up waits for Discord (login and gateway) before giving up.",
    ),
    SettingSpec(
        "FAQ_MAX_ENTRIES",
        "faq_max_entries",
        parse_positive_int,
        500,
        "Maximum number of FAQs per server.",
    ),
    SettingSpec(
        "CONFIDENCE_THRESHOLD",
        "confidence_threshold",
        parse_threshold,
        0.5,
        "Between 0 and 1: below it the bot says it does not know.",
    ),
    SettingSpec(
        "CHANNEL_COOLDOWN_SECONDS",
        "channel_cooldown_seconds",
        parse_seconds(0.0, 86400.0),
        60.0,
        "Default pause between unprompted answers in a channel (/impostazioni attesa).",
    ),
    SettingSpec(
        "USER_RATE_LIMIT_PER_MINUTE",
        "user_rate_limit_per_minute",
        parse_positive_int,
        6,
        "Maximum questions per user per minute.",
    ),
)

SETTING_NAMES: Final = frozenset(spec.env for spec in SETTINGS)


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
    health_host: str = "127.0.0.1"
    shutdown_grace_seconds: float = 10.0
    login_timeout_seconds: float = 60.0
    faq_max_entries: int = 500
    confidence_threshold: float = 0.5
    channel_cooldown_seconds: float = 60.0
    user_rate_limit_per_minute: int = 6


def _read_env_file(path: Path) -> dict[str, str]:
    try:
        with path.open(encoding="utf-8") as stream:
            values = {k: v for k, v in dotenv_values(stream=stream).items() if v is not None}
    except UnicodeDecodeError:
        raise ConfigError([messages.OPS_CONFIG_ENV_NOT_UTF8.format(path=path)]) from None
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise ConfigError(
            [messages.OPS_CONFIG_ENV_UNREADABLE.format(path=path, reason=reason)]
        ) from None
    for key in values:
        if key in SETTING_NAMES:
            continue
        close = difflib.get_close_matches(key, SETTING_NAMES, n=1, cutoff=0.8)
        if close and (path, key) not in _warned_typos:
            # Only a warning: .env may legitimately hold other tools' variables.
            # Once per process: several commands read the settings twice.
            _warned_typos.add((path, key))
            log.warning(messages.OPS_CONFIG_ENV_TYPO.format(path=path, key=key, close=close[0]))
    return values


_warned_typos: set[tuple[Path, str]] = set()


def _merged_environment(environ: Mapping[str, str] | None, env_file: Path | None) -> dict[str, str]:
    values: dict[str, str] = {}
    path = env_file if env_file is not None else Path(".env")
    # exists(), not is_file(): a bind mount of a missing file creates a
    # directory named .env, and that must be reported, not silently skipped.
    if path.exists():
        values.update(_read_env_file(path))
    # Real environment variables win over the file, as in docker and kubectl.
    values.update(os.environ if environ is None else environ)
    return values


def load_settings(
    environ: Mapping[str, str] | None = None,
    env_file: Path | None = None,
    *,
    require_token: bool = False,
) -> Settings:
    """Read and validate every setting; raise ConfigError listing all problems.

    `environ` defaults to `os.environ`, `env_file` to `./.env` (skipped when
    absent). An empty value means "use the default".
    """
    source = _merged_environment(environ, env_file)
    values: dict[str, Any] = {}
    problems: list[str] = []
    failed: set[str] = set()
    secrets: list[str] = []
    for spec in SETTINGS:
        raw = source.get(spec.env)
        if raw is None or raw.strip() == "":
            values[spec.attr] = spec.default
            continue
        if spec.secret:
            secrets.append(raw.strip())
        try:
            values[spec.attr] = spec.parse(raw)
        except ValueError as exc:
            if spec.secret and not require_token:
                # Offline commands (ask, chat, kb, faq) never use the token, so
                # the placeholder copied from .env.example must not stop them;
                # `run` asks for it and reports the problem.
                values[spec.attr] = None
                continue
            failed.add(spec.env)
            shown = "***" if spec.secret else repr(raw.strip())
            problems.append(
                messages.OPS_CONFIG_PROBLEM.format(name=spec.env, value=shown, error=exc)
            )
    if require_token and not values.get("discord_token") and "DISCORD_TOKEN" not in failed:
        problems.append(messages.OPS_CONFIG_TOKEN_MISSING)
    if problems:
        # Belt and braces: no problem line may ever echo a secret, whatever
        # setting it was pasted into by mistake.
        for secret in secrets:
            if len(secret) < 16:  # too short to be a token; replacing would garble
                continue
            problems = [p.replace(secret, "***") for p in problems]
        raise ConfigError([mask_tokens(problem) for problem in problems])
    return Settings(**values)


def wants_json_logs(environ: Mapping[str, str] | None = None, env_file: Path | None = None) -> bool:
    """Is LOG_FORMAT=json asked for, even when the rest of the settings is invalid?"""
    try:
        source = _merged_environment(environ, env_file)
    except ConfigError:  # an unreadable .env: the environment alone decides
        source = dict(os.environ if environ is None else environ)
    return source.get("LOG_FORMAT", "").strip().lower() == "json"


def format_config_error(err: ConfigError, *, as_json: bool = False) -> str:
    """The text the CLI prints (to stderr) before exiting with status 2.

    With `as_json` it is one JSON object, like every other line a log collector
    reads when LOG_FORMAT=json.
    """
    if as_json:
        payload = {
            "level": "ERROR",
            "logger": "bot.config",
            "message": messages.OPS_CONFIG_INVALID,
            "problems": [mask_tokens(problem) for problem in err.problems],
        }
        return json.dumps(payload, ensure_ascii=False)
    if err.problems == [messages.OPS_CONFIG_TOKEN_MISSING]:
        # The first-run case (`python -m bot run` with no token): the message
        # already says where to get one and what works without it.
        return messages.OPS_CONFIG_TOKEN_MISSING
    lines = [messages.OPS_CONFIG_INVALID]
    lines.extend(f"  - {problem}" for problem in err.problems)
    lines.append(messages.OPS_CONFIG_SEE_EXAMPLE)
    return "\n".join(lines)
