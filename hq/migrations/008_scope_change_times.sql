-- When a customer left a branch's scope, so HQ can tell an edit the branch made while it still
-- held the customer (pushed within a grace period) from one made after, or pushed too late
-- (hq/push-guard.ts). `hlc` is HQ's clock when a reassignment logged the row (entering or
-- leaving); `changed_at` HQ's wall clock then. Edits log rows too (staying in): those carry no hlc.

ALTER TABLE scope_change ADD COLUMN hlc text;
ALTER TABLE scope_change ADD COLUMN changed_at timestamptz NOT NULL DEFAULT now();

-- Customers that left before this migration: when is unknown, so they count as having left now
-- (at HQ's clock now), and their grace starts with this migration.
UPDATE scope_change SET hlc = COALESCE(
  (SELECT last FROM hlc_state),
  lpad((floor(extract(epoch FROM now()) * 1000))::bigint::text, 15, '0') || '-00000-hq'
)
WHERE NOT in_scope;

-- Every leaving is timed: a push judged against it never finds a gap.
ALTER TABLE scope_change ADD CONSTRAINT scope_change_leaving_timed CHECK (in_scope OR hlc IS NOT NULL);
