-- The change feed waits only for its own writers (hq/feed-watermark.ts).
--
-- Until now a pull's watermark waited for every transaction in flight at HQ's database (sign-ins,
-- audit uploads, rate-limit counts, other pulls) because it told which change_seq values may
-- still commit by transaction ids. Now a writer announces itself: before it draws a change_seq it
-- takes a shared transaction-level advisory lock, held until it commits or aborts. Shared locks
-- never wait on each other, so writers do not queue. A pull notes the sequence's last value, then
-- the writers holding the lock (feed_writers() below, each named by its virtual transaction id,
-- unique while the cluster runs): once none of those holds it any longer, every change up to that
-- value that will ever commit has committed (PostgreSQL releases a transaction's locks only after
-- its commit is visible to new snapshots).
--
-- The lock's key is the two-number form (classid 1650746999 spells 'bdfw', objid 1): no
-- single-number advisory key used elsewhere (mutation ids, the epoch, migrations) can meet it.
CREATE OR REPLACE FUNCTION next_change_seq() RETURNS bigint LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  -- The transaction's id first, as migration 10's version did: an instance of the release before
  -- still tells the watermark by transaction ids while an upgrade rolls through the instances.
  PERFORM pg_current_xact_id();
  PERFORM pg_advisory_xact_lock_shared(1650746999, 1);
  -- Tells the customer trigger below that this transaction's draws are announced.
  PERFORM set_config('branchdesk.feed_writer', 'on', true);
  RETURN nextval('change_seq');
END
$$;

-- A writer that drew with plain nextval before announcing itself: its value is drawn again, now
-- announced (the first value is left unused, a harmless gap in the feed).
CREATE OR REPLACE FUNCTION customer_change_seq() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF (TG_OP = 'INSERT' OR NEW.change_seq IS DISTINCT FROM OLD.change_seq)
     AND current_setting('branchdesk.feed_writer', true) IS DISTINCT FROM 'on' THEN
    NEW.change_seq := next_change_seq();
  END IF;
  RETURN NEW;
END
$$;

-- The transactions holding the writers' lock now.
CREATE FUNCTION feed_writers() RETURNS text[] LANGUAGE sql VOLATILE AS $$
  SELECT coalesce(array_agg(virtualtransaction), '{}')
  FROM pg_locks
  WHERE locktype = 'advisory' AND classid = 1650746999 AND objid = 1 AND objsubid = 2
    AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
$$;
