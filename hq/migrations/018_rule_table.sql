-- Rule tables HQ's AML function publishes to every device (docs/INSIGHT.md): the risk-rating
-- table first (kind 'aml_risk'). A published version never changes: a rating names the version
-- it was made under, so that version must stay what it was. seq is the order of publication,
-- which devices follow; the latest of a kind is the one in force.
CREATE TABLE rule_table (
  seq          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  kind         text NOT NULL CHECK (kind IN ('aml_risk')),
  version      text NOT NULL,
  body         jsonb NOT NULL,
  published_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (kind, version)
);
