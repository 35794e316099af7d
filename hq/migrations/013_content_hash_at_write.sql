-- Content hashes written with the record. Migration 011 cleared the hash on every insert and
-- change and let the next scope digest fill it in; on a branch of 100,000 new customers that first
-- digest hashed every record inside the device's request (13 s here, more under load: past the
-- client's timeout). HQ's writers now store the hash of the record they write (hq/content-hash.ts);
-- the trigger still clears it whenever a statement changes the record without setting a new hash,
-- so a writer that does not know about hashes can never leave a stale one.
CREATE OR REPLACE FUNCTION customer_content_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND NEW.record IS DISTINCT FROM OLD.record
     AND NEW.content_hash IS NOT DISTINCT FROM OLD.content_hash THEN
    NEW.content_hash := NULL;
  END IF;
  RETURN NEW;
END
$$;
