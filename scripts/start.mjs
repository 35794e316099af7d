#!/usr/bin/env node
// `npm start`: the demo on embedded defaults. It starts HQ on embedded PGlite (seeded with
// synthetic customers the first time), enrolls a demo branch profile with HQ, syncs the branch's
// customers into its encrypted vault, shows a search, and leaves HQ running until Ctrl-C. The
// teller's desk UI joins this command with its issue.
//
// On a Linux machine with no desktop keychain session (a server, a container, CI), the demo runs
// its own gnome-keyring whose keyring files live in .branchdesk-demo/keyring, unlocked with a
// fixed demo password, so the demo key survives between runs. That is for the demo only: a
// branch PC uses the signed-in user's own keychain.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const demoDir = resolve(root, '.branchdesk-demo');
const dataDir = resolve(process.env.BRANCHDESK_DATA_DIR ?? join(demoDir, 'profile'));
const hqDataDir = resolve(process.env.HQ_DATA_DIR ?? join(demoDir, 'hq'));
const port = Number(process.env.HQ_PORT ?? 8787);
const customers = Number(process.env.DEMO_CUSTOMERS ?? 20000);
const hqUrl = `http://127.0.0.1:${port}`;

const needsOwnKeyring = process.platform === 'linux' && !process.env.DBUS_SESSION_BUS_ADDRESS;
const env = {
  ...process.env,
  HQ_DATA_DIR: hqDataDir,
  HQ_LOG_LEVEL: process.env.HQ_LOG_LEVEL ?? 'warn',
  ...(needsOwnKeyring
    ? {
        BRANCHDESK_KEYRING_DIR: join(demoDir, 'keyring'),
        BRANCHDESK_KEYRING_PASSWORD: 'branchdesk-demo',
      }
    : {}),
};
delete env.DATABASE_URL; // the demo is the embedded default

const hq = (args, options = {}) =>
  spawnSync(process.execPath, ['--import', 'tsx', join(root, 'hq/main.ts'), ...args], {
    env,
    encoding: 'utf8',
    ...options,
  });

function branchctl(args) {
  const command = [
    process.execPath,
    join(root, 'bin/branchctl.mjs'),
    ...args,
    '--data-dir',
    dataDir,
  ];
  const [file, ...rest] = needsOwnKeyring
    ? [join(root, 'scripts/with-keyring.sh'), ...command]
    : command;
  return spawnSync(file, rest, { stdio: 'inherit', env }).status ?? 1;
}

function step(title) {
  console.log(`\n▶ ${title}`);
}

console.log('BranchDesk demo');
if (needsOwnKeyring)
  console.log(
    `(no desktop keychain session: using a demo gnome-keyring in ${join(demoDir, 'keyring')})`,
  );

step(`HQ on embedded PGlite in ${hqDataDir}`);
const seeded = hq(['seed', '--customers', String(customers), '--branches', '3', '--seed', '2026'], {
  stdio: ['ignore', 'inherit', 'inherit'],
});
if (seeded.status !== 0) process.exit(seeded.status ?? 1);
const enrolled = existsSync(join(dataDir, 'vault.json'));
let code = '';
if (!enrolled) {
  const made = hq(['enroll-code', '--branch', 'B001']);
  if (made.status !== 0) {
    process.stderr.write(made.stderr);
    process.exit(made.status ?? 1);
  }
  code = made.stdout.trim();
}

const server = spawn(
  process.execPath,
  ['--import', 'tsx', join(root, 'hq/main.ts'), 'serve', '--port', String(port)],
  { env, stdio: ['ignore', 'pipe', 'inherit'] },
);
await new Promise((resolveStarted, reject) => {
  let output = '';
  server.stdout.on('data', (chunk) => {
    output += chunk;
    process.stdout.write(chunk);
    if (output.includes('HQ listening on')) resolveStarted();
  });
  server.on('exit', (status) => reject(new Error(`HQ exited (${status}) before it was ready`)));
});
const stop = () => server.kill('SIGTERM');
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

let status = 0;
if (!enrolled) {
  step(`Enroll the demo branch profile in ${dataDir} with HQ (code ${code})`);
  status = branchctl(['enroll', '--hq', hqUrl, '--code', code, '--device-name', 'demo-counter']);
}
if (status === 0) {
  step("Sync the branch's customers into its encrypted vault");
  status = branchctl(['sync']);
}
if (status === 0) {
  step('Search: pinyin initials "zw"');
  branchctl(['customer', 'search', 'zw', '--limit', '5']);
  step('Vault health');
  branchctl(['doctor']);
}
const prefix = needsOwnKeyring
  ? `BRANCHDESK_KEYRING_DIR=${join(demoDir, 'keyring')} BRANCHDESK_KEYRING_PASSWORD=branchdesk-demo scripts/with-keyring.sh `
  : '';
console.log(`
HQ is running at ${hqUrl} (Ctrl-C stops it). Try, in another terminal:
  ${prefix}npm run branchctl -- customer search 张伟 --data-dir ${dataDir}
  ${prefix}npm run branchctl -- sync status --data-dir ${dataDir}
  curl ${hqUrl}/openapi.json
The teller's desk UI is not built yet; see the README's status section.`);
if (status !== 0) stop();
