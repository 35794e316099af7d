// A sync round (push, pull, push what the pull left, purge what left the scope) and the
// scheduler that runs rounds in the background: every minute while HQ answers, and after a
// transient failure (HQ down, 5xx, network) again after an exponential backoff with jitter.
// Local edits never wait for any of this: they are in the outbox the moment they commit.
import { BranchDeskError, isBranchDeskError } from '../../../shared/errors';
import { backoffDelay, syncBackoff, type BackoffPolicy } from '../../../shared/sync/backoff';
import { wallClockIso } from '../clock';
import { deviceAccount, profileEnvironment, readEnrollment } from '../device/enrollment';
import { wipeRevoked } from '../device/revocation';
import { acknowledgedAudit, uploadAudit } from '../audit/upload';
import { HqClient } from '../hq-client/client';
import { staffOf } from '../session/staff-cache';
import { log } from '../log';
import type { SecretStore } from '../secrets';
import type { Vault } from '../vault';
import { ChangeStream } from './change-stream';
import { knownEpoch } from './epoch';
import { truncateWal } from './erasure';
import { receiveNotices } from './notices';
import { receiveRuleTables } from './rule-tables';
import { SyncState } from './outbox';
import { pullChanges, type PullProgress, type PullSummary } from './pull';
import { recordSyncRound } from './rounds';
import { emptyPushSummary, purgeEvicted, pushOutbox, type PushSummary } from './push';
import { loadSnapshot, settleSnapshot, wantsSnapshot, type SnapshotSummary } from './snapshot';

const LAST_SYNC_KEY = 'sync.lastSuccessAt';

/**
 * The HQ client of the enrolled device, authenticated by the credential in the keychain. Every
 * call it makes is a contact that can learn of a revocation: HQ's 410 wipes this vault there
 * and then (see device/revocation.ts), whatever the caller was doing.
 */
export function deviceClient(vault: Vault, secrets: SecretStore): HqClient {
  const enrollment = readEnrollment(vault);
  if (!enrollment) throw new BranchDeskError('DEVICE_NOT_ENROLLED', { profileId: vault.profileId });
  const credential = secrets.get(deviceAccount(vault.profileId));
  if (!credential) throw new BranchDeskError('DEVICE_UNAUTHENTICATED');
  return new HqClient(enrollment.hqUrl, `Device ${credential}`, {
    onRevoked: () => wipeRevoked(vault, secrets),
    epoch: () => knownEpoch(vault),
    environment: profileEnvironment(vault),
  });
}

/**
 * HQ's change stream for the enrolled device (change-stream.ts), nudging `onChange`; undefined
 * when the device is not enrolled or has no credential (then nothing syncs anyway).
 */
export function deviceChangeStream(
  vault: Vault,
  secrets: SecretStore,
  onChange: () => void,
): ChangeStream | undefined {
  const enrollment = readEnrollment(vault);
  const credential = secrets.get(deviceAccount(vault.profileId));
  if (!enrollment || !credential) return undefined;
  return new ChangeStream(enrollment.hqUrl, `Device ${credential}`, onChange);
}

export interface SyncRoundSummary {
  push: PushSummary;
  /** The initial sync's snapshot, when this round loaded one (snapshot.ts); null otherwise. */
  snapshot: SnapshotSummary | null;
  pull: PullSummary;
  /** Customers purged because they left the scope (after their edits were pushed). */
  evicted: number;
  staffForgotten: number;
  /** Privacy notices received from HQ this round. */
  notices: number;
  /** Rule tables (the AML risk rating's) received from HQ this round. */
  ruleTables: number;
  audit: { uploaded: number; acknowledgedSeq: number; pruned: number; error: string | null };
}

interface RoundOptions {
  pageSize?: number;
  /**
   * How a device that holds nothing from HQ yet gets its scope: `snapshot` (the default) or by
   * replaying the change feed (`feed`: slower; kept for diagnosis and for the feed's own tests).
   */
  initialSync?: 'snapshot' | 'feed';
  /** Customers per snapshot request (default SNAPSHOT_CHUNK). */
  snapshotChunk?: number;
  onProgress?: (progress: PullProgress) => void;
  /** A client kept between rounds (a keychain read costs a D-Bus round trip). */
  client?: HqClient;
}

