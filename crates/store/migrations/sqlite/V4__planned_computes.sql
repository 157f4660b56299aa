-- Planned compute contracts and the history of their changes (SQLite).
-- Dates are KST calendar dates as YYYY-MM-DD text; instants are microseconds (UTC).
-- The contract number (C + 9 digits) is derived from `seq`.

CREATE TABLE planned_computes (
    seq                INTEGER PRIMARY KEY,
    id                 TEXT    NOT NULL UNIQUE,
    account_id         TEXT    NOT NULL REFERENCES accounts (id),
    region             TEXT    NOT NULL,
    service_id         TEXT    NOT NULL,
    server_type        TEXT    NOT NULL,
    os_type            TEXT    NOT NULL,
    contract_type      TEXT    NOT NULL,
    start_date         TEXT    NOT NULL,
    end_date           TEXT    NOT NULL,
    first_start_date   TEXT    NOT NULL,
    next_contract_type TEXT,
    next_start_date    TEXT,
    next_end_date      TEXT,
    state              TEXT    NOT NULL,
    tags               TEXT    NOT NULL,
    resource_name      TEXT,
    created_at         BIGINT  NOT NULL,
    created_by         TEXT    NOT NULL,
    modified_at        BIGINT  NOT NULL,
    modified_by        TEXT    NOT NULL,
    cancelled_at       BIGINT
);

CREATE INDEX planned_computes_by_account ON planned_computes (account_id, seq);
CREATE INDEX planned_computes_by_state ON planned_computes (state, end_date);

CREATE TABLE planned_compute_changes (
    seq                INTEGER PRIMARY KEY,
    planned_compute_id TEXT    NOT NULL,
    action             TEXT    NOT NULL,
    detail             TEXT    NOT NULL,
    changed_at         BIGINT  NOT NULL,
    changed_by         TEXT    NOT NULL
);

CREATE INDEX planned_compute_changes_by_contract ON planned_compute_changes (planned_compute_id, seq);
