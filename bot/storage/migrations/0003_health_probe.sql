-- One row that `/readyz` rewrites: a real write proves the file accepts writes
-- (a read alone succeeds on a read-only or full disk).

CREATE TABLE health_probe (
    id  INTEGER PRIMARY KEY CHECK (id = 1),
    at  TEXT    NOT NULL
);
