-- Phones and addresses get stable ids, so that HQ merges a branch's edit of one entry without
-- losing another device's edit of a different one (shared/sync/entry-merge.ts). Lists stored
-- before get the id of each entry's place (shared/customer/list-entries.ts, positionalEntryId):
-- the device's vault migration gives its copies the same ids, so both still hold one record.
-- The version stays: nothing a person sees changed.
UPDATE customer
   SET record = jsonb_set(record, '{phones}', (
         SELECT jsonb_agg(CASE WHEN entry ? 'id' THEN entry
                   ELSE entry || jsonb_build_object('id',
                          '00000000-0000-8000-8000-' || lpad(to_hex(place - 1), 12, '0')) END
                 ORDER BY place)
           FROM jsonb_array_elements(record -> 'phones') WITH ORDINALITY AS list(entry, place)))
 WHERE jsonb_typeof(record -> 'phones') = 'array'
   AND EXISTS (SELECT 1 FROM jsonb_array_elements(record -> 'phones') AS list(entry)
                WHERE NOT entry ? 'id');

UPDATE customer
   SET record = jsonb_set(record, '{addresses}', (
         SELECT jsonb_agg(CASE WHEN entry ? 'id' THEN entry
                   ELSE entry || jsonb_build_object('id',
                          '00000000-0000-8000-8000-' || lpad(to_hex(place - 1), 12, '0')) END
                 ORDER BY place)
           FROM jsonb_array_elements(record -> 'addresses') WITH ORDINALITY AS list(entry, place)))
 WHERE jsonb_typeof(record -> 'addresses') = 'array'
   AND EXISTS (SELECT 1 FROM jsonb_array_elements(record -> 'addresses') AS list(entry)
                WHERE NOT entry ? 'id');
