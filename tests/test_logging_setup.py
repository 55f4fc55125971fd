"""configure_logging: text and JSON output, discord.py routing, token redaction."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import discord
import pytest

from bot.config import Secret
from bot.logging_setup import RedactFilter, configure_logging, redact_filter

FAKE_TOKEN = "MTAwMDAwMDAwMDAwMDAwMDAw.GfAkEe.fake-token-for-tests-only-0123456789abc"


@pytest.fixture(autouse=True)
def restore_logging() -> Iterator[None]:
    """configure_logging changes process-wide state: put it back after each test."""
    names = ("", "discord", "discord.gateway", "aiohttp", "asyncio")
    saved = {
        name: (logging.getLogger(name).level, list(logging.getLogger(name).handlers))
        for name in names
    }
    propagate = {name: logging.getLogger(name).propagate for name in names}
    yield
    for name, (level, handlers) in saved.items():
        logger = logging.getLogger(name)
        for handler in list(logger.handlers):
            if handler not in handlers:
                logger.removeHandler(handler)
        for handler in handlers:
            if handler not in logger.handlers:
                logger.addHandler(handler)
        logger.setLevel(level)
        logger.propagate = propagate[name]
    logging.captureWarnings(False)


def json_lines(stream: io.StringIO) -> list[dict[str, object]]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def test_json_lines_have_the_documented_fields() -> None:
    stream = io.StringIO()
    configure_logging("info", "json", stream=stream)
    logging.getLogger("bot.test").info("Risposta «%s» pronta\nseconda riga", "sì")
    logging.getLogger("bot.test").debug("not shown at info")
    [line] = stream.getvalue().splitlines()
    record = json.loads(line)
    assert set(record) == {"time", "level", "logger", "message"}
    assert record["level"] == "INFO"
    assert record["logger"] == "bot.test"
    assert record["message"] == "Risposta «sì» pronta\nseconda riga"
    assert str(record["time"]).endswith("+00:00")
    assert "«sì»" in line  # accents kept readable, not \u-escaped


def test_json_exception_is_one_line_with_exc_info() -> None:
    stream = io.StringIO()
    configure_logging("info", "json", stream=stream)
    try:
        raise RuntimeError("boom")
    except RuntimeError:
        logging.getLogger("bot.test").exception("failed")
    [record] = json_lines(stream)
    assert record["message"] == "failed"
    assert "RuntimeError: boom" in str(record["exc_info"])
    assert "Traceback" in str(record["exc_info"])


def test_text_format_is_readable() -> None:
    stream = io.StringIO()
    configure_logging("warning", "text", stream=stream)
    logging.getLogger("bot.test").info("hidden")
    logging.getLogger("bot.test").warning("visible %d", 42)
    output = stream.getvalue()
    assert "hidden" not in output
    assert "WARNING" in output and "bot.test: visible 42" in output


def test_discord_loggers_go_through_our_handler() -> None:
    # What discord.py's Client.run() does with its default log_handler.
    own = io.StringIO()
    discord.utils.setup_logging(handler=logging.StreamHandler(own), root=False)
    stream = io.StringIO()
    configure_logging("info", "json", stream=stream)
    assert logging.getLogger("discord").handlers == []
    logging.getLogger("discord.gateway").info("Shard ID None has connected to Gateway")
    [record] = json_lines(stream)
    assert record["logger"] == "discord.gateway"
    assert own.getvalue() == ""  # not printed a second time in discord.py's format


def test_discord_debug_noise_is_capped_at_info() -> None:
    stream = io.StringIO()
    configure_logging("debug", "text", stream=stream)
    logging.getLogger("discord.gateway").debug("For Shard ID None: WebSocket Event: {...}")
    logging.getLogger("bot.test").debug("our debug is shown")
    assert "WebSocket Event" not in stream.getvalue()
    assert "our debug is shown" in stream.getvalue()


def test_calling_twice_replaces_instead_of_duplicating() -> None:
    first = io.StringIO()
    second = io.StringIO()
    configure_logging("info", "text", stream=first)
    configure_logging("info", "json", stream=second)
    logging.getLogger("bot.test").info("once")
    assert first.getvalue() == ""
    assert len(json_lines(second)) == 1


def test_invalid_level_or_format_is_refused() -> None:
    with pytest.raises(ValueError):
        configure_logging("verbose", "text")
    with pytest.raises(ValueError):
        configure_logging("info", "xml")


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_token_is_redacted_from_messages_args_and_tracebacks(fmt: str) -> None:
    stream = io.StringIO()
    configure_logging("debug", fmt, secrets=[Secret(FAKE_TOKEN)], stream=stream)
    log = logging.getLogger("bot.test")
    raw = Secret(FAKE_TOKEN).reveal()
    log.info("plain " + raw)
    log.info("as argument %s", raw)
    log.info("inside a dict %r", {"token": raw})
    try:
        raise ValueError(f"Improper token has been passed: {raw}")
    except ValueError:
        log.exception("login failed")
    log.info("with stack", stack_info=True, extra={"unused": raw})
    output = stream.getvalue()
    assert FAKE_TOKEN not in output
    assert output.count("***") >= 4
    assert "Improper token has been passed: ***" in output


def test_redaction_applies_to_discord_loggers_too() -> None:
    stream = io.StringIO()
    handler = configure_logging("info", "json", stream=stream)
    redact_filter(handler).add(Secret(FAKE_TOKEN))  # token known only later
    logging.getLogger("discord.http").warning("token=%s", Secret(FAKE_TOKEN).reveal())
    [record] = json_lines(stream)
    assert record["message"] == "token=***"


def test_redact_filter_unit() -> None:
    f = RedactFilter(["short", None, "", "a-longer-secret-containing-short"])
    assert f.redact("x a-longer-secret-containing-short y short") == "x *** y ***"
    record = logging.LogRecord("n", logging.INFO, __file__, 1, "%s and %d", ("short", 3), None)
    assert f.filter(record) is True
    assert record.getMessage() == "*** and 3"
    untouched = logging.LogRecord("n", logging.INFO, __file__, 1, "%d%%", (5,), None)
    f.filter(untouched)
    assert (untouched.msg, untouched.args) == ("%d%%", (5,))  # lazy formatting kept


def test_a_token_nobody_registered_is_masked_by_its_shape() -> None:
    stream = io.StringIO()
    configure_logging("info", "json", stream=stream)
    stranger = "OTk5OTk5OTk5OTk5OTk5OTk5.GhIjKl.another-bots-token-pasted-in-a-setting"
    logging.getLogger("bot.test").warning("bad value %s in DEV_GUILD_ID", stranger)
    line = stream.getvalue()
    assert stranger not in line and "***" in line
