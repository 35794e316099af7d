// What this device remembers about the staff who signed in on it: enough to sign the same user
// in offline within HQ's window (an Argon2id verifier of the password, the offline grant HQ
// signed for this user on this device, the roles; never a TOTP secret), the lockout counters,
// and the latest time the device has ever seen, so a clock set back cannot stretch the offline
// window. All of it lives in the encrypted vault.
import { hash as argon2Hash } from '@node-rs/argon2';
import type { Role } from '../../../shared/access/permissions';
import {
  ARGON2ID,
  LOCKOUT_ATTEMPTS,
  LOCKOUT_MINUTES,
  type BranchStaffResponse,
  type LoginResponse,
  type StaffUser,
} from '../../../shared/auth/staff';
import type { OfflineGrant } from '../../../shared/auth/offline-grant';
import { perConnection, type Vault } from '../vault';
import { pinGrantKeyOnce } from './offline-grant';

const LATEST_TIME_KEY = 'clock.latestSeen';

export interface CachedStaff extends StaffUser {
  status: 'active' | 'disabled';
  verifier: string | null;
  /** HQ's grant from the last online sign-in here; checked, never trusted as stored. */
  offlineGrant: OfflineGrant | null;
  passwordChangedAt: string;
  lastOnlineLoginAt: string;
  offlineWindowHours: number;
  idleLockMinutes: number;
}

interface Row {
  user_id: string;
  username: string;
  display_name: string;
  roles: string;
  branch_id: string | null;
  rm_id: string | null;
  status: 'active' | 'disabled';
  verifier: string | null;
  offline_grant: string | null;
  offline_grant_signature: string | null;
  password_changed_at: string;
  last_online_login_at: string;
  offline_window_hours: number;
  idle_lock_minutes: number;
}

const fromRow = (row: Row): CachedStaff => ({
  userId: row.user_id,
  username: row.username,
  displayName: row.display_name,
  roles: JSON.parse(row.roles) as Role[],
  branchId: row.branch_id,
  ...(row.rm_id ? { rmId: row.rm_id } : {}),
  status: row.status,
  verifier: row.verifier,
  offlineGrant:
    row.offline_grant !== null && row.offline_grant_signature !== null
      ? { claims: row.offline_grant, signature: row.offline_grant_signature }
      : null,
  passwordChangedAt: row.password_changed_at,
  lastOnlineLoginAt: row.last_online_login_at,
  offlineWindowHours: row.offline_window_hours,
  idleLockMinutes: row.idle_lock_minutes,
});

export type AttemptOutcome = { locked: false; remaining: number } | { locked: true; until: string };

export class StaffCache {
  private readonly statements;

  constructor(private readonly vault: Vault) {
    this.statements = perConnection(vault, (db) => ({
      byUsername: db.prepare('SELECT * FROM staff_credential WHERE username = ?'),
      byId: db.prepare('SELECT * FROM staff_credential WHERE user_id = ?'),
      all: db.prepare('SELECT * FROM staff_credential'),
      upsert: db.prepare(`
        INSERT INTO staff_credential (user_id, username, display_name, roles, branch_id, rm_id,
          status, verifier, offline_grant, offline_grant_signature, password_changed_at,
          last_online_login_at, offline_window_hours, idle_lock_minutes)
        VALUES (@userId, @username, @displayName, @roles, @branchId, @rmId, 'active', @verifier,
          @offlineGrant, @offlineGrantSignature, @passwordChangedAt, @lastOnlineLoginAt,
          @offlineWindowHours, @idleLockMinutes)
        ON CONFLICT (user_id) DO UPDATE SET username = excluded.username,
          display_name = excluded.display_name, roles = excluded.roles,
          branch_id = excluded.branch_id, rm_id = excluded.rm_id, status = 'active',
          verifier = excluded.verifier,
          offline_grant = excluded.offline_grant,
          offline_grant_signature = excluded.offline_grant_signature,
          password_changed_at = excluded.password_changed_at,
          last_online_login_at = excluded.last_online_login_at,
          offline_window_hours = excluded.offline_window_hours,
          idle_lock_minutes = excluded.idle_lock_minutes`),
      // A username HQ gave to someone else since: the old row goes.
      dropUsername: db.prepare('DELETE FROM staff_credential WHERE username = ? AND user_id <> ?'),
      attempt: db.prepare('SELECT failures, locked_until FROM login_attempt WHERE username = ?'),
      setAttempt: db.prepare(
        'INSERT OR REPLACE INTO login_attempt (username, failures, locked_until) VALUES (?, ?, ?)',
      ),
      clearAttempt: db.prepare('DELETE FROM login_attempt WHERE username = ?'),
      meta: db.prepare('SELECT value FROM vault_meta WHERE key = ?').pluck(),
      setMeta: db.prepare('INSERT OR REPLACE INTO vault_meta (key, value) VALUES (?, ?)'),
      lastAudit: db.prepare('SELECT at FROM audit_log ORDER BY seq DESC LIMIT 1').pluck(),
      forget: db.prepare(
        `UPDATE staff_credential SET status = 'disabled', verifier = NULL, offline_grant = NULL,
           offline_grant_signature = NULL WHERE user_id = ?`,
      ),
      expireVerifier: db.prepare('UPDATE staff_credential SET verifier = NULL WHERE user_id = ?'),
      update: db.prepare(`
        UPDATE staff_credential SET username = @username, display_name = @displayName,
          roles = @roles, branch_id = @branchId, rm_id = @rmId,
          offline_window_hours = @offlineWindowHours,
          idle_lock_minutes = @idleLockMinutes WHERE user_id = @userId`),
    }));
  }

