"""Settings: parsing, precedence, error lines, and keeping the token secret."""

from __future__ import annotations

import dataclasses
import io
import logging
import re
from pathlib import Path

import pytest

from bot import config
from bot.config import (
    SETTINGS,
    TOKEN_PLACEHOLDER,
    ConfigError,
    Secret,
    Settings,
    format_config_error,
    load_settings,
)

ROOT = Path(__file__).resolve().parent.parent
# Shaped like a bot token (three base64url parts) but obviously fake.
FAKE_TOKEN = "MTAwMDAwMDAwMDAwMDAwMDAw.GfAkEe.fake-token-for-tests-only-0123456789abc"
NO_FILE = Path("/nonexistent/.env")


def load(env: dict[str, str], **kwargs: object) -> Settings:
    return load_settings(env, env_file=NO_FILE, **kwargs)  # type: ignore[arg-type]


def problems_of(env: dict[str, str], **kwargs: object) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        load(env, **kwargs)
    return caught.value.problems


# --- defaults and parsing ------------------------------------------------------


def test_defaults_match_settings_dataclass() -> None:
    fields = {f.name: f for f in dataclasses.fields(Settings)}
    assert [spec.attr for spec in SETTINGS] == list(fields), "same settings, same order"
    for spec in SETTINGS:
        assert fields[spec.attr].default == spec.default, spec.env
        assert spec.help, f"{spec.env} needs a help text"
    assert load({}) == Settings()


def test_parses_every_kind_of_value() -> None:
    settings = load(
        {
            "DISCORD_TOKEN": f"  {FAKE_TOKEN}  ",
            "DATABASE_PATH": "/data/db.sqlite3",
            "DEV_GUILD_ID": "123",
            "AUTO_ANSWER_CHANNEL_IDS": "1, 2;3,",
            "MOD_ROLE_IDS": "",
            "MESSAGE_CONTENT_INTENT": "no",
            "LOG_LEVEL": "DEBUG",
            "LOG_FORMAT": "json",
            "HEALTH_PORT": "8080",
            "HEALTH_HOST": "0.0.0.0",
            "SHUTDOWN_GRACE_SECONDS": "2,5",
            "CONFIDENCE_THRESHOLD": "0.7",
        }
    )
    assert settings.discord_token is not None
    assert settings.discord_token.reveal() == FAKE_TOKEN
    assert settings.database_path == Path("/data/db.sqlite3")
    assert settings.dev_guild_id == 123
    assert settings.auto_answer_channel_ids == (1, 2, 3)
    assert settings.mod_role_ids == ()
    assert settings.message_content_intent is False
    assert (settings.log_level, settings.log_format) == ("debug", "json")
    assert (settings.health_host, settings.health_port) == ("0.0.0.0", 8080)
    assert settings.shutdown_grace_seconds == 2.5
    assert settings.confidence_threshold == 0.7


@pytest.mark.parametrize("raw", ["", "0", "  "])
def test_health_port_empty_or_zero_means_off(raw: str) -> None:
    assert load({"HEALTH_PORT": raw}).health_port is None


def test_health_server_binds_loopback_by_default() -> None:
    # Containers opt in to 0.0.0.0 (Dockerfile, compose, configmap).
    assert Settings().health_host == "127.0.0.1"


# --- .env file -----------------------------------------------------------------


