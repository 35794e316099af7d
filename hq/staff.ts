// HQ's staff: users with Argon2id password hashes and TOTP secrets, sign-in with lockout, short-
// lived sessions with rotating refresh tokens, and the list a branch device refreshes its
// offline sign-in cache from. Tokens and passwords are never stored: only their hashes.
import { hash as argon2Hash, verify as argon2Verify } from '@node-rs/argon2';
import { randomBytes, randomUUID } from 'node:crypto';
import { principalPermissions, type Permission, type Role } from '../shared/access/permissions';
import {
  ARGON2ID,
  LOCKOUT_ATTEMPTS,
  LOCKOUT_MINUTES,
  type BranchStaffResponse,
  type LoginResponse,
  type SessionTokens,
  type SignInPolicy,
} from '../shared/auth/staff';
import { checkTotp, newTotpSecret } from '../shared/auth/totp';
import { BranchDeskError } from '../shared/errors';
import { PASSWORD_ALPHABET, randomText, sha256Hex as sha256 } from './crypto';
import type { Database, Sql } from './db/database';
import type { AuthenticatedDevice } from './devices';
import { grantPublicKey, issueOfflineGrant } from './grants';

const ACCESS_MINUTES = 15;
const REFRESH_HOURS = 12;
const iso = (value: Date | string) => new Date(value).toISOString();

/** A random password for a new or reset account, shown once to the admin who made it. */
export const generatePassword = (length = 16): string => randomText(PASSWORD_ALPHABET, length);

export const hashPassword = (password: string) => argon2Hash(password, ARGON2ID);

/**
 * A hash that matches no password, so unknown users cost the same time as known ones. Made when
 * the service starts (`buildServer`), not on import: the admin commands never need it.
 */
let decoy: Promise<string> | undefined;
export const decoyHash = () => (decoy ??= hashPassword(randomBytes(16).toString('hex')));

interface UserRow {
  id: string;
  username: string;
  display_name: string;
  roles: Role[];
  branch_id: string | null;
  relationship_manager_id: string | null;
  password_hash: string;
  password_changed_at: Date | string;
  totp_secret: string;
  last_totp_step: string | number;
  status: 'active' | 'disabled';
  failed_attempts: number;
  locked_until: Date | string | null;
}

export interface NewUser {
  username: string;
  displayName: string;
  roles: Role[];
  branchId: string | null;
  /** The relationship manager's book this member of staff works (an RM of their branch). */
  rmId?: string | null;
  /** Generated when absent (the usual case); given for the deterministic demo users. */
  password?: string;
  /** `password`'s hash (`hashPassword`) when worked out already: seeding hashes its users at once. */
  passwordHash?: string;
  totpSecret?: string;
}

export async function addUser(
  db: Sql,
  user: NewUser,
): Promise<{ userId: string; username: string; password: string; totpSecret: string }> {
  const password = user.password ?? generatePassword();
  const totpSecret = user.totpSecret ?? newTotpSecret();
  if (user.branchId !== null) {
    const branch = await db.query('SELECT 1 FROM branch WHERE id = $1', [user.branchId]);
    if (branch.length === 0)
      throw new BranchDeskError('BRANCH_NOT_FOUND', { branchId: user.branchId });
  }
  if (user.rmId) {
    const rm = await db.query(
      'SELECT 1 FROM relationship_manager WHERE id = $1 AND branch_id IS NOT DISTINCT FROM $2',
      [user.rmId, user.branchId],
    );
    if (rm.length === 0) throw new BranchDeskError('RM_NOT_FOUND', { rmId: user.rmId });
  }
  const taken = await db.query('SELECT 1 FROM staff_user WHERE username = $1', [user.username]);
  if (taken.length > 0) throw new BranchDeskError('USER_EXISTS', { username: user.username });
  const userId = randomUUID();
  await db.query(
    `INSERT INTO staff_user (id, username, display_name, roles, branch_id, password_hash, totp_secret, status,
       relationship_manager_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, 'active', $8)`,
    [
      userId,
      user.username,
      user.displayName,
      user.roles,
      user.branchId,
      user.passwordHash ?? (await hashPassword(password)),
      totpSecret,
      user.rmId ?? null,
    ],
  );
  return { userId, username: user.username, password, totpSecret };
}

