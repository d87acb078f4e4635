DELETE FROM "OPS_MONITORING"."SYNC_LEASE" WHERE "LEASE_NAME" = ? AND "OWNER_JOB_ID" = ?
-- binds: ["gong_calls", "job-1"]
