-- Usage ingestion writes every record into each index of `usage_records`; the primary key on
-- `seq` alone was the one no query needs: markers and created_at order are looked up within
-- the caller's accounts, through (account_no, seq), and the newest record's instant through
-- (account_no, seq) per account. One index less to write per record (docs/BENCHMARKS.md).
-- `seq` stays unique: the identity sequence numbers it. (SQLite: `seq` is the rowid and costs
-- nothing; its V7 changes nothing.)

ALTER TABLE usage_records DROP CONSTRAINT usage_records_pkey;
