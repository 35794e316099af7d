// What the desktop app's preload puts on `window.branchdesk`: the command contract and the sync
// events, nothing else. Answers and events are plain data (no Electron object reaches the page);
// the renderer checks them against the bridge schemas as it does for the web harness.
import type { CommandInput, CommandName } from '../commands/contract';
import type { DisplayView } from '../counter/display';
import type { BridgeResponse, SyncEvent } from './bridge';

export interface DeskApi {
  /** Runs a command of the contract as the window's signed-in user. */
  call<N extends CommandName>(
    command: N,
    input: CommandInput<N>,
  ): Promise<BridgeResponse['result']>;
  /** Sync state and progress as the core reports it; returns the unsubscribe function. */
  onSync(listener: (event: SyncEvent) => void): () => void;
  /**
   * The customer screen's window only (its port leads to the core's customer-screen service):
   * what to show the customer; returns the unsubscribe function.
   */
  onDisplay(listener: (view: DisplayView) => void): () => void;
  /** The core went away (it is being restarted); returns the unsubscribe function. */
  onClose(listener: () => void): () => void;
}

/** The messages between the main process and the core's utility process. */
export type CoreProcessMessage =
  | { type: 'ready' }
  | { type: 'fatal'; error: { code: string; message: { 'zh-CN': string; en: string } } };