def test_env_file_is_read_and_real_environment_wins(tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text(
        f"DISCORD_TOKEN={FAKE_TOKEN}\nLOG_LEVEL=debug\nLOG_FORMAT='json'\n# comment\n",
        encoding="utf-8",
    )
    settings = load_settings({"LOG_LEVEL": "error"}, env_file=env_file)
    assert settings.log_level == "error"  # environment wins
    assert settings.log_format == "json"  # from the file, quotes stripped
    assert settings.discord_token is not None
    assert settings.discord_token.reveal() == FAKE_TOKEN


def test_dot_env_in_working_directory_is_the_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / ".env").write_text("LOG_FORMAT=json\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert load_settings({}).log_format == "json"


def test_missing_env_file_is_fine(tmp_path: Path) -> None:
    assert load_settings({}, env_file=tmp_path / "absent.env") == Settings()


def test_typo_in_env_file_is_warned(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text("LOG_LEVL=debug\nCOMPOSE_PROJECT_NAME=x\n", encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="bot.config"):
        load_settings({}, env_file=env_file)
    assert "LOG_LEVL" in caplog.text and "LOG_LEVEL" in caplog.text
    assert "COMPOSE_PROJECT_NAME" not in caplog.text  # other tools' variables are fine


# --- validation errors -------------------------------------------------------


def test_every_problem_is_reported_on_its_own_line() -> None:
    problems = problems_of(
        {
            "LOG_LEVEL": "verbose",
            "HEALTH_PORT": "http",
            "CONFIDENCE_THRESHOLD": "2",
            "FAQ_MAX_ENTRIES": "-3",
            "MESSAGE_CONTENT_INTENT": "forse",
            "AUTO_ANSWER_CHANNEL_IDS": "12,#general",
            "SHUTDOWN_GRACE_SECONDS": "nan",
            "CHANNEL_COOLDOWN_SECONDS": "-1",
        }
    )
    assert len(problems) == 8
    names = [p.split("=", 1)[0] for p in problems]
    assert names == [
        "AUTO_ANSWER_CHANNEL_IDS",
        "MESSAGE_CONTENT_INTENT",
        "LOG_LEVEL",
        "HEALTH_PORT",
        "SHUTDOWN_GRACE_SECONDS",
        "FAQ_MAX_ENTRIES",
        "CONFIDENCE_THRESHOLD",
        "CHANNEL_COOLDOWN_SECONDS",
    ], "in SETTINGS order"
    for problem in problems:
        assert "\n" not in problem
        assert "invalid literal" not in problem  # no raw Python error text
    assert "LOG_LEVEL='verbose': valori ammessi: debug, info, warning, error" in problems
    assert "CONFIDENCE_THRESHOLD='2': serve un numero tra 0 e 1" in problems


@pytest.mark.parametrize("port", ["65536", "-1", "80.5"])
def test_health_port_out_of_range(port: str) -> None:
    assert problems_of({"HEALTH_PORT": port})[0].startswith(f"HEALTH_PORT='{port}'")


def test_format_config_error_for_the_cli() -> None:
    with pytest.raises(ConfigError) as caught:
        load({"LOG_LEVEL": "verbose", "LOG_FORMAT": "xml"})
    text = format_config_error(caught.value)
    lines = text.splitlines()
    assert lines[0] == "Configurazione non valida:"
    assert lines[1].startswith("  - LOG_LEVEL='verbose': ")
    assert lines[2].startswith("  - LOG_FORMAT='xml': ")
    assert ".env.example" in lines[-1]
    assert len(lines) == 4


def test_missing_token_alone_is_one_clear_message() -> None:
    with pytest.raises(ConfigError) as caught:
        load({}, require_token=True)
    text = format_config_error(caught.value)
    assert "\n" not in text
    assert "https://discord.com/developers/applications" in text
    assert "python -m bot chat" in text


def test_missing_token_only_when_required() -> None:
    assert load({}).discord_token is None
    [problem] = problems_of({}, require_token=True)
    assert problem.startswith("DISCORD_TOKEN mancante")
    assert "python -m bot chat" in problem


@pytest.mark.parametrize(
    ("raw", "hint"),
    [
        (TOKEN_PLACEHOLDER, "valore di esempio"),
        (f"Bot {FAKE_TOKEN}", "prefisso"),
        ("a1b2c3d4e5f6a1b2c3d4e5f6a1b2c3d4", "Client Secret"),  # the OAuth2 secret
        ("1000000000000000000", "Application ID"),
    ],
)
def test_common_token_mistakes_are_explained(raw: str, hint: str) -> None:
    [problem] = problems_of({"DISCORD_TOKEN": raw}, require_token=True)
    assert problem.startswith("DISCORD_TOKEN=***: ")
    assert hint in problem
    assert raw not in problem


# --- the token never leaks -----------------------------------------------------


def test_secret_hides_itself_everywhere() -> None:
    secret = Secret(FAKE_TOKEN)
    percent_s = "%s" % secret  # noqa: UP031 - old-style formatting is what logging uses
    for shown in (repr(secret), str(secret), f"{secret}", f"{secret!s}", percent_s):
        assert FAKE_TOKEN not in shown
    assert "%r" % (secret,) == "Secret('***')"  # noqa: UP031
    assert secret.reveal() == FAKE_TOKEN
    assert secret == FAKE_TOKEN  # still usable as the string it is


def test_settings_repr_and_str_hide_the_token() -> None:
    settings = load({"DISCORD_TOKEN": FAKE_TOKEN, "LOG_LEVEL": "debug"})
    assert FAKE_TOKEN not in repr(settings)
    assert FAKE_TOKEN not in str(settings)
    assert "discord_token=Secret('***')" in repr(settings)
    assert FAKE_TOKEN not in repr(dataclasses.asdict(settings))
    assert FAKE_TOKEN not in repr(dataclasses.replace(settings, log_level="info"))


def test_logging_a_settings_object_hides_the_token() -> None:
    settings = load({"DISCORD_TOKEN": FAKE_TOKEN})
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    logger = logging.getLogger("tests.config.leak")
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    try:
        logger.info("settings: %s", settings)
        logger.info("settings: %r", settings)
        logger.info("token: %s / %r", settings.discord_token, settings.discord_token)
        logger.info("settings: %s", vars(settings))
        logger.info(f"token: {settings.discord_token}")
    finally:
        logger.removeHandler(handler)
    assert FAKE_TOKEN not in stream.getvalue()
    assert stream.getvalue().count("***") >= 5


def test_config_error_never_contains_the_token() -> None:
    bad_shape = "not-a-token-but-a-long-secret-value"
    env = {
        "DISCORD_TOKEN": bad_shape,
        # pasted into the wrong setting too: the error must not echo it
        "LOG_LEVEL": bad_shape,
    }
    with pytest.raises(ConfigError) as caught:
        load(env, require_token=True)
    for text in (str(caught.value), repr(caught.value), format_config_error(caught.value)):
        assert bad_shape not in text
    assert caught.value.problems[0].startswith("DISCORD_TOKEN=***")
    assert caught.value.problems[1].startswith("LOG_LEVEL='***'")


# --- .env.example ------------------------------------------------------------------

ENV_LINE = re.compile(r"^#?\s?([A-Z][A-Z0-9_]*)=(.*)$")


def env_example_entries() -> dict[str, str]:
    entries: dict[str, str] = {}
    for line in (ROOT / ".env.example").read_text(encoding="utf-8").splitlines():
        match = ENV_LINE.match(line)
        if match:
            assert match.group(1) not in entries, f"{match.group(1)} listed twice"
            entries[match.group(1)] = match.group(2)
    return entries


def test_env_example_lists_exactly_the_settings() -> None:
    assert list(env_example_entries()) == [spec.env for spec in SETTINGS]


def test_env_example_documents_each_setting_with_a_comment() -> None:
    lines = (ROOT / ".env.example").read_text(encoding="utf-8").splitlines()
    for index, line in enumerate(lines):
        match = ENV_LINE.match(line)
        if match:
            previous = lines[index - 1]
            assert previous.startswith("# ") and not ENV_LINE.match(previous), (
                f"{match.group(1)} needs a comment line right above it"
            )


def test_env_example_is_loadable_and_holds_only_the_placeholder(tmp_path: Path) -> None:
    entries = env_example_entries()
    assert entries["DISCORD_TOKEN"] == TOKEN_PLACEHOLDER
    # Copying the example as-is gives valid settings, except the token, which
    # must be replaced: the placeholder is refused with a clear message.
    env_file = tmp_path / ".env"
    env_file.write_text((ROOT / ".env.example").read_text(encoding="utf-8"), encoding="utf-8")
    [problem] = problems_of_file(env_file)
    assert problem.startswith("DISCORD_TOKEN=***")
    env_file.write_text(
        env_file.read_text(encoding="utf-8").replace(TOKEN_PLACEHOLDER, FAKE_TOKEN),
        encoding="utf-8",
    )
    assert load_settings({}, env_file=env_file, require_token=True).discord_token == FAKE_TOKEN


def problems_of_file(env_file: Path) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        load_settings({}, env_file=env_file, require_token=True)
    return caught.value.problems


def test_setting_names_are_unique() -> None:
    envs = [spec.env for spec in SETTINGS]
    attrs = [spec.attr for spec in SETTINGS]
    assert len(set(envs)) == len(envs) and len(set(attrs)) == len(attrs)
    assert frozenset(envs) == config.SETTING_NAMES


def test_a_bad_token_only_matters_when_the_token_is_needed() -> None:
    """ask/chat/kb/faq never use the token: the .env.example placeholder must not stop them."""
    env = {"DISCORD_TOKEN": "paste-your-bot-token-here"}
    assert load(env).discord_token is None
    problems = problems_of(env, require_token=True)
    assert len(problems) == 1 and problems[0].startswith("DISCORD_TOKEN=***")


# --- the first hour: no secret, no traceback ----------------------------------


@pytest.mark.parametrize("setting", ["DEV_GUILD_ID", "AUTO_ANSWER_CHANNEL_IDS", "MOD_ROLE_IDS"])
def test_a_token_pasted_into_another_setting_is_masked(setting: str) -> None:
    problems = problems_of({setting: FAKE_TOKEN})
    assert len(problems) == 1
    assert setting in problems[0]
    assert FAKE_TOKEN not in problems[0]
    assert "***" in problems[0]
    as_json = format_config_error(ConfigError(problems), as_json=True)
    assert FAKE_TOKEN not in as_json


def test_mask_tokens_leaves_ordinary_text_alone() -> None:
    assert config.mask_tokens(f"x {FAKE_TOKEN} y") == "x *** y"
    assert config.mask_tokens("docker-compose.yml e k8s.io/v1") == "docker-compose.yml e k8s.io/v1"


@pytest.mark.parametrize("raw", ["0", "-5", "1" * 26, "12³", "١٢٣"])
def test_ids_must_be_snowflakes(raw: str) -> None:
    for setting in ("DEV_GUILD_ID", "AUTO_ANSWER_CHANNEL_IDS", "MOD_ROLE_IDS"):
        problems = problems_of({setting: raw})
        assert problems and problems[0].startswith(f"{setting}="), problems


@pytest.mark.parametrize(
    "setting", ["HEALTH_PORT", "FAQ_MAX_ENTRIES", "USER_RATE_LIMIT_PER_MINUTE"]
)
def test_superscript_digits_get_the_italian_message(setting: str) -> None:
    problems = problems_of({setting: "8²"})
    assert problems[0].startswith(f"{setting}=")
    assert "int()" not in problems[0]


def test_every_problem_in_one_pass_token_included() -> None:
    problems = problems_of(
        {"DISCORD_TOKEN": "Bot abc", "DEV_GUILD_ID": "zero", "HEALTH_PORT": "99999"},
        require_token=True,
    )
    names = [problem.split("=", 1)[0] for problem in problems]
    assert names == ["DISCORD_TOKEN", "DEV_GUILD_ID", "HEALTH_PORT"]


def test_non_utf8_env_file_is_one_clear_line(tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    env_file.write_bytes(b"LOG_LEVEL=info\nMOD_ROLE_IDS=\xff\xfe12\n")
    with pytest.raises(ConfigError) as caught:
        load_settings({}, env_file=env_file)
    assert caught.value.problems == [
        f"{env_file}: il file non è in UTF-8; salvalo di nuovo come UTF-8."
    ]


def test_unreadable_env_file_is_one_clear_line(tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    env_file.mkdir()  # a directory where a file is expected: reading fails for any uid
    with pytest.raises(ConfigError) as caught:
        load_settings({}, env_file=env_file)
    [problem] = caught.value.problems
    assert problem.startswith(f"{env_file}: impossibile leggere il file")


def test_config_errors_are_json_when_logs_are_json(tmp_path: Path) -> None:
    import json

    env = {"LOG_FORMAT": "json", "DEV_GUILD_ID": "abc"}
    assert config.wants_json_logs(env, env_file=NO_FILE)
    line = format_config_error(ConfigError(problems_of(env)), as_json=True)
    payload = json.loads(line)
    assert payload["level"] == "ERROR"
    assert payload["problems"][0].startswith("DEV_GUILD_ID=")
    assert "\n" not in line


def test_env_typo_is_warned_once_in_italian(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text("LOG_LEVL=debug\n", encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="bot.config"):
        load_settings({}, env_file=env_file)
        load_settings({}, env_file=env_file)
    warnings = [r.getMessage() for r in caplog.records if "LOG_LEVL" in r.getMessage()]
    assert warnings == [
        f"{env_file}: impostazione sconosciuta LOG_LEVL; forse intendevi LOG_LEVEL?"
    ]
