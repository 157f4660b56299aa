-- Rated usage records and the month's cumulative quantities of tiered prices (SQLite).
-- Decimals (quantities, amounts) are canonical decimal TEXT: never summed or compared in SQL.
--
-- Shaped for bulk ingestion and keyset listing (see docs/BENCHMARKS.md):
-- - a record's descriptive fields, the same hour after hour for one resource at one price,
--   are stored once per distinct value in `usage_series`; `usage_records` holds per record
--   only what varies;
-- - `seq` is the rowid, so records append in storage order; the wire id is derived from it;
-- - records name their account by a small integer (`usage_accounts`), so the listing indexes
--   compare integers: (account, usage date, seq) and (account, seq) = (account, created_at),
--   the rowid ending both implicitly;
-- - the only index written at a random position is the de-duplication key: `record_id`
--   led by `record_key`, a 64-bit SipHash-1-3 of it, so probes compare integers and text
--   only on a (rare) equal hash.

CREATE TABLE usage_accounts (
    number     INTEGER PRIMARY KEY,
    account_id TEXT    NOT NULL UNIQUE REFERENCES accounts (id)
);

CREATE TABLE usage_series (
    id                INTEGER PRIMARY KEY,
    series_key        TEXT    NOT NULL UNIQUE,
    account_id        TEXT    NOT NULL REFERENCES accounts (id),
    resource_id       TEXT    NOT NULL,
    resource_name     TEXT    NOT NULL,
    billing_item_id   TEXT    NOT NULL,
    service_category  TEXT    NOT NULL,
    ccbs_product_code TEXT    NOT NULL,
    region            TEXT    NOT NULL,
    contract_id       TEXT,
    order_status      TEXT    NOT NULL,
    status_code       INTEGER NOT NULL,
    attributes        TEXT    NOT NULL,
    unit              TEXT    NOT NULL,
    offering          TEXT    NOT NULL,
    price_id          TEXT    NOT NULL
);

-- No foreign keys on the hot table: ingestion writes only series and account numbers it has
-- just found or stored in the same transaction.
CREATE TABLE usage_records (
    seq          INTEGER PRIMARY KEY,
    record_key   INTEGER NOT NULL,
    record_id    TEXT    NOT NULL,
    account_no   INTEGER NOT NULL,
    series_id    INTEGER NOT NULL,
    period_start INTEGER NOT NULL,
    period_end   INTEGER NOT NULL,
    quantity     TEXT    NOT NULL,
    amount_krw   TEXT    NOT NULL,
    amount_usd   TEXT    NOT NULL,
    created_at   INTEGER NOT NULL
);

CREATE UNIQUE INDEX usage_by_record ON usage_records (record_key, record_id);
CREATE INDEX usage_by_account_date ON usage_records (account_no, period_start);
CREATE INDEX usage_by_account ON usage_records (account_no);

CREATE TABLE usage_tier_totals (
    account_id  TEXT NOT NULL,
    usage_month TEXT NOT NULL,
    price_id    TEXT NOT NULL,
    quantity    TEXT NOT NULL,
    PRIMARY KEY (account_id, usage_month, price_id)
);