/** A new password (shown once); the lockout is cleared and every session of the user ends. */
export async function resetPassword(db: Database, username: string): Promise<string> {
  const password = generatePassword();
  const passwordHash = await hashPassword(password);
  await db.transaction(async (tx) => {
    const [user] = await tx.query<{ id: string }>(
      `UPDATE staff_user SET password_hash = $2, password_changed_at = now(), failed_attempts = 0,
         locked_until = NULL WHERE username = $1 RETURNING id`,
      [username, passwordHash],
    );
    if (!user) throw new BranchDeskError('USER_NOT_FOUND', { username });
    await revokeSessions(tx, user.id);
  });
  return password;
}

/** The user can no longer sign in anywhere: sessions end now, devices forget them at next sync. */
export async function disableUser(db: Database, username: string): Promise<void> {
  await db.transaction(async (tx) => {
    const [user] = await tx.query<{ id: string }>(
      `UPDATE staff_user SET status = 'disabled' WHERE username = $1 RETURNING id`,
      [username],
    );
    if (!user) throw new BranchDeskError('USER_NOT_FOUND', { username });
    await revokeSessions(tx, user.id);
  });
}

async function revokeSessions(tx: Sql, userId: string): Promise<void> {
  await tx.query(
    'UPDATE staff_session SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL',
    [userId],
  );
}

