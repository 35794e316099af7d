-- Pulls at the rate a thousand devices make them (docs/OPERATIONS.md, "HQ at scale").
--
-- 1. A branch's scope is its customers plus those of its RMs: found through this index (the
--    scope's condition reads the branch's RMs first, then both customer indexes).
CREATE INDEX relationship_manager_by_branch ON relationship_manager (branch_id);

-- 2. The digest of a branch's scope, as of the newest row of the branch's feed it reflects. Every
--    change to what a branch holds adds a row to its feed, so a pull whose snapshot's newest row
--    is `through_seq` gets this digest without computing it again (hq/scope.ts).
CREATE TABLE scope_digest (
  branch_id   text PRIMARY KEY REFERENCES branch (id),
  through_seq bigint NOT NULL,
  buckets     jsonb NOT NULL,
  count       integer NOT NULL
);

-- 3. Rate-limit counts are worth nothing after a crash and are rewritten on every request: no WAL.
ALTER TABLE rate_limit SET UNLOGGED;
