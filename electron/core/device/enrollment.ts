// This device's enrollment with HQ: the credential in the OS keychain, the facts in the vault.
import { generateKeyPairSync } from 'node:crypto';
import { rmSync } from 'node:fs';
import { hostname } from 'node:os';
import { BranchDeskError, isBranchDeskError } from '../../../shared/errors';
import { HqClient } from '../hq-client/client';
import type { HqEnvironment } from '../../../shared/protocol/hq';
import type { SecretStore } from '../secrets';
import { legacySessionAccount, sessionAccount } from '../session/refresh-tokens';
import { createVault, keyAccounts, openVault, readProfile, vaultPaths, type Vault } from '../vault';

/** The keychain account of a profile's device credential: `<deviceId>.<credential>`. */
export const deviceAccount = (profileId: string) => `device:${profileId}`;

/** The keychain account of the Ed25519 key the device signs audit batches with (PKCS#8, base64). */
export const auditKeyAccount = (profileId: string) => `audit-key:${profileId}`;

export interface Enrollment {
  profileId: string;
  deviceId: string;
  branchId: string;
  branchName: string;
  hqUrl: string;
}

/** The vault_meta key of a profile's kind: absent for production, `training` for training. */
const ENVIRONMENT_KEY = 'profile.environment';

/** The kind of this profile: a training profile (培训) talks to a training HQ only. */
export function profileEnvironment(vault: Vault): HqEnvironment {
  const value = vault.db
    .prepare('SELECT value FROM vault_meta WHERE key = ?')
    .pluck()
    .get(ENVIRONMENT_KEY) as string | undefined;
  return value === 'training' ? 'training' : 'production';
}

export function readEnrollment(vault: Vault): Enrollment | undefined {
  const rows = vault.db
    .prepare("SELECT key, value FROM vault_meta WHERE key LIKE 'enrollment.%'")
    .all() as { key: string; value: string }[];
  const facts = Object.fromEntries(
    rows.map((row) => [row.key.slice('enrollment.'.length), row.value]),
  );
  if (!facts.deviceId) return undefined;
  return {
    profileId: vault.profileId,
    deviceId: facts.deviceId,
    branchId: facts.branchId ?? '',
    branchName: facts.branchName ?? '',
    hqUrl: facts.hqUrl ?? '',
  };
}

/**
 * Enrolls the profile in `dataDir` (created if there is none) with HQ. The credential goes to
 * the keychain before the vault records the enrollment, so a crash in between leaves a profile
 * that is simply not enrolled yet.
 */
export async function enrollDevice(
  dataDir: string,
  secrets: SecretStore,
  options: { hqUrl: string; code: string; deviceName?: string; training?: boolean },
): Promise<Enrollment> {
  let vault: Vault;
  try {
    vault = openVault(dataDir, secrets);
  } catch (error) {
    if (!isBranchDeskError(error, 'VAULT_NOT_FOUND')) throw error;
    vault = createVault(dataDir, secrets);
  }
  try {
    if (readEnrollment(vault))
      throw new BranchDeskError('DEVICE_ALREADY_ENROLLED', { profileId: vault.profileId });
    // A training profile is marked so before its first contact with any HQ, and stays so.
    const wanted: HqEnvironment = options.training ? 'training' : 'production';
    const held = profileEnvironment(vault);
    if (held !== wanted) {
      const customers = vault.db.prepare('SELECT count(*) FROM customer').pluck().get() as number;
      if (held === 'training' || customers > 0)
        throw new BranchDeskError('HQ_ENVIRONMENT_MISMATCH', { environment: wanted });
      vault.db
        .prepare('INSERT OR REPLACE INTO vault_meta (key, value) VALUES (?, ?)')
        .run(ENVIRONMENT_KEY, 'training');
    }
    const client = new HqClient(options.hqUrl, undefined, { environment: wanted });
    // The audit signing key is made here; its private half never leaves the keychain.
    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    secrets.set(
      auditKeyAccount(vault.profileId),
      privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64'),
    );
    const enrolled = await client.enroll(options.code, options.deviceName ?? hostname(), {
      publicKey: publicKey.export({ format: 'der', type: 'spki' }).toString('base64'),
      chain: vault.profileId,
    });
    secrets.set(deviceAccount(vault.profileId), `${enrolled.deviceId}.${enrolled.credential}`);
    const facts = {
      deviceId: enrolled.deviceId,
      branchId: enrolled.branchId,
      branchName: enrolled.branchName,
      hqUrl: options.hqUrl,
      enrolledAt: new Date().toISOString(),
      // HQ's offline-grant key, pinned here: offline sign-in trusts grants signed by it alone.
      grantKey: enrolled.grantKey,
    };
    const put = vault.db.prepare('INSERT OR REPLACE INTO vault_meta (key, value) VALUES (?, ?)');
    vault.db.transaction(() => {
      for (const [key, value] of Object.entries(facts)) put.run(`enrollment.${key}`, value);
    })();
    return {
      profileId: vault.profileId,
      deviceId: enrolled.deviceId,
      branchId: enrolled.branchId,
      branchName: enrolled.branchName,
      hqUrl: options.hqUrl,
    };
  } finally {
    vault.close();
  }
}

/**
 * Every keychain entry a profile can have: vault keys, device credential, audit key, and the
 * refresh tokens of `users` (the vault lists them: see tokenUsers) and of the old shared slot.
 */
export function forgetProfileSecrets(
  profileId: string,
  secrets: SecretStore,
  users: readonly string[] = [],
): void {
  const accounts = keyAccounts(profileId);
  for (const account of [
    accounts.current,
    accounts.staging,
    deviceAccount(profileId),
    auditKeyAccount(profileId),
    legacySessionAccount(profileId),
    ...users.map((userId) => sessionAccount(profileId, userId)),
  ])
    secrets.delete(account);
}

/**
 * Crypto-shreds then deletes a closed profile: keys out of the keychain first, files after. The
 * files go even when the keychain fails (the data must not outlive a revocation); its error is
 * thrown after.
 */
export function wipeProfile(
  dataDir: string,
  secrets: SecretStore,
  users: readonly string[] = [],
): void {
  const paths = vaultPaths(dataDir);
  const { profileId } = readProfile(paths.profile);
  try {
    forgetProfileSecrets(profileId, secrets, users);
  } finally {
    for (const suffix of ['', '-wal', '-shm', '-journal', '.rotating'])
      rmSync(`${paths.database}${suffix}`, { force: true });
    rmSync(paths.profile, { force: true });
  }
}
