// The device's side of sync state, all in the vault: the outbox of mutations not yet
// acknowledged, the hybrid logical clock, the rejected ledger, the conflict queue and the
// customers waiting to be evicted. Every method runs inside the caller's transaction, so a local
// edit and its mutation, or an outcome and its effects, commit together or not at all.
import { randomUUID } from 'node:crypto';
import { BranchDeskError } from '../../../shared/errors';
import { Mutation } from '../../../shared/protocol/mutations';
import {
  formatHlc,
  MAX_CLOCK_AHEAD_MS,
  parseHlc,
  receiveHlc,
  tickHlc,
} from '../../../shared/sync/hlc';
import { recordHash } from '../../../shared/sync/record-hash';
import { sha256Hex } from '../audit/log';
import { wallClock, wallClockIso } from '../clock';
import { readEnrollment } from '../device/enrollment';
import type { Statement } from 'better-sqlite3-multiple-ciphers';
import type { SqliteDatabase, Vault } from '../vault';

const HLC_KEY = 'sync.hlc';
/** HQ's epoch as this device last saw it (see sync/epoch.ts). */
export const EPOCH_KEY = 'sync.epoch';

/**
 * How long a mutation HQ applied is kept after HQ acknowledged it, for re-sending should HQ be
 * restored from a backup taken before it (see sync/epoch.ts): at least the age of the oldest
 * backup HQ's runbook restores (docs/OPERATIONS.md).
 */
export const RETAIN_ACKNOWLEDGED_DAYS = 35;
/** The latest timestamp received from HQ. */
const HQ_HLC_KEY = 'sync.hlc.hq';

export interface OutboxEntry {
  seq: number;
  mutation: Mutation;
}

export interface RejectedEntry {
  id: number;
  mutationId: string;
  customerId: string;
  /** Null when the whole mutation was refused. */
  field: string | null;
  reason: string;
  localValue: unknown;
  decidedAt: string;
}

export interface ConflictEntry {
  id: number;
  mutationId: string;
  customerId: string;
  field: string;
  base: unknown;
  local: unknown;
  hq: unknown;
  hqVersion: number | null;
  createdAt: string;
  resolvedAt: string | null;
  resolution: 'local' | 'hq' | 'value' | null;
  resolvedBy: string | null;
  resolutionMutationId: string | null;
}

const json = (value: unknown) => (value === undefined ? null : JSON.stringify(value));
const unjson = (text: string | null): unknown => (text === null ? undefined : JSON.parse(text));

export class SyncState {
  constructor(private readonly vault: Vault) {}

  /** The vault's connection now (a snapshot switch changes it: see Vault.db). */
  private get db(): SqliteDatabase {
    return this.vault.db;
  }

  /** Who this device is in mutations: its enrolled id, or its profile id until it enrolls. */
  deviceId(): string {
    return readEnrollment(this.vault)?.deviceId ?? this.vault.profileId;
  }

  // ---- the clock --------------------------------------------------------------------------

  /** A timestamp for a local edit, after every one issued or received before. */
  tick(): string {
    const now = wallClock();
    let last = this.read(HLC_KEY);
    // Timestamps issued while this PC's clock ran further ahead than HQ accepts were refused
    // (CLOCK_SKEW), so nothing needs ordering after them. Once the clock is right again, continue
    // from HQ's latest instead, or every later edit would be refused too.
    if (last && last.wall > now + MAX_CLOCK_AHEAD_MS) last = this.read(HQ_HLC_KEY);
    return this.store(HLC_KEY, formatHlc(tickHlc(last, now, this.deviceId())));
  }

  /** Moves the clock past a timestamp HQ sent. */
  receive(remote: string): void {
    const parsed = parseHlc(remote);
    if (!parsed) return;
    this.store(HQ_HLC_KEY, remote);
    const next = receiveHlc(this.read(HLC_KEY), parsed, wallClock(), this.deviceId());
    this.store(HLC_KEY, formatHlc(next));
  }

  /**
   * HQ refused a timestamp as too far ahead (CLOCK_SKEW): the clock continues from the latest
   * timestamp HQ sent, so edits made once this PC's clock is right are accepted.
   */
  restartClockFromHq(): void {
    const hq = this.read(HQ_HLC_KEY);
    if (hq) this.store(HLC_KEY, formatHlc(hq));
  }

  private read(key: string) {
    const text = this.db.prepare('SELECT value FROM vault_meta WHERE key = ?').pluck().get(key) as
      string | undefined;
    return text === undefined ? undefined : parseHlc(text);
  }

  /** The pull cursor (sync/pull.ts keeps it under this key). */
  private scopeCursor(): number {
    const row = this.db
      .prepare("SELECT value FROM vault_meta WHERE key = 'sync.cursor'")
      .pluck()
      .get() as string | undefined;
    return row === undefined ? 0 : Number(row);
  }

