// The HQ database: PostgreSQL through `pg` when DATABASE_URL is set, embedded PGlite otherwise.
// Both run the same SQL; this interface is all the service sees of either.
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { BranchDeskError } from '../../shared/errors';
import { PostgresUrl } from '../../shared/protocol/hq-admin';

export interface Sql {
  query<Row = Record<string, unknown>>(text: string, params?: unknown[]): Promise<Row[]>;
  /** Runs a script of several statements, without parameters (migrations). */
  exec(script: string): Promise<void>;
}

export interface Database extends Sql {
  readonly kind: 'postgres' | 'pglite';
  /**
   * Runs `work` in one transaction: committed if it resolves, rolled back if it throws;
   * `repeatableRead`: one snapshot for all of it (a pull's page and its digest).
   */
  transaction<T>(work: (tx: Sql) => Promise<T>, options?: { repeatableRead?: boolean }): Promise<T>;
  /**
   * Calls `onNotify` with each payload NOTIFYed on `channel` once it commits, from any process on
   * the same database, until the returned function is called. On PostgreSQL it holds a
   * connection of its own (LISTEN needs a session: not through a pooler in transaction mode), and
   * reconnects after losing it, calling `onNotify('*')` then: what was sent meanwhile is unknown.
   */
  listen(channel: string, onNotify: (payload: string) => void): Promise<() => Promise<void>>;
  /** The connection pool's use now (PostgreSQL); null for PGlite, which has none. */
  poolStats(): { total: number; idle: number; waiting: number; max: number } | null;
  close(): Promise<void>;
}

export async function openDatabase(options: {
  databaseUrl?: string;
  dataDir: string;
}): Promise<Database> {
  return options.databaseUrl ? openPostgres(options.databaseUrl) : openPglite(options.dataDir);
}

/** Connections one instance may hold (HQ_DB_POOL_MAX, else 8), besides its one LISTENing. */
function poolMax(): number {
  const setting = Number(process.env.HQ_DB_POOL_MAX ?? 8);
  if (!Number.isInteger(setting) || setting < 1 || setting > 200)
    throw new Error('HQ_DB_POOL_MAX must be a whole number from 1 to 200');
  return setting;
}

/** Whether a statement's columns come from `*` (`SELECT *`, `t.*`, `RETURNING *`; not `count(*)`). */
export function takesEveryColumn(text: string): boolean {
  return /\.\*|\b(?:SELECT|RETURNING)\s+\*|,\s*\*/i.test(text);
}

/**
 * A statement with parameters is prepared once per connection under a name made from its text,
 * and PostgreSQL plans it once instead of at every call (HQ's statements are few and fixed).
 * HQ_PG_PREPARED=off sends every statement unnamed: for a pooler in transaction mode that cannot
 * keep prepared statements (PgBouncer before 1.21, or without max_prepared_statements).
 */
function statementNamer(): (text: string) => string | undefined {
  if (process.env.HQ_PG_PREPARED === 'off') return () => undefined;
  const names = new Map<string, string>();
  return (text) => {
    // A statement whose columns come from `*` is never named: a column a newer release adds
    // would make PostgreSQL refuse the older instances' prepared copies during an upgrade.
    if (takesEveryColumn(text)) return undefined;
    let name = names.get(text);
    if (!name) names.set(text, (name = `hq_${createHash('sha1').update(text).digest('hex')}`));
    return name;
  };
}

/** HQ_LISTEN_DATABASE_URL, checked: a typo stops HQ with a typed error, never a deaf listener. */
function listenUrl(): string | undefined {
  const setting = process.env.HQ_LISTEN_DATABASE_URL;
  if (setting === undefined || setting === '') return undefined;
  if (!PostgresUrl.safeParse(setting).success)
    throw new BranchDeskError('INPUT_INVALID', {
      issues: 'HQ_LISTEN_DATABASE_URL: a postgres:// address',
    });
  return setting;
}

