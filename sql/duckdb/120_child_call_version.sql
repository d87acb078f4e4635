-- Child-row versions (migration 120): each turn and each memory chunk carries the version of the
-- call it was written from (CALL_VERSION, the fetch time in epoch microseconds, as in
-- STG_GONG_CALLS). A stream can deliver two versions of one call through parallel branches in
-- any order: with the version on the rows themselves, a MERGE never lets an older version's row
-- overwrite a newer one, and replacing an older version's set never deletes rows a newer version
-- wrote. NULL: written before this migration or unversioned (merges and deletes as before).
ALTER TABLE STG_TRANSFORMED.STG_GONG_CALL_TRANSCRIPTS ADD COLUMN IF NOT EXISTS CALL_VERSION BIGINT;
ALTER TABLE AI_MEMORY.MEMORY_RECORDS ADD COLUMN IF NOT EXISTS CALL_VERSION BIGINT;
