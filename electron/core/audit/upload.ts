// Sends the audit log to HQ: entries HQ has not acknowledged, oldest first, in batches signed
// with the device's Ed25519 key (its private half in the OS keychain). HQ answers where its copy
// of the chain ends; entries it holds and that are older than the retention period are then
// pruned here, the last one's hash kept as the anchor the local chain continues from.
import { createPrivateKey, sign } from 'node:crypto';
import { auditBatchPayload, type AuditAnchor } from '../../../shared/audit/entry';
import { BranchDeskError, isBranchDeskError } from '../../../shared/errors';
import { wallClock } from '../clock';
import { auditKeyAccount } from '../device/enrollment';
import type { HqClient } from '../hq-client/client';
import type { SecretStore } from '../secrets';
import { AUDIT_RESYNC_KEY } from '../sync/epoch';
import type { Vault } from '../vault';
import { AuditLog } from './log';

const ACKED_KEY = 'audit.acknowledged';
const BATCH_ENTRIES = 500;
/** Well under HQ's 1 MiB body limit, whatever the entries' details hold. */
const BATCH_BYTES = 512 * 1024;

export interface AuditUploadSummary {
  uploaded: number;
  batches: number;
  acknowledged: AuditAnchor;
  pruned: number;
}

/** Where HQ's copy of this device's chain ends, as HQ last said. */
export function acknowledgedAudit(vault: Vault): AuditAnchor {
  const stored = vault.db
    .prepare('SELECT value FROM vault_meta WHERE key = ?')
    .pluck()
    .get(ACKED_KEY) as string | undefined;
  return stored ? (JSON.parse(stored) as AuditAnchor) : { seq: 0, hash: '' };
}

export async function uploadAudit(
  vault: Vault,
  secrets: SecretStore,
  client: HqClient,
  options: { retentionDays: number; now?: number },
): Promise<AuditUploadSummary> {
  const audit = new AuditLog(vault);
  const stored = secrets.get(auditKeyAccount(vault.profileId));
  if (!stored) throw new BranchDeskError('AUDIT_KEY_UNKNOWN');
  const key = createPrivateKey({
    key: Buffer.from(stored, 'base64'),
    format: 'der',
    type: 'pkcs8',
  });
  const setAcked = vault.db.prepare('INSERT OR REPLACE INTO vault_meta (key, value) VALUES (?, ?)');
  let acknowledged = acknowledgedAudit(vault);
  if (resyncWanted(vault)) acknowledged = await resync(vault, client);
  let uploaded = 0;
  let batches = 0;
  for (;;) {
    const candidates = audit.entries({ fromSeq: acknowledged.seq + 1, limit: BATCH_ENTRIES });
    if (candidates.length === 0) break;
    let bytes = 0;
    const entries = candidates.filter(
      (entry) => (bytes += entry.details.length + 512) <= BATCH_BYTES,
    );
    if (entries.length === 0) entries.push(candidates[0]!);
    const first = entries[0]!;
    const last = entries.at(-1)!;
    const payload = auditBatchPayload({ chain: audit.device, first, last });
    const signature = sign(null, Buffer.from(payload), key).toString('base64');
    let answer;
    try {
      answer = await client.uploadAudit({ entries, signature });
    } catch (error) {
      // HQ's copy ends before what it acknowledged: HQ was restored from a backup. The next
      // round (which learns HQ's new epoch first) starts again from where HQ's copy ends.
      if (!isBranchDeskError(error, 'AUDIT_RESUME')) throw error;
      setAcked.run(AUDIT_RESYNC_KEY, '1');
      break;
    }
    // HQ can only acknowledge what it was sent (or, after a lost answer, what it already held).
    if (answer.seq < acknowledged.seq || answer.seq > last.seq)
      throw new BranchDeskError('HQ_PROTOCOL_ERROR', { status: 200 });
    const progressed = answer.seq > acknowledged.seq;
    acknowledged = answer;
    setAcked.run(ACKED_KEY, JSON.stringify(acknowledged));
    uploaded += entries.length;
    batches++;
    if (!progressed) break;
  }
  return { uploaded, batches, acknowledged, pruned: pruneAcknowledged(vault, options) };
}

function resyncWanted(vault: Vault): boolean {
  return (
    vault.db.prepare('SELECT value FROM vault_meta WHERE key = ?').pluck().get(AUDIT_RESYNC_KEY) ===
    '1'
  );
}

/**
 * After HQ was restored (a new epoch, sync/epoch.ts): HQ's copy of this chain may end before the
 * point HQ acknowledged. Uploading starts again from where it now ends; the entries after it are
 * still here unless older than the retention period (then HQ's `audit overdue` shows the device).
 */
async function resync(vault: Vault, client: HqClient): Promise<AuditAnchor> {
  const { acknowledged } = await client.auditPosition();
  const mine = acknowledgedAudit(vault);
  // HQ never holds more than the device wrote; an anchor beyond it is not HQ's to give.
  const held = new AuditLog(vault).entries({ fromSeq: acknowledged.seq, limit: 1 })[0];
  if (
    acknowledged.seq > 0 &&
    held &&
    held.seq === acknowledged.seq &&
    held.hash !== acknowledged.hash
  )
    throw new BranchDeskError('HQ_PROTOCOL_ERROR', { status: 200 });
  const anchor = acknowledged.seq < mine.seq ? acknowledged : mine;
  vault.db.transaction(() => {
    const set = vault.db.prepare('INSERT OR REPLACE INTO vault_meta (key, value) VALUES (?, ?)');
    set.run(ACKED_KEY, JSON.stringify(anchor));
    vault.db.prepare('DELETE FROM vault_meta WHERE key = ?').run(AUDIT_RESYNC_KEY);
  })();
  return anchor;
}

/** Deletes acknowledged entries older than the retention period; returns how many. */
export function pruneAcknowledged(
  vault: Vault,
  options: { retentionDays: number; now?: number },
): number {
  const acknowledged = acknowledgedAudit(vault);
  if (acknowledged.seq === 0) return 0;
  const before = new Date(
    (options.now ?? wallClock()) - options.retentionDays * 86_400_000,
  ).toISOString();
  const through = vault.db
    .prepare('SELECT max(seq) FROM audit_log WHERE seq <= ? AND at < ?')
    .pluck()
    .get(acknowledged.seq, before) as number | null;
  return through ? new AuditLog(vault).pruneThrough(through) : 0;
}
