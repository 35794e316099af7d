-- HQ's own staff (who use the admin API: Argon2id passwords, TOTP, lockout, as branch staff),
-- their short-lived admin sessions (token hashes only), HQ's own hash-chained audit of every
-- admin action, and when each device's audit last reached HQ (so an overdue one shows).

CREATE TABLE hq_user (
  id                  uuid PRIMARY KEY,
  username            text NOT NULL UNIQUE,
  display_name        text NOT NULL,
  roles               text[] NOT NULL CHECK (
    cardinality(roles) > 0 AND roles <@ ARRAY['hq_admin', 'hq_auditor', 'privacy_officer']
  ),
  password_hash       text NOT NULL,
  password_changed_at timestamptz NOT NULL DEFAULT now(),
  totp_secret         text NOT NULL,
  last_totp_step      bigint NOT NULL DEFAULT 0,
  status              text NOT NULL CHECK (status IN ('active', 'disabled')),
  failed_attempts     integer NOT NULL DEFAULT 0,
  locked_until        timestamptz,
  created_at          timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE hq_session (
  id          uuid PRIMARY KEY,
  user_id     uuid NOT NULL REFERENCES hq_user (id),
  access_hash text NOT NULL UNIQUE,
  expires_at  timestamptz NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  revoked_at  timestamptz
);
CREATE INDEX hq_session_by_user ON hq_session (user_id);

-- One chain: `at` and `details` kept as the exact text that was hashed, as in audit_entry.
CREATE TABLE hq_audit (
  seq       bigint PRIMARY KEY,
  at        text NOT NULL,
  actor     text NOT NULL,
  action    text NOT NULL,
  target    text,
  details   text NOT NULL,
  prev_hash text NOT NULL,
  hash      text NOT NULL
);
-- Where the chain ends; its row lock orders appends, and a cut-off end shows against it.
CREATE TABLE hq_audit_head (
  id   boolean PRIMARY KEY DEFAULT true CHECK (id),
  seq  bigint NOT NULL,
  hash text NOT NULL
);

ALTER TABLE device ADD COLUMN audit_received_at timestamptz;
