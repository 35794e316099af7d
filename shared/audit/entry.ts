// The audit log's entries and the hash chain that links them (ARCHITECTURE.md §6). The device
// writes them (electron/core/audit) and HQ verifies the same chain with the same code, so what
// an entry's hash covers is defined once, here. SHA-256 comes from the caller (node:crypto on
// both ends; shared/ stays free of platform modules).
import { z } from 'zod';

/** SHA-256 of the UTF-8 text, as lowercase hex. */
export type Sha256Hex = (text: string) => string;

export const auditActions = [
  'login_success',
  'login_failure',
  'logout',
  'lock',
  'unlock',
  'search',
  'view',
  'reveal',
  'create',
  'update',
  'approve',
  'reject',
  'export',
  'print',
  'sync_start',
  'sync_end',
  'resolve_conflict',
  'config_change',
  /** A command refused for want of a permission: who tried what. */
  'denied',
] as const;

export const AuditAction = z.enum(auditActions);
export type AuditAction = z.infer<typeof AuditAction>;

const HASH = /^[0-9a-f]{64}$/;

/** One entry as stored and as uploaded: `details` is canonical JSON text. */
export const AuditEntry = z.object({
  seq: z.number().int().positive(),
  /** ISO 8601 UTC with milliseconds. */
  at: z.iso.datetime({ offset: false, precision: 3 }),
  actor: z.string().min(1).max(64),
  device: z.string().min(1).max(64),
  action: AuditAction,
  /** What was acted on (a customer id, a conflict id), or null. */
  target: z.string().max(64).nullable(),
  details: z.string().max(4096),
  prevHash: z.string().regex(HASH),
  hash: z.string().regex(HASH),
});
export type AuditEntry = z.infer<typeof AuditEntry>;

export type AuditFields = Omit<AuditEntry, 'prevHash' | 'hash'>;

/**
 * The bytes an entry's hash covers: every field but the hashes, in a fixed order, as a JSON
 * array (one spelling per entry: `details` is already canonical text).
 */
export function auditPayload(entry: AuditFields): string {
  return JSON.stringify([
    entry.seq,
    entry.at,
    entry.actor,
    entry.device,
    entry.action,
    entry.target,
    entry.details,
  ]);
}

/** `hash = SHA-256(canonical entry ‖ prevHash)`, hex. */
export function auditHash(sha256: Sha256Hex, entry: AuditFields, prevHash: string): string {
  return sha256(auditPayload(entry) + prevHash);
}

/** The `prevHash` of a device's first entry: binds the chain to the device it started on. */
export function auditGenesis(sha256: Sha256Hex, device: string): string {
  return sha256(`branchdesk-audit-genesis:${device}`);
}

/** Where a chain stands: the last entry's sequence and hash (seq 0 and genesis when empty). */
export interface AuditAnchor {
  seq: number;
  hash: string;
}

export type ChainBreak =
  | { seq: number; problem: 'missing' }
  | { seq: number; problem: 'out_of_order' }
  | { seq: number; problem: 'prev_hash_mismatch' }
  | { seq: number; problem: 'hash_mismatch' };

/**
 * Checks entries that should continue the chain from `anchor`, in the order given. Returns the
 * first break, or the new anchor. Stops at the first break: after it, nothing can be trusted.
 */
export function verifyChain(
  sha256: Sha256Hex,
  anchor: AuditAnchor,
  entries: Iterable<AuditEntry>,
):
  | { ok: true; anchor: AuditAnchor; count: number }
  | { ok: false; count: number; break: ChainBreak } {
  let { seq, hash } = anchor;
  let count = 0;
  for (const entry of entries) {
    if (entry.seq !== seq + 1)
      return {
        ok: false,
        count,
        break: { seq: seq + 1, problem: entry.seq > seq + 1 ? 'missing' : 'out_of_order' },
      };
    if (entry.prevHash !== hash)
      return { ok: false, count, break: { seq: entry.seq, problem: 'prev_hash_mismatch' } };
    if (auditHash(sha256, entry, entry.prevHash) !== entry.hash)
      return { ok: false, count, break: { seq: entry.seq, problem: 'hash_mismatch' } };
    seq = entry.seq;
    hash = entry.hash;
    count++;
  }
  return { ok: true, anchor: { seq, hash }, count };
}
