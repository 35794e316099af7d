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
  /** A step at the counter's customer screen: asked, confirmed, declined, submitted, approved… */
  'customer_screen',
  /** Duplicates merged at HQ from this desk: proposed, approved or rejected, undone. */
  'merge',
  /** A command refused for want of a permission: who tried what. */
  'denied',
] as const;

export const AuditAction = z.enum(auditActions);
export type AuditAction = z.infer<typeof AuditAction>;

const HASH = /^[0-9a-f]{64}$/;
/** No control characters: the hashed payload separates fields with U+001F. */
const plain = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .regex(/^\P{Cc}*$/u);

/** One entry as stored and as uploaded: `details` is canonical JSON text. */
export const AuditEntry = z.object({
  seq: z.number().int().positive(),
  /** ISO 8601 UTC with milliseconds. */
  at: z.iso.datetime({ offset: false, precision: 3 }),
  actor: plain(64),
  device: plain(64),
  action: AuditAction,
  /** What was acted on (a customer id, a conflict id), or null. */
  target: plain(64).nullable(),
  details: z.string().max(4096),
  prevHash: z.string().regex(HASH),
  hash: z.string().regex(HASH),
});
export type AuditEntry = z.infer<typeof AuditEntry>;

export type AuditFields = Omit<AuditEntry, 'prevHash' | 'hash'>;

/** An entry as stored, in column order: the shape verification reads, fast. */
export type AuditRow = readonly [
  seq: number,
  at: string,
  actor: string,
  device: string,
  action: string,
  target: string | null,
  details: string,
  prevHash: string,
  hash: string,
];

const SEPARATOR = '\u001f';

/**
 * The text an entry's hash covers: every field but the hashes, in a fixed order, separated by
 * U+001F (no field can hold it: `details` is JSON, which escapes control characters, and the
 * others refuse them; a null target is empty, and a target is never empty).
 */
export function auditPayload(entry: AuditFields): string {
  return rowPayload(hashedColumns(entry));
}

/** The columns the hash covers, in stored order. */
const hashedColumns = (entry: AuditFields) =>
  [
    entry.seq,
    entry.at,
    entry.actor,
    entry.device,
    entry.action,
    entry.target,
    entry.details,
  ] as const;

/** The payload of a stored row (its first seven columns), without building an entry. */
function rowPayload(
  row: readonly [number, string, string, string, string, string | null, string, ...string[]],
): string {
  return (
    row[0] +
    SEPARATOR +
    row[1] +
    SEPARATOR +
    row[2] +
    SEPARATOR +
    row[3] +
    SEPARATOR +
    row[4] +
    SEPARATOR +
    (row[5] ?? '') +
    SEPARATOR +
    row[6]
  );
}

/**
 * The hash of an entry given as its seven hashed columns in stored order, for a chain whose
 * actions are not a device's (HQ's own audit of admin actions): the same payload and rule.
 */
export function auditRowHash(
  sha256: Sha256Hex,
  columns: readonly [number, string, string, string, string, string | null, string],
  prevHash: string,
): string {
  return sha256(rowPayload(columns) + prevHash);
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
  rows: Iterable<AuditRow>,
):
  | { ok: true; anchor: AuditAnchor; count: number }
  | { ok: false; count: number; break: ChainBreak } {
  let seq = anchor.seq;
  let hash = anchor.hash;
  let count = 0;
  for (const row of rows) {
    const next = row[0];
    if (next !== seq + 1)
      return {
        ok: false,
        count,
        break: { seq: seq + 1, problem: next > seq + 1 ? 'missing' : 'out_of_order' },
      };
    if (row[7] !== hash)
      return { ok: false, count, break: { seq: next, problem: 'prev_hash_mismatch' } };
    hash = sha256(rowPayload(row) + row[7]);
    if (hash !== row[8])
      return { ok: false, count, break: { seq: next, problem: 'hash_mismatch' } };
    seq = next;
    count++;
  }
  return { ok: true, anchor: { seq, hash }, count };
}

/** An entry's stored row. */
export const auditRow = (entry: AuditEntry): AuditRow => [
  ...hashedColumns(entry),
  entry.prevHash,
  entry.hash,
];

/**
 * What a device signs when it uploads a batch: the chain, and where the batch starts and ends.
 * The hashes link every entry in between, so HQ verifying the chain and this signature knows
 * the device's key vouches for every entry.
 */
export function auditBatchPayload(batch: {
  chain: string;
  first: { seq: number; prevHash: string };
  last: { seq: number; hash: string };
}): string {
  return [
    'branchdesk-audit-batch',
    batch.chain,
    batch.first.seq,
    batch.first.prevHash,
    batch.last.seq,
    batch.last.hash,
  ].join(SEPARATOR);
}
