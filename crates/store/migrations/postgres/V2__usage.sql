-- Rated usage records and the month's cumulative quantities of tiered prices (PostgreSQL).
-- Decimals (quantities, amounts) are exact NUMERIC.
--
-- Shaped for bulk ingestion and keyset listing (see docs/BENCHMARKS.md):
-- - a record's descriptive fields, the same hour after hour for one resource at one price,
--   are stored once per distinct value in `usage_series`; `usage_records` holds per record
--   only what varies;
-- - `seq` numbers records in storage order; the wire id is derived from it;
-- - records name their account by a small integer (`usage_accounts`), so the listing indexes
--   compare integers: (account, usage date, seq) and (account, seq) = (account, created_at);
-- - the only index written at a random position is the de-duplication key: `record_id`
--   led by `record_key`, a 64-bit SipHash-1-3 of it, so probes compare integers and text
--   only on a (rare) equal hash.

CREATE TABLE usage_accounts (
    number     BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_id TEXT COLLATE "C" NOT NULL UNIQUE REFERENCES accounts (id)
);

CREATE TABLE usage_series (
    id                BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    series_key        TEXT COLLATE "C" NOT NULL UNIQUE,
    account_id        TEXT COLLATE "C" NOT NULL REFERENCES accounts (id),
    resource_id       TEXT    NOT NULL,
    resource_name     TEXT    NOT NULL,
    billing_item_id   TEXT    NOT NULL,
    service_category  TEXT    NOT NULL,
    ccbs_product_code TEXT    NOT NULL,
    region            TEXT    NOT NULL,
    contract_id       TEXT,
    order_status      TEXT    NOT NULL,
    status_code       BIGINT  NOT NULL,
    attributes        TEXT    NOT NULL,
    unit              TEXT    NOT NULL,
    offering          TEXT    NOT NULL,
    price_id          TEXT    NOT NULL
);

-- No foreign keys on the hot table (a per-row trigger on PostgreSQL): ingestion writes only
-- series and account numbers it has just found or stored in the same transaction.
CREATE TABLE usage_records (
    seq          BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    record_key   BIGINT  NOT NULL,
    record_id    TEXT COLLATE "C" NOT NULL,
    account_no   BIGINT  NOT NULL,
    series_id    BIGINT  NOT NULL,
    period_start BIGINT  NOT NULL,
    period_end   BIGINT  NOT NULL,
    quantity     NUMERIC NOT NULL,
    amount_krw   NUMERIC NOT NULL,
    amount_usd   NUMERIC NOT NULL,
    created_at   BIGINT  NOT NULL
);

CREATE UNIQUE INDEX usage_by_record ON usage_records (record_key, record_id);
CREATE INDEX usage_by_account_date ON usage_records (account_no, period_start, seq);
CREATE INDEX usage_by_account ON usage_records (account_no, seq);

CREATE TABLE usage_tier_totals (
    account_id  TEXT NOT NULL,
    usage_month TEXT NOT NULL,
    price_id    TEXT NOT NULL,
    quantity    NUMERIC NOT NULL,
    PRIMARY KEY (account_id, usage_month, price_id)
);
