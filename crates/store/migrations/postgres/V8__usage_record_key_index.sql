-- De-duplication needs no unique index: ingestion is serialized (the ingestion lock), and it
-- asks for the batch's record ids before storing anything, comparing the ids found under each
-- key. So the index on (record_key, record_id), unique, becomes one on record_key alone: a
-- quarter of the width, no uniqueness check per record, and the probes still compare integers
-- (the ids of the rows found are read from the table; rows found are re-sent records, or a
-- rare equal hash). Measured in docs/BENCHMARKS.md.

DROP INDEX usage_by_record;
CREATE INDEX usage_by_record_key ON usage_records (record_key);
