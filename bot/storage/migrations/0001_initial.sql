-- Moderator FAQ entries, their alternative phrasings and an append-only history.
-- Timestamps are ISO 8601 text in UTC, written by the application.

CREATE TABLE faq_entries (
    id          INTEGER PRIMARY KEY,
    guild_id    INTEGER NOT NULL,
    name        TEXT    NOT NULL CHECK (length(name) BETWEEN 1 AND 32),
    question    TEXT    NOT NULL,
    answer      TEXT    NOT NULL,
    author_id   INTEGER,
    created_at  TEXT    NOT NULL,
    updated_at  TEXT    NOT NULL,
    deleted_at  TEXT    -- soft delete: NULL while the entry is live
);

-- A name is unique per guild among live entries; removed ones keep theirs.
CREATE UNIQUE INDEX faq_entries_live_name
    ON faq_entries (guild_id, name) WHERE deleted_at IS NULL;
CREATE INDEX faq_entries_guild_name ON faq_entries (guild_id, name);

CREATE TABLE faq_phrasings (
    entry_id  INTEGER NOT NULL REFERENCES faq_entries (id) ON DELETE CASCADE,
    position  INTEGER NOT NULL,
    text      TEXT    NOT NULL,
    PRIMARY KEY (entry_id, position)
) WITHOUT ROWID;

CREATE TABLE faq_history (
    id           INTEGER PRIMARY KEY,
    entry_id     INTEGER NOT NULL REFERENCES faq_entries (id),
    guild_id     INTEGER NOT NULL,
    action       TEXT    NOT NULL
                 CHECK (action IN ('add', 'edit', 'remove', 'restore', 'import')),
    actor_id     INTEGER,  -- NULL when the change came from the console
    at           TEXT    NOT NULL,
    before_json  TEXT,     -- NULL for add and restore
    after_json   TEXT      -- NULL for remove
);
CREATE INDEX faq_history_entry ON faq_history (entry_id, id);

CREATE TRIGGER faq_history_no_update BEFORE UPDATE ON faq_history
BEGIN
    SELECT RAISE(ABORT, 'faq_history is append-only');
END;

CREATE TRIGGER faq_history_no_delete BEFORE DELETE ON faq_history
BEGIN
    SELECT RAISE(ABORT, 'faq_history is append-only');
END;
