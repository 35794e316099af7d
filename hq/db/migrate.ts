// Forward-only SQL migrations from hq/migrations/NNN_name.sql, each applied in one transaction
// with its row in schema_migration.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Database } from './database';

const folder = fileURLToPath(new URL('../migrations', import.meta.url));

export async function migrate(db: Database): Promise<number[]> {
  await db.exec(`CREATE TABLE IF NOT EXISTS schema_migration (
    version integer PRIMARY KEY,
    name text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
  )`);
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
    await db.transaction(async (tx) => {
      await tx.exec(script);
      await tx.query('INSERT INTO schema_migration (version, name) VALUES ($1, $2)', [
        version,
        file.slice(4, -4),
      ]);
    });
    applied.push(version);
  }
  return applied;
}
