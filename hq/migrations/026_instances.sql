-- HQ as any number of stateless instances on one database (docs/OPERATIONS.md, "HQ at scale").
--
-- 1. Rate limits: one row per key (a device, a staff session, a sign-in name) and fixed window,
--    shared by every instance. A row is rewritten in place; old windows are swept now and then.
CREATE TABLE rate_limit (
  key          text PRIMARY KEY,
  window_start timestamptz NOT NULL,
  hits         integer NOT NULL
);

-- 2. Changes in seconds: a committed change to a branch's feed notifies the branch on channel
--    branchdesk_change (payload: the branch id), whichever instance made it; every instance
--    LISTENs and tells its connected devices, which then pull. A publication every branch takes
--    (a privacy notice, a rule table) notifies '*'. NOTIFY is delivered at commit, once per
--    distinct payload per transaction; a rolled-back change notifies no one.
CREATE FUNCTION notify_branch_changes() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('branchdesk_change', b.branch_id)
  FROM (SELECT DISTINCT branch_id FROM changed) AS b;
  RETURN NULL;
END
$$;

CREATE TRIGGER scope_change_notify AFTER INSERT ON scope_change
  REFERENCING NEW TABLE AS changed
  FOR EACH STATEMENT EXECUTE FUNCTION notify_branch_changes();

CREATE FUNCTION notify_every_branch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('branchdesk_change', '*');
  RETURN NULL;
END
$$;

CREATE TRIGGER privacy_notice_notify AFTER INSERT ON privacy_notice
  FOR EACH STATEMENT EXECUTE FUNCTION notify_every_branch();

CREATE TRIGGER rule_table_notify AFTER INSERT ON rule_table
  FOR EACH STATEMENT EXECUTE FUNCTION notify_every_branch();
