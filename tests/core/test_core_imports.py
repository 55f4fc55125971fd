"""The core stays pure: bot/core never imports Discord, the database or the adapters.

Two guards. ruff's banned-api rule (TID251, configured in pyproject.toml for
bot/core only) stops such an import at lint time; the first tests prove the rule
really fires there, and only there. The last test reads every import statement of
the real bot/core, so the layering holds even if the ruff configuration drifts.
"""

from __future__ import annotations

import ast
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CORE = ROOT / "bot" / "core"
BANNED = ("discord", "aiosqlite", "bot.discord_app", "bot.storage")
# What the core may use from the rest of the package: itself and the message catalogue.
ALLOWED = ("bot.core", "bot.messages")

FORBIDDEN_IMPORTS = """\
import discord
from discord import app_commands
import aiosqlite
from bot.discord_app import cards
from bot.storage.database import Database
from ..discord_app.permissions import is_moderator
"""


def _ruff() -> list[str]:
    """The ruff the project installs with its test extra (next to this interpreter)."""
    beside = Path(sys.executable).with_name("ruff")
    found = str(beside) if beside.exists() else shutil.which("ruff")
    if found is None:
        pytest.fail("ruff is not installed: pip install -e '.[test]'")
    return [found]


def _banned_lines(tree: Path, relative: str) -> list[int]:
    """Lines of `relative` (inside `tree`) that ruff's TID251 flags, with the project's config."""
    shutil.copy(ROOT / "pyproject.toml", tree / "pyproject.toml")
    target = tree / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    for package in (tree / "bot", tree / "bot" / "core", tree / "bot" / "discord_app"):
        package.mkdir(parents=True, exist_ok=True)
        (package / "__init__.py").touch()
    target.write_text(FORBIDDEN_IMPORTS, encoding="utf-8")
    done = subprocess.run(
        [*_ruff(), "check", "--no-cache", "--output-format", "json", relative],
        cwd=tree,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.stdout, done.stderr
    return sorted(d["location"]["row"] for d in json.loads(done.stdout) if d["code"] == "TID251")


def test_ruff_refuses_discord_storage_and_adapters_in_the_core(tmp_path: Path) -> None:
    assert _banned_lines(tmp_path, "bot/core/new_module.py") == [1, 2, 3, 4, 5, 6]


def test_the_ban_applies_to_the_core_only(tmp_path: Path) -> None:
    assert _banned_lines(tmp_path, "bot/discord_app/new_module.py") == []


def _imported_modules(source: str, package: str) -> set[str]:
    """Every module an import statement names, relative imports resolved against `package`."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                parent = parts[: len(parts) - node.level + 1]
                base = ".".join([*parent, base] if base else parent)
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def _within(module: str, prefixes: tuple[str, ...]) -> bool:
    return any(module == prefix or module.startswith(prefix + ".") for prefix in prefixes)


def _layering_offences(source: str, package: str) -> list[str]:
    """The imports in `source` that the core may not make."""
    return [
        module
        for module in sorted(_imported_modules(source, package))
        if _within(module, BANNED)
        or (_within(module, ("bot",)) and module != "bot" and not _within(module, ALLOWED))
    ]


def test_the_import_reader_catches_every_forbidden_form() -> None:
    offences = _layering_offences(FORBIDDEN_IMPORTS, "bot.core")
    assert "discord" in offences
    assert "aiosqlite" in offences
    assert "bot.storage.database" in offences
    assert "bot.discord_app.permissions" in offences  # the relative import, resolved
    allowed = "from bot import messages\nfrom . import text\nfrom .faq import FaqEntry\n"
    assert _layering_offences(allowed, "bot.core") == []


def test_no_core_module_imports_discord_storage_or_adapters() -> None:
    offenders = [
        f"{path.relative_to(ROOT)}: {module}"
        for path in sorted(CORE.rglob("*.py"))
        for module in _layering_offences(
            path.read_text(encoding="utf-8"), ".".join(path.relative_to(ROOT).parent.parts)
        )
    ]
    assert offenders == []
