-- Budgets that act (SQLite): what the evaluator remembers of each budget, every notification
-- it decided (the ledger that makes each mail happen once), the mail outbox, and the leases
-- that keep replicas from doing one job twice. Decimals are canonical decimal TEXT (never
-- summed or compared in SQL); instants are INTEGER microseconds since the epoch (UTC).

-- The last evaluation of a budget (see crates/domain/src/budget_eval.rs).
CREATE TABLE budget_evaluations (
    budget_id           TEXT    NOT NULL PRIMARY KEY,
    account_id          TEXT    NOT NULL,
    period_key          TEXT    NOT NULL,
    cost                TEXT    NOT NULL,
    percent             TEXT    NOT NULL,
    crossed             TEXT    NOT NULL,
    forecast            TEXT,
    preventing_since    INTEGER,
    prevention_episodes INTEGER NOT NULL,
    evaluated_at        INTEGER NOT NULL
);

CREATE INDEX budget_evaluations_account ON budget_evaluations (account_id);

-- Every notification decided, mailed or not. A budget records a key once: that uniqueness,
-- not the caller's care, makes FIRST once per threshold and period, DAILY once a day.
CREATE TABLE budget_notifications (
    seq         INTEGER PRIMARY KEY,
    budget_id   TEXT    NOT NULL,
    account_id  TEXT    NOT NULL,
    notice_key  TEXT    NOT NULL,
    kind        TEXT    NOT NULL,
    period_key  TEXT    NOT NULL,
    threshold   INTEGER NOT NULL,
    amount      INTEGER NOT NULL,
    cost        TEXT    NOT NULL,
    percent     TEXT    NOT NULL,
    receivers   TEXT    NOT NULL,
    created_at  INTEGER NOT NULL,
    CONSTRAINT budget_notifications_key UNIQUE (budget_id, notice_key)
);

CREATE INDEX budget_notifications_account ON budget_notifications (account_id, budget_id, seq);

-- Mail to send, one row per recipient, written in the transaction that records its
-- notification. States: PENDING (due at next_attempt_at), SENDING (claimed by a sender until
-- claimed_until), SENT, FAILED (given up), UNCERTAIN (a sender died mid-send and delivery is
-- at most once).
CREATE TABLE mail_outbox (
    seq              INTEGER PRIMARY KEY,
    notification_seq INTEGER NOT NULL,
    recipient        TEXT    NOT NULL,
    subject          TEXT    NOT NULL,
    body             TEXT    NOT NULL,
    message_id       TEXT    NOT NULL,
    state            TEXT    NOT NULL,
    attempts         INTEGER NOT NULL,
    next_attempt_at  INTEGER NOT NULL,
    claimed_by       TEXT,
    claimed_until    INTEGER,
    last_error       TEXT,
    created_at       INTEGER NOT NULL,
    sent_at          INTEGER,
    CONSTRAINT mail_outbox_message UNIQUE (message_id)
);

CREATE INDEX mail_outbox_due ON mail_outbox (state, next_attempt_at, seq);
CREATE INDEX mail_outbox_notification ON mail_outbox (notification_seq);

-- Named leases: one holder at a time until it expires.
CREATE TABLE job_leases (
    name       TEXT    NOT NULL PRIMARY KEY,
    holder     TEXT    NOT NULL,
    expires_at INTEGER NOT NULL
);

-- A demo database's time: `scpfm serve --demo` records when demo time starts and when that was
-- (real time); every scpfm process on the database then runs its clock from there, so demo
-- data and the README's dates stay valid whenever the demo is run. One row at most.
CREATE TABLE demo_clock (
    id         INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
    demo_start INTEGER NOT NULL,
    started_at INTEGER NOT NULL
);