  private store(key: string, text: string): string {
    this.db.prepare('INSERT OR REPLACE INTO vault_meta (key, value) VALUES (?, ?)').run(key, text);
    return text;
  }

  // ---- the outbox -------------------------------------------------------------------------

  /** Queues a mutation, its id and timestamp assigned here; the caller marks the customer pending. */
  enqueue(
    mutation: DistributiveOmit<Mutation, 'mutationId' | 'hlc' | 'device'>,
    /** Chosen beforehand when HQ has recorded an approval for this very mutation. */
    mutationId: string = randomUUID(),
  ): Mutation {
    // Checked against the schema HQ reads it with: a mutation HQ could not read is refused here,
    // with the edit, rather than discovered at push.
    const checked = Mutation.safeParse({
      ...mutation,
      mutationId,
      hlc: this.tick(),
      device: this.deviceId(),
      // Which of HQ's scope changes this edit was made after (hq/push-guard.ts).
      ...(mutation.kind === 'update' ? { scopeCursor: this.scopeCursor() } : {}),
    });
    if (!checked.success) {
      const issues = checked.error.issues.map((issue) => issue.path.join('.')).join('; ');
      throw new BranchDeskError('INPUT_INVALID', { issues });
    }
    const full = checked.data;
    this.db
      .prepare(
        'INSERT INTO outbox (mutation_id, customer_id, mutation, created_at) VALUES (?, ?, ?, ?)',
      )
      .run(full.mutationId, full.customerId, JSON.stringify(full), wallClockIso());
    return full;
  }

  /** The oldest `limit` mutations, in the order they were made. */
  next(limit: number): OutboxEntry[] {
    return (
      this.db.prepare('SELECT seq, mutation FROM outbox ORDER BY seq LIMIT ?').all(limit) as {
        seq: number;
        mutation: string;
      }[]
    ).map((row) => ({ seq: row.seq, mutation: JSON.parse(row.mutation) as Mutation }));
  }

  pendingFor(customerId: string): Mutation[] {
    return (
      this.db
        .prepare('SELECT mutation FROM outbox WHERE customer_id = ? ORDER BY seq')
        .pluck()
        .all(customerId) as string[]
    ).map((text) => JSON.parse(text) as Mutation);
  }

  /**
   * Takes an acknowledged mutation off the outbox; false if it was not there. One HQ applied
   * (`retain`) is kept, with its id, for RETAIN_ACKNOWLEDGED_DAYS in `sync_acknowledged`.
   */
  acknowledge(mutationId: string, options: { retain?: boolean } = {}): boolean {
    if (options.retain)
      this.db
        .prepare(
          `INSERT OR REPLACE INTO sync_acknowledged (mutation_id, customer_id, mutation, hlc, acknowledged_at)
           SELECT mutation_id, customer_id, mutation, mutation ->> '$.hlc', ? FROM outbox WHERE mutation_id = ?`,
        )
        .run(wallClockIso(), mutationId);
    return this.db.prepare('DELETE FROM outbox WHERE mutation_id = ?').run(mutationId).changes > 0;
  }

  /** Forgets acknowledged mutations older than the retention window; returns how many. */
  pruneAcknowledged(now = wallClock()): number {
    const before = new Date(now - RETAIN_ACKNOWLEDGED_DAYS * 86_400_000).toISOString();
    return this.db.prepare('DELETE FROM sync_acknowledged WHERE acknowledged_at < ?').run(before)
      .changes;
  }

  /**
   * Notes the content hash of the master record HQ sent for a customer just stored from it (the
   * scope digest compares these; see scope-check.ts). `hash` is that hash when it was worked out
   * already (a pull's packer thread does).
   */
  tookFromHq(customerId: string, record: unknown, hash?: string): void {
    // Prepared once per connection: a pull of a thousand changes runs it a thousand times.
    const db = this.db;
    if (this.took?.db !== db)
      this.took = {
        db,
        statement: db.prepare<[string, string]>('UPDATE customer SET hq_hash = ? WHERE id = ?'),
      };
    this.took.statement.run(hash ?? recordHash(sha256Hex, record), customerId);
  }
  private took?: { db: SqliteDatabase; statement: Statement<[string, string]> };

  /** Acknowledged mutations still kept. */
  acknowledgedCount(): number {
    return this.db.prepare('SELECT count(*) FROM sync_acknowledged').pluck().get() as number;
  }

  outboxSize(): number {
    return this.db.prepare('SELECT count(*) FROM outbox').pluck().get() as number;
  }

  // ---- the rejected ledger ------------------------------------------------------------------

