"""argparse in Italian: its usage line, help headings and error messages.

argparse looks its own texts up through a module-level gettext function (`_`,
and `ngettext` for plurals) at the moment it prints them. The console is
Italian for its users, so that hook is pointed at `messages.ARGPARSE_TEXTS`;
texts without a translation stay as they are. Only the console process builds
its parser this way, so nothing else shares the hook.
"""

from __future__ import annotations

import argparse
from typing import Any

from bot import messages


def _text(message: str) -> str:
    return messages.ARGPARSE_TEXTS.get(message, message)


def _plural(singular: str, plural: str, count: int) -> str:
    forms = messages.ARGPARSE_PLURALS.get(singular)
    if forms is None:
        return singular if count == 1 else plural
    return forms[0] if count == 1 else forms[1]


def install() -> None:
    """Point argparse's text lookup at the Italian texts (idempotent)."""
    module: Any = argparse
    module._ = _text
    module.ngettext = _plural
