// HQ's own staff: who may use the admin API. Sign-in as for branch staff (Argon2id password and
// a TOTP code not used before, lockout after five failures), at HQ only; a session is a short-
// lived bearer token bound to the user, stored as its hash. Branch staff and their sessions live
// apart (staff_user): a branch account or token is never an HQ one.
import { verify as argon2Verify } from '@node-rs/argon2';
import { randomBytes, randomUUID } from 'node:crypto';
import type { HqRole, HqSignInResponse, HqUser } from '../shared/auth/hq-staff';
import { LOCKOUT_ATTEMPTS, LOCKOUT_MINUTES } from '../shared/auth/staff';
import { checkTotp, newTotpSecret } from '../shared/auth/totp';
import { BranchDeskError } from '../shared/errors';
import { sha256Hex as sha256 } from './crypto';
import type { Database, Sql } from './db/database';
import { decoyHash, generatePassword, hashPassword } from './staff';

/** Long enough for an admin's task or a test suite; short enough that a leaked token expires. */
export const HQ_SESSION_MINUTES = 30;

interface HqUserRow {
  id: string;
  username: string;
  display_name: string;
  roles: HqRole[];
  password_hash: string;
  totp_secret: string;
  last_totp_step: string | number;
  status: 'active' | 'disabled';
  failed_attempts: number;
  locked_until: Date | string | null;
}

const hqUser = (row: Pick<HqUserRow, 'id' | 'username' | 'display_name' | 'roles'>): HqUser => ({
  userId: row.id,
  username: row.username,
  displayName: row.display_name,
  roles: row.roles,
});

export async function addHqUser(
  db: Sql,
  user: { username: string; displayName: string; roles: HqRole[] },
): Promise<{ userId: string; username: string; password: string; totpSecret: string }> {
  const password = generatePassword();
  const totpSecret = newTotpSecret();
  const taken = await db.query('SELECT 1 FROM hq_user WHERE username = $1', [user.username]);
  if (taken.length > 0) throw new BranchDeskError('USER_EXISTS', { username: user.username });
  const userId = randomUUID();
  await db.query(
    `INSERT INTO hq_user (id, username, display_name, roles, password_hash, totp_secret, status)
     VALUES ($1, $2, $3, $4, $5, $6, 'active')`,
    [userId, user.username, user.displayName, user.roles, await hashPassword(password), totpSecret],
  );
  return { userId, username: user.username, password, totpSecret };
}

async function endSessions(tx: Sql, userId: string): Promise<void> {
  await tx.query(
    'UPDATE hq_session SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL',
    [userId],
  );
}

/** The user can no longer sign in; their sessions end now. */
export async function disableHqUser(db: Database, username: string): Promise<void> {
  await db.transaction(async (tx) => {
    const [user] = await tx.query<{ id: string }>(
      `UPDATE hq_user SET status = 'disabled' WHERE username = $1 RETURNING id`,
      [username],
    );
    if (!user) throw new BranchDeskError('USER_NOT_FOUND', { username });
    await endSessions(tx, user.id);
  });
}

/** A new password (shown once); the lockout is cleared and every session of the user ends. */
export async function resetHqPassword(db: Database, username: string): Promise<string> {
  const password = generatePassword();
  const passwordHash = await hashPassword(password);
  await db.transaction(async (tx) => {
    const [user] = await tx.query<{ id: string }>(
      `UPDATE hq_user SET password_hash = $2, password_changed_at = now(), failed_attempts = 0,
         locked_until = NULL WHERE username = $1 RETURNING id`,
      [username, passwordHash],
    );
    if (!user) throw new BranchDeskError('USER_NOT_FOUND', { username });
    await endSessions(tx, user.id);
  });
  return password;
}

type Attempt =
  | { kind: 'ok'; response: HqSignInResponse }
  | { kind: 'failed'; remaining: number; userId?: string }
  | { kind: 'locked'; until: string; userId: string }
  | { kind: 'disabled'; userId: string };

/**
 * Signs a member of HQ staff in: the password and an unused TOTP code, the failure counter kept
 * in the same transaction as the check (parallel guesses cannot outrun the lockout). Returns
 * the outcome with the user it concerns, so the caller can record it in HQ's audit.
 */
