-- Push: every mutation a device sent, with the outcome HQ stored in the same transaction as its
-- effect; the hybrid logical clock of each field's last write; the values that lost a
-- last-writer-wins merge; and HQ's own clock.

ALTER TABLE customer ADD COLUMN field_hlc jsonb NOT NULL DEFAULT '{}'::jsonb;

-- A branch may create a customer only with identity documents no other customer has.
CREATE INDEX customer_documents ON customer USING gin ((record -> 'identityDocuments') jsonb_path_ops);

-- Which branches have ever held a customer: a device may push edits to those.
CREATE INDEX scope_change_by_customer ON scope_change (customer_id, branch_id);

CREATE TABLE mutation (
  mutation_id uuid PRIMARY KEY,
  device_id   uuid NOT NULL REFERENCES device (id),
  customer_id uuid NOT NULL,
  hlc         text NOT NULL,
  body        jsonb NOT NULL,
  outcome     jsonb NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX mutation_by_customer ON mutation (customer_id);

CREATE TABLE field_history (
  id                    bigserial PRIMARY KEY,
  customer_id           uuid NOT NULL REFERENCES customer (id),
  field                 text NOT NULL,
  -- The value that lost: HQ's, overwritten by a later edit, or the branch's, superseded.
  value                 jsonb,
  hlc                   text,
  source                text NOT NULL,
  superseded_at_version integer NOT NULL,
  recorded_at           timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX field_history_by_customer ON field_history (customer_id);

CREATE TABLE hlc_state (
  singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  last      text NOT NULL
);
