export { OsSecretStore } from './os-secret-store';
export { SECRET_SERVICE_NAME, type SecretStore, type SecretStoreInfo } from './secret-store';
