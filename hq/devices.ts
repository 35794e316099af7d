// Devices and their enrollment: an admin makes a one-time code for a branch; a device trades it
// for its id, its branch and a credential. HQ stores hashes of codes and credentials only.
import { createPublicKey, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { BranchDeskError } from '../shared/errors';
import type { EnrollResponse } from '../shared/protocol/hq';
import { randomText, sha256Hex as sha256 } from './crypto';
import type { Database } from './db/database';
import { grantPublicKey } from './grants';

const CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'; // Crockford base32: no I, L, O, U

/** Makes a one-time enrollment code for `branchId`, valid for `ttlHours`; returns it once. */
export async function createEnrollmentCode(
  db: Database,
  branchId: string,
  ttlHours = 24,
): Promise<string> {
  const branch = await db.query('SELECT 1 FROM branch WHERE id = $1', [branchId]);
  if (branch.length === 0) throw new BranchDeskError('BRANCH_NOT_FOUND', { branchId });
  const code = randomText(CODE_ALPHABET, 12);
  await db.query(
    `INSERT INTO enrollment_code (code_hash, branch_id, expires_at) VALUES ($1, $2, now() + make_interval(hours => $3))`,
    [sha256(code), branchId, ttlHours],
  );
  return `${code.slice(0, 4)}-${code.slice(4, 8)}-${code.slice(8)}`;
}

/** Trades a valid, unused, unexpired code for a new device. The code is spent in the same transaction. */
export async function enrollDevice(
  db: Database,
  code: string,
  deviceName: string,
  auditKey: { publicKey: string; chain: string },
): Promise<Omit<EnrollResponse, 'environment'>> {
  try {
    // An Ed25519 public key, or the enrollment is refused before the code is spent.
    const key = createPublicKey({
      key: Buffer.from(auditKey.publicKey, 'base64'),
      format: 'der',
      type: 'spki',
    });
    if (key.asymmetricKeyType !== 'ed25519') throw new Error('not ed25519');
  } catch {
    throw new BranchDeskError('INPUT_INVALID', {
      issues: 'auditKey.publicKey: not an Ed25519 key',
    });
  }
  const grantKey = await grantPublicKey(db);
  return db.transaction(async (tx) => {
    const [spent] = await tx.query<{ branch_id: string; name: string }>(
      `UPDATE enrollment_code SET used_at = now()
       WHERE code_hash = $1 AND used_at IS NULL AND expires_at > now()
       RETURNING branch_id, (SELECT name FROM branch WHERE id = enrollment_code.branch_id) AS name`,
      [sha256(code)],
    );
    if (!spent) throw new BranchDeskError('ENROLLMENT_CODE_INVALID');
    const deviceId = randomUUID();
    const credential = randomBytes(32).toString('base64url');
    await tx.query(
      `INSERT INTO device (id, branch_id, name, credential_hash, status, audit_public_key, audit_chain)
       VALUES ($1, $2, $3, $4, 'active', $5, $6)`,
      [
        deviceId,
        spent.branch_id,
        deviceName,
        sha256(credential),
        auditKey.publicKey,
        auditKey.chain,
      ],
    );
    await tx.query('UPDATE enrollment_code SET device_id = $1 WHERE code_hash = $2', [
      deviceId,
      sha256(code),
    ]);
    return { deviceId, branchId: spent.branch_id, branchName: spent.name, credential, grantKey };
  });
}

export interface AuthenticatedDevice {
  deviceId: string;
  branchId: string;
  status: 'active' | 'revoked';
}

/**
 * The device an `Authorization: Device <id>.<credential>` header names, if the credential is
 * right (compared in constant time). A revoked device still authenticates, so it can be told to
 * wipe; routes that serve data refuse it.
 */
export async function authenticateDevice(
  db: Database,
  header: string | undefined,
): Promise<AuthenticatedDevice> {
  const match = /^Device ([0-9a-f-]{36})\.([A-Za-z0-9_-]{43})$/.exec(header ?? '');
  if (!match) throw new BranchDeskError('DEVICE_UNAUTHENTICATED');
  const [, deviceId, credential] = match as unknown as [string, string, string];
  const [device] = await db.query<{
    branch_id: string;
    status: 'active' | 'revoked';
    credential_hash: string;
  }>('SELECT branch_id, status, credential_hash FROM device WHERE id = $1', [deviceId]);
  const presented = Buffer.from(sha256(credential), 'hex');
  const stored = Buffer.from(device?.credential_hash ?? sha256('no such device'), 'hex');
  if (!device || !timingSafeEqual(presented, stored))
    throw new BranchDeskError('DEVICE_UNAUTHENTICATED');
  return { deviceId, branchId: device.branch_id, status: device.status };
}

/** The calling device, refusing a revoked one (410): it may only learn that it must wipe. */
export async function activeDevice(
  db: Database,
  header: string | undefined,
): Promise<AuthenticatedDevice> {
  const device = await authenticateDevice(db, header);
  if (device.status === 'revoked') throw new BranchDeskError('DEVICE_REVOKED');
  return device;
}

/**
 * Revokes a device and, in the same transaction, ends every staff session HQ issued on it: a
 * token taken from the device stops working now, not when it expires.
 */
export async function revokeDevice(db: Database, deviceId: string): Promise<void> {
  await db.transaction(async (tx) => {
    const rows = await tx.query(
      `UPDATE device SET status = 'revoked', revoked_at = coalesce(revoked_at, now()) WHERE id = $1 RETURNING id`,
      [deviceId],
    );
    if (rows.length === 0) throw new BranchDeskError('DEVICE_NOT_FOUND', { deviceId });
    await tx.query(
      'UPDATE staff_session SET revoked_at = now() WHERE device_id = $1 AND revoked_at IS NULL',
      [deviceId],
    );
  });
}
