#!/usr/bin/env node
// `npm start`: the demo on embedded defaults. Today it sets up a demo branch profile (an
// encrypted vault whose key is in the OS keychain) and checks its health; the HQ service, the
// sync and the teller's desk join this command as their issues land.
//
// On a Linux machine with no desktop keychain session (a server, a container, CI), the demo
// runs its own gnome-keyring whose keyring files live in .branchdesk-demo/keyring, unlocked
// with a fixed demo password, so the demo key survives between runs. That is for the demo
// only: a branch PC uses the signed-in user's own keychain.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const demoDir = resolve(root, '.branchdesk-demo');
const dataDir = resolve(process.env.BRANCHDESK_DATA_DIR ?? join(demoDir, 'profile'));
const branchctl = [process.execPath, join(root, 'bin/branchctl.mjs')];

const needsOwnKeyring = process.platform === 'linux' && !process.env.DBUS_SESSION_BUS_ADDRESS;
const env = needsOwnKeyring
  ? {
      ...process.env,
      BRANCHDESK_KEYRING_DIR: join(demoDir, 'keyring'),
      BRANCHDESK_KEYRING_PASSWORD: 'branchdesk-demo',
    }
  : process.env;

function run(args) {
  const command = needsOwnKeyring
    ? [join(root, 'scripts/with-keyring.sh'), ...branchctl, ...args]
    : [...branchctl, ...args];
  return spawnSync(command[0], command.slice(1), { stdio: 'inherit', env }).status ?? 1;
}

console.log('BranchDesk demo\n');
if (needsOwnKeyring)
  console.log(
    `(no desktop keychain session: using a demo gnome-keyring in ${join(demoDir, 'keyring')})\n`,
  );
if (!existsSync(join(dataDir, 'vault.json'))) {
  const status = run(['init', '--data-dir', dataDir]);
  if (status !== 0) process.exit(status);
  console.log('');
}
const status = run(['doctor', '--data-dir', dataDir]);
const prefix = needsOwnKeyring
  ? `BRANCHDESK_KEYRING_DIR=${join(demoDir, 'keyring')} BRANCHDESK_KEYRING_PASSWORD=branchdesk-demo scripts/with-keyring.sh `
  : '';
console.log(`
Next:
  ${prefix}npm run branchctl -- doctor --data-dir ${dataDir} --lang en
  ${prefix}npm run branchctl -- rekey  --data-dir ${dataDir}
  npm test
HQ, sync and the teller's desk are not built yet; see the README's status section.`);
process.exit(status);
