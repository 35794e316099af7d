// Handlers for the vault's commands.
import {
  LATEST_SCHEMA_VERSION,
  createVault,
  diagnoseVault,
  keyAccounts,
  rekeyVault,
} from '../vault';
import { BranchDeskError } from '../../../shared/errors';
import { APP_VERSION } from '../../../shared/version';
import { checkDevice, enrollDevice, readEnrollment } from '../device/enrollment';
import type { CommandHandler } from './table';

export const vaultHandlers: {
  'vault.init': CommandHandler<'vault.init'>;
  'vault.doctor': CommandHandler<'vault.doctor'>;
  'vault.rekey': CommandHandler<'vault.rekey'>;
  'device.enroll': CommandHandler<'device.enroll'>;
  'device.status': CommandHandler<'device.status'>;
  'device.about': CommandHandler<'device.about'>;
} = {
  'vault.init': ({ dataDir }, { secrets }) => {
    const vault = createVault(dataDir, secrets);
    vault.close();
    return {
      profileId: vault.profileId,
      dataDir,
      schemaVersion: LATEST_SCHEMA_VERSION,
      keyAccount: keyAccounts(vault.profileId).current,
    };
  },
  'vault.doctor': ({ dataDir }, { secrets }) => diagnoseVault(dataDir, secrets),
  'vault.rekey': ({ dataDir }, { secrets }) => rekeyVault(dataDir, secrets),
  'device.enroll': ({ dataDir, hqUrl, code, deviceName }, { secrets }) =>
    enrollDevice(dataDir, secrets, { hqUrl, code, ...(deviceName ? { deviceName } : {}) }),
  'device.status': ({ dataDir }, { secrets }) => checkDevice(dataDir, secrets),
  'device.about': (_input, { vault }) => {
    if (!vault) throw new BranchDeskError('VAULT_NOT_OPEN');
    const enrollment = readEnrollment(vault);
    return {
      version: APP_VERSION,
      profileId: vault.profileId,
      enrolled: enrollment !== undefined,
      deviceId: enrollment?.deviceId ?? null,
      branchId: enrollment?.branchId ?? null,
      branchName: enrollment?.branchName ?? null,
      hqUrl: enrollment?.hqUrl ?? null,
    };
  },
};
