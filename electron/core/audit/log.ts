// The vault's audit log: an append-only hash chain of every access (ARCHITECTURE.md §6).
// `append` writes inside the caller's transaction, so an entry commits with the action it
// records or not at all. The chain's head is also kept in vault_meta, so cutting entries off
// the end shows as well as changing one in the middle.
import { hash } from 'node:crypto';
import {
  AuditEntry,
  auditGenesis,
  auditHash,
  verifyChain,
  type AuditAction,
  type AuditAnchor,
  type AuditRow,
  type ChainBreak,
} from '../../../shared/audit/entry';
import { canonicalJson } from '../../../shared/sync/canonical';
import { wallClock } from '../clock';
import { perConnection, type Vault } from '../vault';

/** One-shot SHA-256 (node:crypto's `hash`: about twice as fast as a Hash object per entry). */
export const sha256Hex = (text: string): string => hash('sha256', text, 'hex');

const HEAD_KEY = 'audit.head';
const ANCHOR_KEY = 'audit.anchor';
const PRUNING_KEY = 'audit.pruning';

export interface AuditRecord {
  actor: string;
  action: AuditAction;
  target?: string | null;
  /** Facts about the access (a query, a field and reason, counts); stored as canonical JSON. */
  details?: Record<string, unknown>;
}

export type AuditVerification =
  | { ok: true; count: number; head: AuditAnchor }
  | {
      ok: false;
      count: number;
      break: ChainBreak | { seq: number; problem: 'truncated' };
    };

export interface AuditQuery {
  fromSeq?: number;
  toSeq?: number;
  /** ISO times, inclusive. */
  from?: string;
  to?: string;
  target?: string;
  actor?: string;
  action?: AuditAction;
  /** Any of these targets (a customer known by more than one id) or actions. */
  targets?: readonly string[];
  actions?: readonly AuditAction[];
  /** Newest first (the viewer's order); oldest first otherwise. */
  newestFirst?: boolean;
  limit?: number;
}

const toEntry = (row: AuditRow): AuditEntry => ({
  seq: row[0],
  at: row[1],
  actor: row[2],
  device: row[3],
  action: row[4] as AuditAction,
  target: row[5],
  details: row[6],
  prevHash: row[7],
  hash: row[8],
});

const COLUMNS = 'seq, at, actor, device, action, target, details, prev_hash, hash';

export class AuditLog {
  private readonly statements;

  constructor(
    private readonly vault: Vault,
    private readonly clock: () => number = wallClock,
  ) {
    this.statements = perConnection(vault, (db) => ({
      last: db.prepare(`SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1`),
      insert: db.prepare(
        `INSERT INTO audit_log (${COLUMNS}) VALUES (@seq, @at, @actor, @device, @action, @target, @details, @prevHash, @hash)`,
      ),
      meta: db.prepare('SELECT value FROM vault_meta WHERE key = ?').pluck(),
      setMeta: db.prepare('INSERT OR REPLACE INTO vault_meta (key, value) VALUES (?, ?)'),
      deleteMeta: db.prepare('DELETE FROM vault_meta WHERE key = ?'),
      all: db.prepare(`SELECT ${COLUMNS} FROM audit_log ORDER BY seq`).raw(),
      prune: db.prepare('DELETE FROM audit_log WHERE seq <= ?'),
      bySeq: db.prepare(`SELECT seq, hash FROM audit_log WHERE seq = ?`),
    }));
  }

  /** The device every entry names: the vault's profile. */
  get device(): string {
    return this.vault.profileId;
  }

  /** Appends one entry after the current head, in the caller's transaction (or its own). */
  append(record: AuditRecord): AuditEntry {
    return this.vault.db.transaction(() => {
      const head = this.head();
      const fields = {
        seq: head.seq + 1,
        at: new Date(this.clock()).toISOString(),
        actor: record.actor,
        device: this.device,
        action: record.action,
        target: record.target ?? null,
        details: canonicalJson(record.details ?? {}),
      };
      // An entry HQ's schema would refuse never enters the chain: the action fails instead.
      const entry = AuditEntry.parse({
        ...fields,
        prevHash: head.hash,
        hash: auditHash(sha256Hex, fields, head.hash),
      });
      this.statements().insert.run(entry);
      this.statements().setMeta.run(HEAD_KEY, JSON.stringify({ seq: entry.seq, hash: entry.hash }));
      return entry;
    })();
  }

