// Once per `vitest run`, before the test workers start:
//
// - The Node hosts (HQ and branchctl) bundled into a folder of this run (scripts/build-node.mjs),
//   which every test starts them from (test/support/node-hosts.ts): from TypeScript through tsx
//   each process spends ~0.5 s more loading its modules, and a run starts several hundred.
//   BRANCHDESK_FROM_SOURCE=1 runs them from the TypeScript instead.
// - An HQ database folder (PGlite) migrated to the current schema, which test/support/hq.ts
//   copies for each test HQ that starts on a new folder. Creating a PGlite cluster and migrating
//   it costs ~3 s a time and a run starts a hundred or more; a copy of the finished folder costs
//   a few milliseconds. Migrating an empty folder stays tested: this is `hq migrate` on one, and
//   any failure here fails the run.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildNodeHosts } from '../../scripts/build-node.mjs';
import { HQ_TEMPLATE_VARIABLE, NODE_HOSTS_VARIABLE } from './variables';

export default async function setup() {
  const cleanups: (() => void)[] = [];
  if (!process.env.BRANCHDESK_FROM_SOURCE) {
    // Inside the repository (the bundles import from its node_modules), one folder per run: two
    // runs at once (the fault simulation beside a test file) must not rebuild each other's.
    const builds = fileURLToPath(new URL('../../out/test-node', import.meta.url));
    await mkdir(builds, { recursive: true });
    // A run killed before its teardown leaves its folder: swept once it is a day old.
    for (const entry of readdirSync(builds)) {
      const path = join(builds, entry);
      if (Date.now() - statSync(path).mtimeMs > 86_400_000)
        rmSync(path, { recursive: true, force: true });
    }
    const folder = mkdtempSync(join(builds, 'run-'));
    const removeFolder = () => rmSync(folder, { recursive: true, force: true });
    try {
      await buildNodeHosts(folder);
    } catch (error) {
      removeFolder();
      throw error;
    }
    cleanups.push(removeFolder);
    process.env[NODE_HOSTS_VARIABLE] = folder;
  }
  // Imported after the build so that it starts HQ the way the tests will.
  const { hqArgs } = await import('./node-hosts');

  const root = mkdtempSync(join(tmpdir(), 'branchdesk-hq-template-'));
  cleanups.push(() => rmSync(root, { recursive: true, force: true }));
  const dataDir = join(root, 'hq');
  const env: NodeJS.ProcessEnv = { ...process.env, HQ_DATA_DIR: dataDir };
  delete env.DATABASE_URL;
  const run = spawnSync(process.execPath, [...hqArgs(), 'migrate'], {
    env,
    encoding: 'utf8',
    timeout: 300_000,
  });
  const cleanup = () => cleanups.forEach((step) => step());
  if (run.status !== 0) {
    cleanup();
    throw new Error(`hq migrate on an empty folder failed (${run.status}):\n${run.stderr}`);
  }
  // The test workers are forked after this and inherit the variables.
  process.env[HQ_TEMPLATE_VARIABLE] = dataDir;
  return cleanup;
}
