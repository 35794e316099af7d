-- The change feed sends each customer once (docs/SYNC-PROTOCOL.md, "Scope and pull").
--
-- 1. A scope row superseded by a newer one for the same branch and customer says nothing a
--    device still needs: the feed sends only the newest. Such rows are deleted here once, and by
--    every change from now on (hq/scope.ts logScope). Rows with an hlc (a customer entering or
--    leaving by a reassignment) stay: the push guard judges edits against them.
DELETE FROM scope_change o
WHERE o.hlc IS NULL
  AND EXISTS (
    SELECT 1 FROM scope_change n
    WHERE n.branch_id = o.branch_id AND n.customer_id = o.customer_id AND n.seq > o.seq
  );

-- 2. The feed serves changes only below a watermark that no transaction still in flight can
--    commit under. It tells which changes may still come by transaction ids (hq/feed-watermark.ts):
--    that needs every change_seq drawn by a transaction that already has its id. PostgreSQL gives
--    a transaction its id when it first writes a row, after the row's nextval: so writers draw
--    with next_change_seq(), which takes the id first.
CREATE FUNCTION next_change_seq() RETURNS bigint LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  PERFORM pg_current_xact_id();
  RETURN nextval('change_seq');
END
$$;

-- A writer that draws with plain nextval as its transaction's first write: its value is drawn
-- again, now that the transaction has its id (the first value is left unused, a harmless gap).
CREATE FUNCTION customer_change_seq() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF (TG_OP = 'INSERT' OR NEW.change_seq IS DISTINCT FROM OLD.change_seq)
     AND pg_current_xact_id_if_assigned() IS NULL THEN
    NEW.change_seq := next_change_seq();
  END IF;
  RETURN NEW;
END
$$;

CREATE TRIGGER customer_change_seq BEFORE INSERT OR UPDATE ON customer
  FOR EACH ROW EXECUTE FUNCTION customer_change_seq();
