// HQ's own audit: every admin action, through the API or the CLI on HQ's host, with the real
// actor, in one hash chain in HQ's database. Entries and hashes follow the device audit's
// canonical form (shared/audit/entry.ts), so one rule says what a hash covers.
import { hostname, userInfo } from 'node:os';
import { z } from 'zod';
import { auditGenesis, auditRowHash } from '../shared/audit/entry';
import { verifyStoredRows, type StoredAuditRow } from './audit';
import { canonicalJson } from '../shared/sync/canonical';
import { sha256Hex } from './crypto';
import type { Database, Sql } from './db/database';

/** The chain's name in every entry's hashed columns (a device's chain is its profile id). */
export const HQ_CHAIN = 'hq';

export const HqAuditAction = z.enum([
  'sign_in',
  'sign_in_failed',
  'sign_out',
  'hq_user_add',
  'hq_user_disable',
  'hq_user_reset_password',
  'staff_add',
  'staff_disable',
  'staff_reset_password',
  'staff_totp',
  'seed',
  'branch_create',
  'customer_import',
  'customer_edit',
  'customer_reassign',
  'enrollment_code',
  'device_revoke',
  /** The restore runbook's step: a new epoch after HQ's database was restored. */
  'epoch_rotate',
  'read_history',
  'read_scope',
  'read_mutations',
  'audit_customer_access',
  'audit_export',
  'audit_flagged',
  'audit_overdue',
  'audit_verify',
  /** An anonymised extract of a branch for analysts: its k and how much was suppressed. */
  'privacy_extract',
  /** A customer's own copy of their personal information, produced at HQ. */
  'privacy_copy',
  /** A customer's data restricted (PIPL Art. 47), with the reason, or the restriction lifted. */
  'privacy_restrict',
  'privacy_lift_restriction',
  /** A privacy notice published (its version), or the list of those published read. */
  'privacy_notice_publish',
  'privacy_notice_list',
  /**
   * Erasure (PIPL Art. 47): a customer's request recorded (erased at once or held), the list of
   * requests read, a legal hold placed or released, a retention run; each erasure itself as
   * `privacy_erase` with the customer's id (their pseudonymous key from then on) and the ground.
   */
  'privacy_erasure_request',
  'privacy_erasure_list',
  'privacy_legal_hold',
  'privacy_release_hold',
  'privacy_retention',
  'privacy_erase',
  /** An AML risk-rating table published (its version), the tables listed, or a re-rating run. */
  'risk_rules_publish',
  'risk_rules_list',
  'risk_rerate',
  /** A segment rule table published, or the segments applied to HQ's records. */
  'segment_rules_publish',
  'counter_notices_publish',
  'complaint_rules_publish',
  'help_publish',
  'complaints_report',
  'segment_apply',
  /** A campaign published to the branches, or its results read. */
  'campaign_publish',
  'campaign_results',
  /** The data quality report, for a branch or all. */
  'quality_report',
  /** Duplicates merged (proposed, rejected, performed) and a merge undone (hq/merges.ts). */
  'customer_merge_propose',
  'customer_merge_reject',
  'customer_merge',
  'customer_unmerge',
  'customer_merge_list',
  /** The cross-branch duplicate search run at HQ. */
  'duplicates_report',
  /** Cleansing tasks made at HQ for the customers with a data quality problem. */
  'quality_tasks',
  /** A signed-in HQ user refused for want of a role: who tried what. */
  'denied',
]);
export type HqAuditAction = z.infer<typeof HqAuditAction>;

/** Ids, counts and outcomes only: never a customer's data. */
export type HqAuditDetails = Readonly<Record<string, string | number | boolean | null | string[]>>;

export interface HqAuditRecord {
  actor: string;
  action: HqAuditAction;
  target?: string | null;
  details?: HqAuditDetails;
}

/** The hashed payload separates fields with U+001F: no control characters in free text. */
const plain = (text: string, max: number) => text.replace(/\p{Cc}/gu, '?').slice(0, max);

/** The OS account running the admin CLI on HQ's host, as its actions are recorded. */
export function osOperator(): string {
  let user: string;
  try {
    user = userInfo().username;
  } catch {
    user = `uid-${process.getuid?.() ?? 'unknown'}`;
  }
  return plain(`os:${user}@${hostname()}`, 128);
}

/** The actor a signed-in HQ user's actions are recorded as. */
export const hqActor = (username: string) => `hq:${username}`;

/** Appends one entry after the chain's head, under the head's row lock. */
export async function recordHqAction(
  db: Database,
  record: HqAuditRecord,
  now = Date.now(),
): Promise<{ seq: number; hash: string }> {
  return db.transaction((tx) => appendHqAction(tx, record, now));
}

/**
 * Appends one entry inside the caller's transaction: the entry commits with the work it records
 * (an erasure and its entry, or neither).
 */
export async function appendHqAction(
  tx: Sql,
  record: HqAuditRecord,
  now = Date.now(),
): Promise<{ seq: number; hash: string }> {
  {
    await tx.query(
      'INSERT INTO hq_audit_head (id, seq, hash) VALUES (true, 0, $1) ON CONFLICT (id) DO NOTHING',
      [auditGenesis(sha256Hex, HQ_CHAIN)],
    );
    const [head] = await tx.query<{ seq: string | number; hash: string }>(
      'SELECT seq, hash FROM hq_audit_head WHERE id FOR UPDATE',
    );
    const seq = Number(head!.seq) + 1;
    const columns = [
      seq,
      new Date(now).toISOString(),
      plain(record.actor, 128),
      HQ_CHAIN,
      record.action,
      record.target == null ? null : plain(record.target, 128),
      canonicalJson(record.details ?? {}),
    ] as const;
    const hash = auditRowHash(sha256Hex, columns, head!.hash);
    const [, at, actor, , action, target, details] = columns;
    await tx.query(
      `INSERT INTO hq_audit (seq, at, actor, action, target, details, prev_hash, hash)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [seq, at, actor, action, target, details, head!.hash, hash],
    );
    await tx.query('UPDATE hq_audit_head SET seq = $1, hash = $2 WHERE id', [seq, hash]);
    return { seq, hash };
  }
}

/**
 * Recomputes HQ's chain from its genesis and reports the first broken link: an edited, removed
 * or reordered entry, or entries cut off the end (the head says where the chain ends).
 */
export async function verifyHqChain(db: Sql) {
  const rows = await db.query<StoredAuditRow>('SELECT * FROM hq_audit ORDER BY seq');
  const [head] = await db.query<{ seq: string | number }>('SELECT seq FROM hq_audit_head');
  const result = verifyStoredRows(HQ_CHAIN, rows);
  if (!result.ok) return result;
  if (result.anchor.seq !== Number(head?.seq ?? 0))
    return {
      ok: false as const,
      count: result.count,
      break: { seq: result.anchor.seq + 1, problem: 'truncated' as const },
    };
  return result;
}

/** Entries after `after`, oldest first: HQ's audit for an auditor to read or export. */
export async function hqAuditEntries(db: Sql, after: number, limit: number) {
  const rows = await db.query<StoredAuditRow>(
    'SELECT * FROM hq_audit WHERE seq > $1 ORDER BY seq LIMIT $2',
    [after, limit],
  );
  return rows.map((row) => ({
    seq: Number(row.seq),
    at: row.at,
    actor: row.actor,
    action: row.action,
    target: row.target,
    details: row.details,
    prevHash: row.prev_hash,
    hash: row.hash,
  }));
}
