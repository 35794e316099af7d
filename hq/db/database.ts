// The HQ database: PostgreSQL through `pg` when DATABASE_URL is set, embedded PGlite otherwise.
// Both run the same SQL; this interface is all the service sees of either.
import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';

export interface Sql {
  query<Row = Record<string, unknown>>(text: string, params?: unknown[]): Promise<Row[]>;
  /** Runs a script of several statements, without parameters (migrations). */
  exec(script: string): Promise<void>;
}

export interface Database extends Sql {
  readonly kind: 'postgres' | 'pglite';
  /** Runs `work` in one transaction: committed if it resolves, rolled back if it throws. */
  transaction<T>(work: (tx: Sql) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export async function openDatabase(options: {
  databaseUrl?: string;
  dataDir: string;
}): Promise<Database> {
  return options.databaseUrl ? openPostgres(options.databaseUrl) : openPglite(options.dataDir);
}

async function openPostgres(url: string): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max: 8 });
  await pool.query('SELECT 1');
  return {
    kind: 'postgres',
    query: async (text, params) => (await pool.query(text, params as unknown[])).rows,
    exec: async (script) => void (await pool.query(script)),
    async transaction(work) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await work({
          query: async (text, params) => (await client.query(text, params as unknown[])).rows,
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
    query: async (text, params) => (await db.query(text, params)).rows as never[],
    exec: async (script) => void (await db.exec(script)),
    transaction: (work) =>
      db.transaction((tx) =>
        work({
          query: async (text, params) => (await tx.query(text, params)).rows as never[],
          exec: async (script) => void (await tx.exec(script)),
        }),
      ),
    close: () => db.close(),
  };
}
