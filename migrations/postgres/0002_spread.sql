-- Version 2: a per-source spread key, so that leasing due sources in order interleaves hosts
-- instead of handing one worker a batch of URLs of the same site.
ALTER TABLE sources ADD COLUMN spread BIGINT NOT NULL DEFAULT 0;
CREATE INDEX sources_due_spread ON sources (next_due_at, spread);
