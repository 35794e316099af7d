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
import { BridgeError, socketCalls } from '../bridge';

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

export async function connectDisplay(): Promise<DisplayBridge> {
  const app = (window as unknown as { branchdesk?: DeskApi }).branchdesk;
  if (app?.call) return appDisplay(app);
  const token = displayToken();
  if (!token) throw new Error('no customer screen token in the page address');
  const viewListeners = new Set<(view: DisplayView) => void>();
  let last: DisplayView | undefined;
  const calls = await socketCalls('/display', [`${DISPLAY_PROTOCOL_PREFIX}${token}`], (data) => {
    const event = DisplayEvent.safeParse(data);
    if (!event.success) return;
    last = event.data.payload;
    for (const listener of viewListeners) listener(event.data.payload);
  });
  return {
    call: (name, input) => calls.call(name, input) as never,
    onView(listener) {
      viewListeners.add(listener);
      if (last) listener(last);
      return () => viewListeners.delete(listener);
    },
    onClose: (listener) => calls.onClose(listener),
  };
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
