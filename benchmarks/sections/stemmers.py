"""Section 5: the stemmer comparison, run as its own script and pasted in."""

from __future__ import annotations

import subprocess
import sys

from benchmarks.sections.report import ROOT, Mode, Report


def section_stemmers(report: Report, mode: Mode) -> None:
    argv = [sys.executable, str(ROOT / "benchmarks" / "stemmers.py")]
    if mode.quick:
        argv.append("--quick")
    result = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        tail = "\n".join(result.stderr.strip().splitlines()[-5:])
        report.add(f"## 5. Stemmers\n\n`benchmarks/stemmers.py` failed:\n\n```\n{tail}\n```")
        return
    report.add(result.stdout.strip())