  /** The last entry written (or the anchor left by pruning, or the genesis of an empty log). */
  head(): AuditAnchor {
    const last = this.statements().last.get() as { seq: number; hash: string } | undefined;
    return last ?? this.anchor();
  }

  /** Where the entries still held begin: the last pruned entry, or the genesis. */
  anchor(): AuditAnchor {
    const stored = this.statements().meta.get(ANCHOR_KEY) as string | undefined;
    return stored
      ? (JSON.parse(stored) as AuditAnchor)
      : { seq: 0, hash: auditGenesis(sha256Hex, this.device) };
  }

  /**
   * Recomputes the whole chain from its anchor: every entry must follow the one before it,
   * name its hash and hash to what it says; the last must be the head recorded with it.
   */
  verify(): AuditVerification {
    const rows = this.statements().all.iterate() as IterableIterator<AuditRow>;
    const result = verifyChain(sha256Hex, this.anchor(), rows);
    if (!result.ok) return result;
    const recorded = this.statements().meta.get(HEAD_KEY) as string | undefined;
    const head = recorded ? (JSON.parse(recorded) as AuditAnchor) : this.anchor();
    if (head.seq !== result.anchor.seq || head.hash !== result.anchor.hash)
      return {
        ok: false,
        count: result.count,
        break: { seq: result.anchor.seq + 1, problem: 'truncated' },
      };
    return { ok: true, count: result.count, head: result.anchor };
  }

  /** Entries matching `query`, oldest first unless it asks for the newest first. */
  entries(query: AuditQuery = {}): AuditEntry[] {
    const { where, params } = filterOf(query);
    params.limit = query.limit ?? -1;
    const order = query.newestFirst ? 'DESC' : '';
    const sql = `SELECT ${COLUMNS} FROM audit_log ${where} ORDER BY seq ${order} LIMIT @limit`;
    return (this.vault.db.prepare(sql).raw().all(params) as AuditRow[]).map(toEntry);
  }

  /** How many entries match `query` (its limit aside). */
  count(query: AuditQuery = {}): number {
    const { where, params } = filterOf(query);
    return this.vault.db
      .prepare(`SELECT count(*) FROM audit_log ${where}`)
      .pluck()
      .get(params) as number;
  }

  /** Every actor the log names, once each. */
  actors(): string[] {
    return this.vault.db
      .prepare('SELECT DISTINCT actor FROM audit_log ORDER BY actor')
      .pluck()
      .all() as string[];
  }

  /**
   * Deletes entries up to `seq` (HQ has acknowledged them and the retention period is over),
   * keeping the last one's hash as the anchor the rest of the chain starts from.
   */
  pruneThrough(seq: number): number {
    return this.vault.db.transaction(() => {
      const last = this.statements().bySeq.get(seq) as AuditAnchor | undefined;
      if (!last) return 0;
      this.statements().setMeta.run(PRUNING_KEY, '1');
      const removed = this.statements().prune.run(seq).changes;
      this.statements().deleteMeta.run(PRUNING_KEY);
      this.statements().setMeta.run(ANCHOR_KEY, JSON.stringify({ seq: last.seq, hash: last.hash }));
      return removed;
    })();
  }
}

/** The WHERE clause of a query and its named parameters; lists bound as JSON arrays. */
function filterOf(query: AuditQuery): { where: string; params: Record<string, unknown> } {
  const where: string[] = [];
  const params: Record<string, unknown> = {};
  const add = (clause: string, key: string, value: unknown) => {
    if (value === undefined) return;
    where.push(clause);
    params[key] = value;
  };
  add('seq >= @fromSeq', 'fromSeq', query.fromSeq);
  add('seq <= @toSeq', 'toSeq', query.toSeq);
  add('at >= @from', 'from', query.from);
  add('at <= @to', 'to', query.to);
  add('target = @target', 'target', query.target);
  add('actor = @actor', 'actor', query.actor);
  add('action = @action', 'action', query.action);
  const list = (values: readonly string[] | undefined) =>
    values === undefined ? undefined : JSON.stringify(values);
  add('target IN (SELECT value FROM json_each(@targets))', 'targets', list(query.targets));
  add('action IN (SELECT value FROM json_each(@actions))', 'actions', list(query.actions));
  return { where: where.length ? `WHERE ${where.join(' AND ')}` : '', params };
}