/** The round under way on each vault: a second one (IT's "sync now") waits for it. */
const roundsUnderWay = new WeakMap<Vault, Promise<unknown>>();

/**
 * One round, after any round already under way on this vault (two at once would push the same
 * outbox twice); remembered with its counts or its error for IT's screen (rounds.ts).
 */
export async function syncRound(
  vault: Vault,
  secrets: SecretStore,
  options: RoundOptions = {},
): Promise<SyncRoundSummary> {
  const before = roundsUnderWay.get(vault);
  const round = (async () => {
    await before?.catch(() => undefined);
    try {
      const summary = await runRound(vault, secrets, options);
      recordSyncRound(vault, { summary });
      return summary;
    } catch (error) {
      recordSyncRound(vault, { error });
      throw error;
    }
  })();
  roundsUnderWay.set(vault, round);
  try {
    return await round;
  } finally {
    if (roundsUnderWay.get(vault) === round) roundsUnderWay.delete(vault);
  }
}

async function runRound(
  vault: Vault,
  secrets: SecretStore,
  options: RoundOptions,
): Promise<SyncRoundSummary> {
  const client = options.client ?? deviceClient(vault, secrets);
  const push = emptyPushSummary();
  await pushOutbox(vault, client, { summary: push });
  let snapshot: SnapshotSummary | null = null;
  if (options.initialSync !== 'feed' && wantsSnapshot(vault)) {
    snapshot = await loadSnapshot(vault, secrets, client, {
      ...(options.snapshotChunk ? { chunkSize: options.snapshotChunk } : {}),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    });
  } else {
    settleSnapshot(vault); // what a run cut short left behind, no longer wanted
  }
  const pull = await pullChanges(vault, client, options);
  // Applied mutations kept for re-sending after an HQ restore, beyond their window: forgotten.
  new SyncState(vault).pruneAcknowledged();
  // The pull may have parked evictions behind edits made meanwhile; push those too.
  if (new SyncState(vault).outboxSize() > 0) await pushOutbox(vault, client, { summary: push });
  const evicted = purgeEvicted(vault);
  // A customer HQ erased: no earlier version of their pages may stay in the WAL (erasure.ts).
  if (pull.erased > 0 || push.erased > 0) truncateWal(vault.db);
  // Who may sign in here follows HQ: disabled users and reset passwords take effect now.
  const staff = await client.branchStaff();
  const staffForgotten = staffOf(vault).applyHqStaff(staff).length;
  const notices = await receiveNotices(vault, client);
  const ruleTables = await receiveRuleTables(vault, client);
  const audit = await sendAudit(vault, secrets, client, staff.policy.auditRetentionDays);
  vault.db
    .prepare('INSERT OR REPLACE INTO vault_meta (key, value) VALUES (?, ?)')
    .run(LAST_SYNC_KEY, wallClockIso());
  return { push, snapshot, pull, evicted, staffForgotten, notices, ruleTables, audit };
}

/**
 * Uploads the audit log. HQ refusing it (a broken chain, an unknown key) does not fail the
 * round (customer data synced fine) but is reported; HQ has flagged the device for people.
 */
async function sendAudit(
  vault: Vault,
  secrets: SecretStore,
  client: HqClient,
  retentionDays: number,
): Promise<SyncRoundSummary['audit']> {
  try {
    const sent = await uploadAudit(vault, secrets, client, { retentionDays });
    return {
      uploaded: sent.uploaded,
      acknowledgedSeq: sent.acknowledged.seq,
      pruned: sent.pruned,
      error: null,
    };
  } catch (error) {
    if (isTransient(error) || !isBranchDeskError(error) || error.code === 'DEVICE_REVOKED')
      throw error;
    log('warn', 'sync.audit_refused', { code: error.code });
    return {
      uploaded: 0,
      acknowledgedSeq: acknowledgedAudit(vault).seq,
      pruned: 0,
      error: error.code,
    };
  }
}

