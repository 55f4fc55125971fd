-- Questions the bot could not answer, and 👍/👎 votes on its answers.

CREATE TABLE unanswered_questions (
    guild_id    INTEGER NOT NULL,
    normalized  TEXT    NOT NULL,
    example     TEXT    NOT NULL,  -- one raw wording, as first asked
    count       INTEGER NOT NULL DEFAULT 1 CHECK (count >= 1),
    first_seen  TEXT    NOT NULL,
    last_seen   TEXT    NOT NULL,
    PRIMARY KEY (guild_id, normalized)
);
CREATE INDEX unanswered_questions_top
    ON unanswered_questions (guild_id, count DESC, last_seen DESC);

CREATE TABLE answer_feedback (
    guild_id     INTEGER NOT NULL,
    channel_id   INTEGER NOT NULL,
    message_id   INTEGER NOT NULL,  -- the bot's answer message
    user_id      INTEGER NOT NULL,
    answer_kind  TEXT    NOT NULL,  -- e.g. feature, overview, faq, unknown
    subject      TEXT,              -- feature id or FAQ name, if any
    helpful      INTEGER NOT NULL CHECK (helpful IN (0, 1)),
    at           TEXT    NOT NULL,
    PRIMARY KEY (guild_id, message_id, user_id)  -- one vote per user and answer
);
CREATE INDEX answer_feedback_subject ON answer_feedback (guild_id, answer_kind, subject);
