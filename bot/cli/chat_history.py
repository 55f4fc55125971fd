"""Line editing and a remembered history for `chat` at a terminal.

Importing readline is what gives `input()` line editing and the arrow keys.
The history is kept between sessions in `$XDG_STATE_HOME/timoniere/chat_history`
(default `~/.local/state/...`), like a shell's; where that cannot be read or
written (a read-only container, no home) the session simply starts empty.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

HISTORY_LENGTH = 500


def history_path() -> Path:
    state = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(state) / "timoniere" / "chat_history"


@contextlib.contextmanager
def line_editing() -> Iterator[None]:
    """Turn on readline for the duration, loading and then saving the history."""
    try:
        import readline
    except ImportError:  # not on every platform: plain input() still works
        yield
        return
    try:
        path: Path | None = history_path()
    except RuntimeError:  # no home directory to resolve
        path = None
    readline.set_history_length(HISTORY_LENGTH)
    if path is not None:
        with contextlib.suppress(OSError):
            readline.read_history_file(path)
    try:
        yield
    finally:
        if path is not None:
            with contextlib.suppress(OSError):
                path.parent.mkdir(parents=True, exist_ok=True)
                readline.write_history_file(path)
