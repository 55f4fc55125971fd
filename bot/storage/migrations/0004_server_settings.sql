-- Per-server settings set from Discord (/impostazioni), and who changed them.
-- Only what a server set is stored; anything missing is the deployment default.

CREATE TABLE server_settings (
    guild_id    INTEGER NOT NULL,
    key         TEXT    NOT NULL,  -- e.g. auto_answer_channels, sensitivity
    value       TEXT    NOT NULL,  -- JSON
    updated_by  INTEGER NOT NULL,
    updated_at  TEXT    NOT NULL,
    PRIMARY KEY (guild_id, key)
);

CREATE TABLE server_settings_history (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    guild_id    INTEGER NOT NULL,
    key         TEXT    NOT NULL,
    old_value   TEXT,              -- JSON; NULL: the default was in force
    new_value   TEXT,              -- JSON; NULL: back to the default
    changed_by  INTEGER NOT NULL,
    changed_at  TEXT    NOT NULL
);
CREATE INDEX server_settings_history_recent
    ON server_settings_history (guild_id, changed_at DESC, id DESC);
