"""`kb check` refuses a table whose slash commands Discord would not register."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from knowledge_tables import table_with_rows

from bot import messages
from bot.core.knowledge import MAX_COMMANDS, MAX_FEATURES, RESERVED_FEATURE_IDS

ROOT = Path(__file__).resolve().parents[2]


def kb_check(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", "kb", "check", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
    )


def test_kb_check_refuses_96_rows_and_accepts_93(tmp_path: Path) -> None:
    wide = tmp_path / "wide" / "tabella.yaml"
    wide.parent.mkdir()
    wide.write_text(table_with_rows(96), encoding="utf-8")
    result = kb_check(wide)
    assert result.returncode == 1
    assert (
        messages.KB_TOO_MANY_FEATURES.format(
            count=96, builtin=len(RESERVED_FEATURE_IDS), limit=MAX_COMMANDS, most=MAX_FEATURES
        )
        in result.stderr
    )
    assert "Traceback" not in result.stderr

    fits = tmp_path / "fits" / "tabella.yaml"
    fits.parent.mkdir()
    fits.write_text(table_with_rows(MAX_FEATURES), encoding="utf-8")
    result = kb_check(fits)
    assert result.returncode == 0, result.stderr
    assert messages.count_features(MAX_FEATURES) in result.stdout
