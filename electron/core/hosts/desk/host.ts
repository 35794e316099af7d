// The core as a long-running service for desks: one open vault, a background sync scheduler,
// and any number of desks (an Electron window, a web-harness connection), each with its own
// staff session. Every call a desk makes goes through the one command table as that session's
// user. The Electron utility process and the web harness both host the core through this.
import { createHash, randomBytes } from 'node:crypto';
import type { SyncEvent } from '../../../../shared/protocol/bridge';
import { BranchDeskError, isBranchDeskError, serializeError } from '../../../../shared/errors';
import { dispatch, isWriteCommand, type CommandResult } from '../../commands';
import { onRevoked } from '../../device/revocation';
import type { HqClient } from '../../hq-client/client';
import { log } from '../../log';
import type { SecretStore } from '../../secrets';
import { StaffSession } from '../../session/session';
import type { ChangeStream } from '../../sync/change-stream';
import {
  deviceChangeStream,
  deviceClient,
  syncRound,
  SyncScheduler,
  type SchedulerState,
} from '../../sync/engine';
import type { PullProgress } from '../../sync/pull';
import { openVault, type Vault } from '../../vault';
import { Counter } from '../../counter/counter';

export interface Desk {
  call(command: string, input: unknown): Promise<CommandResult>;
  /**
   * The desk went away (window closed, connection dropped): its session ends, or, for a
   * resumable desk, is parked for the grace period and ends if no page takes it back.
   */
  close(): Promise<void>;
  /** What the page presents to take this desk's session back after a reload (resumable desks). */
  resumeToken: string | undefined;
  /** This desk took back a parked session. */
  resumed: boolean;
}

export interface DeskOptions {
  /** A parked session's resume token, presented by a page that reloaded. */
  resume?: string;
  /**
   * How long the session of this desk waits, parked, for its page to come back when the
   * connection drops (a reload). Absent: the session ends at once (the desktop window).
   */
  resumeGraceMs?: number;
}

interface Parked {
  session: StaffSession;
  timer: NodeJS.Timeout;
}

const digest = (token: string) => createHash('sha256').update(token).digest('base64url');

export class CoreHost {
  private vault: Vault | undefined;
  private scheduler: SyncScheduler | undefined;
  private stream: ChangeStream | undefined;
  private readonly listeners = new Set<(event: SyncEvent) => void>();
  private progress: PullProgress | null = null;
  private syncState: SchedulerState | undefined;
  /** Every open desk's session, so a revocation can end them all at once. */
  private readonly sessions = new Set<StaffSession>();
  /** HQ revoked this device and its vault is wiped: every desk is refused from now on. */
  private revoked = false;
  /** Sessions of resumable desks whose page went away, by the digest of their resume token. */
  private readonly parked = new Map<string, Parked>();
  /** Between stop() and the next start(): a page that goes away now has no core to come back to. */
  private stopped = false;
  /**
   * The counter's customer screen: what the desks put before the customer, and what the
   * customer answers (its own connection, serveDisplay). What it saves runs as the asking desk.
   */
  readonly counter = new Counter({
    vault: () => this.vault,
    run: async (command, input, context) => {
      const result = await dispatch(command, input, context);
      if (result.ok && isWriteCommand(command)) void this.syncNow();
      return result;
    },
  });

  constructor(
    private readonly options: {
      dataDir: string;
      secrets: SecretStore;
      /** Minutes between background syncs while HQ answers (default 1). */
      syncIntervalMs?: number;
      /**
       * False: no change stream from HQ, so rounds run only at the interval or when asked (tests
       * that order a sync against HQ's edits themselves). Default true.
       */
      changeStream?: boolean;
      /** The desks' clock (tests move it to pass idle minutes). */
      clock?: () => number;
      /**
       * False: no background sync, the desks work from the vault as it is (a benchmark on a
       * vault filled locally; edits still queue in the outbox). Default true.
       */
      backgroundSync?: boolean;
      /** The machine configuration's idle-lock limit, in minutes (see StaffSession). */
      idleLockMinutes?: number;
    },
  ) {}

  /** Opens the vault and starts syncing in the background (when the device is enrolled). */
  start(): void {
    this.stopped = false;
    const vault = openVault(this.options.dataDir, this.options.secrets);
    this.vault = vault;
    // Whichever contact with HQ learns of a revocation (a desk's sign-in, a sync) has wiped the
    // vault already; here the desks end.
    onRevoked(vault, () => this.revokedByHq());
    if (this.options.backgroundSync === false) return;
    let client: HqClient;
    try {
      client = deviceClient(vault, this.options.secrets);
    } catch (error) {
      // Not enrolled (or no credential): the desks work offline from the vault; no sync.
      if (isBranchDeskError(error)) return;
      throw error;
    }
    this.scheduler = new SyncScheduler(
      async () => {
        try {
          await syncRound(vault, this.options.secrets, {
            client,
            onProgress: (progress) => {
              this.progress = progress;
              this.emit();
            },
          });
        } finally {
          this.progress = null;
        }
      },
      {
        intervalMs: this.options.syncIntervalMs ?? 60_000,
        onChange: (state) => {
          this.syncState = state;
          this.emit();
        },
      },
    );
    this.scheduler.start();
    // HQ's nudges when something changes for the branch: a round at once, not at the next minute.
    if (this.options.changeStream === false) return;
    const stream = deviceChangeStream(vault, this.options.secrets, () => this.scheduler?.nudge());
    this.stream = stream;
    stream?.start();
  }

