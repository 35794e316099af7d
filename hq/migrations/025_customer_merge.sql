-- Merging duplicate customers (hq/merges.ts, docs/QUALITY.md). A merge is proposed by one
-- person and approved by another; HQ then writes the united record into the survivor and turns
-- the other row into a redirect: `merged_into` names the survivor, the row leaves every scope,
-- and its identity documents belong to the survivor. The row itself is kept as it was, so an
-- unmerge can bring it back.
ALTER TABLE customer ADD COLUMN merged_into uuid REFERENCES customer (id);
CREATE INDEX customer_merged_into ON customer (merged_into) WHERE merged_into IS NOT NULL;

CREATE TABLE customer_merge (
  id              uuid PRIMARY KEY,
  survivor_id     uuid NOT NULL REFERENCES customer (id),
  merged_id       uuid NOT NULL REFERENCES customer (id),
  status          text NOT NULL CHECK (status IN ('proposed', 'rejected', 'merged', 'unmerged')),
  choices         jsonb NOT NULL,
  reason          text NOT NULL,
  -- `user:<username>` (branch staff, with their branch) or `hq:<username>` (HQ staff).
  proposed_by     text NOT NULL,
  proposer_branch text,
  proposed_at     timestamptz NOT NULL DEFAULT now(),
  decided_by      text,
  decided_at      timestamptz,
  decision_note   text,
  -- At the merge: both records just before it, the survivor just after it, and where entries of
  -- the record merged away went when their ids had to change (shared/quality/merge.ts).
  survivor_before jsonb,
  merged_before   jsonb,
  survivor_after  jsonb,
  entry_ids       jsonb,
  unmerge_until   timestamptz,
  unmerged_by     text,
  unmerged_at     timestamptz,
  unmerge_reason  text,
  CHECK (survivor_id <> merged_id)
);
-- One open proposal per pair, whichever way round.
CREATE UNIQUE INDEX customer_merge_one_open
  ON customer_merge (LEAST(survivor_id, merged_id), GREATEST(survivor_id, merged_id))
  WHERE status = 'proposed';
CREATE INDEX customer_merge_by_merged ON customer_merge (merged_id, status);
CREATE INDEX customer_merge_by_survivor ON customer_merge (survivor_id, status);
