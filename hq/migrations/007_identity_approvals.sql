-- Four eyes, as HQ records them: a supervisor's approval of one identity change, made with that
-- supervisor's own live HQ session on the device that holds the change. HQ records who approved
-- (from the session, not from the device's word), their roles and branch at that moment, and a
-- digest of exactly what was approved, bound to the one mutation that will carry it. A pushed
-- identity change is applied only with such an approval (hq/approvals.ts).

CREATE TABLE identity_approval (
  id            uuid PRIMARY KEY,
  -- The mutation it approves: one approval, one mutation.
  mutation_id   uuid NOT NULL UNIQUE,
  customer_id   uuid NOT NULL,
  device_id     uuid NOT NULL REFERENCES device (id),
  branch_id     text NOT NULL REFERENCES branch (id),
  approver_id   uuid NOT NULL REFERENCES staff_user (id),
  -- As they stood when the approver's session approved: the rule is judged at that time.
  approver_username text NOT NULL,
  approver_roles    text[] NOT NULL,
  approver_branch_id text,
  -- The maker as the device named them; HQ checks it against the mutation's own actor.
  maker         text NOT NULL,
  -- sha256 (hex) of the canonical {mutationId, customerId, baseVersion, actor, fields}.
  digest        text NOT NULL,
  approved_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX identity_approval_by_customer ON identity_approval (customer_id);

-- A parked conflict resolved by keeping the branch's value cites the approved mutation instead;
-- HQ lets each be cited once, and finds earlier citations by this index.
CREATE INDEX mutation_reaffirms ON mutation ((body -> 'approval' ->> 'reaffirms'))
  WHERE body -> 'approval' ? 'reaffirms';
