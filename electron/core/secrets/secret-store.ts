// The one interface through which the core keeps secrets. Every implementation is a real,
// persistent OS store: there is deliberately no file-backed or in-memory fallback.

/** What backs a secret store, as far as the core needs to know to trust it. */
export interface SecretStoreInfo {
  /** e.g. `secret-service`, `macos-keychain`, `windows-credential-manager`. */
  backend: string;
  /** True when secrets survive logout and reboot. The vault refuses a store where this is false. */
  persistent: boolean;
  /** Non-secret facts for `branchctl doctor` (e.g. the Secret Service collection in use). */
  facts: Readonly<Record<string, string>>;
}

export interface SecretStore {
  /**
   * Says what backs the store, without writing to it. Throws `SECRET_STORE_UNAVAILABLE` when it
   * cannot be reached.
   */
  describe(): SecretStoreInfo;
  /** The secret under `account`, or null when there is none. */
  get(account: string): string | null;
  set(account: string, secret: string): void;
  /** Removes `account`; true when something was removed. */
  delete(account: string): boolean;
}

/** The service name every BranchDesk secret is filed under in the OS keychain. */
export const SECRET_SERVICE_NAME = 'BranchDesk';
