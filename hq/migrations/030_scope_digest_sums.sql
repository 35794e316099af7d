-- The scope digest is a sum per bucket (shared/sync/scope-digest.ts), kept up to date from the
-- customers the feed names since it was worked out (hq/scope-digest.ts), not worked out again
-- from the whole scope after every change.
--
-- 1. Digests of the earlier form (an MD5 of each bucket's entries) are of no use: each branch's
--    is worked out whole at its next pull.
DELETE FROM scope_digest;

-- 2. With each digest, how many customers each bucket holds and when it was last worked out
--    whole (an hour later it is again).
ALTER TABLE scope_digest
  ADD COLUMN bucket_counts jsonb NOT NULL,
  ADD COLUMN worked_out_at timestamptz NOT NULL;

-- 3. What each customer in a branch's scope added to the kept digest: the first 64 bits of its
--    content hash, taken away again when it changes or leaves. No reference to the customer: an
--    erasure removes the rows itself, with the digests they count in.
CREATE TABLE scope_digest_entry (
  branch_id   text NOT NULL REFERENCES branch (id),
  customer_id uuid NOT NULL,
  term        bigint NOT NULL,
  PRIMARY KEY (branch_id, customer_id)
);
