-- Privacy notices HQ publishes to every device (docs/PRIVACY.md, PIPL Art. 7 and 17). A published
-- notice is never changed: a consent names the version the customer saw, so that version's text
-- must stay what it was. seq is the order of publication, which devices follow.
CREATE TABLE privacy_notice (
  seq            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  version        text NOT NULL UNIQUE,
  published_at   timestamptz NOT NULL DEFAULT now(),
  effective_from date NOT NULL,
  title_zh       text NOT NULL,
  body_zh        text NOT NULL,
  title_en       text NOT NULL,
  body_en        text NOT NULL
);
