-- Campaigns (营销活动) are published to devices the way rule tables are (docs/INSIGHT.md): one
-- row per campaign, its id as the version, never changed once published.
ALTER TABLE rule_table DROP CONSTRAINT rule_table_kind_check;
ALTER TABLE rule_table ADD CONSTRAINT rule_table_kind_check CHECK (kind IN ('aml_risk', 'campaign'));