async function openPostgres(url: string): Promise<Database> {
  const max = poolMax();
  const pool = new pg.Pool({ connectionString: url, max });
  await pool.query('SELECT 1');
  const nameOf = statementNamer();
  const run = async (on: pg.Pool | pg.PoolClient, text: string, params?: unknown[]) =>
    params && params.length > 0
      ? (await on.query({ name: nameOf(text), text, values: params })).rows
      : (await on.query(text)).rows;
  return {
    kind: 'postgres',
    // LISTEN needs a session of its own: behind a pooler in transaction mode (PgBouncer), the
    // listener is given a direct address to the primary (HQ_LISTEN_DATABASE_URL).
    listen: (channel, onNotify) => listenPostgres(listenUrl() ?? url, channel, onNotify),
    poolStats: () => ({
      total: pool.totalCount,
      idle: pool.idleCount,
      waiting: pool.waitingCount,
      max,
    }),
    query: (text, params) => run(pool, text, params),
    exec: async (script) => void (await pool.query(script)),
    async transaction(work, options) {
      const client = await pool.connect();
      try {
        await client.query(
          options?.repeatableRead ? 'BEGIN ISOLATION LEVEL REPEATABLE READ' : 'BEGIN',
        );
        const result = await work({
          query: (text, params) => run(client, text, params),
          // A query without parameters goes through the simple protocol: several statements are fine.
          exec: async (script) => void (await client.query(script)),
        });
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}

async function openPglite(dataDir: string): Promise<Database> {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const db = await PGlite.create(dataDir);
  return {
    kind: 'pglite',
    async listen(channel, onNotify) {
      const stop = await db.listen(channel, onNotify);
      return async () => stop();
    },
    poolStats: () => null,
    query: async (text, params) => (await db.query(text, params)).rows as never[],
    exec: async (script) => void (await db.exec(script)),
    transaction: (work, options) =>
      db.transaction(async (tx) => {
        if (options?.repeatableRead)
          await tx.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ');
        return work({
          query: async (text, params) => (await tx.query(text, params)).rows as never[],
          exec: async (script) => void (await tx.exec(script)),
        });
      }),
    close: () => db.close(),
  };
}

/** LISTEN on a connection of its own, reconnecting (after 1 s, then up to 30 s) when it drops. */
async function listenPostgres(
  url: string,
  channel: string,
  onNotify: (payload: string) => void,
): Promise<() => Promise<void>> {
  let client: pg.Client | undefined;
  let stopped = false;
  let retry: NodeJS.Timeout | undefined;
  let failures = 0;
  let alive: NodeJS.Timeout | undefined;
  const connect = async (): Promise<void> => {
    // Keepalive, and a query now and then: a connection dropped without a reset (a NAT's idle
    // timeout, a failover) is noticed and replaced, not silently deaf.
    const next = new pg.Client({ connectionString: url, keepAlive: true });
    next.on('notification', (message) => {
      if (message.channel === channel) onNotify(message.payload ?? '');
    });
    next.on('error', () => reconnect());
    try {
      await next.connect();
      await next.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
    } catch (error) {
      void next.end().catch(() => {});
      throw error;
    }
    if (stopped) {
      await next.end().catch(() => {});
      return;
    }
    client = next;
  };
  const check = (): void => {
    if (stopped) return;
    alive = setTimeout(() => {
      const current = client;
      if (!current) return check();
      current.query('SELECT 1').then(check, () => {
        reconnect();
        check();
      });
    }, 30_000);
    alive.unref();
  };
  const reconnect = () => {
    if (stopped || retry) return;
    const lost = client;
    client = undefined;
    void lost?.end().catch(() => {});
    const delay = Math.min(1000 * 2 ** failures, 30_000);
    retry = setTimeout(() => {
      retry = undefined;
      connect().then(
        () => {
          failures = 0;
          onNotify('*'); // notifications sent while away are lost: everyone pulls once
        },
        () => {
          failures++;
          reconnect();
        },
      );
    }, delay);
  };
  await connect();
  check();
  return async () => {
    stopped = true;
    clearTimeout(retry);
    clearTimeout(alive);
    await client?.end().catch(() => {});
  };
}
