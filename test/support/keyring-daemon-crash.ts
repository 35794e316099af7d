// Child-process probe for secret-store tests, run in a private keyring session: stores a secret,
// aborts the session's gnome-keyring daemon (as its upstream race does), then reads, rewrites
// and deletes through the same OsSecretStore, whose cached entry had a session with the dead
// daemon. Prints one JSON line with what each step saw.
import { execFileSync } from 'node:child_process';
import { OsSecretStore } from '../../electron/core/secrets';
import { isBranchDeskError } from '../../shared/errors';

/** The pid of this session's Secret Service, asked of the bus (never a machine-wide pkill). */
function secretServicePid(): number {
  const reply = execFileSync(
    'dbus-send',
    [
      '--session',
      '--print-reply',
      '--dest=org.freedesktop.DBus',
      '/org/freedesktop/DBus',
      'org.freedesktop.DBus.GetConnectionUnixProcessID',
      'string:org.freedesktop.secrets',
    ],
    { encoding: 'utf8' },
  );
  return Number(/uint32 (\d+)/.exec(reply)![1]);
}

const step = <T>(action: () => T): T | { error: string } => {
  try {
    return action();
  } catch (error) {
    return {
      error: isBranchDeskError(error)
        ? `${error.code}: ${String((error as Error).cause)}`
        : String(error),
    };
  }
};

const store = new OsSecretStore();
const account = 'test:daemon-crash';
store.set(account, 'before');
const firstPid = secretServicePid();
process.kill(firstPid, 'SIGABRT');
for (let i = 0; i < 50; i++) {
  try {
    process.kill(firstPid, 0);
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
  } catch {
    break; // gone
  }
}
const read = step(() => store.get(account));
const written = step(() => store.set(account, 'after'));
const reread = step(() => store.get(account));
const deleted = step(() => store.delete(account));
console.log(
  JSON.stringify({
    read,
    written: written ?? null,
    reread,
    deleted,
    restarted: secretServicePid() !== firstPid,
  }),
);
