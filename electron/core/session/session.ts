// A signed-in member of staff at one desk (one window of the app, one web-harness connection).
// The core, not the UI, decides who a command runs as: the dispatcher asks this session for the
// principal on every call, and this is where the idle lock, HQ disabling a user and the end of
// a session take effect. Sign-in goes to HQ when it answers and falls back to the vault's cache
// only when HQ cannot be reached, never after HQ has said no.
import { verify as argon2Verify } from '@node-rs/argon2';
import type { Principal } from '../../../shared/access/permissions';
import type { AuditAction } from '../../../shared/audit/entry';
import type { LoginResponse, StaffUser } from '../../../shared/auth/staff';
import type { SessionStatus } from '../../../shared/commands/session';
import type { CommandName } from '../../../shared/commands/contract';
import { BranchDeskError, isBranchDeskError } from '../../../shared/errors';
import { actorId } from '../audit/actor';
import { AuditLog } from '../audit/log';
import { wallClock } from '../clock';
import { log } from '../log';
import type { HqClient } from '../hq-client/client';
import type { SecretStore } from '../secrets';
import { deviceClient, isTransient } from '../sync/engine';
import type { Vault } from '../vault';
import { RefreshTokens } from './refresh-tokens';
import { offlineGrantOf } from './offline-grant';
import { StaffCache, staffOf, type AttemptOutcome } from './staff-cache';

/** A clock this far behind the latest time seen is a clock set back (NTP noise is far less). */
export const CLOCK_TOLERANCE_MS = 5 * 60_000;

/**
 * What a desk may do with nobody signed in or the session locked: sign in, unlock, sign out, ask
 * where the session stands and which device this is (the sign-in screen shows its branch).
 */
const whileLocked: ReadonlySet<CommandName> = new Set([
  'session.unlock',
  'session.logout',
  'session.login',
  'session.status',
  'device.about',
]);

/**
 * The privacy desk's commands (privacy-commands.ts): an HQ privacy officer's work at HQ, from a
 * desk where no branch staff is signed in. HQ authenticates the officer and decides every call.
 */
const privacyDesk: ReadonlySet<CommandName> = new Set([
  'privacy.hq.sign_in',
  'privacy.hq.sign_out',
  'privacy.hq.status',
  'privacy.hq.erasures',
  'privacy.hq.erasure_request',
  'privacy.hq.hold',
  'privacy.hq.release_hold',
  'privacy.hq.retention',
  'privacy.hq.copy',
]);

/** Asked on a timer by the desk, so not a sign that someone is at the keyboard. */
const notActivity: ReadonlySet<CommandName> = new Set(['session.status', 'device.about']);

interface Current {
  user: StaffUser;
  mode: 'online' | 'offline';
  signedInAt: number;
  lastActivity: number;
  idleMs: number;
  locked: boolean;
  /** HQ's short-lived token for this user (online sign-ins); the refresh token is in the keychain. */
  access?: { token: string; expiresAt: number };
  /** The fingerprint of the refresh token this session keeps in its user's keychain slot. */
  refresh?: string;
}

export interface SessionDeps {
  vault?: Vault;
  secrets: SecretStore;
}

export class StaffSession {
  private current: Current | undefined;
  /** HQ revoked the device (its vault is wiped): nobody signs in here again. */
  private revoked = false;
  private readonly audits = new WeakMap<Vault, AuditLog>();

  constructor(
    private readonly options: {
      clock?: () => number;
      /** The HQ client to sign in with (default: the enrolled device's). */
      client?: (vault: Vault, secrets: SecretStore) => HqClient;
      /**
       * The machine's own limit on idle minutes (IT's machine configuration): the session locks
       * after the shorter of this and HQ's policy, never later than HQ allows.
       */
      idleLockMinutes?: number;
    } = {},
  ) {}

  /** Idle time before locking: HQ's policy, shortened by the machine's limit if it has one. */
  private idleMs(policyMinutes: number): number {
    const machine = this.options.idleLockMinutes ?? Number.POSITIVE_INFINITY;
    return Math.min(policyMinutes, machine) * 60_000;
  }

