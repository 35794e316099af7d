// `branchctl doctor`: a read-only health check of a profile. It changes nothing, so it is safe
// to run on a vault that refuses to open, and it says which check failed and why.
import { existsSync, statSync } from 'node:fs';
import type { DoctorCheck, DoctorCheckId, VaultDoctorOutput } from '../../../shared/commands/vault';
import { BranchDeskError, type ErrorCode } from '../../../shared/errors';
import type { SecretStore } from '../secrets';
import { LATEST_SCHEMA_VERSION, schemaVersion } from './migrations';
import { keyAccounts, readProfile, vaultPaths } from './profile';
import { CACHE_SIZE_KIB, type SqliteDatabase } from './sqlcipher';
import { openVault, type Vault } from './vault';

type Facts = DoctorCheck['facts'];
interface Outcome {
  facts?: Facts;
  severity?: DoctorCheck['severity'];
  code?: ErrorCode;
}

/** What `openVault` promises every connection has; doctor reads each back. */
const expectedSettings = {
  cipher: 'sqlcipher',
  legacy: 4,
  journal_mode: 'wal',
  synchronous: 2, // FULL
  foreign_keys: 1,
  secure_delete: 1,
  temp_store: 2, // MEMORY
  cache_size: -CACHE_SIZE_KIB,
} as const;

export function diagnoseVault(dataDir: string, secrets: SecretStore): VaultDoctorOutput {
  const checks: DoctorCheck[] = [];
  const record = (
    id: DoctorCheckId,
    ok: boolean,
    { facts = {}, severity = 'error', code }: Outcome = {},
  ) => checks.push({ id, ok, severity, facts, ...(!ok && code ? { errorCode: code } : {}) });
  const report = (profileId: string | null): VaultDoctorOutput => ({
    healthy: checks.every((check) => check.ok || check.severity === 'warning'),
    profileId,
    checks,
  });

  let storeUsable = false;
  try {
    const info = secrets.describe();
    storeUsable = info.persistent;
    record('secret_store', info.persistent, {
      facts: { backend: info.backend, persistent: info.persistent, ...info.facts },
      code: 'SECRET_STORE_NOT_PERSISTENT',
    });
  } catch (error) {
    record('secret_store', false, { code: codeOf(error) });
  }

  const paths = vaultPaths(dataDir);
  let profileId: string;
  try {
    const profile = readProfile(paths.profile);
    profileId = profile.profileId;
    record('metadata', true, { facts: { profileId, formatVersion: profile.formatVersion } });
  } catch (error) {
    record('metadata', false, { code: codeOf(error) });
    return report(null);
  }
  if (!storeUsable) return report(profileId);

  const accounts = keyAccounts(profileId);
  const hasCurrent = secrets.get(accounts.current) !== null;
  const hasStaging = secrets.get(accounts.staging) !== null;
  record('key', hasCurrent || hasStaging, {
    facts: { account: accounts.current, present: hasCurrent },
    code: 'VAULT_KEY_MISSING',
  });
  // A staging key means an interrupted rotation; the next normal open finishes or discards it.
  record('staging_key', !hasStaging, {
    facts: hasStaging ? { account: accounts.staging } : {},
    severity: 'warning',
  });
  if (!hasCurrent && !hasStaging) return report(profileId);

  let vault: Vault;
  try {
    vault = openVault(dataDir, secrets, { readonly: true });
  } catch (error) {
    const code = codeOf(error);
    record(code === 'VAULT_PROFILE_MISMATCH' ? 'profile_binding' : 'open', false, { code });
    return report(profileId);
  }
  try {
    record('open', true, { facts: { keySource: vault.keySource } });
    record('profile_binding', true, { facts: { profileId } });
    checkSchema(vault.db, record);
    checkSettings(vault.db, record);
    checkIntegrity(vault.db, record);
  } catch (error) {
    record('integrity', false, {
      code: codeOf(error) === 'INTERNAL' ? 'VAULT_CORRUPT' : codeOf(error),
    });
  } finally {
    vault.close();
  }

  if (process.platform !== 'win32') {
    const readableByOthers = [dataDir, paths.profile, paths.database]
      .filter((file) => existsSync(file) && (statSync(file).mode & 0o077) !== 0)
      .map((file) => file.slice(dataDir.length) || '.');
    record('file_permissions', readableByOthers.length === 0, {
      facts: readableByOthers.length ? { readableByOthers: readableByOthers.join(',') } : {},
      severity: 'warning',
    });
  }
  return report(profileId);
}

type Record_ = (id: DoctorCheckId, ok: boolean, outcome?: Outcome) => void;

function checkSchema(db: SqliteDatabase, record: Record_): void {
  const found = schemaVersion(db);
  const facts = { found, latest: LATEST_SCHEMA_VERSION };
  if (found > LATEST_SCHEMA_VERSION)
    record('schema_version', false, { facts, code: 'VAULT_TOO_NEW' });
  // Behind is fine: the next normal open migrates it.
  else
    record('schema_version', found === LATEST_SCHEMA_VERSION, {
      facts,
      severity: found < LATEST_SCHEMA_VERSION ? 'warning' : 'error',
    });
}

function checkSettings(db: SqliteDatabase, record: Record_): void {
  const actual = Object.fromEntries(
    Object.keys(expectedSettings).map((name) => [
      name,
      db.pragma(name, { simple: true }) as string | number,
    ]),
  );
  const wrong = Object.entries(expectedSettings)
    .filter(([name, value]) => String(actual[name]) !== String(value))
    .map(([name]) => name);
  record('pragmas', wrong.length === 0, {
    facts: { ...actual, ...(wrong.length ? { wrong: wrong.join(',') } : {}) },
  });
}

function checkIntegrity(db: SqliteDatabase, record: Record_): void {
  const problems = (db.pragma('integrity_check') as { integrity_check: string }[]).map(
    (row) => row.integrity_check,
  );
  const ok = problems.length === 1 && problems[0] === 'ok';
  record('integrity', ok, {
    facts: ok
      ? { pages: Number(db.pragma('page_count', { simple: true })) }
      : { problems: problems.length, problem: problems[0] ?? '' },
    code: 'VAULT_CORRUPT',
  });
}

function codeOf(error: unknown): ErrorCode {
  return error instanceof BranchDeskError ? error.code : 'INTERNAL';
}
