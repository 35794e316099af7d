-- One customer per identity document, enforced by the database: two branches creating the same
-- person at the same moment each read "not taken" before either wrote, and both succeeded. Each
-- document of a master record is a row here, keyed by its type and its number as the customer
-- schema normalises it (shared/customer/identity-documents.ts); a second customer with the same
-- key is a unique violation, which a push turns into DUPLICATE_DOCUMENT (hq/mutations.ts).
CREATE TABLE customer_document (
  doc_type    text NOT NULL,
  doc_number  text NOT NULL,
  customer_id uuid NOT NULL REFERENCES customer (id) ON DELETE CASCADE,
  PRIMARY KEY (doc_type, doc_number)
);
CREATE INDEX customer_document_by_customer ON customer_document (customer_id);

-- Kept by the database itself, whoever writes the record (a push, HQ staff, an import). On an
-- update only documents the record did not hold before are claimed, and only those it no longer
-- holds are released: a record already sharing a document with an older one (see the backfill)
-- can still be edited.
CREATE FUNCTION customer_documents_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN
    IF NEW.record -> 'identityDocuments' IS NOT DISTINCT FROM OLD.record -> 'identityDocuments' THEN
      RETURN NULL;
    END IF;
    DELETE FROM customer_document d
     WHERE d.customer_id = NEW.id
       AND NOT EXISTS (SELECT 1 FROM jsonb_array_elements(NEW.record -> 'identityDocuments') AS n(doc)
                        WHERE n.doc ->> 'type' = d.doc_type AND n.doc ->> 'number' = d.doc_number);
  END IF;
  -- Sorted, so two transactions claiming the same documents wait for each other, never deadlock.
  INSERT INTO customer_document (doc_type, doc_number, customer_id)
  SELECT DISTINCT n.doc ->> 'type', n.doc ->> 'number', NEW.id
    FROM jsonb_array_elements(COALESCE(NEW.record -> 'identityDocuments', '[]'::jsonb)) AS n(doc)
   WHERE TG_OP = 'INSERT'
      OR NOT EXISTS (SELECT 1 FROM jsonb_array_elements(OLD.record -> 'identityDocuments') AS o(doc)
                      WHERE o.doc ->> 'type' = n.doc ->> 'type'
                        AND o.doc ->> 'number' = n.doc ->> 'number')
   ORDER BY 1, 2;
  RETURN NULL;
END
$$;

-- Records written before: of customers already sharing a document (the race this closes made
-- such pairs), the one changed least recently keeps it; people resolve the pair, nothing merges.
INSERT INTO customer_document (doc_type, doc_number, customer_id)
SELECT DISTINCT ON (doc ->> 'type', doc ->> 'number') doc ->> 'type', doc ->> 'number', c.id
  FROM customer c, jsonb_array_elements(COALESCE(c.record -> 'identityDocuments', '[]'::jsonb)) AS doc
 ORDER BY doc ->> 'type', doc ->> 'number', c.change_seq;

CREATE TRIGGER customer_documents AFTER INSERT OR UPDATE OF record ON customer
  FOR EACH ROW EXECUTE FUNCTION customer_documents_changed();
