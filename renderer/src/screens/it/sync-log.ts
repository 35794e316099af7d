// The sync events of this session, for IT's screen: a round starting, finishing or failing (from
// the core's sync events), and each "sync now" with its counts. Kept while someone is signed in;
// the frame starts a new log at each sign-in.
import { create } from 'zustand';
import type { SyncEvent } from '../../../../shared/protocol/bridge';

export interface SyncLogEntry {
  at: string;
  kind: 'started' | 'ok' | 'failed';
  /** The error code a failed round ended with. */
  code?: string;
  /** The counts of a round this desk ran ("sync now"). */
  counts?: Record<string, number>;
}

/** At most this many entries: a day of rounds every minute is not worth reading back. */
const KEEP = 50;

interface SyncLog {
  entries: SyncLogEntry[];
  last: SyncEvent | undefined;
}

export const useSyncLog = create<SyncLog>(() => ({ entries: [], last: undefined }));

/** A new log from `current` on: what happened before it is not this session's. */
export function clearSyncLog(current: SyncEvent | undefined): void {
  useSyncLog.setState({ entries: [], last: current });
}

export function addSyncLogEntry(entry: SyncLogEntry): void {
  useSyncLog.setState((log) => ({ entries: [entry, ...log.entries].slice(0, KEEP) }));
}

/** Notes what changed between the last sync event and this one. */
export function noteSyncEvent(event: SyncEvent): void {
  const { last } = useSyncLog.getState();
  useSyncLog.setState({ last: event });
  const now = new Date().toISOString();
  if (event.running && !last?.running) addSyncLogEntry({ at: now, kind: 'started' });
  if (event.lastSuccessAt && event.lastSuccessAt !== last?.lastSuccessAt && !event.lastError)
    addSyncLogEntry({ at: event.lastSuccessAt, kind: 'ok' });
  else if (
    event.lastError &&
    !event.running &&
    (event.lastError !== last?.lastError || last?.running)
  )
    addSyncLogEntry({ at: now, kind: 'failed', code: event.lastError });
}
