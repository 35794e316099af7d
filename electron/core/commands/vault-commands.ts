// The vault's and the device's commands, each declared once (define.ts).
import {
  LATEST_SCHEMA_VERSION,
  createVault,
  diagnoseVault,
  keyAccounts,
  rekeyVault,
  type Vault,
} from '../vault';
import { BranchDeskError } from '../../../shared/errors';
import { APP_VERSION } from '../../../shared/version';
import { enrollDevice, profileEnvironment, readEnrollment } from '../device/enrollment';
import { checkDevice } from '../device/revocation';
import { acknowledgedAudit } from '../audit/upload';
import { lastSyncAt } from '../sync/engine';
import { SyncState } from '../sync/outbox';
import { syncCursor } from '../sync/pull';
import { syncRounds } from '../sync/rounds';
import type { CommandDefinitions, CommandsOf } from './define';
import { clear } from './masking';

export const vaultCommands: CommandDefinitions<CommandsOf<'vault' | 'device'>> = {
  'vault.init': {
    handler: ({ dataDir }, { secrets }) => {
      const vault = createVault(dataDir, secrets);
      vault.close();
      return {
        profileId: vault.profileId,
        dataDir,
        schemaVersion: LATEST_SCHEMA_VERSION,
        keyAccount: keyAccounts(vault.profileId).current,
      };
    },
    audit: {
      kind: 'after',
      entry: (_input, output) => ({
        action: 'config_change',
        details: { event: 'vault_created', schemaVersion: output.schemaVersion },
      }),
    },
    mask: clear('a profile id and a folder'),
    writes: false,
  },
  'vault.doctor': {
    handler: ({ dataDir }, { secrets }) => diagnoseVault(dataDir, secrets),
    audit: {
      kind: 'none',
      why: 'reads the file read-only for its health; shows no customer data',
    },
    mask: clear('the health of the file'),
    writes: false,
  },
  'vault.rekey': {
    handler: ({ dataDir }, { secrets }) => rekeyVault(dataDir, secrets),
    audit: {
      kind: 'after',
      entry: (_input, output) => ({
        action: 'config_change',
        details: { event: 'vault_rekeyed', ...output },
      }),
    },
    mask: clear('a profile id and a time'),
    writes: false,
  },
  'device.enroll': {
    handler: ({ dataDir, hqUrl, code, deviceName, training }, { secrets }) =>
      enrollDevice(dataDir, secrets, {
        hqUrl,
        code,
        ...(deviceName ? { deviceName } : {}),
        ...(training ? { training } : {}),
      }),
    audit: {
      kind: 'after',
      entry: (_input, output) => ({
        action: 'config_change',
        details: { event: 'device_enrolled', deviceId: output.deviceId, branchId: output.branchId },
      }),
    },
    mask: clear('the device and its branch'),
    writes: false,
  },
  'device.status': {
    // The host's own vault when a desk asks: a wipe must reach the host, or its desks go on.
    handler: ({ dataDir }, { secrets, vault }) => checkDevice(dataDir, secrets, vault),
    audit: {
      kind: 'none',
      why: 'asks HQ about the device; a revoked device has no vault left to write to',
    },
    mask: clear('the device and its branch'),
    writes: false,
  },
  'device.about': {
    handler: (_input, { vault }) => {
      if (!vault) throw new BranchDeskError('VAULT_NOT_OPEN');
      return aboutOf(vault);
    },
    audit: {
      kind: 'none',
      why: 'the device, its branch and the version: nothing of any customer or person',
    },
    mask: clear('the device, its branch, the version and a time'),
    writes: false,
  },
  'device.health': {
    // The desk's own profile only: IT at a desk checks the device it sits at.
    handler: (_input, { vault, secrets, dataDir }) => {
      if (!vault || !dataDir) throw new BranchDeskError('VAULT_NOT_OPEN');
      const state = new SyncState(vault);
      return {
        about: aboutOf(vault),
        doctor: diagnoseVault(dataDir, secrets),
        sync: {
          lastSyncAt: lastSyncAt(vault),
          cursor: syncCursor(vault),
          customers: vault.db.prepare('SELECT count(*) FROM customer').pluck().get() as number,
          ...pick(state.counts(), 'outbox', 'rejected', 'openConflicts'),
          auditPending: vault.db
            .prepare('SELECT count(*) FROM audit_log WHERE seq > ?')
            .pluck()
            .get(acknowledgedAudit(vault).seq) as number,
        },
        rounds: syncRounds(vault),
      };
    },
    audit: {
      kind: 'none',
      why: 'the health of this device, counts and times: nothing of any customer or person',
    },
    mask: clear('checks, counts, codes and times of this device'),
    writes: false,
  },
};

/** This device: enrolled or not, its branch and HQ, the version, the last sync. */
function aboutOf(vault: Vault) {
  const enrollment = readEnrollment(vault);
  return {
    version: APP_VERSION,
    profileId: vault.profileId,
    enrolled: enrollment !== undefined,
    deviceId: enrollment?.deviceId ?? null,
    branchId: enrollment?.branchId ?? null,
    branchName: enrollment?.branchName ?? null,
    hqUrl: enrollment?.hqUrl ?? null,
    lastSyncAt: lastSyncAt(vault),
    training: profileEnvironment(vault) === 'training',
  };
}

function pick<T extends object, K extends keyof T>(from: T, ...keys: K[]): Pick<T, K> {
  return Object.fromEntries(keys.map((key) => [key, from[key]])) as Pick<T, K>;
}