  private now(): number {
    return (this.options.clock ?? wallClock)();
  }

  /**
   * Who `command` runs as. Locks an idle session first (recording it), refuses a locked one
   * anything but unlocking or signing out, and ends the session of a user HQ has disabled.
   */
  principalFor(command: CommandName, deps: SessionDeps): Principal {
    if (this.revoked) throw new BranchDeskError('DEVICE_REVOKED');
    const current = this.current;
    if (!current) {
      if (whileLocked.has(command) || privacyDesk.has(command)) return { kind: 'anonymous' };
      throw new BranchDeskError('SESSION_REQUIRED');
    }
    this.lockIfIdle(deps);
    if (current.locked) {
      if (whileLocked.has(command)) return { kind: 'anonymous' };
      throw new BranchDeskError('SESSION_LOCKED');
    }
    const cached = deps.vault ? staffOf(deps.vault).byId(current.user.userId) : undefined;
    if (deps.vault && cached?.status !== 'active') {
      this.end(deps, 'disabled_by_hq');
      throw new BranchDeskError('SESSION_REVOKED');
    }
    if (cached) {
      // Roles and the RM's book follow HQ (its staff list, at each sync).
      const { rmId: _before, ...user } = current.user;
      current.user = {
        ...user,
        roles: cached.roles,
        ...(cached.rmId ? { rmId: cached.rmId } : {}),
      };
    }
    if (!notActivity.has(command)) current.lastActivity = this.now();
    return {
      kind: 'user',
      userId: current.user.userId,
      username: current.user.username,
      roles: current.user.roles,
    };
  }

  status(deps?: SessionDeps): SessionStatus {
    if (deps) this.lockIfIdle(deps);
    const current = this.current;
    if (!current)
      return { state: 'signed_out', user: null, mode: null, signedInAt: null, locksAt: null };
    return {
      state: current.locked ? 'locked' : 'active',
      user: current.user,
      mode: current.mode,
      signedInAt: new Date(current.signedInAt).toISOString(),
      locksAt: current.locked
        ? null
        : new Date(current.lastActivity + current.idleMs).toISOString(),
    };
  }

  /** Signs in: online against HQ, or offline when HQ cannot be reached. */
  async login(
    request: { username: string; password: string; totp: string },
    deps: SessionDeps,
  ): Promise<SessionStatus> {
    if (this.revoked) throw new BranchDeskError('DEVICE_REVOKED');
    const vault = requireVault(deps);
    const cache = staffOf(vault);
    const { username } = request;
    const now = this.now();

    const lockedUntil = cache.lockedUntil(username, now);
    if (lockedUntil) {
      this.refuse(vault, username, now, { reason: 'locked', mode: null });
      throw new BranchDeskError('ACCOUNT_LOCKED', { until: lockedUntil });
    }

    let client: HqClient | undefined;
    try {
      client = this.hq(vault, deps.secrets);
    } catch (error) {
      if (!isBranchDeskError(error, 'DEVICE_NOT_ENROLLED')) throw error;
    }
    if (client) {
      let signedIn: LoginResponse | undefined;
      try {
        signedIn = await client.login(request);
      } catch (error) {
        // HQ revoked the device: its vault is already wiped (there is nothing left to record in).
        if (isBranchDeskError(error, 'DEVICE_REVOKED')) {
          this.revoke();
          throw error;
        }
        if (!isTransient(error)) {
          const code = isBranchDeskError(error) ? error.code : 'INTERNAL';
          vault.db.transaction(() => {
            if (code === 'LOGIN_FAILED') cache.recordFailure(username, now);
            if (isBranchDeskError(error, 'ACCOUNT_LOCKED'))
              cache.lockUntil(username, String(error.details.until));
            // HQ locks or disables only a user it has: the name is theirs, not a stray password.
            const hqKnows = code === 'ACCOUNT_LOCKED' || code === 'USER_DISABLED';
            this.record(
              vault,
              username,
              'login_failure',
              { reason: code, mode: 'online' },
              hqKnows,
            );
            if (code === 'USER_DISABLED') {
              const known = cache.byUsername(username);
              if (known) cache.forget(known.userId);
            }
          })();
          throw error;
        }
        // HQ cannot be reached: sign in from the cache, within the window.
      }
      if (signedIn) return this.completeOnline(signedIn, request.password, deps);
    }
    return this.offline(request, deps);
  }

