-- Version 3: per-document leases, so that two `check --store` processes over the same inputs
-- share the work of one run instead of each doing all of it. At most one run per kind and key
-- is running: an older duplicate (from two processes that raced before this version) is
-- marked abandoned first.
ALTER TABLE run_items ADD COLUMN lease_owner TEXT;
ALTER TABLE run_items ADD COLUMN lease_until INTEGER;
UPDATE runs SET state = 'abandoned' WHERE state = 'running' AND id NOT IN (SELECT MAX(id) FROM runs WHERE state = 'running' GROUP BY kind, run_key);
CREATE UNIQUE INDEX runs_one_running ON runs (kind, run_key) WHERE state = 'running';
