// The core in the desktop app: an Electron utility process the main process starts and watches.
// It opens the vault (creating an empty one on first run, so the desk can say the device is not
// enrolled yet), runs the background sync, and serves one desk per MessagePort the main process
// hands it: one per window, after checking the window's frame. It imports nothing of Electron;
// `process.parentPort` is how a utility process talks to its parent.
import { parseArgs } from 'node:util';
import { isBranchDeskError, serializeError } from '../../../../shared/errors';
import type { CoreProcessMessage } from '../../../../shared/protocol/desk-api';
import { serveDesk, type DeskChannel } from '../desk/channel';
import { serveDisplay, type DisplayChannel } from '../desk/display-channel';
import { CoreHost } from '../desk/host';
import { log } from '../../log';
import { OsSecretStore } from '../../secrets';
import { createVault } from '../../vault';

/** The first run makes an empty vault (its key to the keychain); later runs open the one there. */
function ensureVault(dataDir: string, secrets: OsSecretStore): void {
  try {
    createVault(dataDir, secrets).close();
  } catch (error) {
    if (!(isBranchDeskError(error) && error.code === 'VAULT_ALREADY_EXISTS')) throw error;
  }
}

interface PortLike {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
  on(event: 'close', listener: () => void): void;
  start(): void;
}

interface ParentPort {
  postMessage(message: CoreProcessMessage): void;
  on(event: 'message', listener: (event: { data: unknown; ports: PortLike[] }) => void): void;
}

/** A desk's (or the customer screen's) channel over an Electron MessagePortMain. */
export function portChannel(port: PortLike): DeskChannel & DisplayChannel {
  const channel: DeskChannel & DisplayChannel = {
    send: (message) => port.postMessage(message),
    onMessage: (listener) => port.on('message', (event) => listener(event.data)),
    onClose: (listener) => port.on('close', listener),
  };
  return channel;
}

function main(): void {
  const parent = (process as unknown as { parentPort?: ParentPort }).parentPort;
  if (!parent) {
    console.error('electron/core/utility/main.ts runs as an Electron utility process only');
    process.exit(2);
  }
  const { values } = parseArgs({
    options: { 'data-dir': { type: 'string' }, 'idle-lock-minutes': { type: 'string' } },
  });
  const dataDir = values['data-dir'];
  if (!dataDir) {
    console.error('--data-dir is required');
    process.exit(2);
  }
  const secrets = new OsSecretStore();
  let host: CoreHost;
  try {
    ensureVault(dataDir, secrets);
    const idle = Number(values['idle-lock-minutes']);
    host = new CoreHost({
      dataDir,
      secrets,
      ...(Number.isInteger(idle) && idle > 0 ? { idleLockMinutes: idle } : {}),
    });
    host.start();
  } catch (error) {
    const { code, message } = serializeError(error);
    log('error', 'core.start_failed', { code });
    parent.postMessage({ type: 'fatal', error: { code, message } });
    process.exit(1);
  }
  parent.on('message', (event) => {
    const port = event.ports[0];
    const type = (event.data as { type?: string } | null)?.type;
    if (!port || (type !== 'desk' && type !== 'display')) return;
    // The customer screen's window: its port reaches the counter's screen commands, nothing else.
    if (type === 'display') serveDisplay(host.counter, portChannel(port));
    else serveDesk(host, portChannel(port));
    port.start();
  });
  const stop = () => void host.stop().finally(() => process.exit(0));
  process.on('SIGTERM', stop);
  parent.postMessage({ type: 'ready' });
}

if ((process as unknown as { parentPort?: unknown }).parentPort) main();
