// The last sync rounds of this device, whoever started them (the background scheduler, a desk's
// "sync now", branchctl): their time, outcome and counts, for IT's screen. Counts and error codes
// only, nothing of any customer; kept in the vault so a restart does not forget them.
import { SyncRoundRecord } from '../../../shared/commands/device';
import { isBranchDeskError } from '../../../shared/errors';
import { wallClockIso } from '../clock';
import type { Vault } from '../vault';
import type { SyncRoundSummary } from './engine';

const ROUNDS_KEY = 'sync.rounds';
/** Enough to see a pattern (every minute while HQ answers), small enough to read at once. */
const KEEP = 20;

/** The rounds remembered, newest first; an unreadable record is forgotten, not trusted. */
export function syncRounds(vault: Vault): SyncRoundRecord[] {
  const text = vault.db
    .prepare('SELECT value FROM vault_meta WHERE key = ?')
    .pluck()
    .get(ROUNDS_KEY) as string | undefined;
  if (!text) return [];
  try {
    return SyncRoundRecord.array().parse(JSON.parse(text));
  } catch {
    return [];
  }
}

/** Remembers a round that finished (`summary`) or failed (`error`). */
export function recordSyncRound(
  vault: Vault,
  outcome: { summary: SyncRoundSummary } | { error: unknown },
): void {
  const none = {
    pushed: 0,
    applied: 0,
    rejected: 0,
    pulled: 0,
    inserted: 0,
    updated: 0,
    removed: 0,
    evicted: 0,
    auditUploaded: 0,
  };
  const round: SyncRoundRecord =
    'summary' in outcome
      ? {
          at: wallClockIso(),
          ok: true,
          pushed: outcome.summary.push.pushed,
          applied: outcome.summary.push.applied,
          rejected: outcome.summary.push.rejected,
          pulled: outcome.summary.pull.done,
          inserted: outcome.summary.pull.inserted,
          updated: outcome.summary.pull.updated,
          removed: outcome.summary.pull.removed,
          evicted: outcome.summary.evicted,
          auditUploaded: outcome.summary.audit.uploaded,
          error: outcome.summary.audit.error,
        }
      : {
          at: wallClockIso(),
          ok: false,
          ...none,
          error: isBranchDeskError(outcome.error) ? outcome.error.code : 'INTERNAL',
        };
  try {
    const rounds = [round, ...syncRounds(vault)].slice(0, KEEP);
    vault.db
      .prepare('INSERT OR REPLACE INTO vault_meta (key, value) VALUES (?, ?)')
      .run(ROUNDS_KEY, JSON.stringify(rounds));
  } catch {
    // The vault itself may be what failed (or was wiped by a revocation): the round's own
    // outcome is what matters to the caller.
  }
}
