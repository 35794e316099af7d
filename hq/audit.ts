// Audit intake: devices upload their hash-chained audit log in signed batches. HQ checks the
// signature against the key the device registered at enrollment and the chain against where
// its copy ends, stores the entries, and acknowledges; any break flags the device for people
// to look at and stores nothing of the batch.
import { createPublicKey, verify as verifySignature } from 'node:crypto';
import {
  auditBatchPayload,
  auditGenesis,
  auditRow,
  verifyChain,
  type AuditEntry,
} from '../shared/audit/entry';
import type { Role } from '../shared/access/permissions';
import type { OverdueDevicesResponse } from '../shared/auth/hq-staff';
import type { AuditBatch } from '../shared/auth/staff';
import { BranchDeskError } from '../shared/errors';
import { sha256Hex } from './crypto';
import type { Database, Sql } from './db/database';
import type { AuthenticatedDevice } from './devices';

interface DeviceAudit {
  audit_public_key: string | null;
  audit_chain: string | null;
  audit_seq: string | number;
  audit_hash: string | null;
}

type Intake =
  | { kind: 'ok'; acknowledged: { seq: number; hash: string } }
  | { kind: 'broken'; seq: number; problem: string }
  | { kind: 'behind'; held: { seq: number; hash: string } };

/** Verifies and stores one batch; returns where HQ's copy of the device's chain now ends. */
export async function acceptAuditBatch(
  db: Database,
  device: AuthenticatedDevice,
  batch: AuditBatch,
): Promise<{ seq: number; hash: string }> {
  const intake = await db.transaction<Intake>(async (tx) => {
    const [state] = await tx.query<DeviceAudit>(
      'SELECT audit_public_key, audit_chain, audit_seq, audit_hash FROM device WHERE id = $1 FOR UPDATE',
      [device.deviceId],
    );
    if (!state?.audit_public_key || !state.audit_chain)
      throw new BranchDeskError('AUDIT_KEY_UNKNOWN');
    const chain = state.audit_chain;
    const held = {
      seq: Number(state.audit_seq),
      hash: state.audit_hash ?? auditGenesis(sha256Hex, chain),
    };
    const entries = batch.entries;
    const first = entries[0]!;
    const last = entries.at(-1)!;
    const key = createPublicKey({
      key: Buffer.from(state.audit_public_key, 'base64'),
      format: 'der',
      type: 'spki',
    });
    const payload = Buffer.from(auditBatchPayload({ chain, first, last }));
    if (!verifySignature(null, payload, key, Buffer.from(batch.signature, 'base64')))
      return { kind: 'broken', seq: first.seq, problem: 'signature' };
    if (entries.some((entry) => entry.device !== chain))
      return { kind: 'broken', seq: first.seq, problem: 'foreign_entry' };
    // A batch resent after a lost acknowledgement overlaps what HQ holds: the overlap must be
    // exactly what HQ stored, and only the rest is new.
    const overlap = entries.filter((entry) => entry.seq <= held.seq);
    if (overlap.length > 0) {
      const stored = await tx.query<{ seq: string | number; hash: string }>(
        'SELECT seq, hash FROM audit_entry WHERE device_id = $1 AND seq = ANY($2::bigint[])',
        [device.deviceId, overlap.map((entry) => entry.seq)],
      );
      const storedHash = new Map(stored.map((row) => [Number(row.seq), row.hash]));
      const differs = overlap.find((entry) => storedHash.get(entry.seq) !== entry.hash);
      if (differs) return { kind: 'broken', seq: differs.seq, problem: 'rewritten' };
    }
    // A batch accepted (even one HQ held already) is the device's audit reaching HQ now: what
    // `audit overdue` measures from.
    const received = () =>
      tx.query('UPDATE device SET audit_received_at = now() WHERE id = $1', [device.deviceId]);
    const fresh = entries.filter((entry) => entry.seq > held.seq);
    if (fresh.length === 0) {
      await received();
      return { kind: 'ok', acknowledged: held };
    }
    // Starting after where HQ's copy ends: HQ acknowledged entries it no longer holds (restored
    // from a backup). Not the device's doing, and nothing is taken on trust: the device is told
    // where to start again (AUDIT_RESUME), unflagged.
    if (fresh[0]!.seq > held.seq + 1) return { kind: 'behind', held };
    const verified = verifyChain(sha256Hex, held, fresh.map(auditRow));
    if (!verified.ok) return { kind: 'broken', ...verified.break };
    await insertEntries(tx, device.deviceId, fresh);
    await tx.query('UPDATE device SET audit_seq = $2, audit_hash = $3 WHERE id = $1', [
      device.deviceId,
      verified.anchor.seq,
      verified.anchor.hash,
    ]);
    await received();
    return { kind: 'ok', acknowledged: verified.anchor };
  });
  if (intake.kind === 'ok') return intake.acknowledged;
  if (intake.kind === 'behind')
    throw new BranchDeskError('AUDIT_RESUME', { seq: intake.held.seq, hash: intake.held.hash });
  // Flagged outside the refused batch's transaction, so the flag stays.
  await db.query(
    `UPDATE device SET audit_flag = coalesce(audit_flag, $2), audit_flagged_at = coalesce(audit_flagged_at, now())
     WHERE id = $1`,
    [device.deviceId, `${intake.problem} at ${intake.seq}`],
  );
  if (intake.problem === 'signature') throw new BranchDeskError('AUDIT_SIGNATURE_INVALID');
  throw new BranchDeskError('AUDIT_CHAIN_BROKEN', { seq: intake.seq, problem: intake.problem });
}