export async function signInHq(
  db: Database,
  request: { username: string; password: string; totp: string },
  now = Date.now(),
): Promise<Attempt> {
  return db.transaction<Attempt>(async (tx) => {
    const [user] = await tx.query<HqUserRow>(
      'SELECT * FROM hq_user WHERE username = $1 FOR UPDATE',
      [request.username],
    );
    if (!user) {
      await argon2Verify(await decoyHash(), request.password);
      return { kind: 'failed', remaining: LOCKOUT_ATTEMPTS };
    }
    if (user.locked_until && new Date(user.locked_until).getTime() > now)
      return { kind: 'locked', until: new Date(user.locked_until).toISOString(), userId: user.id };
    const passwordRight = await argon2Verify(user.password_hash, request.password);
    const step = passwordRight
      ? checkTotp(user.totp_secret, request.totp, now, Number(user.last_totp_step))
      : undefined;
    if (step === undefined) {
      const failures = user.failed_attempts + 1;
      if (failures >= LOCKOUT_ATTEMPTS) {
        const until = new Date(now + LOCKOUT_MINUTES * 60_000).toISOString();
        await tx.query('UPDATE hq_user SET failed_attempts = 0, locked_until = $2 WHERE id = $1', [
          user.id,
          until,
        ]);
        return { kind: 'locked', until, userId: user.id };
      }
      await tx.query('UPDATE hq_user SET failed_attempts = $2 WHERE id = $1', [user.id, failures]);
      return { kind: 'failed', remaining: LOCKOUT_ATTEMPTS - failures, userId: user.id };
    }
    await tx.query(
      'UPDATE hq_user SET failed_attempts = 0, locked_until = NULL, last_totp_step = $2 WHERE id = $1',
      [user.id, step],
    );
    if (user.status !== 'active') return { kind: 'disabled', userId: user.id };
    const accessToken = randomBytes(32).toString('base64url');
    const expiresAt = new Date(now + HQ_SESSION_MINUTES * 60_000).toISOString();
    await tx.query(
      'INSERT INTO hq_session (id, user_id, access_hash, expires_at) VALUES ($1, $2, $3, $4)',
      [randomUUID(), user.id, sha256(accessToken), expiresAt],
    );
    return { kind: 'ok', response: { user: hqUser(user), accessToken, expiresAt } };
  });
}

/** The error a refused sign-in answers with (the same wording as a branch sign-in's). */
export function signInRefusal(attempt: Exclude<Attempt, { kind: 'ok' }>): BranchDeskError {
  switch (attempt.kind) {
    case 'failed':
      return new BranchDeskError('LOGIN_FAILED', { remaining: attempt.remaining });
    case 'locked':
      return new BranchDeskError('ACCOUNT_LOCKED', { until: attempt.until });
    case 'disabled':
      return new BranchDeskError('USER_DISABLED');
  }
}

const bearer = (header: string | undefined) =>
  /^Bearer ([A-Za-z0-9_-]{43})$/.exec(header ?? '')?.[1];

/** The signed-in HQ user an `Authorization: Bearer <token>` header belongs to. */
export async function authenticateHqUser(
  db: Sql,
  header: string | undefined,
  now = Date.now(),
): Promise<HqUser> {
  const token = bearer(header);
  if (!token) throw new BranchDeskError('ADMIN_UNAUTHENTICATED');
  const [row] = await db.query<HqUserRow>(
    `SELECT u.* FROM hq_session s JOIN hq_user u ON u.id = s.user_id
     WHERE s.access_hash = $1 AND s.revoked_at IS NULL AND s.expires_at > $2
       AND u.status = 'active'`,
    [sha256(token), new Date(now).toISOString()],
  );
  if (!row) throw new BranchDeskError('ADMIN_UNAUTHENTICATED');
  return hqUser(row);
}

/** Ends the session the header's token belongs to (sign-out). */
export async function signOutHq(db: Sql, header: string | undefined): Promise<void> {
  const token = bearer(header);
  if (!token) return;
  await db.query(
    'UPDATE hq_session SET revoked_at = coalesce(revoked_at, now()) WHERE access_hash = $1',
    [sha256(token)],
  );
}
