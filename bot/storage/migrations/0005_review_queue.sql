-- Moderators teach the bot: questions waiting for review, and the lessons
-- taken from them (issue 9, item 5).

-- A question a member voted 👎 on, or one the bot could not answer; one row
-- per guild and normalized question, counted like the unanswered log.
CREATE TABLE review_queue (
    id           INTEGER PRIMARY KEY,
    guild_id     INTEGER NOT NULL,
    normalized   TEXT    NOT NULL,
    question     TEXT    NOT NULL,  -- one raw wording, as first asked
    reason       TEXT    NOT NULL CHECK (reason IN ('unhelpful', 'unanswered')),
    answer_kind  TEXT,              -- what the bot answered (for 👎)
    subject      TEXT,              -- feature id or FAQ name it answered with
    count        INTEGER NOT NULL DEFAULT 1 CHECK (count >= 1),
    first_seen   TEXT    NOT NULL,
    last_seen    TEXT    NOT NULL,
    lesson_id    INTEGER REFERENCES taught_lessons (id),  -- NULL while waiting
    UNIQUE (guild_id, normalized)
);
CREATE INDEX review_queue_waiting ON review_queue (guild_id, lesson_id, count DESC, last_seen DESC);

-- What a moderator decided for a question, with who and when. Undo marks the
-- row instead of deleting it, so the record of who taught what stays.
CREATE TABLE taught_lessons (
    id          INTEGER PRIMARY KEY,
    guild_id    INTEGER NOT NULL,
    question    TEXT    NOT NULL,
    normalized  TEXT    NOT NULL,
    choice      TEXT    NOT NULL CHECK (choice IN ('feature', 'faq', 'silence', 'dismiss')),
    feature     TEXT,
    system      TEXT,
    faq_name    TEXT,
    actor_id    INTEGER,  -- NULL when taught from the console
    at          TEXT    NOT NULL,
    undone_by   INTEGER,
    undone_at   TEXT,     -- NULL while the lesson holds
    CHECK ((choice = 'feature') = (feature IS NOT NULL)),
    CHECK ((choice = 'faq') = (faq_name IS NOT NULL))
);
CREATE INDEX taught_lessons_live ON taught_lessons (guild_id, undone_at, id);