async function insertEntries(tx: Sql, deviceId: string, entries: AuditEntry[]): Promise<void> {
  const columns = [
    'seq',
    'at',
    'actor',
    'action',
    'target',
    'details',
    'prevHash',
    'hash',
  ] as const;
  await tx.query(
    `INSERT INTO audit_entry (device_id, seq, at, actor, action, target, details, prev_hash, hash)
     SELECT $1, * FROM unnest($2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[])`,
    [deviceId, ...columns.map((column) => entries.map((entry) => entry[column]))],
  );
}

/** Where HQ's copy of a device's chain ends (for a device starting again after a restore). */
export async function auditPosition(
  db: Sql,
  deviceId: string,
): Promise<{ seq: number; hash: string }> {
  const [row] = await db.query<{ audit_seq: string | number; audit_hash: string | null }>(
    'SELECT audit_seq, audit_hash FROM device WHERE id = $1',
    [deviceId],
  );
  return { seq: Number(row?.audit_seq ?? 0), hash: row?.audit_hash ?? '' };
}

/** Every recorded access to one customer, from every device, newest first. */
export async function customerAccess(db: Sql, customerId: string, limit = 500) {
  const rows = await db.query<{
    device_id: string;
    seq: string | number;
    at: string;
    actor: string;
    action: string;
    details: string;
  }>(
    `SELECT device_id, seq, at, actor, action, details FROM audit_entry
     WHERE target = $1 ORDER BY at DESC, device_id, seq DESC LIMIT $2`,
    [customerId, limit],
  );
  return rows.map((row) => ({
    deviceId: row.device_id,
    seq: Number(row.seq),
    at: row.at,
    actor: row.actor,
    action: row.action,
    details: row.details,
  }));
}

/**
 * "Who looked at this customer", as the asking member of branch staff may see it: bank-wide for
 * an HQ auditor (the auditor role, at no branch); for anyone else, only customers of the branch
 * their session's device serves, while that is still their own branch. Another branch's customer,
 * or none, is refused alike.
 */
export async function customerAccessFor(
  db: Sql,
  staff: { roles: readonly Role[]; userBranchId: string | null; deviceBranchId: string },
  customerId: string,
) {
  // Staff HQ has moved to another branch since they signed in see nothing through this device:
  // its branch is no longer theirs.
  if (staff.userBranchId !== null && staff.userBranchId !== staff.deviceBranchId)
    throw new BranchDeskError('USER_NOT_AT_BRANCH', { branchId: staff.deviceBranchId });
  const bankWide = staff.userBranchId === null && staff.roles.includes('auditor');
  if (!bankWide) {
    const [customer] = await db.query<{ home_branch_id: string }>(
      'SELECT home_branch_id FROM customer WHERE id = $1',
      [customerId],
    );
    if (customer?.home_branch_id !== staff.deviceBranchId)
      throw new BranchDeskError('PERMISSION_DENIED', { permission: 'view_audit' });
  }
  return customerAccess(db, customerId);
}

