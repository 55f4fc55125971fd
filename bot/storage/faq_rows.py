"""FAQ rows in SQLite: entries with their phrasings, and the history record that
every write leaves. Called by the repository inside its transactions.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

import aiosqlite

from bot.core.faq import Action, DuplicateName, FaqEntry, validate_name
from bot.storage.convert import time_from_text, time_to_text
from bot.storage.database import fetch_all, fetch_one

ENTRY_COLUMNS = "id, guild_id, name, question, answer, author_id, created_at, updated_at"


async def live_row(conn: aiosqlite.Connection, guild_id: int, name: str) -> sqlite3.Row | None:
    return await fetch_one(
        conn,
        f"SELECT {ENTRY_COLUMNS} FROM faq_entries"
        " WHERE guild_id = ? AND name = ? AND deleted_at IS NULL",
        (guild_id, name),
    )


async def live_names(conn: aiosqlite.Connection, guild_id: int) -> list[str]:
    rows = await fetch_all(
        conn,
        "SELECT name FROM faq_entries WHERE guild_id = ? AND deleted_at IS NULL",
        (guild_id,),
    )
    return [str(row["name"]) for row in rows]


async def entries_of(conn: aiosqlite.Connection, rows: Sequence[sqlite3.Row]) -> list[FaqEntry]:
    if not rows:
        return []
    ids = [int(row["id"]) for row in rows]
    phrasings: dict[int, list[str]] = {entry_id: [] for entry_id in ids}
    # Chunked so the number of bound parameters stays well under SQLite's limit.
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        marks = ", ".join("?" for _ in chunk)
        found = await fetch_all(
            conn,
            f"SELECT entry_id, text FROM faq_phrasings WHERE entry_id IN ({marks})"
            " ORDER BY entry_id, position",
            chunk,
        )
        for item in found:
            phrasings[int(item["entry_id"])].append(str(item["text"]))
    return [
        FaqEntry(
            guild_id=int(row["guild_id"]),
            name=row["name"],
            question=row["question"],
            answer=row["answer"],
            phrasings=tuple(phrasings[int(row["id"])]),
            author_id=row["author_id"],
            created_at=time_from_text(row["created_at"]),
            updated_at=time_from_text(row["updated_at"]),
        )
        for row in rows
    ]


async def insert_entry(conn: aiosqlite.Connection, entry: FaqEntry) -> int:
    assert entry.created_at is not None and entry.updated_at is not None
    try:
        cursor = await conn.execute(
            "INSERT INTO faq_entries"
            " (guild_id, name, question, answer, author_id, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                entry.guild_id,
                entry.name,
                entry.question,
                entry.answer,
                entry.author_id,
                time_to_text(entry.created_at),
                time_to_text(entry.updated_at),
            ),
        )
    except sqlite3.IntegrityError as exc:  # only if our own checks were bypassed
        raise DuplicateName(validate_name(entry.name, existing_names=[entry.name])[0]) from exc
    entry_id = cursor.lastrowid
    await cursor.close()
    assert entry_id is not None
    await write_phrasings(conn, entry_id, entry.phrasings)
    return entry_id


async def update_entry(
    conn: aiosqlite.Connection, entry_id: int, before: FaqEntry, after: FaqEntry
) -> None:
    assert after.updated_at is not None
    await conn.execute(
        "UPDATE faq_entries SET name = ?, question = ?, answer = ?, updated_at = ?"
        " WHERE id = ? AND guild_id = ?",
        (
            after.name,
            after.question,
            after.answer,
            time_to_text(after.updated_at),
            entry_id,
            after.guild_id,
        ),
    )
    if after.phrasings != before.phrasings:
        await conn.execute("DELETE FROM faq_phrasings WHERE entry_id = ?", (entry_id,))
        await write_phrasings(conn, entry_id, after.phrasings)


async def write_phrasings(
    conn: aiosqlite.Connection, entry_id: int, phrasings: Iterable[str]
) -> None:
    await conn.executemany(
        "INSERT INTO faq_phrasings (entry_id, position, text) VALUES (?, ?, ?)",
        [(entry_id, position, text) for position, text in enumerate(phrasings)],
    )


async def record_change(
    conn: aiosqlite.Connection,
    entry_id: int,
    guild_id: int,
    action: Action,
    actor_id: int | None,
    at: datetime,
    before: FaqEntry | None,
    after: FaqEntry | None,
) -> None:
    await conn.execute(
        "INSERT INTO faq_history"
        " (entry_id, guild_id, action, actor_id, at, before_json, after_json)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        (
            entry_id,
            guild_id,
            action,
            actor_id,
            time_to_text(at),
            _dump_json(before),
            _dump_json(after),
        ),
    )


def _dump_json(entry: FaqEntry | None) -> str | None:
    if entry is None:
        return None
    return json.dumps(entry.snapshot(), ensure_ascii=False, sort_keys=True)


def load_json(text: str | None) -> dict[str, Any] | None:
    if text is None:
        return None
    value = json.loads(text)
    return value if isinstance(value, dict) else None
