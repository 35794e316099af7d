// Once per `vitest run`: an HQ database folder (PGlite) migrated to the current schema, which
// test/support/hq.ts copies for each test HQ that starts on a new folder. Creating a PGlite
// cluster and migrating it costs ~3 s a time and a run starts a hundred or more; a copy of
// the finished folder costs a few milliseconds. Migrating an empty folder stays tested: this
// is `hq migrate` on one, and any failure here fails the run.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const HQ_TEMPLATE_VARIABLE = 'BRANCHDESK_TEST_HQ_TEMPLATE';

export default function setup() {
  const root = mkdtempSync(join(tmpdir(), 'branchdesk-hq-template-'));
  const dataDir = join(root, 'hq');
  const main = fileURLToPath(new URL('../../hq/main.ts', import.meta.url));
  const env: NodeJS.ProcessEnv = { ...process.env, HQ_DATA_DIR: dataDir };
  delete env.DATABASE_URL;
  const run = spawnSync(process.execPath, ['--import', 'tsx', main, 'migrate'], {
    env,
    encoding: 'utf8',
    timeout: 300_000,
  });
  if (run.status !== 0) {
    rmSync(root, { recursive: true, force: true });
    throw new Error(`hq migrate on an empty folder failed (${run.status}):\n${run.stderr}`);
  }
  // The test workers are forked after this and inherit the variable.
  process.env[HQ_TEMPLATE_VARIABLE] = dataDir;
  return () => rmSync(root, { recursive: true, force: true });
}