async function newSession(
  tx: Sql,
  userId: string,
  deviceId: string,
  now: number,
): Promise<SessionTokens> {
  const accessToken = randomBytes(32).toString('base64url');
  const refreshToken = randomBytes(32).toString('base64url');
  const accessExpiresAt = new Date(now + ACCESS_MINUTES * 60_000).toISOString();
  const refreshExpiresAt = new Date(now + REFRESH_HOURS * 3_600_000).toISOString();
  await tx.query(
    `INSERT INTO staff_session (id, user_id, device_id, access_hash, access_expires_at, refresh_hash, refresh_expires_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [
      randomUUID(),
      userId,
      deviceId,
      sha256(accessToken),
      accessExpiresAt,
      sha256(refreshToken),
      refreshExpiresAt,
    ],
  );
  return { accessToken, accessExpiresAt, refreshToken, refreshExpiresAt };
}

const staffUser = (row: UserRow) => ({
  userId: row.id,
  username: row.username,
  displayName: row.display_name,
  roles: row.roles,
  branchId: row.branch_id,
  ...(row.relationship_manager_id ? { rmId: row.relationship_manager_id } : {}),
});

/** The sign-in response before HQ signs its offline grant (outside the transaction). */
type SignedIn = Omit<LoginResponse, 'offlineGrant' | 'grantKey'>;

type Attempt =
  | { kind: 'ok'; response: SignedIn }
  | { kind: 'failed'; remaining: number }
  | { kind: 'locked'; until: string }
  | { kind: 'refused'; error: BranchDeskError };

/**
 * Signs a member of staff in on an enrolled device: password (Argon2id) and a TOTP code not
 * used before. Five failures in a row lock the account for 15 minutes; the counter is kept in
 * the same transaction as the check, so parallel guesses cannot outrun it. The reply carries an
 * offline grant for this user on this device, signed by HQ; the TOTP secret never leaves HQ.
 */
export async function login(
  db: Database,
  device: AuthenticatedDevice,
  request: { username: string; password: string; totp: string },
  policy: SignInPolicy,
  now = Date.now(),
): Promise<LoginResponse> {
  const attempt = await db.transaction<Attempt>(async (tx) => {
    const [user] = await tx.query<UserRow>(
      'SELECT * FROM staff_user WHERE username = $1 FOR UPDATE',
      [request.username],
    );
    if (!user) {
      await argon2Verify(await decoyHash(), request.password);
      return { kind: 'failed', remaining: LOCKOUT_ATTEMPTS };
    }
    if (user.locked_until && new Date(user.locked_until).getTime() > now)
      return { kind: 'locked', until: iso(user.locked_until) };
    const passwordRight = await argon2Verify(user.password_hash, request.password);
    const step = passwordRight
      ? checkTotp(user.totp_secret, request.totp, now, Number(user.last_totp_step))
      : undefined;
    if (step === undefined) {
      const failures = user.failed_attempts + 1;
      if (failures >= LOCKOUT_ATTEMPTS) {
        const until = new Date(now + LOCKOUT_MINUTES * 60_000).toISOString();
        await tx.query(
          'UPDATE staff_user SET failed_attempts = 0, locked_until = $2 WHERE id = $1',
          [user.id, until],
        );
        return { kind: 'locked', until };
      }
      await tx.query('UPDATE staff_user SET failed_attempts = $2 WHERE id = $1', [
        user.id,
        failures,
      ]);
      return { kind: 'failed', remaining: LOCKOUT_ATTEMPTS - failures };
    }
    // Right password and code: only now may the account's state be told.
    await tx.query(
      'UPDATE staff_user SET failed_attempts = 0, locked_until = NULL, last_totp_step = $2 WHERE id = $1',
      [user.id, step],
    );
    if (user.status !== 'active')
      return { kind: 'refused', error: new BranchDeskError('USER_DISABLED') };
    if (user.branch_id !== null && user.branch_id !== device.branchId)
      return {
        kind: 'refused',
        error: new BranchDeskError('USER_NOT_AT_BRANCH', { branchId: device.branchId }),
      };
    return {
      kind: 'ok',
      response: {
        user: staffUser(user),
        tokens: await newSession(tx, user.id, device.deviceId, now),
        passwordChangedAt: iso(user.password_changed_at),
        policy,
        serverTime: new Date(now).toISOString(),
      },
    };
  });
  switch (attempt.kind) {
    case 'ok': {
      // The TOTP secret stays here; the device gets a grant for this user on it alone.
      const { user } = attempt.response;
      const offlineGrant = await issueOfflineGrant(
        db,
        {
          userId: user.userId,
          deviceId: device.deviceId,
          branchId: device.branchId,
          roles: user.roles,
        },
        policy.offlineWindowHours,
        now,
      );
      return { ...attempt.response, offlineGrant, grantKey: await grantPublicKey(db) };
    }
    case 'failed':
      throw new BranchDeskError('LOGIN_FAILED', { remaining: attempt.remaining });
    case 'locked':
      throw new BranchDeskError('ACCOUNT_LOCKED', { until: attempt.until });
    case 'refused':
      throw attempt.error;
  }
}

/** A new pair of tokens for a live refresh token, which is spent (rotation). */
export async function refreshSession(
  db: Database,
  device: AuthenticatedDevice,
  refreshToken: string,
  now = Date.now(),
): Promise<SessionTokens> {
  return db.transaction(async (tx) => {
    // A user HQ has since moved to another branch is no longer staff of this device's branch:
    // the session ends now, as a sign-in there would be refused, not 12 hours of refreshes later.
    const [session] = await tx.query<{ id: string; user_id: string; status: string }>(
      `UPDATE staff_session s SET revoked_at = now()
       FROM staff_user u, device d
       WHERE s.refresh_hash = $1 AND s.device_id = $2 AND s.revoked_at IS NULL
         AND s.refresh_expires_at > $3 AND u.id = s.user_id AND d.id = s.device_id
         AND (u.branch_id IS NULL OR u.branch_id = d.branch_id)
       RETURNING s.id, s.user_id, u.status`,
      [sha256(refreshToken), device.deviceId, new Date(now).toISOString()],
    );
    if (!session || session.status !== 'active')
      throw new BranchDeskError('SESSION_UNAUTHENTICATED');
    return newSession(tx, session.user_id, device.deviceId, now);
  });
}

/** Ends the session a refresh token belongs to (sign-out). Unknown tokens are ignored. */
export async function logoutSession(
  db: Database,
  device: AuthenticatedDevice,
  refreshToken: string,
): Promise<void> {
  await db.query(
    `UPDATE staff_session SET revoked_at = coalesce(revoked_at, now())
     WHERE refresh_hash = $1 AND device_id = $2`,
    [sha256(refreshToken), device.deviceId],
  );
}

export interface AuthenticatedStaff {
  userId: string;
  username: string;
  roles: Role[];
  permissions: ReadonlySet<Permission>;
  /** The user's own branch; null for staff at no branch (HQ's auditors and IT). */
  userBranchId: string | null;
  /** The device this session was opened on, and its branch. */
  deviceId: string;
  deviceBranchId: string;
}

/**
 * The member of staff an `Authorization: Bearer <access token>` header belongs to. A session
 * opened on a device that has since been revoked is over, whatever its expiry says: a token that
 * was live when HQ revoked its device is answered DEVICE_REVOKED (410), so the device learns of
 * it and wipes (revoking the device ended the session too, so this comes first). Any other token
 * that is unknown, ended or expired is SESSION_UNAUTHENTICATED (401), telling nothing of a device.
 */
export async function authenticateStaff(
  db: Sql,
  header: string | undefined,
  now = Date.now(),
): Promise<AuthenticatedStaff> {
  const token = /^Bearer ([A-Za-z0-9_-]{43})$/.exec(header ?? '')?.[1];
  if (!token) throw new BranchDeskError('SESSION_UNAUTHENTICATED');
  const [row] = await db.query<{
    id: string;
    username: string;
    roles: Role[];
    branch_id: string | null;
    user_active: boolean;
    device_id: string;
    device_branch_id: string;
    device_active: boolean;
    live: boolean;
    live_at_revocation: boolean;
  }>(
    `SELECT u.id, u.username, u.roles, u.branch_id, u.status = 'active' AS user_active,
            d.id AS device_id, d.branch_id AS device_branch_id, d.status = 'active' AS device_active,
            (s.revoked_at IS NULL AND s.access_expires_at > $2) AS live,
            coalesce(s.access_expires_at > d.revoked_at
              AND (s.revoked_at IS NULL OR s.revoked_at >= d.revoked_at), false) AS live_at_revocation
     FROM staff_session s JOIN staff_user u ON u.id = s.user_id JOIN device d ON d.id = s.device_id
     WHERE s.access_hash = $1`,
    [sha256(token), new Date(now).toISOString()],
  );
  if (row && !row.device_active && row.live_at_revocation)
    throw new BranchDeskError('DEVICE_REVOKED');
  if (!row || !row.live || !row.user_active || !row.device_active)
    throw new BranchDeskError('SESSION_UNAUTHENTICATED');
  return {
    userId: row.id,
    username: row.username,
    roles: row.roles,
    permissions: principalPermissions({
      kind: 'user',
      userId: row.id,
      username: row.username,
      roles: row.roles,
    }),
    userBranchId: row.branch_id,
    deviceId: row.device_id,
    deviceBranchId: row.device_branch_id,
  };
}

/** Everyone who may sign in on `branchId`'s devices, with their status as of now. */
export async function branchStaff(
  db: Sql,
  branchId: string,
): Promise<BranchStaffResponse['users']> {
  const rows = await db.query<UserRow>(
    'SELECT * FROM staff_user WHERE branch_id = $1 OR branch_id IS NULL ORDER BY username',
    [branchId],
  );
  return rows.map((row) => ({
    ...staffUser(row),
    status: row.status,
    passwordChangedAt: iso(row.password_changed_at),
  }));
}

/** The current code's secret, for `npm run hq -- user totp` (the demo, and IT at a help desk). */
export async function totpSecretOf(db: Sql, username: string): Promise<string> {
  const [row] = await db.query<{ totp_secret: string }>(
    'SELECT totp_secret FROM staff_user WHERE username = $1',
    [username],
  );
  if (!row) throw new BranchDeskError('USER_NOT_FOUND', { username });
  return row.totp_secret;
}
