-- Bills, month close, adjustments and payments (PostgreSQL).
-- Decimals are exact NUMERIC.
--
-- A bill line is one account's cost of one resource and billing item in one month, kept
-- current as usage arrives (see crates/store/src/bills). Its amount columns are the
-- BillResponse components: charges (asset … cancellation_fee) and discounts (msp_discount …
-- edp), each in KRW and USD; `amounts` and `discount_amounts` are derived from them.

CREATE TABLE bill_lines (
    seq              BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_id       TEXT    NOT NULL REFERENCES accounts (id),
    bill_month       TEXT    NOT NULL,
    resource_id      TEXT    NOT NULL,
    billing_item_id  TEXT    NOT NULL,
    resource_name    TEXT    NOT NULL,
    service_category TEXT    NOT NULL,
    region           TEXT    NOT NULL,
    contract_id      TEXT,
    order_status     TEXT    NOT NULL,
    state            TEXT    NOT NULL,
    asset_krw                NUMERIC    NOT NULL,
    asset_usd                NUMERIC    NOT NULL,
    operation_krw            NUMERIC    NOT NULL,
    operation_usd            NUMERIC    NOT NULL,
    option_krw               NUMERIC    NOT NULL,
    option_usd               NUMERIC    NOT NULL,
    support_plan_krw         NUMERIC    NOT NULL,
    support_plan_usd         NUMERIC    NOT NULL,
    planned_compute_krw      NUMERIC    NOT NULL,
    planned_compute_usd      NUMERIC    NOT NULL,
    cancellation_fee_krw     NUMERIC    NOT NULL,
    cancellation_fee_usd     NUMERIC    NOT NULL,
    msp_discount_krw         NUMERIC    NOT NULL,
    msp_discount_usd         NUMERIC    NOT NULL,
    new_business_discount_krw NUMERIC    NOT NULL,
    new_business_discount_usd NUMERIC    NOT NULL,
    sales_discount_krw       NUMERIC    NOT NULL,
    sales_discount_usd       NUMERIC    NOT NULL,
    sla_discount_krw         NUMERIC    NOT NULL,
    sla_discount_usd         NUMERIC    NOT NULL,
    reseller_discount_krw    NUMERIC    NOT NULL,
    reseller_discount_usd    NUMERIC    NOT NULL,
    account_cost_savings_krw NUMERIC    NOT NULL,
    account_cost_savings_usd NUMERIC    NOT NULL,
    project_cost_savings_krw NUMERIC    NOT NULL,
    project_cost_savings_usd NUMERIC    NOT NULL,
    account_credit_krw       NUMERIC    NOT NULL,
    account_credit_usd       NUMERIC    NOT NULL,
    project_credit_krw       NUMERIC    NOT NULL,
    project_credit_usd       NUMERIC    NOT NULL,
    edp_krw                  NUMERIC    NOT NULL,
    edp_usd                  NUMERIC    NOT NULL,
    created_at       BIGINT  NOT NULL,
    updated_at       BIGINT  NOT NULL
);

CREATE UNIQUE INDEX bill_lines_by_key ON bill_lines (account_id, bill_month, resource_id, billing_item_id);
CREATE INDEX bill_lines_by_month ON bill_lines (account_id, bill_month, seq);
CREATE INDEX bill_lines_by_account ON bill_lines (account_id, seq);
CREATE INDEX bill_lines_by_state ON bill_lines (state, bill_month);
CREATE INDEX bill_lines_by_account_state ON bill_lines (account_id, state, bill_month, seq);

-- Closed months: their bills are final and their payments exist.
CREATE TABLE closed_months (
    bill_month TEXT   NOT NULL PRIMARY KEY,
    closed_at  BIGINT NOT NULL
);

-- Discounts, savings and credits loaded by operators, per account and month.
CREATE TABLE bill_adjustments (
    adjustment_id   TEXT   NOT NULL PRIMARY KEY,
    account_id      TEXT   NOT NULL REFERENCES accounts (id),
    bill_month      TEXT   NOT NULL,
    component       TEXT   NOT NULL,
    kind            TEXT   NOT NULL,
    value           NUMERIC NOT NULL,
    billing_item_id TEXT,
    description     TEXT   NOT NULL,
    created_at      BIGINT NOT NULL
);

CREATE INDEX bill_adjustments_by_month ON bill_adjustments (account_id, bill_month);

-- One row per account and closed month; paid amounts grow as payments are recorded.
CREATE TABLE payments (
    account_id   TEXT    NOT NULL REFERENCES accounts (id),
    bill_month   TEXT    NOT NULL,
    bill_krw     NUMERIC NOT NULL,
    bill_usd     NUMERIC NOT NULL,
    used_krw     NUMERIC NOT NULL,
    used_usd     NUMERIC NOT NULL,
    paid_krw     NUMERIC NOT NULL,
    paid_usd     NUMERIC NOT NULL,
    payment_date TEXT,
    created_at   BIGINT  NOT NULL,
    updated_at   BIGINT  NOT NULL,
    PRIMARY KEY (account_id, bill_month)
);

-- Every payment recorded, for the history.
CREATE TABLE payment_records (
    account_id TEXT    NOT NULL REFERENCES accounts (id),
    bill_month TEXT    NOT NULL,
    amount_krw NUMERIC NOT NULL,
    paid_at    BIGINT  NOT NULL
);

CREATE INDEX payment_records_by_month ON payment_records (account_id, bill_month);
