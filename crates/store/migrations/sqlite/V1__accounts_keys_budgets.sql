-- Accounts, access keys, budgets and the replay guard (SQLite).
-- Instants are INTEGER microseconds since the Unix epoch (UTC); booleans are INTEGER 0/1.

CREATE TABLE accounts (
    id               TEXT    NOT NULL PRIMARY KEY,
    name             TEXT    NOT NULL,
    payer_account_id TEXT    REFERENCES accounts (id),
    created_at       INTEGER NOT NULL,
    CONSTRAINT accounts_name_key UNIQUE (name)
);

CREATE TABLE access_keys (
    access_key  TEXT    NOT NULL PRIMARY KEY,
    secret_key  TEXT    NOT NULL,
    account_id  TEXT    NOT NULL REFERENCES accounts (id),
    user_name   TEXT    NOT NULL,
    is_admin    INTEGER NOT NULL DEFAULT 0,
    enabled     INTEGER NOT NULL DEFAULT 1,
    created_at  INTEGER NOT NULL,
    disabled_at INTEGER
);

CREATE INDEX access_keys_account ON access_keys (account_id);

CREATE TABLE budgets (
    id                       TEXT    NOT NULL PRIMARY KEY,
    account_id               TEXT    NOT NULL REFERENCES accounts (id),
    name                     TEXT    NOT NULL,
    name_folded              TEXT    NOT NULL,
    unit                     TEXT    NOT NULL,
    start_month              TEXT    NOT NULL,
    amount                   INTEGER NOT NULL,
    budget_type              TEXT    NOT NULL,
    notification_enabled     INTEGER NOT NULL,
    notification_send_period TEXT    NOT NULL,
    notification_receivers   TEXT    NOT NULL,
    notification_thresholds  TEXT    NOT NULL,
    prevention_enabled       INTEGER NOT NULL,
    prevention_receivers     TEXT    NOT NULL,
    prevention_threshold     INTEGER NOT NULL,
    created_at               INTEGER NOT NULL,
    created_by               TEXT    NOT NULL,
    modified_at              INTEGER NOT NULL,
    modified_by              TEXT    NOT NULL,
    CONSTRAINT budgets_account_name_key UNIQUE (account_id, name)
);

CREATE INDEX budgets_account_created ON budgets (account_id, created_at, id);

CREATE TABLE seen_signatures (
    signature  TEXT    NOT NULL PRIMARY KEY,
    expires_at INTEGER NOT NULL
);

CREATE INDEX seen_signatures_expiry ON seen_signatures (expires_at);
