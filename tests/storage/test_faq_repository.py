"""FaqRepository on a real SQLite file: CRUD, history, soft delete, isolation, caps, import."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import datetime
from typing import Any

import pytest

from bot.core.faq import new_entry
from bot.core.faq_yaml import FaqRecord, dump_entries, load_entries
from bot.storage import (
    Database,
    DuplicateName,
    EntryNotFound,
    FaqError,
    FaqRepository,
    ImportResult,
    InvalidEntry,
    LimitReached,
    NoChanges,
    WriteFailed,
    faq_repository,
)

GUILD = 111
OTHER = 222
MOD = 42


def entry(name: str = "installazione", guild: int = GUILD, **fields: Any) -> Any:
    return new_entry(
        guild,
        name,
        fields.get("question", "Come installo Kubernetes?"),
        fields.get("answer", "Segui la guida ufficiale."),
        fields.get("phrasings", ("installare k8s",)),
        author_id=fields.get("author_id"),
    )


def record(name: str, **fields: Any) -> FaqRecord:
    return {
        "name": name,
        "question": fields.get("question", f"Domanda su {name}?"),
        "answer": fields.get("answer", f"Risposta su {name}."),
        "phrasings": list(fields.get("phrasings", [])),
    }


async def dump_table(db: Database, table: str) -> list[tuple[Any, ...]]:
    return [tuple(row) for row in await db.fetch_all(f"SELECT * FROM {table} ORDER BY 1, 2")]


async def snapshot_all(db: Database) -> dict[str, list[tuple[Any, ...]]]:
    names = ["faq_entries", "faq_phrasings", "faq_history"]
    return {name: await dump_table(db, name) for name in names}


# --- CRUD ---------------------------------------------------------------------


async def test_add_and_read_back(repo: FaqRepository) -> None:
    stored = await repo.add(entry(phrasings=("installare k8s", "setup cluster")), actor_id=MOD)
    assert stored.author_id == MOD
    assert stored.created_at is not None and stored.created_at == stored.updated_at

    got = await repo.get(GUILD, "installazione")
    assert got == stored
    assert got is not None and got.phrasings == ("installare k8s", "setup cluster")
    assert got.created_at == stored.created_at
    assert await repo.get(GUILD, "  INSTALLAZIONE ") == stored  # lookups are forgiving
    assert await repo.count(GUILD) == 1
    assert await repo.all_entries(GUILD) == [stored]


async def test_add_cleans_input(repo: FaqRepository) -> None:
    raw = new_entry(GUILD, "x", "q", "r")
    from dataclasses import replace

    messy = replace(raw, name="  Pulita ", question="  Domanda?  ", phrasings=(" a ", "A", ""))
    stored = await repo.add(messy, actor_id=None)
    assert (stored.name, stored.question, stored.phrasings) == ("pulita", "Domanda?", ("a",))


async def test_list_pages_sorted_by_name(repo: FaqRepository) -> None:
    for name in ["gamma", "alfa", "delta", "beta"]:
        await repo.add(entry(name), actor_id=MOD)
    page1 = await repo.list_entries(GUILD, offset=0, limit=3)
    page2 = await repo.list_entries(GUILD, offset=3, limit=3)
    assert [e.name for e in page1] == ["alfa", "beta", "delta"]
    assert [e.name for e in page2] == ["gamma"]
    assert all(e.phrasings == ("installare k8s",) for e in page1 + page2)
    assert await repo.list_entries(GUILD, offset=10, limit=3) == []


async def test_edit_fields_and_rename(repo: FaqRepository) -> None:
    await repo.add(entry(), actor_id=MOD)
    edited = await repo.edit(
        GUILD,
        "installazione",
        answer="Usa **kubeadm**.",
        phrasings=["nuova variante"],
        new_name="installare-k8s",
        actor_id=7,
    )
    assert edited.name == "installare-k8s"
    assert edited.question == "Come installo Kubernetes?"
    assert edited.answer == "Usa **kubeadm**."
    assert edited.phrasings == ("nuova variante",)
    assert edited.author_id == MOD  # the author stays; the editor is in the history
    assert await repo.get(GUILD, "installazione") is None
    assert await repo.get(GUILD, "installare-k8s") == edited

    cleared = await repo.edit(GUILD, "installare-k8s", phrasings=[], actor_id=7)
    assert cleared.phrasings == ()


async def test_edit_errors(repo: FaqRepository) -> None:
    await repo.add(entry("prima"), actor_id=MOD)
    await repo.add(entry("seconda"), actor_id=MOD)
    with pytest.raises(EntryNotFound, match="«manca»"):
        await repo.edit(GUILD, "manca", answer="x", actor_id=MOD)
    with pytest.raises(NoChanges, match="almeno un campo"):
        await repo.edit(GUILD, "prima", actor_id=MOD)
    with pytest.raises(NoChanges, match="uguali"):
        await repo.edit(GUILD, "prima", answer="  Segui la guida ufficiale. ", actor_id=MOD)
    with pytest.raises(InvalidEntry, match="La risposta non può essere vuota"):
        await repo.edit(GUILD, "prima", answer="   ", actor_id=MOD)
    with pytest.raises(DuplicateName, match="«seconda-2»"):
        await repo.edit(GUILD, "prima", new_name="seconda", actor_id=MOD)
    with pytest.raises(InvalidEntry, match="non va bene"):
        await repo.edit(GUILD, "prima", new_name="Con Spazi", actor_id=MOD)
    assert len(await repo.history(GUILD, "prima")) == 1  # failed edits leave no trace


async def test_duplicate_name_is_refused_with_suggestion(repo: FaqRepository) -> None:
    await repo.add(entry(), actor_id=MOD)
    await repo.add(entry("installazione-2"), actor_id=MOD)
    with pytest.raises(DuplicateName) as error:
        await repo.add(entry(), actor_id=MOD)
    assert "«installazione-3»" in error.value.message
    assert await repo.count(GUILD) == 2


async def test_invalid_entry_is_refused(repo: FaqRepository) -> None:
    with pytest.raises(InvalidEntry) as error:
        await repo.add(entry("Nome Sbagliato", question="", answer="ok"), actor_id=MOD)
    assert len(error.value.problems) == 2
    assert isinstance(error.value, FaqError)
    assert await repo.count(GUILD) == 0


# --- soft delete and history ----------------------------------------------------


async def test_remove_is_soft_and_restore_brings_it_back(repo: FaqRepository, db: Database) -> None:
    added = await repo.add(entry(), actor_id=MOD)
    removed = await repo.remove(GUILD, "installazione", actor_id=7)
    assert removed == added
    assert await repo.get(GUILD, "installazione") is None
    assert await repo.count(GUILD) == 0
    assert await repo.all_entries(GUILD) == []
    row = await db.fetch_one("SELECT deleted_at FROM faq_entries WHERE name = 'installazione'")
    assert row is not None and row[0] is not None

    with pytest.raises(EntryNotFound):
        await repo.remove(GUILD, "installazione", actor_id=7)
    assert await repo.search_removed_names(GUILD, "inst") == ["installazione"]

    restored = await repo.restore(GUILD, "installazione", actor_id=8)
    assert restored == added and restored.phrasings == added.phrasings
    assert await repo.get(GUILD, "installazione") == added
    assert await repo.search_removed_names(GUILD, "") == []
    with pytest.raises(EntryNotFound, match="eliminata"):
        await repo.restore(GUILD, "installazione", actor_id=8)


async def test_removed_name_can_be_reused_and_restore_then_refuses(repo: FaqRepository) -> None:
    await repo.add(entry(answer="vecchia"), actor_id=MOD)
    await repo.remove(GUILD, "installazione", actor_id=MOD)
    await repo.add(entry(answer="nuova"), actor_id=MOD)
    with pytest.raises(DuplicateName, match="nel frattempo"):
        await repo.restore(GUILD, "installazione", actor_id=MOD)
    current = await repo.get(GUILD, "installazione")
    assert current is not None and current.answer == "nuova"


async def test_history_records_before_and_after(repo: FaqRepository) -> None:
    await repo.add(entry(), actor_id=MOD)
    await repo.edit(GUILD, "installazione", answer="Nuova risposta.", actor_id=7)
    await repo.remove(GUILD, "installazione", actor_id=8)
    await repo.restore(GUILD, "installazione", actor_id=9)

    history = await repo.history(GUILD, "installazione")
    assert [(h.action, h.actor_id) for h in history] == [
        ("add", MOD),
        ("edit", 7),
        ("remove", 8),
        ("restore", 9),
    ]
    add, edit, remove, restore = history
    assert add.before is None
    assert add.after == {
        "name": "installazione",
        "question": "Come installo Kubernetes?",
        "answer": "Segui la guida ufficiale.",
        "phrasings": ["installare k8s"],
        "author_id": MOD,
    }
    assert edit.before == add.after
    assert edit.after == {**add.after, "answer": "Nuova risposta."}
    assert edit.changed_fields() == ["answer"]
    assert remove.before == edit.after and remove.after is None
    assert restore.before is None and restore.after == edit.after
    assert [h.at for h in history] == sorted(h.at for h in history)
    assert all(isinstance(h.at, datetime) for h in history)


async def test_history_follows_renames_and_reused_names(repo: FaqRepository) -> None:
    await repo.add(entry("vecchio"), actor_id=MOD)
    await repo.edit(GUILD, "vecchio", new_name="nuovo", actor_id=MOD)
    [add, rename] = await repo.history(GUILD, "nuovo")
    assert add.action == "add" and (add.after or {})["name"] == "vecchio"
    assert rename.changed_fields() == ["name"]
    assert (rename.before or {})["name"] == "vecchio"
    with pytest.raises(EntryNotFound):
        await repo.history(GUILD, "mai-esistita")


async def test_a_failed_write_leaves_nothing_behind(
    repo: FaqRepository, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    await repo.add(entry("esistente"), actor_id=MOD)
    before = await snapshot_all(db)

    async def broken_record(*args: object) -> None:
        raise sqlite3.OperationalError("disco pieno (simulato)")

    # The history row is the write's last step: failing it must roll back the rest.
    monkeypatch.setattr(faq_repository, "record_change", broken_record)
    with pytest.raises(WriteFailed, match="NON è stata salvata"):
        await repo.add(entry("nuova"), actor_id=MOD)
    with pytest.raises(WriteFailed):
        await repo.edit(GUILD, "esistente", answer="cambiata", actor_id=MOD)
    with pytest.raises(WriteFailed):
        await repo.remove(GUILD, "esistente", actor_id=MOD)
    assert await snapshot_all(db) == before


# --- isolation, caps ------------------------------------------------------------


async def test_guilds_never_see_or_change_each_other(repo: FaqRepository) -> None:
    ours = await repo.add(entry(answer="nostra"), actor_id=MOD)
    theirs = await repo.add(entry(guild=OTHER, answer="loro"), actor_id=MOD)
    await repo.add(entry("solo-nostra"), actor_id=MOD)

    assert await repo.get(OTHER, "solo-nostra") is None
    assert await repo.count(OTHER) == 1
    assert [e.name for e in await repo.list_entries(OTHER)] == ["installazione"]
    assert await repo.search_names(OTHER, "solo") == []
    assert await repo.all_entries(OTHER) == [theirs]

    with pytest.raises(EntryNotFound):
        await repo.edit(OTHER, "solo-nostra", answer="x", actor_id=MOD)
    with pytest.raises(EntryNotFound):
        await repo.remove(OTHER, "solo-nostra", actor_id=MOD)
    with pytest.raises(EntryNotFound):
        await repo.history(OTHER, "solo-nostra")

    await repo.edit(OTHER, "installazione", answer="loro, cambiata", actor_id=MOD)
    await repo.remove(OTHER, "installazione", actor_id=MOD)
    assert await repo.get(GUILD, "installazione") == ours
    assert len(await repo.history(GUILD, "installazione")) == 1
    with pytest.raises(EntryNotFound):
        await repo.restore(GUILD, "installazione-x", actor_id=MOD)


async def test_cap_per_guild(db: Database, clock: Callable[[], datetime]) -> None:
    repo = FaqRepository(db, max_entries=2, clock=clock)
    await repo.add(entry("uno"), actor_id=MOD)
    await repo.add(entry("due"), actor_id=MOD)
    with pytest.raises(LimitReached) as error:
        await repo.add(entry("tre"), actor_id=MOD)
    assert "già 2 FAQ" in error.value.message
    await repo.add(entry("tre", guild=OTHER), actor_id=MOD)  # other guilds have their own cap

    await repo.remove(GUILD, "due", actor_id=MOD)
    await repo.add(entry("tre"), actor_id=MOD)
    with pytest.raises(LimitReached):
        await repo.restore(GUILD, "due", actor_id=MOD)
    assert await repo.count(GUILD) == 2


# --- hostile input --------------------------------------------------------------

HOSTILE = [
    "'); DROP TABLE faq_entries;--",
    '"; DELETE FROM faq_history; --',
    "@everyone @here <@123456789012345678> <@&987654321>",
    "**grassetto** __sottolineato__ ~~barrato~~ `x` ```py\nprint('ciao')\n``` ||spoiler||",
    "% _ \\ [link](https://example.com) <script>alert(1)</script>",
]


@pytest.mark.parametrize("text", HOSTILE)
async def test_hostile_text_is_stored_verbatim_and_nothing_else_changes(
    repo: FaqRepository, db: Database, text: str
) -> None:
    await repo.add(entry("testimone", guild=OTHER), actor_id=MOD)
    witness = await snapshot_all(db)
    schema = await dump_table(db, "sqlite_master")

    stored = await repo.add(
        entry("ostile", question=text.replace("\n", " "), answer=text, phrasings=[text[:50]]),
        actor_id=MOD,
    )
    got = await repo.get(GUILD, "ostile")
    assert got == stored
    assert got is not None and got.answer == text
    assert got.question == text.replace("\n", " ")
    assert await repo.search_names(GUILD, text) in ([], ["ostile"])
    assert await repo.get(GUILD, text) is None
    with pytest.raises(EntryNotFound):
        await repo.remove(GUILD, text, actor_id=MOD)

    assert await dump_table(db, "sqlite_master") == schema
    after = await snapshot_all(db)
    for table, rows in witness.items():
        assert set(rows) <= set(after[table])  # nothing that existed was touched
    assert await db.integrity_check() == "ok"


async def test_hostile_names_are_refused_not_executed(repo: FaqRepository, db: Database) -> None:
    with pytest.raises(InvalidEntry):
        await repo.add(entry("'); DROP TABLE faq_entries;--"), actor_id=MOD)
    with pytest.raises(InvalidEntry):
        await repo.add(entry("x", question="domanda\x00nascosta"), actor_id=MOD)
    assert {"faq_entries", "faq_history"} <= {
        row[0] for row in await db.fetch_all("SELECT name FROM sqlite_master")
    }


async def test_search_names_for_autocomplete(repo: FaqRepository) -> None:
    for name, question in [
        ("volumi", "Come funzionano i volumi?"),
        ("rete", "Come si configura la rete?"),
        ("reti-overlay", "Cos'è una rete overlay?"),
        ("scalare-rete", "Come scalo?"),
        ("aggiornamenti", "Come aggiorno la rete?"),
    ]:
        await repo.add(entry(name, question=question), actor_id=MOD)
    assert await repo.search_names(GUILD, "ret") == [
        "rete",
        "reti-overlay",
        "scalare-rete",
        "aggiornamenti",
    ]
    assert await repo.search_names(GUILD, "Reti Overlay") == ["reti-overlay"]
    assert await repo.search_names(GUILD, "", limit=2) == ["aggiornamenti", "rete"]
    assert await repo.search_names(GUILD, "ret", limit=1) == ["rete"]
    await repo.remove(GUILD, "rete", actor_id=MOD)
    assert "rete" not in await repo.search_names(GUILD, "ret")


async def test_taken_names_include_removed_entries(repo: FaqRepository) -> None:
    assert await repo.taken_names(GUILD) == set()
    await repo.add(entry("rete"), actor_id=MOD)
    await repo.add(entry("volumi"), actor_id=MOD)
    await repo.add(entry("altrove", guild=OTHER), actor_id=MOD)
    await repo.remove(GUILD, "rete", actor_id=MOD)
    assert await repo.taken_names(GUILD) == {"rete", "volumi"}


# --- export / import --------------------------------------------------------------


async def test_export_import_round_trip_to_another_guild(repo: FaqRepository) -> None:
    await repo.add(entry(answer="Riga 1\n\n```sh\nkubectl apply\n```\n@everyone"), actor_id=MOD)
    await repo.add(entry("volumi", phrasings=()), actor_id=MOD)
    text = dump_entries(await repo.export(GUILD))

    result = await repo.import_entries(OTHER, load_entries(text), actor_id=7)
    assert result == ImportResult(added=2, updated=0, unchanged=0)
    copied = await repo.all_entries(OTHER)
    originals = await repo.all_entries(GUILD)
    assert [(e.name, e.question, e.answer, e.phrasings) for e in copied] == [
        (e.name, e.question, e.answer, e.phrasings) for e in originals
    ]
    assert all(e.author_id == 7 and e.guild_id == OTHER for e in copied)
    [imported] = await repo.history(OTHER, "volumi")
    assert imported.action == "import" and imported.before is None


async def test_import_updates_by_name_and_counts_unchanged(repo: FaqRepository) -> None:
    await repo.add(entry("uguale", question="Q?", answer="R.", phrasings=()), actor_id=MOD)
    await repo.add(entry("cambia", question="Q?", answer="vecchia", phrasings=()), actor_id=MOD)
    await repo.add(entry("non-nel-file"), actor_id=MOD)
    result = await repo.import_entries(
        GUILD,
        [
            record("uguale", question="Q?", answer="R."),
            record("cambia", question="Q?", answer="nuova", phrasings=["p"]),
            record("nuova"),
        ],
        actor_id=7,
    )
    assert result == ImportResult(added=1, updated=1, unchanged=1)
    changed = await repo.get(GUILD, "cambia")
    assert changed is not None and (changed.answer, changed.phrasings) == ("nuova", ("p",))
    assert changed.author_id == MOD
    assert await repo.get(GUILD, "non-nel-file") is not None
    last = (await repo.history(GUILD, "cambia"))[-1]
    assert last.action == "import" and last.changed_fields() == ["answer", "phrasings"]
    assert len(await repo.history(GUILD, "uguale")) == 1


async def test_import_is_all_or_nothing(repo: FaqRepository, db: Database) -> None:
    await repo.add(entry("esistente", answer="originale"), actor_id=MOD)
    before = await snapshot_all(db)

    with pytest.raises(InvalidEntry) as error:
        await repo.import_entries(
            GUILD,
            [
                record("esistente", answer="cambiata"),
                record("buona"),
                record("Cattiva Voce"),
                record("vuota", answer="   "),
                record("buona"),
            ],
            actor_id=7,
        )
    message = error.value.message
    assert message.startswith("Importazione annullata")
    assert "Voce n. 3 («cattiva voce»)" in message
    assert "Voce n. 4 («vuota»): La risposta non può essere vuota." in message
    assert "Voce n. 5: il nome «buona» compare più volte" in message
    assert len(error.value.problems) == 3
    assert await snapshot_all(db) == before

    with pytest.raises(InvalidEntry, match="nessuna FAQ"):
        await repo.import_entries(GUILD, [], actor_id=7)


async def test_import_respects_the_cap(db: Database, clock: Callable[[], datetime]) -> None:
    repo = FaqRepository(db, max_entries=3, clock=clock)
    await repo.add(entry("a"), actor_id=MOD)
    await repo.add(entry("b"), actor_id=MOD)
    before = await snapshot_all(db)
    with pytest.raises(LimitReached, match="diventerebbero 4"):
        await repo.import_entries(GUILD, [record("a"), record("c"), record("d")], actor_id=7)
    assert await snapshot_all(db) == before
    result = await repo.import_entries(GUILD, [record("a"), record("c")], actor_id=7)
    assert result == ImportResult(added=1, updated=1, unchanged=0)


async def test_import_failing_midway_rolls_back(
    repo: FaqRepository, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    await repo.add(entry("esistente"), actor_id=MOD)
    before = await snapshot_all(db)
    original = faq_repository.record_change
    calls = 0

    async def flaky_record(*args: Any) -> None:
        nonlocal calls
        calls += 1
        if calls == 3:
            raise sqlite3.OperationalError("errore simulato")
        await original(*args)

    monkeypatch.setattr(faq_repository, "record_change", flaky_record)
    with pytest.raises(WriteFailed):
        await repo.import_entries(
            GUILD, [record("uno"), record("esistente"), record("tre")], actor_id=7
        )
    assert await snapshot_all(db) == before
