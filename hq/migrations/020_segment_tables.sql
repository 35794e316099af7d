-- Segment rules (客户分层: wealth segment and life-cycle stage) are published to devices as rule
-- tables of their own kind (docs/INSIGHT.md); HQ applies the wealth segment to its records.
ALTER TABLE rule_table DROP CONSTRAINT rule_table_kind_check;
ALTER TABLE rule_table ADD CONSTRAINT rule_table_kind_check
  CHECK (kind IN ('aml_risk', 'campaign', 'segment'));
