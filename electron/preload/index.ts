// The preload: the only bridge between the page and the app. It asks the main process for a
// MessagePort to the core and exposes, on `window.branchdesk`, exactly the DeskApi: `call` for
// the commands of the contract, and sync and close subscriptions that call the page's function
// with plain data. Never ipcRenderer, never an Electron object.
//
// A sandboxed preload can load nothing but Electron's own modules, so this file imports only
// types and two constants: the core validates every command and input (zod, the contract), and
// the renderer validates every answer; here messages are only routed.
import { contextBridge, ipcRenderer } from 'electron';
import type { BridgeResponse, SyncEvent } from '../../shared/protocol/bridge';
import type { DisplayView } from '../../shared/counter/display';
import { DESK_CONNECT_CHANNEL, DESK_PORT_CHANNEL } from '../../shared/protocol/channels';
import type { DeskApi } from '../../shared/protocol/desk-api';

type Result = BridgeResponse['result'];
type PagePort = Electron.IpcRendererEvent['ports'][number];

const pending = new Map<number, (result: Result) => void>();
const syncListeners = new Set<(event: SyncEvent) => void>();
const closeListeners = new Set<() => void>();
const displayListeners = new Set<(view: DisplayView) => void>();
let lastSync: SyncEvent | undefined;
let lastView: DisplayView | undefined;
let nextId = 1;
let closed = false;

const disconnected: Result = {
  ok: false,
  error: {
    code: 'HARNESS_DISCONNECTED',
    details: {},
    message: { 'zh-CN': '与本机核心的连接已断开。', en: 'The connection to the core was lost.' },
  },
};

const port = new Promise<PagePort>((resolve) => {
  ipcRenderer.once(DESK_PORT_CHANNEL, (event) => {
    const [received] = event.ports;
    if (!received) return;
    received.onmessage = (message: { data: unknown }) => {
      const data = message.data as Partial<BridgeResponse> & {
        event?: string;
        payload?: unknown;
      };
      if (typeof data?.id === 'number' && data.result) {
        pending.get(data.id)?.(data.result);
        pending.delete(data.id);
      } else if (data?.event === 'sync' && data.payload) {
        lastSync = data.payload as SyncEvent;
        for (const listener of syncListeners) listener(lastSync);
      } else if (data?.event === 'display' && data.payload) {
        // The customer screen's window: checked by the page against DisplayView.
        lastView = data.payload as DisplayView;
        for (const listener of displayListeners) listener(lastView);
      }
    };
    received.addEventListener('close', () => {
      closed = true;
      for (const resolveCall of pending.values()) resolveCall(disconnected);
      pending.clear();
      for (const listener of closeListeners) listener();
    });
    received.start();
    resolve(received);
  });
});
ipcRenderer.send(DESK_CONNECT_CHANNEL);

const api = {
  async call(command, input) {
    if (typeof command !== 'string' || !/^[a-z_]+(\.[a-z_]+)+$/.test(command)) {
      return {
        ok: false,
        error: {
          code: 'COMMAND_UNKNOWN',
          details: {},
          message: { 'zh-CN': '未知的命令。', en: 'Unknown command.' },
        },
      };
    }
    const connected = await port;
    if (closed) return disconnected;
    const id = nextId++;
    return new Promise<Result>((resolve) => {
      pending.set(id, resolve);
      connected.postMessage({ id, command, input });
    });
  },
  onSync(listener) {
    syncListeners.add(listener);
    if (lastSync) listener(lastSync);
    return () => void syncListeners.delete(listener);
  },
  onDisplay(listener) {
    displayListeners.add(listener);
    if (lastView) listener(lastView);
    return () => void displayListeners.delete(listener);
  },
  onClose(listener) {
    closeListeners.add(listener);
    return () => void closeListeners.delete(listener);
  },
} satisfies DeskApi;

contextBridge.exposeInMainWorld('branchdesk', api);
