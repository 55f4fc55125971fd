"""Moderator FAQ entries in SQLite: CRUD with soft delete, history, caps and import.

Every method is scoped to one guild; no query reads or writes another guild's
rows. Every write runs in one `BEGIN IMMEDIATE` transaction together with its
history record, so an entry never changes without a trace.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, replace
from datetime import datetime

import aiosqlite

from bot import messages as msg
from bot import metrics
from bot.core.faq import (
    DuplicateName,
    EntryNotFound,
    FaqEntry,
    HistoryRecord,
    InvalidEntry,
    LimitReached,
    NoChanges,
    check_entry,
    clean_answer,
    clean_line,
    clean_name,
    dedupe,
    free_name,
    new_entry,
    rank_names,
    slugify,
    validate_entry,
    validate_name,
)
from bot.core.faq_yaml import FaqRecord
from bot.storage.convert import time_from_text, time_to_text, utc_now
from bot.storage.database import Database, fetch_all, fetch_one
from bot.storage.failures import WriteFailed, explained_transaction
from bot.storage.faq_rows import (
    ENTRY_COLUMNS,
    entries_of,
    insert_entry,
    live_names,
    live_row,
    load_json,
    record_change,
    update_entry,
)

log = logging.getLogger(__name__)


def _counted_failure(cause: metrics.WriteFailureCause) -> WriteFailed:
    """A lost FAQ change, counted for the metrics (settings changes are not)."""
    metrics.record_faq_write_failed(cause)
    return WriteFailed(cause)


DEFAULT_MAX_ENTRIES = 500


@dataclass(frozen=True)
class ImportResult:
    added: int
    updated: int
    unchanged: int


class FaqRepository:
    """FAQ entries of every guild, one guild at a time."""

    def __init__(
        self,
        db: Database,
        *,
        max_entries: int = DEFAULT_MAX_ENTRIES,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self._db = db
        self.max_entries = max_entries
        self._clock = clock

    # --- reads ----------------------------------------------------------------

    async def get(self, guild_id: int, name: str) -> FaqEntry | None:
        """The live entry called `name`, or None."""
        async with self._db.snapshot() as conn:
            row = await live_row(conn, guild_id, clean_name(name))
            if row is None:
                return None
            return (await entries_of(conn, [row]))[0]

    async def list_entries(
        self, guild_id: int, *, offset: int = 0, limit: int = 25
    ) -> list[FaqEntry]:
        """Live entries sorted by name, one page at a time."""
        async with self._db.snapshot() as conn:
            rows = await fetch_all(
                conn,
                f"SELECT {ENTRY_COLUMNS} FROM faq_entries"
                " WHERE guild_id = ? AND deleted_at IS NULL ORDER BY name LIMIT ? OFFSET ?",
                (guild_id, max(0, limit), max(0, offset)),
            )
            return await entries_of(conn, rows)

    async def count(self, guild_id: int) -> int:
        row = await self._db.fetch_one(
            "SELECT COUNT(*) FROM faq_entries WHERE guild_id = ? AND deleted_at IS NULL",
            (guild_id,),
        )
        return int(row[0]) if row else 0

    async def all_entries(self, guild_id: int) -> list[FaqEntry]:
        """Every live entry of the guild, sorted by name (for the matcher index)."""
        async with self._db.snapshot() as conn:
            rows = await fetch_all(
                conn,
                f"SELECT {ENTRY_COLUMNS} FROM faq_entries"
                " WHERE guild_id = ? AND deleted_at IS NULL ORDER BY name",
                (guild_id,),
            )
            return await entries_of(conn, rows)

    async def last_change(self, guild_id: int) -> int:
        """An id that grows with every FAQ change of the guild (its latest history record)."""
        row = await self._db.fetch_one(
            "SELECT COALESCE(MAX(id), 0) FROM faq_history WHERE guild_id = ?", (guild_id,)
        )
        return int(row[0]) if row else 0

    async def export(self, guild_id: int) -> list[FaqEntry]:
        """What `dump_entries` should write for this guild."""
        return await self.all_entries(guild_id)

    async def taken_names(self, guild_id: int) -> set[str]:
        """Names of live and removed entries: a new entry should avoid all of them
        (taking a removed entry's name would block its restore)."""
        rows = await self._db.fetch_all(
            "SELECT DISTINCT name FROM faq_entries WHERE guild_id = ?", (guild_id,)
        )
        return {str(row["name"]) for row in rows}

    async def search_names(self, guild_id: int, prefix: str, limit: int = 25) -> list[str]:
        """Names for autocomplete: name prefix first, then name or question containing it."""
        rows = await self._db.fetch_all(
            "SELECT name, question FROM faq_entries"
            " WHERE guild_id = ? AND deleted_at IS NULL ORDER BY name",
            (guild_id,),
        )
        return rank_names(((r["name"], r["question"]) for r in rows), prefix, limit)

    async def search_removed_names(self, guild_id: int, prefix: str, limit: int = 25) -> list[str]:
        """Names of removed entries that could be restored (for autocomplete)."""
        rows = await self._db.fetch_all(
            "SELECT name, question FROM faq_entries d WHERE guild_id = ? AND deleted_at IS NOT NULL"
            " AND NOT EXISTS (SELECT 1 FROM faq_entries l WHERE l.guild_id = d.guild_id"
            " AND l.name = d.name AND l.deleted_at IS NULL)"
            " GROUP BY name ORDER BY name",
            (guild_id,),
        )
        return rank_names(((r["name"], r["question"]) for r in rows), prefix, limit)

    async def history(self, guild_id: int, name: str) -> list[HistoryRecord]:
        """Every change of the entries called `name` (live or removed), oldest first."""
        rows = await self._db.fetch_all(
            "SELECT h.action, h.actor_id, h.at, h.before_json, h.after_json"
            " FROM faq_history h JOIN faq_entries e ON e.id = h.entry_id"
            " WHERE e.guild_id = ? AND h.guild_id = ? AND e.name = ? ORDER BY h.id",
            (guild_id, guild_id, clean_name(name)),
        )
        if not rows:
            raise EntryNotFound(msg.FAQ_NOT_FOUND.format(name=clean_name(name)))
        return [
            HistoryRecord(
                action=row["action"],
                actor_id=row["actor_id"],
                at=time_from_text(row["at"]),
                before=load_json(row["before_json"]),
                after=load_json(row["after_json"]),
            )
            for row in rows
        ]

    # --- writes ---------------------------------------------------------------

    def _writing(self) -> AbstractAsyncContextManager[aiosqlite.Connection]:
        """A write transaction whose database failures become a `WriteFailed` that says why."""
        return explained_transaction(self._db, _counted_failure, log=log, what="FAQ change")

    async def add(self, entry: FaqEntry, actor_id: int | None) -> FaqEntry:
        """Store a new entry; raise InvalidEntry, DuplicateName, LimitReached or WriteFailed.

        A blank name is derived from the question inside the write transaction,
        so simultaneous submits cannot pick the same one; a blank-name entry
        whose question a live entry already has is refused as a repeat.
        """
        derive_name = not clean_name(entry.name)
        entry = new_entry(
            entry.guild_id,
            entry.name,
            entry.question,
            entry.answer,
            entry.phrasings,
            author_id=entry.author_id if entry.author_id is not None else actor_id,
        )
        base_name = slugify(entry.question) or "faq"
        check_entry(replace(entry, name=base_name) if derive_name else entry)
        now = self._clock()
        async with self._writing() as conn:
            names = await live_names(conn, entry.guild_id)
            if len(names) >= self.max_entries:
                raise LimitReached(msg.FAQ_LIMIT_REACHED.format(max=self.max_entries))
            if derive_name:
                entry = replace(entry, name=await self._derived_name(conn, entry, base_name))
            check_entry(entry, existing_names=names)
            stored = replace(entry, created_at=now, updated_at=now)
            entry_id = await insert_entry(conn, stored)
            await record_change(conn, entry_id, stored.guild_id, "add", actor_id, now, None, stored)
        return stored

    async def edit(
        self,
        guild_id: int,
        name: str,
        *,
        question: str | None = None,
        answer: str | None = None,
        phrasings: Sequence[str] | None = None,
        new_name: str | None = None,
        actor_id: int | None,
    ) -> FaqEntry:
        """Change some fields of a live entry; `phrasings` replaces the whole list."""
        if question is None and answer is None and phrasings is None and new_name is None:
            raise NoChanges(msg.FAQ_EDIT_NOTHING)
        now = self._clock()
        async with self._writing() as conn:
            row = await live_row(conn, guild_id, clean_name(name))
            if row is None:
                raise EntryNotFound(msg.FAQ_NOT_FOUND.format(name=clean_name(name)))
            before = (await entries_of(conn, [row]))[0]
            after = replace(
                before,
                name=before.name if new_name is None else clean_name(new_name),
                question=before.question if question is None else clean_line(question),
                answer=before.answer if answer is None else clean_answer(answer),
                phrasings=(
                    before.phrasings
                    if phrasings is None
                    else dedupe(clean_line(p) for p in phrasings)
                ),
                updated_at=now,
            )
            problems = validate_entry(after.name, after.question, after.answer, after.phrasings)
            if problems:
                raise InvalidEntry(problems)
            if after.name != before.name:
                others = await live_names(conn, guild_id)
                taken = validate_name(after.name, existing_names=others)
                if taken:
                    raise DuplicateName(taken[0])
            if after.same_content(before):
                raise NoChanges(msg.FAQ_EDIT_UNCHANGED)
            await update_entry(conn, row["id"], before, after)
            await record_change(conn, row["id"], guild_id, "edit", actor_id, now, before, after)
        return after

    async def remove(self, guild_id: int, name: str, actor_id: int | None) -> FaqEntry:
        """Soft-delete a live entry: it disappears but can be restored."""
        now = self._clock()
        async with self._writing() as conn:
            row = await live_row(conn, guild_id, clean_name(name))
            if row is None:
                raise EntryNotFound(msg.FAQ_NOT_FOUND.format(name=clean_name(name)))
            entry = (await entries_of(conn, [row]))[0]
            await conn.execute(
                "UPDATE faq_entries SET deleted_at = ? WHERE id = ? AND guild_id = ?",
                (time_to_text(now), row["id"], guild_id),
            )
            await record_change(conn, row["id"], guild_id, "remove", actor_id, now, entry, None)
        return entry

    async def restore(self, guild_id: int, name: str, actor_id: int | None) -> FaqEntry:
        """Bring back the most recently removed entry called `name`."""
        name = clean_name(name)
        now = self._clock()
        async with self._writing() as conn:
            row = await fetch_one(
                conn,
                f"SELECT {ENTRY_COLUMNS} FROM faq_entries"
                " WHERE guild_id = ? AND name = ? AND deleted_at IS NOT NULL"
                " ORDER BY deleted_at DESC, id DESC LIMIT 1",
                (guild_id, name),
            )
            if row is None:
                raise EntryNotFound(msg.FAQ_NOT_DELETED.format(name=name))
            if await live_row(conn, guild_id, name) is not None:
                raise DuplicateName(msg.FAQ_RESTORE_TAKEN.format(name=name))
            if len(await live_names(conn, guild_id)) >= self.max_entries:
                raise LimitReached(msg.FAQ_LIMIT_REACHED.format(max=self.max_entries))
            entry = (await entries_of(conn, [row]))[0]
            await conn.execute(
                "UPDATE faq_entries SET deleted_at = NULL WHERE id = ? AND guild_id = ?",
                (row["id"], guild_id),
            )
            await record_change(conn, row["id"], guild_id, "restore", actor_id, now, None, entry)
        return entry

    async def import_entries(
        self, guild_id: int, entries: Sequence[FaqRecord], actor_id: int | None
    ) -> ImportResult:
        """Add or update entries by name, all or nothing.

        Entries absent from the file are left alone. Any invalid entry, a name
        repeated in the file, or going over the cap aborts the whole import.
        """
        if not entries:
            raise InvalidEntry([msg.FAQ_IMPORT_EMPTY])
        prepared: list[FaqEntry] = []
        problems: list[str] = []
        seen: set[str] = set()
        for number, record in enumerate(entries, start=1):
            entry = new_entry(
                guild_id,
                record["name"],
                record["question"],
                record["answer"],
                record.get("phrasings", []),
                author_id=actor_id,
            )
            for problem in validate_entry(
                entry.name, entry.question, entry.answer, entry.phrasings
            ):
                shown = entry.name or slugify(entry.question) or "?"
                problems.append(
                    msg.FAQ_IMPORT_ENTRY_PROBLEM.format(number=number, name=shown, problem=problem)
                )
            if entry.name and entry.name in seen:
                problems.append(msg.FAQ_IMPORT_DUPLICATE.format(number=number, name=entry.name))
            seen.add(entry.name)
            prepared.append(entry)
        if problems:
            raise InvalidEntry(problems, intro=msg.FAQ_IMPORT_REJECTED)

        now = self._clock()
        added = updated = unchanged = 0
        async with self._writing() as conn:
            rows = await fetch_all(
                conn,
                f"SELECT {ENTRY_COLUMNS} FROM faq_entries"
                " WHERE guild_id = ? AND deleted_at IS NULL",
                (guild_id,),
            )
            live = {row["name"]: row for row in rows}
            total = len(live) + sum(1 for e in prepared if e.name not in live)
            if total > self.max_entries:
                raise LimitReached(msg.FAQ_IMPORT_LIMIT.format(total=total, max=self.max_entries))
            for entry in prepared:
                row = live.get(entry.name)
                if row is None:
                    stored = replace(entry, created_at=now, updated_at=now)
                    entry_id = await insert_entry(conn, stored)
                    await record_change(
                        conn, entry_id, guild_id, "import", actor_id, now, None, stored
                    )
                    added += 1
                    continue
                before = (await entries_of(conn, [row]))[0]
                after = replace(
                    before,
                    question=entry.question,
                    answer=entry.answer,
                    phrasings=entry.phrasings,
                    updated_at=now,
                )
                if after.same_content(before):
                    unchanged += 1
                    continue
                await update_entry(conn, row["id"], before, after)
                await record_change(
                    conn, row["id"], guild_id, "import", actor_id, now, before, after
                )
                updated += 1
        return ImportResult(added=added, updated=updated, unchanged=unchanged)

    async def _derived_name(
        self, conn: aiosqlite.Connection, entry: FaqEntry, base_name: str
    ) -> str:
        """A free name for `entry`, read inside the write transaction that will use it."""
        rows = await fetch_all(
            conn,
            "SELECT name, question, deleted_at IS NULL AS live FROM faq_entries WHERE guild_id = ?",
            (entry.guild_id,),
        )
        wanted = _question_key(entry.question)
        for row in rows:
            if row["live"] and _question_key(row["question"]) == wanted:
                raise DuplicateName(msg.FAQ_SAME_QUESTION.format(name=row["name"]))
        # Removed entries' names too: taking one would block its restore.
        return free_name(base_name, (str(row["name"]) for row in rows))


def _question_key(question: str) -> str:
    return " ".join(question.split()).casefold()