  private async completeOnline(
    signedIn: LoginResponse,
    password: string,
    deps: SessionDeps,
  ): Promise<SessionStatus> {
    const vault = requireVault(deps);
    const cache = staffOf(vault);
    const verifier = await StaffCache.makeVerifier(password);
    const now = this.now();
    // Whoever was signed in at this desk is signed out once someone else has signed in, their
    // HQ session with them.
    if (this.current) this.signOutAtHq(vault, deps, this.end(deps, 'another_user_signed_in'));
    vault.db.transaction(() => {
      cache.remember(signedIn, verifier);
      cache.clearFailures(signedIn.user.username);
      cache.observeTime(now);
      this.record(vault, signedIn.user.username, 'login_success', { mode: 'online' });
    })();
    const refresh = new RefreshTokens(vault, deps.secrets).put(
      signedIn.user.userId,
      signedIn.tokens.refreshToken,
    );
    this.current = {
      user: signedIn.user,
      mode: 'online',
      signedInAt: now,
      lastActivity: now,
      idleMs: this.idleMs(signedIn.policy.idleLockMinutes),
      locked: false,
      access: {
        token: signedIn.tokens.accessToken,
        expiresAt: Date.parse(signedIn.tokens.accessExpiresAt),
      },
      refresh,
    };
    return this.status();
  }

  private async offline(
    request: { username: string; password: string; totp: string },
    deps: SessionDeps,
  ): Promise<SessionStatus> {
    const vault = requireVault(deps);
    const cache = staffOf(vault);
    const now = this.now();
    const { username } = request;
    const refuse = (reason: string) =>
      this.refuse(vault, username, now, { reason, mode: 'offline' });
    const cached = cache.byUsername(username);
    if (!cached || cached.status !== 'active' || !cached.verifier) {
      refuse('offline_unavailable');
      throw new BranchDeskError('OFFLINE_LOGIN_UNAVAILABLE');
    }
    const latest = cache.latestSeen();
    if (now < latest - CLOCK_TOLERANCE_MS) {
      refuse('clock_rolled_back');
      throw new BranchDeskError('CLOCK_ROLLED_BACK', { latest: new Date(latest).toISOString() });
    }
    const elapsed = Math.max(now, latest) - Date.parse(cached.lastOnlineLoginAt);
    if (elapsed > cached.offlineWindowHours * 3_600_000) {
      refuse('offline_window_expired');
      throw new BranchDeskError('OFFLINE_WINDOW_EXPIRED', { hours: cached.offlineWindowHours });
    }
    // No TOTP offline: the device holds no secret to check a code with (it would pass HQ's
    // factor too). What stands in is HQ's grant for this user on this device, unexpired.
    const grant = offlineGrantOf(vault, cached.userId, cached.offlineGrant, Math.max(now, latest));
    if (!grant.ok) {
      refuse(grant.reason);
      if (grant.reason === 'grant_expired')
        throw new BranchDeskError('OFFLINE_WINDOW_EXPIRED', { hours: cached.offlineWindowHours });
      throw new BranchDeskError('OFFLINE_LOGIN_UNAVAILABLE');
    }
    if (!(await argon2Verify(cached.verifier, request.password))) {
      const outcome = this.refuse(
        vault,
        username,
        now,
        { reason: 'credentials', mode: 'offline' },
        true,
      )!;
      if (outcome.locked) throw new BranchDeskError('ACCOUNT_LOCKED', { until: outcome.until });
      throw new BranchDeskError('LOGIN_FAILED', { remaining: outcome.remaining });
    }
    if (this.current) this.end(deps, 'another_user_signed_in');
    vault.db.transaction(() => {
      cache.clearFailures(username);
      cache.observeTime(now);
      this.record(vault, username, 'login_success', { mode: 'offline' });
    })();
    const { userId, displayName, roles, branchId, rmId } = cached;
    this.current = {
      user: { userId, username, displayName, roles, branchId, ...(rmId ? { rmId } : {}) },
      mode: 'offline',
      signedInAt: now,
      lastActivity: now,
      idleMs: this.idleMs(cached.idleLockMinutes),
      locked: false,
    };
    return this.status();
  }

