-- Which customers each branch must hold, as a log: one row per change for every branch whose
-- scope the customer is in, or has just left. A device pulls its branch's rows after its cursor.

CREATE TABLE scope_change (
  seq         bigint NOT NULL,
  branch_id   text NOT NULL REFERENCES branch (id),
  customer_id uuid NOT NULL REFERENCES customer (id),
  in_scope    boolean NOT NULL,
  PRIMARY KEY (branch_id, seq, customer_id)
);

-- Customers already at HQ when this migration runs.
INSERT INTO scope_change (seq, branch_id, customer_id, in_scope)
SELECT c.change_seq, scope.branch_id, c.id, true
FROM customer c
CROSS JOIN LATERAL (
  SELECT c.home_branch_id AS branch_id
  UNION
  SELECT rm.branch_id FROM relationship_manager rm WHERE rm.id = c.assigned_rm_id
) AS scope;
