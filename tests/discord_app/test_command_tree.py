"""The slash command tree fits Discord's rules, so a knowledge file can't break sync."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from bot.config import Settings
from bot.core.engine import Engine
from bot.core.knowledge import RESERVED_FEATURE_IDS, load_knowledge, load_knowledge_dir
from bot.discord_app.client import TimoniereBot

ROOT = Path(__file__).resolve().parents[2]
# Discord's CHAT_INPUT naming rule (letters and digits of any script, '-', '_', "'").
NAME = re.compile(r"^[-_'\w]{1,32}$", re.UNICODE)


def _command_size(command: dict[str, object]) -> int:
    """Name + description + option names/descriptions + choice names/values, as Discord counts."""
    size = len(str(command["name"])) + len(str(command.get("description", "")))
    for option in command.get("options", []):  # type: ignore[attr-defined]
        size += _command_size(option)
        for choice in option.get("choices", []):
            size += len(choice["name"]) + len(str(choice["value"]))
    return size


def _check_option(option: dict[str, object]) -> None:
    name = str(option["name"])
    assert NAME.match(name) and name == name.lower(), name
    assert 1 <= len(str(option["description"])) <= 100, option
    choices = option.get("choices", [])
    assert len(choices) <= 25  # type: ignore[arg-type]
    for choice in choices:  # type: ignore[attr-defined]
        assert 1 <= len(choice["name"]) <= 100
        assert len(str(choice["value"])) <= 100
    assert not (choices and option.get("autocomplete")), "autocomplete with static choices"
    options = option.get("options", [])
    assert len(options) <= 25  # type: ignore[arg-type]
    for child in options:  # type: ignore[attr-defined]
        _check_option(child)


async def _tree_payload(kb_path: Path, tmp_path: Path) -> list[dict[str, object]]:
    kb = load_knowledge(kb_path) if kb_path.is_file() else load_knowledge_dir(kb_path)
    settings = Settings(database_path=tmp_path / "db.sqlite3", knowledge_dir=kb_path)
    bot = TimoniereBot(settings, Engine(kb))
    try:
        for extension in bot.extension_names:
            await bot.load_extension(extension)
        return bot.command_payload()
    finally:
        await bot.close()


@pytest.mark.parametrize(
    "kb_path",
    [ROOT / "knowledge", ROOT / "tests/fixtures/podman-vs-docker.yaml"],
    ids=["kubernetes-vs-compose", "podman-vs-docker"],
)
async def test_command_tree_fits_discord_rules(kb_path: Path, tmp_path: Path) -> None:
    payload = await _tree_payload(kb_path, tmp_path)
    kb = load_knowledge(kb_path) if kb_path.is_file() else load_knowledge_dir(kb_path)
    names = [command["name"] for command in payload]
    assert len(names) == len(set(names)) <= 100
    # One command per feature, generated from the YAML.
    assert {feature.id for feature in kb.features} <= set(names)
    for command in payload:
        _check_option(command)
        assert _command_size(command) <= 8000
        assert len(json.dumps(command)) < 32_000


async def test_feature_command_has_system_choice(tmp_path: Path) -> None:
    payload = await _tree_payload(ROOT / "knowledge", tmp_path)
    autoscaling = next(c for c in payload if c["name"] == "autoscaling")
    (option,) = autoscaling["options"]  # type: ignore[misc]
    assert option["name"] == "sistema"
    assert not option["required"]
    assert [c["value"] for c in option["choices"]] == ["kubernetes", "compose", "both"]


async def test_the_reserved_names_are_the_built_in_commands(tmp_path: Path) -> None:
    """The knowledge loader counts and refuses names by RESERVED_FEATURE_IDS: it must
    list exactly the commands the bot registers beside the per-feature ones."""
    payload = await _tree_payload(ROOT / "knowledge", tmp_path)
    kb = load_knowledge_dir(ROOT / "knowledge")
    built_in = {str(command["name"]) for command in payload} - {f.id for f in kb.features}
    assert built_in == RESERVED_FEATURE_IDS
