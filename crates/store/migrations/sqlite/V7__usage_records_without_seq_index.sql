-- PostgreSQL's V7 drops the index on `seq` alone; in SQLite `seq` is the rowid, which costs
-- nothing to keep. Nothing changes here; the file keeps both engines' versions in step.
SELECT 1;
