#!/usr/bin/env node
// `npm run bench -- <suite> [options]`: runs bench/<suite>.bench.ts on plain Node (through tsx),
// with the OS keychain arranged, and leaves bench-results/<suite>.json behind.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const [suite, ...rest] = process.argv.slice(2);
const suites = readdirSync(`${root}/bench`)
  .filter((name) => name.endsWith('.bench.ts'))
  .map((name) => name.replace('.bench.ts', ''));
if (!suite || !suites.includes(suite)) {
  console.error(`usage: npm run bench -- <suite>\nsuites: ${suites.join(', ')}`);
  process.exit(2);
}
const file = `${root}/bench/${suite}.bench.ts`;
if (!existsSync(file)) process.exit(2);
const command = [process.execPath, '--expose-gc', '--import', 'tsx', file, ...rest];
const wrapped =
  process.platform === 'linux' ? [`${root}/scripts/with-keyring.sh`, ...command] : command;
const result = spawnSync(wrapped[0], wrapped.slice(1), { cwd: root, stdio: 'inherit' });
process.exit(result.status ?? 1);
