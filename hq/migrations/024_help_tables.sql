-- The desk's help panels (F1) are published to devices as rule tables of their own kind
-- (docs/COUNTER.md).
ALTER TABLE rule_table DROP CONSTRAINT rule_table_kind_check;
ALTER TABLE rule_table ADD CONSTRAINT rule_table_kind_check
  CHECK (kind IN ('aml_risk', 'campaign', 'segment', 'counter_notices', 'complaint_rules', 'help'));
