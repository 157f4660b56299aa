-- Rated usage records and the month's cumulative quantities of tiered prices (PostgreSQL).
-- Decimals (quantities, amounts) are exact NUMERIC; ids compare bytewise (COLLATE "C") so
-- keyset pages order the same way on both engines.

CREATE TABLE usage_records (
    id                TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    record_id         TEXT    NOT NULL,
    account_id        TEXT COLLATE "C" NOT NULL REFERENCES accounts (id),
    resource_id       TEXT    NOT NULL,
    resource_name     TEXT    NOT NULL,
    billing_item_id   TEXT    NOT NULL,
    service_category  TEXT    NOT NULL,
    ccbs_product_code TEXT    NOT NULL,
    region            TEXT    NOT NULL,
    contract_id       TEXT,
    order_status      TEXT    NOT NULL,
    status_code       BIGINT NOT NULL,
    attributes        TEXT    NOT NULL,
    period_start      BIGINT NOT NULL,
    period_end        BIGINT NOT NULL,
    usage_month       TEXT    NOT NULL,
    quantity          NUMERIC NOT NULL,
    unit              TEXT    NOT NULL,
    offering          TEXT    NOT NULL,
    price_id          TEXT    NOT NULL,
    amount_krw        NUMERIC NOT NULL,
    amount_usd        NUMERIC NOT NULL,
    created_at        BIGINT NOT NULL
);

CREATE INDEX usage_by_account_date ON usage_records (account_id, period_start, id);
CREATE INDEX usage_by_account_created ON usage_records (account_id, created_at, id);

CREATE TABLE usage_tier_totals (
    account_id  TEXT NOT NULL,
    usage_month TEXT NOT NULL,
    price_id    TEXT NOT NULL,
    quantity    NUMERIC NOT NULL,
    PRIMARY KEY (account_id, usage_month, price_id)
);
