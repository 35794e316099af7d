-- A branch's scope in customer-id order, for the initial-sync snapshot (hq/snapshot.ts): each chunk
-- is a range seek on one of these from the last id sent, however many branches share the table.
CREATE INDEX customer_by_branch_and_id ON customer (home_branch_id, id);
CREATE INDEX customer_by_rm_and_id ON customer (assigned_rm_id, id);
-- Each single-column index is a prefix of its new one, which serves every query it served.
DROP INDEX customer_by_branch;
DROP INDEX customer_by_rm;