  byUsername(username: string): CachedStaff | undefined {
    const row = this.statements().byUsername.get(username) as Row | undefined;
    return row && fromRow(row);
  }

  byId(userId: string): CachedStaff | undefined {
    const row = this.statements().byId.get(userId) as Row | undefined;
    return row && fromRow(row);
  }

  /** An Argon2id verifier of `password`, made off the main thread (libuv's pool). */
  static makeVerifier(password: string): Promise<string> {
    return argon2Hash(password, ARGON2ID);
  }

  /** Remembers a successful online sign-in; call inside the transaction that audits it. */
  remember(signedIn: LoginResponse, verifier: string): void {
    const { user, policy } = signedIn;
    pinGrantKeyOnce(this.vault, signedIn.grantKey);
    this.statements().dropUsername.run(user.username, user.userId);
    this.statements().upsert.run({
      userId: user.userId,
      username: user.username,
      displayName: user.displayName,
      roles: JSON.stringify(user.roles),
      branchId: user.branchId,
      rmId: user.rmId ?? null,
      verifier,
      offlineGrant: signedIn.offlineGrant.claims,
      offlineGrantSignature: signedIn.offlineGrant.signature,
      passwordChangedAt: signedIn.passwordChangedAt,
      lastOnlineLoginAt: signedIn.serverTime,
      offlineWindowHours: policy.offlineWindowHours,
      idleLockMinutes: policy.idleLockMinutes,
    });
    this.observeTime(Date.parse(signedIn.serverTime));
  }

  /**
   * Applies HQ's current list of the branch's staff: a user HQ disabled (or no longer lists)
   * can no longer sign in here, a reset password voids the offline verifier, and roles and
   * policy follow HQ. Returns the users who can no longer sign in.
   */
  applyHqStaff(staff: BranchStaffResponse): string[] {
    const listed = new Map(staff.users.map((user) => [user.userId, user]));
    const forgotten: string[] = [];
    this.vault.db.transaction(() => {
      for (const row of this.statements().all.all() as Row[]) {
        const cached = fromRow(row);
        const current = listed.get(cached.userId);
        if (!current || current.status !== 'active') {
          if (cached.status === 'active') forgotten.push(cached.userId);
          this.statements().forget.run(cached.userId);
          continue;
        }
        if (Date.parse(current.passwordChangedAt) > Date.parse(cached.passwordChangedAt))
          this.statements().expireVerifier.run(cached.userId);
        this.statements().update.run({
          userId: cached.userId,
          username: current.username,
          displayName: current.displayName,
          roles: JSON.stringify(current.roles),
          branchId: current.branchId,
          rmId: current.rmId ?? null,
          offlineWindowHours: staff.policy.offlineWindowHours,
          idleLockMinutes: staff.policy.idleLockMinutes,
        });
      }
      this.observeTime(Date.parse(staff.serverTime));
    })();
    return forgotten;
  }

  /** HQ refused the user as disabled: they can no longer sign in here. */
  forget(userId: string): void {
    this.statements().forget.run(userId);
  }

  // ---- lockout --------------------------------------------------------------------------

  /** When `username` is locked out until, if it is at `now`. */
  lockedUntil(username: string, now: number): string | undefined {
    const row = this.statements().attempt.get(username) as
      { failures: number; locked_until: string | null } | undefined;
    return row?.locked_until && Date.parse(row.locked_until) > now ? row.locked_until : undefined;
  }

  /** Counts a failed attempt; the fifth in a row locks the username for 15 minutes. */
  recordFailure(username: string, now: number): AttemptOutcome {
    const row = this.statements().attempt.get(username) as
      { failures: number; locked_until: string | null } | undefined;
    // A lock that has run out starts a fresh count.
    const expired = row?.locked_until && Date.parse(row.locked_until) <= now;
    const failures = (expired ? 0 : (row?.failures ?? 0)) + 1;
    if (failures >= LOCKOUT_ATTEMPTS) {
      const until = new Date(now + LOCKOUT_MINUTES * 60_000).toISOString();
      this.statements().setAttempt.run(username, 0, until);
      return { locked: true, until };
    }
    this.statements().setAttempt.run(username, failures, null);
    return { locked: false, remaining: LOCKOUT_ATTEMPTS - failures };
  }

  /** HQ locked the account: the device keeps the same lock, so offline is no way round it. */
  lockUntil(username: string, until: string): void {
    this.statements().setAttempt.run(username, 0, until);
  }

  clearFailures(username: string): void {
    this.statements().clearAttempt.run(username);
  }

  // ---- the clock ------------------------------------------------------------------------

  /**
   * The latest time this device has seen: HQ's clock at sign-in and staff refresh, the local
   * clock at each sign-in, and the newest audit entry.
   */
  latestSeen(): number {
    const stored = Number(this.statements().meta.get(LATEST_TIME_KEY) ?? 0);
    const audited = this.statements().lastAudit.get() as string | undefined;
    return Math.max(stored, audited ? Date.parse(audited) : 0);
  }

  observeTime(time: number): void {
    if (Number.isFinite(time) && time > Number(this.statements().meta.get(LATEST_TIME_KEY) ?? 0))
      this.statements().setMeta.run(LATEST_TIME_KEY, String(time));
  }
}

const caches = new WeakMap<Vault, StaffCache>();

/** The one StaffCache of an open vault. */
export function staffOf(vault: Vault): StaffCache {
  let cache = caches.get(vault);
  if (!cache) caches.set(vault, (cache = new StaffCache(vault)));
  return cache;
}
