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
--    commit under. It tells which changes may still come by transaction ids (hq/scope.ts): that
--    needs every change_seq drawn by a transaction that already has its id. A write's first
--    statement draws nextval before the row is written, which is when PostgreSQL gives the
--    transaction its id; so every new change_seq is drawn again here, after making sure of the
--    id. The value the statement drew is left unused (a gap, which the feed does not mind).
CREATE FUNCTION customer_change_seq() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' OR NEW.change_seq IS DISTINCT FROM OLD.change_seq THEN
    PERFORM pg_current_xact_id();
    NEW.change_seq := nextval('change_seq');
  END IF;
  RETURN NEW;
END
$$;

CREATE TRIGGER customer_change_seq BEFORE INSERT OR UPDATE ON customer
  FOR EACH ROW EXECUTE FUNCTION customer_change_seq();
