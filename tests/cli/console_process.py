"""`python -m bot ...` run as a user runs it, for the console tests."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Final

ROOT: Final = Path(__file__).resolve().parents[2]


def environment(**extra: str) -> dict[str, str]:
    """This process's environment without what would make a run depend on who runs it:
    a developer's real token, and their terminal's size (the console wraps to it)."""
    env = {k: v for k, v in os.environ.items() if k not in ("DISCORD_TOKEN", "COLUMNS", "LINES")}
    env.update(extra)
    return env


def bot(
    *args: str, stdin: str = "", env: Mapping[str, str] | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=cwd or ROOT,
        env=environment(**(env or {})),
    )