  reject(mutation: Mutation, field: string | null, reason: string, localValue: unknown): void {
    this.db
      .prepare(
        `INSERT OR IGNORE INTO sync_rejected (mutation_id, customer_id, field, reason, local_value, mutation, decided_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        mutation.mutationId,
        mutation.customerId,
        field,
        reason,
        json(localValue),
        JSON.stringify(mutation),
        wallClockIso(),
      );
  }

  rejected(limit = 1000): RejectedEntry[] {
    return (
      this.db
        .prepare(
          `SELECT id, mutation_id, customer_id, field, reason, local_value, decided_at
           FROM sync_rejected ORDER BY id DESC LIMIT ?`,
        )
        .all(limit) as {
        id: number;
        mutation_id: string;
        customer_id: string;
        field: string | null;
        reason: string;
        local_value: string | null;
        decided_at: string;
      }[]
    ).map((row) => ({
      id: row.id,
      mutationId: row.mutation_id,
      customerId: row.customer_id,
      field: row.field,
      reason: row.reason,
      localValue: unjson(row.local_value),
      decidedAt: row.decided_at,
    }));
  }

  // ---- the conflict queue -------------------------------------------------------------------

  park(
    mutation: Mutation,
    field: string,
    values: { base: unknown; local: unknown; hq: unknown; hqVersion: number | null },
  ): void {
    this.db
      .prepare(
        `INSERT OR IGNORE INTO sync_conflict (mutation_id, customer_id, field, base_value, local_value, hq_value, hq_version, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        mutation.mutationId,
        mutation.customerId,
        field,
        json(values.base),
        json(values.local),
        json(values.hq),
        values.hqVersion,
        wallClockIso(),
      );
  }

  conflicts(options: { open?: boolean; limit?: number } = {}): ConflictEntry[] {
    const where = options.open === false ? '' : 'WHERE resolved_at IS NULL';
    return (
      this.db
        .prepare(`SELECT * FROM sync_conflict ${where} ORDER BY id LIMIT ?`)
        .all(options.limit ?? 1000) as ConflictRow[]
    ).map(decodeConflict);
  }

  conflict(id: number): ConflictEntry | undefined {
    const row = this.db.prepare('SELECT * FROM sync_conflict WHERE id = ?').get(id) as
      ConflictRow | undefined;
    return row ? decodeConflict(row) : undefined;
  }

  markResolved(
    id: number,
    resolution: 'local' | 'hq' | 'value',
    by: string,
    mutationId: string | null,
  ): void {
    this.db
      .prepare(
        `UPDATE sync_conflict SET resolved_at = ?, resolution = ?, resolved_by = ?, resolution_mutation_id = ?
         WHERE id = ?`,
      )
      .run(wallClockIso(), resolution, by, mutationId, id);
  }

  // ---- evictions -----------------------------------------------------------------------------

  /** Remembers that a customer left the scope while it still had edits to push. */
  evictLater(customerId: string, seq: number): void {
    this.db
      .prepare('INSERT OR IGNORE INTO sync_eviction (customer_id, since_seq) VALUES (?, ?)')
      .run(customerId, seq);
  }

  /** The customer is back in scope: nothing to evict. */
  keep(customerId: string): void {
    this.db.prepare('DELETE FROM sync_eviction WHERE customer_id = ?').run(customerId);
  }

  /** Customers waiting for eviction whose edits have all been pushed. */
  evictable(): string[] {
    return this.db
      .prepare(
        `SELECT customer_id FROM sync_eviction e
         WHERE NOT EXISTS (SELECT 1 FROM outbox o WHERE o.customer_id = e.customer_id)`,
      )
      .pluck()
      .all() as string[];
  }

  /** Whether any customer waits for eviction: one cheap query, asked once a pulled page. */
  hasEvictions(): boolean {
    return this.db.prepare('SELECT EXISTS (SELECT 1 FROM sync_eviction)').pluck().get() === 1;
  }

  counts(): { outbox: number; rejected: number; openConflicts: number; awaitingEviction: number } {
    const count = (sql: string) => this.db.prepare(sql).pluck().get() as number;
    return {
      outbox: this.outboxSize(),
      rejected: count('SELECT count(*) FROM sync_rejected'),
      openConflicts: count('SELECT count(*) FROM sync_conflict WHERE resolved_at IS NULL'),
      awaitingEviction: count('SELECT count(*) FROM sync_eviction'),
    };
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

interface ConflictRow {
  id: number;
  mutation_id: string;
  customer_id: string;
  field: string;
  base_value: string | null;
  local_value: string | null;
  hq_value: string | null;
  hq_version: number | null;
  created_at: string;
  resolved_at: string | null;
  resolution: 'local' | 'hq' | 'value' | null;
  resolved_by: string | null;
  resolution_mutation_id: string | null;
}

function decodeConflict(row: ConflictRow): ConflictEntry {
  return {
    id: row.id,
    mutationId: row.mutation_id,
    customerId: row.customer_id,
    field: row.field,
    base: unjson(row.base_value),
    local: unjson(row.local_value),
    hq: unjson(row.hq_value),
    hqVersion: row.hq_version,
    createdAt: row.created_at,
    resolvedAt: row.resolved_at,
    resolution: row.resolution,
    resolvedBy: row.resolved_by,
    resolutionMutationId: row.resolution_mutation_id,
  };
}
