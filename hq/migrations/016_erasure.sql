-- Erasure under retention (PIPL Art. 47; docs/PRIVACY.md, "Erasure"). A customer's request is
-- recorded and checked against what holds the data: an account or product still open, the AML
-- retention period after the relationship ended, a legal or investigation hold. When nothing
-- holds any more the customer's row, history, mutation bodies and documents are deleted; what
-- stays is the customer's id (the pseudonymous key audit entries name) and generalised figures
-- for statistics, in erased_customer.

-- A legal or investigation hold: while one is not released, nothing erases the customer.
CREATE TABLE legal_hold (
  id          uuid PRIMARY KEY,
  customer_id uuid NOT NULL,
  -- The case's reference (a court order's or an investigation's number): never a person's data.
  reference   text NOT NULL,
  placed_at   timestamptz NOT NULL DEFAULT now(),
  placed_by   text NOT NULL,
  released_at timestamptz,
  released_by text
);
CREATE INDEX legal_hold_in_force ON legal_hold (customer_id) WHERE released_at IS NULL;

-- A customer's request for erasure (删除请求) and where it stands: `held` while something keeps
-- the data (the holds found at the last evaluation), `erased` once it was carried out.
CREATE TABLE erasure_request (
  id           uuid PRIMARY KEY,
  customer_id  uuid NOT NULL,
  received_at  timestamptz NOT NULL DEFAULT now(),
  channel      text NOT NULL CHECK (channel IN ('branch', 'online_banking', 'mobile_app', 'phone', 'letter')),
  reference    text NOT NULL,
  recorded_by  text NOT NULL,
  status       text NOT NULL CHECK (status IN ('held', 'erased')),
  holds        jsonb NOT NULL DEFAULT '[]'::jsonb,
  evaluated_at timestamptz NOT NULL DEFAULT now(),
  erased_at    timestamptz
);
CREATE UNIQUE INDEX erasure_request_open ON erasure_request (customer_id) WHERE status = 'held';

-- What is left of an erased customer: the id and generalised figures, nothing that identifies.
-- A push naming the id is refused (CUSTOMER_ERASED); the feed tells devices to purge it.
CREATE TABLE erased_customer (
  customer_id uuid PRIMARY KEY,
  erased_at   timestamptz NOT NULL DEFAULT now(),
  ground      text NOT NULL CHECK (ground IN ('request', 'retention_ended')),
  statistics  jsonb NOT NULL
);

-- An erased customer's scope changes stay (ids only: the feed's leaving rows tell devices to
-- purge), while the customer row goes.
ALTER TABLE scope_change DROP CONSTRAINT scope_change_customer_id_fkey;
