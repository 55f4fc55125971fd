"""Fault table for FAQ storage: each fault, readiness during it, entries lost.

    .venv/bin/python benchmarks/storage_faults.py            # working tree vs main
    .venv/bin/python benchmarks/storage_faults.py --base REV # vs another revision

Each fault runs in its own process on a real SQLite file in a temporary folder,
once with `bot/` from the working tree and once with `bot/` from the base
revision (extracted with `git archive`), so the baseline is measured in the
same run on the same machine. Per fault: 10 entries are saved first, then 20
concurrent adds are tried during the fault. "Confirmed" adds returned
normally (a moderator would see "aggiunta"); "lost" are confirmed entries
missing from the file at the configured path afterwards (the target is 0).
"Ready" is what the readiness check says during the fault: the tree's
`Database.accepts_writes()` (a real write), or `SELECT 1` where that does not
exist (the base's check). As root, the child runs in a new user namespace
(`unshare -U`) so that a 0444 file really is read-only.

Faults: the file deleted (with its -wal/-shm) or replaced under the open
connection; a 0444 file; SQLITE_FULL by `max_page_count` (the file cannot grow,
but the WAL still can); a really full filesystem (a 1 MiB tmpfs filled up, in
a private mount namespace: root only); another process holding the write lock
(busy timeout 200 ms).

Writes `benchmarks/storage_faults.md` and prints it.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
FAULTS = ("deleted", "replaced", "read_only", "disk_full", "disk_full_fs", "locked")
ATTEMPTS = 20
SEEDED = 10

CHILD = Path(__file__).with_name("storage_fault_child.py")


def _prefix(fault: str) -> list[str] | None:
    """How to run the child; None when this machine cannot stage the fault."""
    unshare = shutil.which("unshare")
    if fault == "disk_full_fs":  # needs its own mount namespace to mount a tmpfs
        flags = ["-m", "--propagation", "private"]
    elif os.geteuid() == 0:  # root ignores file modes, except in a new user namespace
        flags = ["-U"]
    else:
        return []
    if os.geteuid() != 0 or not unshare:
        return None
    if subprocess.run([unshare, *flags, "true"], check=False).returncode != 0:
        return None
    return [unshare, *flags]


def run_fault(code: Path, fault: str, work: Path) -> dict[str, Any]:
    folder = work / fault
    folder.mkdir()
    path = folder / "timoniere.sqlite3"
    env = {**os.environ, "PYTHONPATH": str(code)}
    prefix = _prefix(fault)
    if prefix is None:
        return {"error": "cannot be staged here (needs root and unshare)"}
    if fault == "read_only":
        seed = [sys.executable, str(CHILD), "seed", str(path), str(SEEDED), "0"]
        subprocess.run(seed, env=env, check=True, cwd=folder)
        path.chmod(0o444)
    result = subprocess.run(
        [*prefix, sys.executable, str(CHILD), fault, str(path), str(SEEDED), str(ATTEMPTS)],
        env=env,
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    if result.returncode != 0:
        return {"error": result.stderr.strip().splitlines()[-1]}
    outcome: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    if not outcome["code"].startswith(str(code)):
        raise SystemExit(f"the child imported bot from {outcome['code']}, not {code}")
    return outcome


def extract(revision: str, into: Path) -> Path:
    into.mkdir()
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", revision, "bot"], capture_output=True, check=True
    )
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive.stdout, check=True)
    return into


def cell(outcome: dict[str, Any]) -> list[str]:
    if "error" in outcome:
        return ["error", "", "", outcome["error"][:60]]
    ready = "200" if outcome["ready"] else "503"
    refusal = outcome["refusal"].replace("|", "/")
    said = f"{outcome['refused_says_not_saved']}/{outcome['refused']}"
    return [ready, f"{outcome['confirmed']}/{ATTEMPTS}", str(outcome["lost"]), f"{said}: {refusal}"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--base", default="main")
    args = parser.parse_args()
    head = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    dirty = subprocess.run(
        ["git", "-C", str(ROOT), "status", "--porcelain", "bot"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    lines = [
        "# Storage fault table",
        "",
        f"Working tree at {head}{' (uncommitted changes under bot/)' if dirty else ''}"
        f" against `{args.base}`; {SEEDED} entries saved before each fault, {ATTEMPTS}"
        " concurrent adds during it. Ready = readiness check during the fault;"
        " confirmed = adds reported as saved; lost = confirmed but missing from the file"
        " at the configured path afterwards; refusals = how many said NOT saved, and the first.",
        "",
        "| fault | code | ready | confirmed | lost | refusals |",
        "|---|---|---|---|---|---|",
    ]
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        base = extract(args.base, work / "base")
        for fault in FAULTS:
            for label, code in ((args.base, base), ("tree", ROOT)):
                folder = work / label.replace("/", "_")
                folder.mkdir(exist_ok=True)
                outcome = run_fault(code, fault, folder)
                lines.append("| " + " | ".join([fault, label, *cell(outcome)]) + " |")
    report = "\n".join(lines) + "\n"
    (Path(__file__).with_name("storage_faults.md")).write_text(report, encoding="utf-8")
    print(report)


if __name__ == "__main__":
    main()
