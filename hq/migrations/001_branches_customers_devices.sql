-- Branches, their relationship managers, customers with a version each, the change sequence,
-- devices and one-time enrollment codes.

CREATE TABLE branch (
  id   text PRIMARY KEY,
  name text NOT NULL
);

CREATE TABLE relationship_manager (
  id        text PRIMARY KEY,
  branch_id text NOT NULL REFERENCES branch (id),
  name      text NOT NULL
);

-- One row per customer: the master record, its version, and where it belongs.
CREATE TABLE customer (
  id              uuid PRIMARY KEY,
  customer_number text NOT NULL UNIQUE,
  home_branch_id  text NOT NULL REFERENCES branch (id),
  assigned_rm_id  text REFERENCES relationship_manager (id),
  version         integer NOT NULL CHECK (version > 0),
  record          jsonb NOT NULL,
  -- The change sequence number of the customer's latest change: pull pages follow it.
  change_seq      bigint NOT NULL
);
CREATE INDEX customer_by_branch ON customer (home_branch_id);
CREATE INDEX customer_by_rm ON customer (assigned_rm_id);
CREATE INDEX customer_by_change ON customer (change_seq);

-- HQ's monotonic change sequence.
CREATE SEQUENCE change_seq;

CREATE TABLE device (
  id              uuid PRIMARY KEY,
  branch_id       text NOT NULL REFERENCES branch (id),
  name            text NOT NULL,
  -- sha256 of the device credential; the credential itself lives only in the device's keychain.
  credential_hash text NOT NULL,
  status          text NOT NULL CHECK (status IN ('active', 'revoked')),
  enrolled_at     timestamptz NOT NULL DEFAULT now(),
  revoked_at      timestamptz
);

CREATE TABLE enrollment_code (
  -- sha256 of the code; the code is shown once, to the admin who made it.
  code_hash  text PRIMARY KEY,
  branch_id  text NOT NULL REFERENCES branch (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  used_at    timestamptz,
  device_id  uuid REFERENCES device (id)
);
