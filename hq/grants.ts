// HQ's offline-grant key and the grants it signs at each online sign-in (see
// shared/auth/offline-grant.ts). The key is made on first use and kept in HQ's database; its
// public half goes to every device at enrollment, which pins it.
import { createPrivateKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import type { Role } from '../shared/access/permissions';
import {
  OfflineGrantClaims,
  offlineGrantPayload,
  type OfflineGrant,
} from '../shared/auth/offline-grant';
import type { Sql } from './db/database';

interface GrantKeys {
  privateKey: KeyObject;
  /** SPKI DER, base64: what devices pin. */
  publicKey: string;
}

const loaded = new WeakMap<Sql, Promise<GrantKeys>>();

async function loadOrCreate(db: Sql): Promise<GrantKeys> {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  // Two services starting at once both try; the first insert wins and both read it back.
  await db.query(
    `INSERT INTO signing_key (purpose, private_key, public_key) VALUES ('offline_grant', $1, $2)
     ON CONFLICT (purpose) DO NOTHING`,
    [
      privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64'),
      publicKey.export({ format: 'der', type: 'spki' }).toString('base64'),
    ],
  );
  const [row] = await db.query<{ private_key: string; public_key: string }>(
    `SELECT private_key, public_key FROM signing_key WHERE purpose = 'offline_grant'`,
  );
  if (!row) throw new Error('offline-grant key missing after insert');
  return {
    privateKey: createPrivateKey({
      key: Buffer.from(row.private_key, 'base64'),
      format: 'der',
      type: 'pkcs8',
    }),
    publicKey: row.public_key,
  };
}

/** HQ's offline-grant key pair (read once per database handle). */
function grantKeys(db: Sql): Promise<GrantKeys> {
  let keys = loaded.get(db);
  if (!keys) {
    keys = loadOrCreate(db);
    keys.catch(() => loaded.delete(db));
    loaded.set(db, keys);
  }
  return keys;
}

/** The public key devices pin at enrollment. */
export async function grantPublicKey(db: Sql): Promise<string> {
  return (await grantKeys(db)).publicKey;
}

/** A grant for `userId` on `deviceId` from `now` to the end of the offline window. */
export async function issueOfflineGrant(
  db: Sql,
  grant: { userId: string; deviceId: string; branchId: string; roles: Role[] },
  offlineWindowHours: number,
  now: number,
): Promise<OfflineGrant> {
  const { privateKey } = await grantKeys(db);
  const claims = JSON.stringify(
    OfflineGrantClaims.parse({
      version: 1,
      ...grant,
      issuedAt: new Date(now).toISOString(),
      expiresAt: new Date(now + offlineWindowHours * 3_600_000).toISOString(),
    }),
  );
  const signature = sign(null, Buffer.from(offlineGrantPayload(claims), 'utf8'), privateKey);
  return { claims, signature: signature.toString('base64') };
}
