"""Value types and parsers of the settings: the token, ids, ports, numbers.

Each parser receives the raw, non-empty string and raises ValueError with an
Italian explanation; `bot.config.load_settings` prefixes it with the variable
name. Kept apart from `bot.config`, which declares the settings and reads them.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from pathlib import Path
from typing import Final

from bot import messages

# The value `.env.example` and `deploy/kubernetes/secret.example.yaml` ship
# with. Loading it is an error, so a copied-but-unedited template fails fast.
TOKEN_PLACEHOLDER: Final = "paste-your-bot-token-here"

# A bot token is three base64url parts joined by dots. Checking the shape
# catches the usual mix-ups (Client Secret, Application ID, public key).
_TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+")
# Anything that looks like a real bot token wherever it appears: the user id in
# base64 (at least 20 characters), a timestamp (at least 5) and an HMAC (at
# least 20). Masked in every error and log line, whatever setting it sits in.
_TOKEN_LIKE = re.compile(r"[A-Za-z0-9_-]{20,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{20,}")
# Snowflakes are unsigned 64-bit integers; Discord never issues 0.
_SNOWFLAKE_MAX: Final = 2**64 - 1
_ASCII_DIGITS = re.compile(r"[0-9]+")


def mask_tokens(text: str) -> str:
    """`text` with everything shaped like a Discord bot token replaced by ***."""
    return _TOKEN_LIKE.sub("***", text)


class ConfigError(Exception):
    """Raised with one human-readable line per invalid setting."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


class Secret(str):
    """A string that never shows itself in `repr`, `str`, formatting or logs."""

    def __repr__(self) -> str:
        return "Secret('***')"

    def reveal(self) -> str:
        return str.__str__(self)

    def __str__(self) -> str:
        return "***"

    def __format__(self, spec: str) -> str:
        return "***"


# --- parsers ------------------------------------------------------------------


def parse_token(raw: str) -> Secret:
    value = raw.strip()
    if value == TOKEN_PLACEHOLDER:
        raise ValueError(messages.OPS_CONFIG_TOKEN_PLACEHOLDER)
    if value.lower().startswith("bot "):
        raise ValueError(messages.OPS_CONFIG_TOKEN_PREFIX)
    if not _TOKEN_SHAPE.fullmatch(value):
        raise ValueError(messages.OPS_CONFIG_TOKEN_SHAPE)
    return Secret(value)


def parse_bool(raw: str) -> bool:
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on", "si", "sì"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ValueError(messages.OPS_CONFIG_EXPECTED_BOOL)


def _is_number(text: str) -> bool:
    # str.isdigit() accepts superscripts ("²") that int() then refuses.
    return _ASCII_DIGITS.fullmatch(text) is not None


def _is_snowflake(text: str) -> bool:
    return _is_number(text) and 1 <= int(text) <= _SNOWFLAKE_MAX


def parse_id_list(raw: str) -> tuple[int, ...]:
    ids = []
    for part in raw.replace(";", ",").split(","):
        part = part.strip()
        if not part:
            continue
        if not _is_snowflake(part):
            raise ValueError(messages.OPS_CONFIG_EXPECTED_ID_IN_LIST.format(value=part))
        ids.append(int(part))
    return tuple(ids)


def parse_optional_id(raw: str) -> int | None:
    raw = raw.strip()
    if not _is_snowflake(raw):
        raise ValueError(messages.OPS_CONFIG_EXPECTED_ID)
    return int(raw)


def parse_port(raw: str) -> int | None:
    raw = raw.strip()
    if not _is_number(raw) or not 0 <= int(raw) <= 65535:
        raise ValueError(messages.OPS_CONFIG_EXPECTED_PORT)
    port = int(raw)
    return port or None  # 0 switches the health server off, like an empty value


def parse_host(raw: str) -> str:
    value = raw.strip()
    if any(ch.isspace() for ch in value) or "/" in value:
        raise ValueError(messages.OPS_CONFIG_EXPECTED_HOST)
    return value


def parse_path(raw: str) -> Path:
    return Path(raw.strip()).expanduser()


def parse_choice(*choices: str) -> Callable[[str], str]:
    def parse(raw: str) -> str:
        value = raw.strip().lower()
        if value not in choices:
            raise ValueError(messages.OPS_CONFIG_EXPECTED_CHOICE.format(choices=", ".join(choices)))
        return value

    return parse


def parse_positive_int(raw: str) -> int:
    value = raw.strip()
    if not _is_number(value) or int(value) < 1:
        raise ValueError(messages.OPS_CONFIG_EXPECTED_POSITIVE_INT)
    return int(value)


def parse_float(raw: str) -> float:
    try:
        value = float(raw.strip().replace(",", "."))
    except ValueError:
        raise ValueError(messages.OPS_CONFIG_EXPECTED_NUMBER) from None
    if not math.isfinite(value):
        raise ValueError(messages.OPS_CONFIG_EXPECTED_NUMBER)
    return value


def parse_threshold(raw: str) -> float:
    value = parse_float(raw)
    if not 0.0 <= value <= 1.0:
        raise ValueError(messages.OPS_CONFIG_EXPECTED_RANGE.format(low=0, high=1))
    return value


def parse_seconds(low: float, high: float) -> Callable[[str], float]:
    def parse(raw: str) -> float:
        value = parse_float(raw)
        if not low <= value <= high:
            raise ValueError(messages.OPS_CONFIG_EXPECTED_RANGE.format(low=low, high=high))
        return value

    return parse
