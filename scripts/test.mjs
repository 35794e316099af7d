#!/usr/bin/env node
// `npm test`: lint, format, the three type checks, the build, electronegativity, then every test suite, with the OS keychain
// arranged (scripts/with-keyring.sh). Stops at the first failing step and exits non-zero.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const withKeyring = fileURLToPath(new URL('./with-keyring.sh', import.meta.url));
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
const keyring = (command) => (process.platform === 'linux' ? [withKeyring, ...command] : command);

const steps = [
  ['lint', [npx, 'eslint', '.', '--max-warnings', '0']],
  ['format', [npx, 'prettier', '--check', '--log-level', 'warn', '.']],
  ['typecheck: shared, node, web', [npx, 'tsc', '-b']],
  [
    'build: electron-vite (main, preload, renderer)',
    [npx, 'electron-vite', 'build', '--logLevel', 'warn'],
  ],
  [
    'electronegativity: Electron sources, findings checked against electronegativity-allow.json',
    [process.execPath, 'scripts/electronegativity.mjs'],
  ],
  [
    'tests',
    keyring([
      npx,
      'vitest',
      'run',
      '--reporter=default',
      '--reporter=json',
      '--outputFile.json=test-results/vitest.json',
      ...process.argv.slice(2),
    ]),
  ],
];

const started = Date.now();
for (const [name, [command, ...args]] of steps) {
  const stepStarted = Date.now();
  console.log(`\n▶ ${name}`);
  const result = spawnSync(command, args, {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, FORCE_COLOR: process.env.CI ? '0' : '1' },
  });
  const seconds = ((Date.now() - stepStarted) / 1000).toFixed(1);
  if (result.status !== 0) {
    console.error(`\n✗ ${name} failed (${seconds} s, exit ${result.status ?? result.signal})`);
    process.exit(result.status || 1);
  }
  console.log(`✓ ${name} (${seconds} s)`);
}
console.log(`\nAll checks passed in ${((Date.now() - started) / 1000).toFixed(0)} s.`);
try {
  const summary = JSON.parse(readFileSync(`${root}/test-results/vitest.json`, 'utf8'));
  const skipped = summary.numPendingTests + summary.numTodoTests;
  console.log(
    `${summary.numPassedTests} passed, ${summary.numFailedTests} failed${skipped ? `, ${skipped} skipped` : ''}`,
  );
} catch {
  // The summary line is a courtesy; the exit code is the verdict.
}
