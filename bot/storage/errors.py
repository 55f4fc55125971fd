"""The storage package's own error type, shared by its modules."""

from __future__ import annotations


class DatabaseError(Exception):
    """A problem with the database file itself; `message` is Italian."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
