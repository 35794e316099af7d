export { diagnoseVault } from './doctor';
export {
  LATEST_SCHEMA_VERSION,
  migrate,
  migrations,
  schemaVersion,
  type Migration,
} from './migrations';
export {
  DATABASE_FILE,
  keyAccounts,
  PROFILE_FILE,
  readProfile,
  vaultPaths,
  type VaultProfile,
} from './profile';
export { rekeyFaultPoints, rekeyVault } from './rekey';
export { beginBulkLoad, bulkLoad } from './bulk-load';
export { CACHE_SIZE_KIB, type SqliteDatabase } from './sqlcipher';
export {
  assertPersistentSecretStore,
  createVault,
  openVault,
  perConnection,
  Vault,
  type OpenVaultOptions,
} from './vault';
