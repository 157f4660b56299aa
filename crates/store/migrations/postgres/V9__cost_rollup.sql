-- Tags and the daily cost rollup (PostgreSQL). See crates/store/src/cost.
--
-- A tag set is stored once (`tag_sets`, by its canonical text) with one row per tag in
-- `tag_entries`, so grouping by a tag key is an index lookup (tag_set, tag_key).
-- A cost key is one combination of what cost is grouped and filtered by — account, resource,
-- billing item, service category, region, offering, contract and tag set; usage series
-- and bill lines point at theirs. A cost group is a cost key without its resource: what most
-- questions group by. `cost_daily` and `cost_monthly` hold, per account, KST day (YYYYMMDD)
-- or month (YYYYMM) and cost key, the sums of usage (quantity, rated amounts), of planned
-- compute hours that covered nothing (idle: hours and amounts), of other charges that are
-- not usage (cancellation fees) and of discounts; `cost_group_daily` and
-- `cost_group_monthly` the same sums per cost group (a few rows a day instead of one per
-- resource), for every query that neither groups nor filters by resource. All four are kept
-- in the same transaction as ingestion, adjustments, charges and month close. Money is in
-- integer thousandths (bill amounts have three decimals) and quantities in billionths:
-- exact, and summed by SQL as integers.

CREATE TABLE tag_sets (
    id        BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    canonical TEXT COLLATE "C" NOT NULL UNIQUE
);

CREATE TABLE tag_entries (
    tag_set   BIGINT NOT NULL,
    tag_key   TEXT    NOT NULL,
    tag_value TEXT    NOT NULL,
    PRIMARY KEY (tag_set, tag_key)
);

CREATE INDEX tag_entries_by_key ON tag_entries (tag_key, tag_value, tag_set);

CREATE TABLE cost_groups (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    key_text         TEXT COLLATE "C" NOT NULL UNIQUE,
    account_no       BIGINT NOT NULL,
    billing_item_id  TEXT    NOT NULL,
    service_category TEXT    NOT NULL,
    region           TEXT    NOT NULL,
    offering         TEXT    NOT NULL,
    contract_id      TEXT    NOT NULL,
    tag_set          BIGINT NOT NULL,
    unit             TEXT    NOT NULL
);

CREATE TABLE cost_keys (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    key_text         TEXT COLLATE "C" NOT NULL UNIQUE,
    account_no       BIGINT NOT NULL,
    resource_id      TEXT    NOT NULL,
    resource_name    TEXT    NOT NULL,
    billing_item_id  TEXT    NOT NULL,
    service_category TEXT    NOT NULL,
    region           TEXT    NOT NULL,
    offering         TEXT    NOT NULL,
    contract_id      TEXT    NOT NULL,
    tag_set          BIGINT NOT NULL,
    unit             TEXT    NOT NULL,
    group_key        BIGINT NOT NULL
);

-- A page of resources' days is read through their cost keys (then cost_daily_by_key).
CREATE INDEX cost_keys_by_resource ON cost_keys (resource_id);

CREATE TABLE cost_daily (
    account_no      BIGINT NOT NULL,
    day             BIGINT NOT NULL,
    cost_key        BIGINT NOT NULL,
    quantity_nano   BIGINT NOT NULL,
    usage_krw       BIGINT NOT NULL,
    usage_usd       BIGINT NOT NULL,
    idle_hours_nano BIGINT NOT NULL,
    idle_krw        BIGINT NOT NULL,
    idle_usd        BIGINT NOT NULL,
    fee_krw         BIGINT NOT NULL,
    fee_usd         BIGINT NOT NULL,
    discount_krw    BIGINT NOT NULL,
    discount_usd    BIGINT NOT NULL,
    PRIMARY KEY (account_no, day, cost_key)
);

CREATE INDEX cost_daily_by_key ON cost_daily (cost_key, day);

CREATE TABLE cost_monthly (
    account_no      BIGINT NOT NULL,
    month           BIGINT NOT NULL,
    cost_key        BIGINT NOT NULL,
    quantity_nano   BIGINT NOT NULL,
    usage_krw       BIGINT NOT NULL,
    usage_usd       BIGINT NOT NULL,
    idle_hours_nano BIGINT NOT NULL,
    idle_krw        BIGINT NOT NULL,
    idle_usd        BIGINT NOT NULL,
    fee_krw         BIGINT NOT NULL,
    fee_usd         BIGINT NOT NULL,
    discount_krw    BIGINT NOT NULL,
    discount_usd    BIGINT NOT NULL,
    PRIMARY KEY (account_no, month, cost_key)
);

CREATE TABLE cost_group_daily (
    account_no      BIGINT NOT NULL,
    day             BIGINT NOT NULL,
    group_key       BIGINT NOT NULL,
    quantity_nano   BIGINT NOT NULL,
    usage_krw       BIGINT NOT NULL,
    usage_usd       BIGINT NOT NULL,
    idle_hours_nano BIGINT NOT NULL,
    idle_krw        BIGINT NOT NULL,
    idle_usd        BIGINT NOT NULL,
    fee_krw         BIGINT NOT NULL,
    fee_usd         BIGINT NOT NULL,
    discount_krw    BIGINT NOT NULL,
    discount_usd    BIGINT NOT NULL,
    PRIMARY KEY (account_no, day, group_key)
);

CREATE TABLE cost_group_monthly (
    account_no      BIGINT NOT NULL,
    month           BIGINT NOT NULL,
    group_key       BIGINT NOT NULL,
    quantity_nano   BIGINT NOT NULL,
    usage_krw       BIGINT NOT NULL,
    usage_usd       BIGINT NOT NULL,
    idle_hours_nano BIGINT NOT NULL,
    idle_krw        BIGINT NOT NULL,
    idle_usd        BIGINT NOT NULL,
    fee_krw         BIGINT NOT NULL,
    fee_usd         BIGINT NOT NULL,
    discount_krw    BIGINT NOT NULL,
    discount_usd    BIGINT NOT NULL,
    PRIMARY KEY (account_no, month, group_key)
);

ALTER TABLE usage_series ADD COLUMN tag_set BIGINT NOT NULL DEFAULT 0;
ALTER TABLE usage_series ADD COLUMN cost_key BIGINT;
ALTER TABLE bill_lines ADD COLUMN cost_key BIGINT;