  /** Runs a sync round now (after a local edit, or someone asked); resolves when it ends. */
  syncNow(): Promise<void> {
    return this.scheduler?.trigger() ?? Promise.resolve();
  }

  syncEvent(): SyncEvent {
    const state = this.syncState ?? this.scheduler?.state;
    return {
      online: state?.online ?? null,
      running: state?.running ?? false,
      lastSuccessAt: state?.lastSuccessAt ?? null,
      // A revocation learnt at a sign-in is news to the scheduler, not to the desks.
      lastError: this.revoked ? 'DEVICE_REVOKED' : (state?.lastError ?? null),
      progress: this.progress,
    };
  }

  onSync(listener: (event: SyncEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(): void {
    const event = this.syncEvent();
    for (const listener of this.listeners) listener(event);
  }

  /** Every desk's session ends, no one signs in again, and nothing syncs. */
  private revokedByHq(): void {
    this.revoked = true;
    this.vault = undefined;
    // Not awaited: the round that learnt of the revocation may be the one calling this.
    void this.scheduler?.stop();
    this.stream?.stop();
    for (const session of this.sessions) session.revoke();
    this.emit();
  }

  /**
   * A new desk with its own session (nobody signed in yet), or, when `resume` names a parked
   * session, that session as it was: signed in, locked or whatever it had become.
   */
  openDesk(options: DeskOptions = {}): Desk {
    const parked = options.resume ? this.unpark(options.resume) : undefined;
    const session =
      parked ??
      new StaffSession({
        ...(this.options.clock ? { clock: this.options.clock } : {}),
        ...(this.options.idleLockMinutes ? { idleLockMinutes: this.options.idleLockMinutes } : {}),
      });
    if (this.revoked) session.revoke();
    this.sessions.add(session);
    // A fresh token at every connection: one that was presented is spent.
    const resumeToken = options.resumeGraceMs ? randomBytes(24).toString('base64url') : undefined;
    return {
      resumeToken,
      resumed: parked !== undefined,
      call: async (command, input) => {
        if (this.revoked)
          return { ok: false, error: serializeError(new BranchDeskError('DEVICE_REVOKED')) };
        const result = await dispatch(command, input, this.contextOf(session));
        // An edit goes to HQ straight away when it answers (it is safe in the outbox already).
        if (result.ok && isWriteCommand(command)) void this.syncNow();
        return result;
      },
      close: async () => {
        if (resumeToken && options.resumeGraceMs && !this.revoked && !this.stopped) {
          if (session.status().state === 'signed_out') return void this.sessions.delete(session);
          const key = digest(resumeToken);
          const timer = setTimeout(() => {
            this.parked.delete(key);
            void this.endSession(session);
          }, options.resumeGraceMs);
          timer.unref();
          this.parked.set(key, { session, timer });
          return;
        }
        await this.endSession(session);
      },
    };
  }

  private unpark(token: string): StaffSession | undefined {
    const key = digest(token);
    const parked = this.parked.get(key);
    if (!parked) return undefined;
    clearTimeout(parked.timer);
    this.parked.delete(key);
    return parked.session;
  }

  private contextOf(session: StaffSession) {
    return {
      principal: { kind: 'anonymous' } as const,
      session,
      secrets: this.options.secrets,
      // A desk works on its own profile only (vault.rekey, device.status name one).
      dataDir: this.options.dataDir,
      counter: this.counter,
      ...(this.vault ? { vault: this.vault } : {}),
    };
  }

  /** The session's user is signed out (audited as a sign-out) and the session forgotten. */
  private async endSession(session: StaffSession): Promise<void> {
    this.sessions.delete(session);
    if (this.revoked) return;
    if (session.status().state === 'signed_out') return;
    try {
      await session.logout(this.contextOf(session));
    } catch (error) {
      log('warn', 'desk.close_logout_failed', {
        code: isBranchDeskError(error) ? error.code : 'INTERNAL',
      });
    }
  }

  async stop(): Promise<void> {
    // Every session ends now, parked or live: no page can come back to a core that is gone. A
    // page whose connection closes after this (its close can arrive late) parks nothing.
    this.stopped = true;
    const parked = [...this.parked.values()];
    this.parked.clear();
    for (const { timer } of parked) clearTimeout(timer);
    for (const session of new Set([...this.sessions, ...parked.map(({ session }) => session)]))
      await this.endSession(session);
    this.stream?.stop();
    await this.scheduler?.stop();
    this.vault?.close();
    this.vault = undefined;
  }
}
