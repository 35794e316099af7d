// The customer screen's only way to the core: its own WebSocket (`/display`) with its own token,
// in the web harness, or the port the desktop app's main process hands the customer window.
// It may send the screen's few commands; what to show arrives as `display` events.
import {
  type DisplayCommand,
  type DisplayInput,
  type DisplayOutput,
  type DisplayView,
} from '../../../shared/counter/display';
import {
  BridgeResponse,
  DISPLAY_PROTOCOL_PREFIX,
  DisplayEvent,
} from '../../../shared/protocol/bridge';
import type { DeskApi } from '../../../shared/protocol/desk-api';
import { BridgeError } from '../bridge';

export interface DisplayBridge {
  call<N extends DisplayCommand>(name: N, input: DisplayInput<N>): Promise<DisplayOutput<N>>;
  onView(listener: (view: DisplayView) => void): () => void;
  onClose(listener: () => void): () => void;
}

const TOKEN_KEY = 'branchdesk.displayToken';

/** This page is the customer screen: its address says so, or it said so before a reload. */
export function isDisplayPage(): boolean {
  return (
    /^#display(&|$)/.test(window.location.hash) || window.sessionStorage.getItem(TOKEN_KEY) !== null
  );
}

function displayToken(): string | undefined {
  const fromHash = /(?:^#|&)token=([A-Za-z0-9_-]+)/.exec(window.location.hash)?.[1];
  if (fromHash) {
    window.sessionStorage.setItem(TOKEN_KEY, fromHash);
    window.history.replaceState(null, '', window.location.pathname);
    return fromHash;
  }
  return window.sessionStorage.getItem(TOKEN_KEY) ?? undefined;
}

export function connectDisplay(): Promise<DisplayBridge> {
  const app = (window as unknown as { branchdesk?: DeskApi }).branchdesk;
  if (app?.call) return Promise.resolve(appDisplay(app));
  const token = displayToken();
  if (!token) return Promise.reject(new Error('no customer screen token in the page address'));
  const socket = new WebSocket(`${window.location.origin.replace(/^http/, 'ws')}/display`, [
    `${DISPLAY_PROTOCOL_PREFIX}${token}`,
  ]);
  const pending = new Map<number, (result: BridgeResponse['result']) => void>();
  const viewListeners = new Set<(view: DisplayView) => void>();
  const closeListeners = new Set<() => void>();
  let last: DisplayView | undefined;
  let nextId = 1;
  socket.addEventListener('message', (message) => {
    let data: unknown;
    try {
      data = JSON.parse(String(message.data));
    } catch {
      return;
    }
    const response = BridgeResponse.safeParse(data);
    if (response.success) {
      pending.get(response.data.id)?.(response.data.result);
      pending.delete(response.data.id);
      return;
    }
    const event = DisplayEvent.safeParse(data);
    if (!event.success) return;
    last = event.data.payload;
    for (const listener of viewListeners) listener(event.data.payload);
  });
  socket.addEventListener('close', () => {
    pending.clear();
    for (const listener of closeListeners) listener();
  });
  const bridge: DisplayBridge = {
    call(name, input) {
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, (result) => {
          if (result.ok) resolve(result.value as never);
          else
            reject(new BridgeError(result.error.code, result.error.message, result.error.details));
        });
        socket.send(JSON.stringify({ id, command: name, input }));
      });
    },
    onView(listener) {
      viewListeners.add(listener);
      if (last) listener(last);
      return () => viewListeners.delete(listener);
    },
    onClose(listener) {
      closeListeners.add(listener);
      return () => closeListeners.delete(listener);
    },
  };
  return new Promise((resolve, reject) => {
    socket.addEventListener('open', () => resolve(bridge), { once: true });
    socket.addEventListener('error', () => reject(new Error('the core refused the connection')), {
      once: true,
    });
  });
}

/**
 * In the desktop app the customer window's preload gives the same call and event surface as a
 * desk's (its port leads to the core's customer-screen service, which serves nothing else).
 */
function appDisplay(app: DeskApi): DisplayBridge {
  return {
    async call(name, input) {
      // The preload routes any command by name; the core's customer-screen service answers
      // only the screen's own.
      const call = app.call as (command: string, input: unknown) => ReturnType<DeskApi['call']>;
      const response = BridgeResponse.shape.result.safeParse(await call(name, input));
      if (!response.success) throw new Error('the core sent an answer of the wrong shape');
      if (response.data.ok) return response.data.value as never;
      const { error } = response.data;
      throw new BridgeError(error.code, error.message, error.details);
    },
    onView: (listener) =>
      app.onDisplay((view) => {
        const parsed = DisplayEvent.shape.payload.safeParse(view);
        if (parsed.success) listener(parsed.data);
      }),
    onClose: (listener) => app.onClose(listener),
  };
}
