-- Rated usage records and the month's cumulative quantities of tiered prices (SQLite).
-- Decimals (quantities, amounts) are canonical decimal TEXT: never summed or compared in SQL.

CREATE TABLE usage_records (
    id                TEXT    NOT NULL PRIMARY KEY,
    record_id         TEXT    NOT NULL,
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
    period_start      INTEGER NOT NULL,
    period_end        INTEGER NOT NULL,
    usage_month       TEXT    NOT NULL,
    quantity          TEXT    NOT NULL,
    unit              TEXT    NOT NULL,
    offering          TEXT    NOT NULL,
    price_id          TEXT    NOT NULL,
    amount_krw        TEXT    NOT NULL,
    amount_usd        TEXT    NOT NULL,
    created_at        INTEGER NOT NULL
);

CREATE INDEX usage_by_account_date ON usage_records (account_id, period_start, id);
CREATE INDEX usage_by_account_created ON usage_records (account_id, created_at, id);

CREATE TABLE usage_tier_totals (
    account_id  TEXT NOT NULL,
    usage_month TEXT NOT NULL,
    price_id    TEXT NOT NULL,
    quantity    TEXT NOT NULL,
    PRIMARY KEY (account_id, usage_month, price_id)
);
