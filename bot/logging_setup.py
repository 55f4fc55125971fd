"""Logging through the standard `logging` module: text for humans, JSON for collectors.

`configure_logging` installs one handler on the root logger. Every other logger
(ours, discord.py's, aiohttp's) propagates to it, so they all share the format
and the `RedactFilter`. discord.py only adds handlers of its own when started
with `Client.run()` and its default `log_handler`; runners must use
`client.start()` or `client.run(..., log_handler=None)`, and `configure_logging`
strips any handler already attached to the "discord" logger.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any, Final, TextIO

from bot.config import Secret, mask_tokens

REDACTED: Final = "***"

# Third-party loggers that are routed through our handler. discord.py is very
# chatty at DEBUG (every gateway event), so it gets at most INFO unless asked.
_THIRD_PARTY_LOGGERS: Final = ("discord", "aiohttp", "asyncio")

_LEVELS: Final = {
    "debug": logging.DEBUG,
    "info": logging.INFO,
    "warning": logging.WARNING,
    "error": logging.ERROR,
    "critical": logging.CRITICAL,
}

# Marks the handler we installed, so a second call replaces it.
_HANDLER_MARK: Final = "_timoniere_handler"


def _as_level(level: str | int) -> int:
    if isinstance(level, int):
        return level
    try:
        return _LEVELS[level.strip().lower()]
    except KeyError:
        raise ValueError(f"unknown log level {level!r}") from None


class RedactFilter(logging.Filter):
    """Replaces every known secret, and anything token-shaped, in the message,
    traceback and stack text.

    Attach it to a *handler*: logger-level filters do not see records that
    propagate from child loggers. It never drops a record.
    """

    def __init__(self, secrets: Iterable[str | None] = ()) -> None:
        super().__init__()
        self._secrets: list[str] = []
        for secret in secrets:
            self.add(secret)

    def add(self, secret: str | None) -> None:
        """Start redacting `secret` (a `Secret` is revealed for matching only)."""
        if not secret:
            return
        value = secret.reveal() if isinstance(secret, Secret) else str(secret)
        if value and value not in self._secrets:
            self._secrets.append(value)
            # Longest first, so a secret containing another is fully replaced.
            self._secrets.sort(key=len, reverse=True)

    def redact(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, REDACTED)
        # Tokens we were never told about (another bot's, one pasted in chat)
        # are masked by their shape.
        return mask_tokens(text)

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string: let the formatter report it
            message = None
        if message is not None:
            cleaned = self.redact(message)
            if cleaned != message:
                record.msg, record.args = cleaned, None
        if record.exc_info and not record.exc_text:
            # Formatters reuse a cached exc_text, so caching a redacted one
            # keeps the token out of every handler's traceback.
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        if record.stack_info:
            record.stack_info = self.redact(record.stack_info)
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, exc_info if any."""

    def format(self, record: logging.LogRecord) -> str:
        payload: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            payload["exc_info"] = record.exc_text
        if record.stack_info:
            payload["stack_info"] = self.formatStack(record.stack_info)
        # ensure_ascii=False keeps Italian accents readable; newlines inside
        # strings are escaped by json, so the object stays on one line.
        return json.dumps(payload, ensure_ascii=False, default=str)


TEXT_FORMAT: Final = "%(asctime)s %(levelname)-8s %(name)s: %(message)s"


def configure_logging(
    level: str | int,
    fmt: str = "text",
    *,
    secrets: Iterable[str | None] = (),
    stream: TextIO | None = None,
) -> logging.Handler:
    """Route every logger through one root handler; return that handler.

    `fmt` is "text" or "json"; `secrets` (e.g. the Discord token) are redacted
    from every record. Calling it again replaces the previous configuration.
    """
    numeric = _as_level(level)
    if fmt not in ("text", "json"):
        raise ValueError(f"unknown log format {fmt!r}")
    handler = logging.StreamHandler(stream if stream is not None else sys.stderr)
    handler.setFormatter(JsonFormatter() if fmt == "json" else logging.Formatter(TEXT_FORMAT))
    handler.addFilter(RedactFilter(secrets))
    setattr(handler, _HANDLER_MARK, True)

    root = logging.getLogger()
    for old in list(root.handlers):
        if getattr(old, _HANDLER_MARK, False):
            root.removeHandler(old)
            old.close()
    root.addHandler(handler)
    root.setLevel(numeric)

    for name in _THIRD_PARTY_LOGGERS:
        third_party = logging.getLogger(name)
        for old in list(third_party.handlers):
            third_party.removeHandler(old)
        third_party.propagate = True
        third_party.setLevel(max(numeric, logging.INFO))
    logging.captureWarnings(True)
    return handler


def redact_filter(handler: logging.Handler) -> RedactFilter:
    """The `RedactFilter` of a handler returned by `configure_logging`."""
    for candidate in handler.filters:
        if isinstance(candidate, RedactFilter):
            return candidate
    raise LookupError("handler has no RedactFilter")
