// The renderer's only way to the core: the command contract, over the desktop app's MessagePort
// (the preload's `window.branchdesk`) or, in the web harness, over a WebSocket carrying the
// per-run token.
// Every answer is checked against the bridge schema; failures arrive as BridgeError values
// with the core's zh-CN and en messages.
import type { CommandInput, CommandName, CommandOutput } from '../../shared/commands/contract';
import {
  BRIDGE_PROTOCOL_PREFIX,
  BRIDGE_RESUME_PREFIX,
  BridgeEvent,
  BridgeResponse,
  SyncEvent,
} from '../../shared/protocol/bridge';
import type { DeskApi } from '../../shared/protocol/desk-api';

export class BridgeError extends Error {
  constructor(
    readonly code: string,
    readonly messages: { 'zh-CN': string; en: string },
    readonly details: Record<string, string | number | boolean> = {},
  ) {
    super(messages.en);
  }
}

export interface Bridge {
  call<N extends CommandName>(name: N, input: CommandInput<N>): Promise<CommandOutput<N>>;
  onSync(listener: (event: SyncEvent) => void): () => void;
  onClose(listener: () => void): () => void;
}

const TOKEN_KEY = 'branchdesk.harnessToken';
/** The core's token for taking this tab's session back after a reload (harness only). */
const RESUME_KEY = 'branchdesk.resume';

/** The harness token from the page address (then kept for this tab only, off the address bar). */
function harnessToken(): string | undefined {
  const fromHash = /(?:^#|&)token=([A-Za-z0-9_-]+)/.exec(window.location.hash)?.[1];
  if (fromHash) {
    window.sessionStorage.setItem(TOKEN_KEY, fromHash);
    window.history.replaceState(null, '', window.location.pathname);
    return fromHash;
  }
  return window.sessionStorage.getItem(TOKEN_KEY) ?? undefined;
}

/** In the desktop app the preload provides the core on `window.branchdesk`; in a browser, the harness. */
export function connectBridge(): Promise<Bridge> {
  const desk = (window as unknown as { branchdesk?: DeskApi }).branchdesk;
  return desk?.call ? Promise.resolve(appBridge(desk)) : harnessBridge();
}

/** The desktop app's bridge: the preload's DeskApi, its answers checked like the harness's. */
function appBridge(desk: DeskApi): Bridge {
  return {
    async call(name, input) {
      const response = BridgeResponse.shape.result.safeParse(await desk.call(name, input));
      if (!response.success) throw new Error('the core sent an answer of the wrong shape');
      const result = response.data;
      if (result.ok) return result.value as never;
      throw new BridgeError(result.error.code, result.error.message, result.error.details);
    },
    onSync: (listener) =>
      desk.onSync((event) => {
        const parsed = SyncEvent.safeParse(event);
        if (parsed.success) listener(parsed.data);
      }),
    onClose: (listener) => desk.onClose(listener),
  };
}

/**
 * A WebSocket to the core that carries the contract's requests and answers (checked against the
 * bridge schema); anything else the core sends goes to `onEvent`. A lost connection answers every
 * pending call with HARNESS_DISCONNECTED. Resolves once the socket is open.
 */
export function socketCalls(
  path: string,
  protocols: string[],
  onEvent: (data: unknown) => void,
): Promise<{
  call(command: string, input: unknown): Promise<unknown>;
  onClose(listener: () => void): () => void;
}> {
  const socket = new WebSocket(
    `${window.location.origin.replace(/^http/, 'ws')}${path}`,
    protocols,
  );
  const pending = new Map<number, (result: BridgeResponse['result']) => void>();
  const closeListeners = new Set<() => void>();
  let nextId = 1;
  socket.addEventListener('message', (message) => {
    let data: unknown;
    try {
      data = JSON.parse(String(message.data));
    } catch {
      return;
    }
    const response = BridgeResponse.safeParse(data);
    if (!response.success) return onEvent(data);
    pending.get(response.data.id)?.(response.data.result);
    pending.delete(response.data.id);
  });
  socket.addEventListener('close', () => {
    for (const resolve of pending.values())
      resolve({
        ok: false,
        error: {
          code: 'HARNESS_DISCONNECTED',
          details: {},
          message: {
            'zh-CN': '与本机核心的连接已断开。',
            en: 'The connection to the core was lost.',
          },
        },
      });
    pending.clear();
    for (const listener of closeListeners) listener();
  });
  const calls = {
    call(command: string, input: unknown) {
      const id = nextId++;
      return new Promise<unknown>((resolve, reject) => {
        pending.set(id, (result) => {
          if (result.ok) resolve(result.value);
          else
            reject(new BridgeError(result.error.code, result.error.message, result.error.details));
        });
        socket.send(JSON.stringify({ id, command, input }));
      });
    },
    onClose(listener: () => void) {
      closeListeners.add(listener);
      return () => void closeListeners.delete(listener);
    },
  };
  return new Promise((resolve, reject) => {
    socket.addEventListener('open', () => resolve(calls), { once: true });
    socket.addEventListener('error', () => reject(new Error('the core refused the connection')), {
      once: true,
    });
  });
}

async function harnessBridge(): Promise<Bridge> {
  const token = harnessToken();
  if (!token) throw new Error('no harness token in the page address');
  const resume = window.sessionStorage.getItem(RESUME_KEY);
  const syncListeners = new Set<(event: SyncEvent) => void>();
  let lastSync: SyncEvent | undefined;
  const calls = await socketCalls(
    '/bridge',
    [`${BRIDGE_PROTOCOL_PREFIX}${token}`, ...(resume ? [`${BRIDGE_RESUME_PREFIX}${resume}`] : [])],
    (data) => {
      const event = BridgeEvent.safeParse(data);
      if (!event.success) return;
      if (event.data.event === 'resume') {
        window.sessionStorage.setItem(RESUME_KEY, event.data.payload.token);
        return;
      }
      lastSync = event.data.payload;
      for (const listener of syncListeners) listener(event.data.payload);
    },
  );
  return {
    call: (name, input) => calls.call(name, input) as never,
    onSync(listener) {
      syncListeners.add(listener);
      if (lastSync) listener(lastSync);
      return () => syncListeners.delete(listener);
    },
    onClose: (listener) => calls.onClose(listener),
  };
}
