-- Staff who sign in on branch devices (Argon2id password hashes, TOTP secrets, lockout), their
-- short-lived sessions (hashes of the tokens only), each device's audit signing key and chain
-- head, and the audit entries devices upload.

CREATE TABLE staff_user (
  id                  uuid PRIMARY KEY,
  username            text NOT NULL UNIQUE,
  display_name        text NOT NULL,
  roles               text[] NOT NULL CHECK (cardinality(roles) > 0),
  -- NULL: not tied to one branch (auditors and IT at HQ).
  branch_id           text REFERENCES branch (id),
  -- Argon2id, PHC string format.
  password_hash       text NOT NULL,
  password_changed_at timestamptz NOT NULL DEFAULT now(),
  -- Base32; never leaves HQ (devices sign in offline with a grant HQ signs, not with it).
  totp_secret         text NOT NULL,
  -- The time step of the last code accepted: a code is good once.
  last_totp_step      bigint NOT NULL DEFAULT 0,
  status              text NOT NULL CHECK (status IN ('active', 'disabled')),
  failed_attempts     integer NOT NULL DEFAULT 0,
  locked_until        timestamptz,
  created_at          timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE staff_session (
  id                 uuid PRIMARY KEY,
  user_id            uuid NOT NULL REFERENCES staff_user (id),
  device_id          uuid NOT NULL REFERENCES device (id),
  -- sha256 of each token; the tokens themselves live in the device's memory and keychain.
  access_hash        text NOT NULL UNIQUE,
  access_expires_at  timestamptz NOT NULL,
  refresh_hash       text NOT NULL UNIQUE,
  refresh_expires_at timestamptz NOT NULL,
  created_at         timestamptz NOT NULL DEFAULT now(),
  revoked_at         timestamptz
);
CREATE INDEX staff_session_by_user ON staff_session (user_id);

-- The key a device signs its audit batches with, the chain it writes (its profile id), where
-- HQ's copy of that chain ends, and why HQ flagged the device if its chain ever broke.
ALTER TABLE device ADD COLUMN audit_public_key text;
ALTER TABLE device ADD COLUMN audit_chain text;
ALTER TABLE device ADD COLUMN audit_seq bigint NOT NULL DEFAULT 0;
ALTER TABLE device ADD COLUMN audit_hash text;
ALTER TABLE device ADD COLUMN audit_flag text;
ALTER TABLE device ADD COLUMN audit_flagged_at timestamptz;

-- Entries as the device wrote them (`at` and `details` kept as the exact text that was hashed).
CREATE TABLE audit_entry (
  device_id   uuid NOT NULL REFERENCES device (id),
  seq         bigint NOT NULL,
  at          text NOT NULL,
  actor       text NOT NULL,
  action      text NOT NULL,
  target      text,
  details     text NOT NULL,
  prev_hash   text NOT NULL,
  hash        text NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (device_id, seq)
);
CREATE INDEX audit_entry_by_target ON audit_entry (target, at) WHERE target IS NOT NULL;
