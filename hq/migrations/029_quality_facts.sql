-- HQ's quality report counts columns instead of judging every record (docs/QUALITY.md, "At HQ").
-- Beside each record, what the shared rules read of it (shared/quality/rules.ts, qualityFacts):
-- the record-only verdicts as bits, and the dates the day-bound rules compare with the day.
-- HQ's writers store them with the record. They hold for the record whose content hash and for
-- the rules whose stamp make `quality_stamp` (hq/quality.ts): a record changed by a statement that
-- does not write them (its content hash then changes or is cleared, migration 13), or rules that
-- changed in a release (new phone number ranges, say), leave them stale, and the report judges
-- those records again before it counts.
ALTER TABLE customer
  ADD COLUMN quality_stamp text,
  ADD COLUMN quality_flags integer,
  ADD COLUMN quality_expires_on text,
  ADD COLUMN quality_kyc_due text,
  ADD COLUMN quality_confirmed_on text;
