"""Another process holding a database's write lock: storage and bot tests of `locked`.

A real second process, as the console or a second bot would be.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

_HOLD_THE_LOCK = textwrap.dedent(
    """
    import sqlite3, sys, time
    conn = sqlite3.connect(sys.argv[1], isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")
    conn.execute("DELETE FROM unanswered_questions WHERE guild_id = -1")
    print("locked", flush=True)
    time.sleep(float(sys.argv[2]))
    conn.execute("ROLLBACK")
    """
)


@contextmanager
def outside_writer(path: Path, seconds: float) -> Iterator[None]:
    """Another process holds the write lock of the database at `path` for `seconds`
    (or until the block ends), and rolls back: it changes nothing."""
    proc = subprocess.Popen(
        [sys.executable, "-c", _HOLD_THE_LOCK, str(path), str(seconds)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "locked"
        yield
    finally:
        proc.kill()
        proc.wait()
