-- The resource-level cost query reads an account's cost keys first (store::cost::by_key).
CREATE INDEX cost_keys_by_account ON cost_keys (account_no);