export function lastSyncAt(vault: Vault): string | null {
  return (
    (vault.db.prepare('SELECT value FROM vault_meta WHERE key = ?').pluck().get(LAST_SYNC_KEY) as
      string | undefined) ?? null
  );
}

/** Failures worth retrying: HQ or the network, not this device or its data. */
export function isTransient(error: unknown): boolean {
  return (
    isBranchDeskError(error, 'HQ_UNREACHABLE') ||
    isBranchDeskError(error, 'HQ_UNAVAILABLE') ||
    isBranchDeskError(error, 'VAULT_BUSY')
  );
}

export interface SchedulerState {
  /** Null until the first round ends. */
  online: boolean | null;
  failures: number;
  lastError: string | null;
  lastSuccessAt: string | null;
  nextAttemptAt: string | null;
  running: boolean;
}

export class SyncScheduler {
  private timer: NodeJS.Timeout | undefined;
  private stopped = true;
  private inFlight: Promise<void> | undefined;
  /** HQ said something changed while a round was under way: another round follows it. */
  private again = false;
  readonly state: SchedulerState = {
    online: null,
    failures: 0,
    lastError: null,
    lastSuccessAt: null,
    nextAttemptAt: null,
    running: false,
  };

  constructor(
    private readonly round: () => Promise<unknown>,
    private readonly options: {
      intervalMs?: number;
      backoff?: BackoffPolicy;
      random?: () => number;
      onChange?: (state: SchedulerState) => void;
    } = {},
  ) {}

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.inFlight;
  }

  /** Runs a round now (after a local edit, or the teller's "sync now"), unless one is running. */
  trigger(): Promise<void> {
    clearTimeout(this.timer);
    this.inFlight ??= this.attempt().finally(() => (this.inFlight = undefined));
    return this.inFlight;
  }

  /**
   * HQ says something changed for the branch: a round now, or right after the one under way
   * (which may have pulled before the change committed).
   */
  nudge(): void {
    // After a failure the backoff stands: HQ busy (5xx, 429) is not helped by asking sooner.
    if (this.stopped || this.state.failures > 0) return;
    if (this.inFlight) this.again = true;
    else void this.trigger();
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.state.nextAttemptAt = new Date(Date.now() + delayMs).toISOString();
    this.timer = setTimeout(() => void this.trigger(), delayMs);
    this.options.onChange?.({ ...this.state });
  }

  private async attempt(): Promise<void> {
    this.state.running = true;
    try {
      await this.round();
      this.state.online = true;
      this.state.failures = 0;
      this.state.lastError = null;
      this.state.lastSuccessAt = new Date().toISOString();
      this.state.running = false;
      const again = this.again;
      this.again = false;
      this.schedule(again ? 0 : (this.options.intervalMs ?? 60_000));
    } catch (error) {
      this.state.running = false;
      const code = isBranchDeskError(error) ? error.code : 'INTERNAL';
      this.state.lastError = code;
      if (code === 'DEVICE_REVOKED') {
        // The vault is wiped: there is nothing left to sync, ever.
        this.stopped = true;
        this.state.online = true;
        this.state.nextAttemptAt = null;
        log('warn', 'sync.device_revoked');
        this.options.onChange?.({ ...this.state });
      } else if (isTransient(error)) {
        this.state.online = false;
        this.state.failures++;
        const delay = backoffDelay(
          this.state.failures,
          (this.options.random ?? Math.random)(),
          this.options.backoff ?? syncBackoff,
        );
        log('info', 'sync.retry_scheduled', { code, failures: this.state.failures, delay });
        this.schedule(delay);
      } else {
        log('warn', 'sync.round_failed', { code });
        this.schedule(this.options.intervalMs ?? 60_000);
      }
    }
  }
}