  /** Locks the session now (the teller stepped away). */
  lock(deps: SessionDeps, reason: 'manual' | 'idle' = 'manual'): SessionStatus {
    const current = this.current;
    if (!current) throw new BranchDeskError('SESSION_REQUIRED');
    if (!current.locked) {
      if (deps.vault) this.record(deps.vault, current.user.username, 'lock', { reason });
      current.locked = true;
    }
    return this.status();
  }

  /** Unlocks with the signed-in user's password (checked against the vault's verifier). */
  async unlock(password: string, deps: SessionDeps): Promise<SessionStatus> {
    const vault = requireVault(deps);
    this.lockIfIdle(deps);
    const current = this.current;
    if (!current) throw new BranchDeskError('SESSION_REQUIRED');
    if (!current.locked) return this.status();
    const cache = staffOf(vault);
    const { username, userId } = current.user;
    const cached = cache.byId(userId);
    if (!cached || cached.status !== 'active' || !cached.verifier) {
      // Disabled at HQ, or HQ reset the password since: only a new sign-in will do.
      this.end(deps, cached?.status === 'active' ? 'password_reset' : 'disabled_by_hq');
      throw new BranchDeskError('SESSION_REQUIRED');
    }
    const now = this.now();
    const lockedUntil = cache.lockedUntil(username, now);
    if (lockedUntil) {
      this.end(deps, 'locked_out');
      throw new BranchDeskError('ACCOUNT_LOCKED', { until: lockedUntil });
    }
    if (current.mode === 'offline') {
      // An offline session lasts no longer than HQ's grant: past it, only a sign-in will do.
      const at = Math.max(now, cache.latestSeen());
      const grant = offlineGrantOf(vault, userId, cached.offlineGrant, at);
      if (!grant.ok) {
        this.end(deps, grant.reason);
        if (grant.reason === 'grant_expired')
          throw new BranchDeskError('OFFLINE_WINDOW_EXPIRED', { hours: cached.offlineWindowHours });
        throw new BranchDeskError('SESSION_REQUIRED');
      }
    }
    if (!(await argon2Verify(cached.verifier, password))) {
      const outcome = this.refuse(
        vault,
        username,
        now,
        { reason: 'credentials', during: 'unlock' },
        true,
      )!;
      if (outcome.locked) {
        this.end(deps, 'locked_out');
        throw new BranchDeskError('ACCOUNT_LOCKED', { until: outcome.until });
      }
      // The lock screen asks for the password alone: say that is what was wrong.
      throw new BranchDeskError('UNLOCK_FAILED', { remaining: outcome.remaining });
    }
    vault.db.transaction(() => {
      cache.clearFailures(username);
      cache.observeTime(now);
      this.record(vault, username, 'unlock', {});
    })();
    current.locked = false;
    current.lastActivity = now;
    return this.status();
  }

  /** Signs out here (the refresh token leaves the keychain) and, when it answers, at HQ. */
  async logout(deps: SessionDeps): Promise<SessionStatus> {
    if (!this.current) return this.status();
    const refresh = this.end(deps, 'signed_out');
    const vault = deps.vault;
    if (vault && refresh) {
      try {
        await this.hq(vault, deps.secrets).logout(refresh);
      } catch (error) {
        // HQ ends the session itself when the token expires; signing out here is what counts.
        if (!isTransient(error)) throw error;
      }
    }
    return this.status();
  }

  /**
   * HQ revoked the device and its vault is wiped: the session ends at once (nothing is
   * recorded: the vault is gone) and every later call, a sign-in included, is refused.
   */
  revoke(): void {
    this.revoked = true;
    this.current = undefined;
  }

