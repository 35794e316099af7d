// Handlers for the sync commands.
import { BranchDeskError } from '../../../shared/errors';
import { readEnrollment } from '../device/enrollment';
import { pullChanges, syncCursor } from '../sync/pull';
import type { CommandHandler } from './table';

export const syncHandlers: {
  'sync.run': CommandHandler<'sync.run'>;
  'sync.status': CommandHandler<'sync.status'>;
} = {
  'sync.run': async ({ pageSize }, { vault, secrets, onProgress }) => {
    if (!vault) throw new BranchDeskError('VAULT_NOT_OPEN');
    return pullChanges(vault, secrets, {
      ...(pageSize ? { pageSize } : {}),
      ...(onProgress ? { onProgress } : {}),
    });
  },
  'sync.status': (_input, { vault }) => {
    if (!vault) throw new BranchDeskError('VAULT_NOT_OPEN');
    const count = (sql: string) => vault.db.prepare(sql).pluck().get() as number;
    const enrollment = readEnrollment(vault);
    return {
      enrolled: enrollment !== undefined,
      branchId: enrollment?.branchId ?? null,
      cursor: syncCursor(vault),
      customers: count('SELECT count(*) FROM customer'),
      pendingChanges: count('SELECT count(*) FROM customer WHERE has_pending_changes = 1'),
    };
  },
};
