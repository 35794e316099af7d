// Forward-only SQL migrations from hq/migrations/NNN_name.sql, each applied in one transaction
// with its row in schema_migration. Several HQ instances starting at once on one PostgreSQL take
// turns: each migration's transaction holds an advisory lock and checks again that no other
// instance applied it meanwhile.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Database } from './database';

const folder = fileURLToPath(new URL('../migrations', import.meta.url));

/** The advisory lock every migrating instance takes (any fixed number; this one spells 'bdmg'). */
const MIGRATION_LOCK = 0x62646d67;

export async function migrate(db: Database): Promise<number[]> {
  await db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await tx.exec(`CREATE TABLE IF NOT EXISTS schema_migration (
      version integer PRIMARY KEY,
      name text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
  });
  const done = new Set(
    (await db.query<{ version: number }>('SELECT version FROM schema_migration')).map(
      (row) => row.version,
    ),
  );
  const applied: number[] = [];
  for (const file of readdirSync(folder)
    .filter((name) => /^\d{3}_[a-z0-9_]+\.sql$/.test(name))
    .sort()) {
    const version = Number(file.slice(0, 3));
    if (done.has(version)) continue;
    const script = readFileSync(`${folder}/${file}`, 'utf8');
    const ran = await db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
      const already = await tx.query('SELECT 1 FROM schema_migration WHERE version = $1', [
        version,
      ]);
      if (already.length > 0) return false; // another instance applied it while this one waited
      await tx.exec(script);
      await tx.query('INSERT INTO schema_migration (version, name) VALUES ($1, $2)', [
        version,
        file.slice(4, -4),
      ]);
      return true;
    });
    if (ran) applied.push(version);
  }
  return applied;
}

/** The newest migration this build knows: an instance is ready when the database has it. */
export function latestMigration(): number {
  return Math.max(
    ...readdirSync(folder)
      .filter((name) => /^\d{3}_[a-z0-9_]+\.sql$/.test(name))
      .map((name) => Number(name.slice(0, 3))),
  );
}
