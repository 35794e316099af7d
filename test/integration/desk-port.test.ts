// A desk over a MessagePort, as the desktop app's core utility process serves one per window
// (electron/core/hosts/utility/main.ts, portChannel): a real vault and keychain, a real CoreHost, and a
// Node MessageChannel standing in for Electron's (the same postMessage / message / close).
import { join } from 'node:path';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveDesk } from '../../electron/core/hosts/desk/channel';
import { CoreHost } from '../../electron/core/hosts/desk/host';
import { portChannel } from '../../electron/core/hosts/utility/main';
import { createVault } from '../../electron/core/vault';
import { profileSandbox, realSecretStore } from '../support/keyring';

/** Electron's MessagePortMain hands listeners `{ data }`; Node's hands the value itself. */
function asElectronPort(port: MessagePort) {
  return {
    postMessage: (message: unknown) => port.postMessage(message),
    on(event: 'message' | 'close', listener: (event: { data: unknown }) => void) {
      if (event === 'message') port.on('message', (data: unknown) => listener({ data }));
      else port.on('close', () => listener({ data: undefined }));
    },
    start: () => port.start(),
  };
}

describe('a desk over a MessagePort', () => {
  const secrets = realSecretStore();
  const sandbox = profileSandbox(secrets);
  let host: CoreHost;

  beforeAll(() => {
    const dataDir = join(sandbox.path, 'desk');
    const vault = createVault(dataDir, secrets);
    sandbox.forget(vault.profileId);
    vault.close();
    host = new CoreHost({ dataDir, secrets, backgroundSync: false });
    host.start();
  });
  afterAll(async () => {
    await host.stop();
    sandbox.cleanup();
  });

  it('answers the contract as the window’s own session, refuses what is not a request, and ends with the port', async () => {
    const { port1, port2 } = new MessageChannel();
    const core = asElectronPort(port1);
    serveDesk(host, portChannel(core as never));
    core.start();
    const received: unknown[] = [];
    const answers = new Map<number, (value: unknown) => void>();
    port2.on('message', (message: { id?: number; event?: string }) => {
      received.push(message);
      if (typeof message.id === 'number') answers.get(message.id)?.(message);
    });
    const ask = (id: number, message: unknown) =>
      new Promise<unknown>((resolve) => {
        answers.set(id, resolve);
        port2.postMessage(message);
      });

    expect(await ask(1, { id: 1, command: 'device.about', input: {} })).toMatchObject({
      id: 1,
      result: { ok: true, value: { enrolled: false, deviceId: null } },
    });
    expect(received[0]).toMatchObject({ event: 'sync', payload: { running: false } });
    expect(
      await ask(2, { id: 2, command: 'customer.search', input: { query: 'x' } }),
    ).toMatchObject({
      result: { ok: false, error: { code: 'SESSION_REQUIRED' } },
    });
    expect(await ask(0, { nonsense: true })).toMatchObject({
      id: 0,
      result: { ok: false, error: { code: 'INPUT_INVALID' } },
    });
    expect(await ask(3, { id: 3, command: 'no.such', input: {} })).toMatchObject({
      result: { ok: false, error: { code: 'COMMAND_UNKNOWN' } },
    });
    port2.close();
  });
});