  /**
   * HQ's access token for this user, refreshed (and the refresh token rotated) when it has
   * expired; for commands that ask HQ on the user's behalf.
   */
  async hqAccessToken(deps: SessionDeps): Promise<string> {
    const vault = requireVault(deps);
    const current = this.current;
    if (!current || current.locked) throw new BranchDeskError('SESSION_REQUIRED');
    if (current.access && current.access.expiresAt - 30_000 > this.now())
      return current.access.token;
    // Only the token this session stored, from its own user's slot: never another user's, nor
    // the one another desk of the same user has put there since.
    const tokens = new RefreshTokens(vault, deps.secrets);
    const refresh = current.refresh ? tokens.get(current.user.userId, current.refresh) : null;
    if (!refresh) throw new BranchDeskError('SESSION_UNAUTHENTICATED');
    const rotated = await this.hq(vault, deps.secrets).refreshSession(refresh);
    // The session may have ended (or another user signed in here) while HQ answered.
    if (this.current !== current) {
      this.signOutAtHq(vault, deps, rotated.refreshToken);
      throw new BranchDeskError('SESSION_REQUIRED');
    }
    current.refresh = tokens.put(current.user.userId, rotated.refreshToken);
    current.access = {
      token: rotated.accessToken,
      expiresAt: Date.parse(rotated.accessExpiresAt),
    };
    return rotated.accessToken;
  }

  private lockIfIdle(deps: SessionDeps): void {
    const current = this.current;
    if (current && !current.locked && this.now() - current.lastActivity >= current.idleMs)
      this.lock(deps, 'idle');
  }

  /**
   * Ends the session, recording why; sensitive state goes with it, its refresh token out of the
   * keychain included. Returns that token, for HQ to be told.
   */
  private end(deps: SessionDeps, reason: string): string | null {
    const current = this.current;
    this.current = undefined;
    if (!current || !deps.vault) return null;
    this.record(deps.vault, current.user.username, 'logout', { reason });
    return current.refresh
      ? new RefreshTokens(deps.vault, deps.secrets).take(current.user.userId, current.refresh)
      : null;
  }

  /** Ends an HQ session in the background (a switch of user must not wait on HQ). */
  private signOutAtHq(vault: Vault, deps: SessionDeps, refresh: string | null): void {
    if (!refresh) return;
    let client: HqClient;
    try {
      client = this.hq(vault, deps.secrets);
    } catch {
      return; // not enrolled any more: there is no HQ session to end
    }
    client.logout(refresh).catch((error: unknown) =>
      // HQ ends it itself when the token expires.
      log('info', 'session.hq_logout_failed', {
        code: isBranchDeskError(error) ? error.code : 'INTERNAL',
      }),
    );
  }

  private hq(vault: Vault, secrets: SecretStore): HqClient {
    return (this.options.client ?? deviceClient)(vault, secrets);
  }

  /** An entry in the vault's audit log, timed by the desk's clock. */
  private record(
    vault: Vault,
    username: string,
    action: AuditAction,
    details: Record<string, unknown>,
    known = false,
  ): void {
    let audit = this.audits.get(vault);
    if (!audit) this.audits.set(vault, (audit = new AuditLog(vault, () => this.now())));
    // A failed sign-in under a name this device does not know is not written down as its actor:
    // it may be a password typed into the username field (HQ does the same).
    const unknown = action === 'login_failure' && !known && !staffOf(vault).byUsername(username);
    audit.append({
      actor: unknown ? 'unknown' : actorId({ kind: 'user', username }),
      action,
      details,
    });
  }

  /** A refused attempt, audited; `count` adds it to the lockout (in the same transaction). */
  private refuse(
    vault: Vault,
    username: string,
    now: number,
    details: Record<string, unknown>,
    count = false,
  ): AttemptOutcome | undefined {
    return vault.db.transaction(() => {
      const outcome = count ? staffOf(vault).recordFailure(username, now) : undefined;
      this.record(vault, username, 'login_failure', details);
      return outcome;
    })();
  }
}

function requireVault(deps: SessionDeps): Vault {
  if (!deps.vault) throw new BranchDeskError('VAULT_NOT_OPEN');
  return deps.vault;
}
