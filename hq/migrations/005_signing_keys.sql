-- HQ's own signing keys, one per purpose: 'offline_grant' signs the grants that let a member of
-- staff sign in offline on one device within the offline window (Ed25519; PKCS#8 and SPKI DER in
-- base64). Made by the service on first use. Devices pin the public half at enrollment.

CREATE TABLE signing_key (
  purpose     text PRIMARY KEY CHECK (purpose IN ('offline_grant')),
  private_key text NOT NULL,
  public_key  text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);
