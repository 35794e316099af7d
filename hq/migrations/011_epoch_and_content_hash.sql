-- HQ's epoch: an identifier that changes whenever HQ's database goes back in time (a restore
-- from a backup). Every sync answer carries the current one; a device that sees a new one
-- re-sends what HQ may have lost and checks its whole copy again (docs/SYNC-PROTOCOL.md,
-- "HQ's epoch"). The newest row is the current epoch. Being in the database, a restored
-- backup brings back the epoch it was taken in: the restore runbook rotates it
-- (`npm run hq -- rotate-epoch`), and HQ rotates it itself when a device shows it has seen
-- more of HQ than HQ now holds.
CREATE TABLE hq_epoch (
  n          integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  epoch      uuid NOT NULL UNIQUE,
  reason     text NOT NULL CHECK (reason IN ('initial', 'restore', 'detected')),
  -- The device whose request showed the rewind (reason 'detected').
  device_id  uuid,
  started_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO hq_epoch (epoch, reason) VALUES (gen_random_uuid(), 'initial');

-- The SHA-256 of each master record's canonical JSON (shared/sync/canonical.ts), for the scope
-- digest: HQ reissues version numbers after a restore, so the digest must cover content. Written
-- by HQ in TypeScript (PostgreSQL's own jsonb text is not the canonical form); any change of
-- the record clears it, whoever makes the change, and the next digest fills it in again.
ALTER TABLE customer ADD COLUMN content_hash text;

CREATE FUNCTION customer_content_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' OR NEW.record IS DISTINCT FROM OLD.record THEN
    NEW.content_hash := NULL;
  END IF;
  RETURN NEW;
END
$$;

CREATE TRIGGER customer_content_changed BEFORE INSERT OR UPDATE ON customer
  FOR EACH ROW EXECUTE FUNCTION customer_content_changed();
