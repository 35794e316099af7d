-- Which kind of HQ this is: the bank's production HQ, or a training HQ of synthetic customers
-- (docs/COUNTER.md, 培训模式). One row. A training HQ is made so before any device enrolls
-- (`npm run hq -- seed --training`) and never becomes production; every answer says which it is,
-- and a device whose profile is of the other kind refuses it (and is refused enrollment).
CREATE TABLE hq_environment (
  one         boolean PRIMARY KEY DEFAULT true CHECK (one),
  environment text NOT NULL CHECK (environment IN ('production', 'training')),
  set_at      timestamptz NOT NULL DEFAULT now()
);
INSERT INTO hq_environment (environment) VALUES ('production');