/** Devices whose audit chain broke, and where. */
export async function flaggedDevices(db: Sql) {
  const rows = await db.query<{
    id: string;
    branch_id: string;
    audit_flag: string;
    audit_flagged_at: Date;
  }>(
    'SELECT id, branch_id, audit_flag, audit_flagged_at FROM device WHERE audit_flag IS NOT NULL ORDER BY audit_flagged_at',
  );
  return rows.map((row) => ({
    deviceId: row.id,
    branchId: row.branch_id,
    flag: row.audit_flag,
    flaggedAt: new Date(row.audit_flagged_at).toISOString(),
  }));
}

/**
 * Active devices whose audit has not reached HQ for more than `hours` (or, never uploaded, not
 * since enrollment): an offline laptop's unuploaded window, for people to chase.
 */
export async function overdueDevices(
  db: Sql,
  hours: number,
  now = Date.now(),
): Promise<OverdueDevicesResponse['devices']> {
  const rows = await db.query<{
    id: string;
    branch_id: string;
    audit_received_at: Date | string | null;
    enrolled_at: Date | string;
    audit_seq: string | number;
  }>(
    `SELECT id, branch_id, audit_received_at, enrolled_at, audit_seq FROM device
     WHERE status = 'active' AND coalesce(audit_received_at, enrolled_at) < $1
     ORDER BY coalesce(audit_received_at, enrolled_at), id`,
    [new Date(now - hours * 3_600_000).toISOString()],
  );
  return rows.map((row) => ({
    deviceId: row.id,
    branchId: row.branch_id,
    lastUploadAt: row.audit_received_at ? new Date(row.audit_received_at).toISOString() : null,
    enrolledAt: new Date(row.enrolled_at).toISOString(),
    heldSeq: Number(row.audit_seq),
  }));
}

/**
 * Re-verifies everything HQ holds of a device's chain, from its genesis: the same check as on
 * intake, over the stored copy (an edit in HQ's own database shows here).
 */
export async function verifyStoredChain(db: Sql, deviceId: string) {
  const [device] = await db.query<DeviceAudit>(
    'SELECT audit_public_key, audit_chain, audit_seq, audit_hash FROM device WHERE id = $1',
    [deviceId],
  );
  if (!device) throw new BranchDeskError('DEVICE_NOT_FOUND', { deviceId });
  if (!device.audit_chain) throw new BranchDeskError('AUDIT_KEY_UNKNOWN');
  const rows = await db.query<StoredAuditRow>(
    'SELECT seq, at, actor, action, target, details, prev_hash, hash FROM audit_entry WHERE device_id = $1 ORDER BY seq',
    [deviceId],
  );
  const chain = device.audit_chain;
  const result = verifyStoredRows(chain, rows);
  if (!result.ok) return result;
  // The copy must end where HQ last acknowledged: entries cut off the end show here.
  if (result.anchor.seq !== Number(device.audit_seq))
    return {
      ok: false as const,
      count: result.count,
      break: { seq: result.anchor.seq + 1, problem: 'truncated' as const },
    };
  return result;
}

/** An audit entry as HQ stores it (a device's copy in audit_entry, HQ's own in hq_audit). */
export interface StoredAuditRow {
  seq: string | number;
  at: string;
  actor: string;
  action: string;
  target: string | null;
  details: string;
  prev_hash: string;
  hash: string;
}

/** Recomputes one chain of stored rows from its genesis: the first broken link, or its end. */
export function verifyStoredRows(chain: string, rows: readonly StoredAuditRow[]) {
  return verifyChain(
    sha256Hex,
    { seq: 0, hash: auditGenesis(sha256Hex, chain) },
    rows.map(
      (row) =>
        [
          Number(row.seq),
          row.at,
          row.actor,
          chain,
          row.action,
          row.target,
          row.details,
          row.prev_hash,
          row.hash,
        ] as const,
    ),
  );
}
