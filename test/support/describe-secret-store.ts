// Child-process probe for secret-store tests: prints what OsSecretStore.describe() says, or
// the error code it throws, as one JSON line.
import { OsSecretStore } from '../../electron/core/secrets';
import { isBranchDeskError } from '../../shared/errors';
import { makeDefaultCollectionVolatile } from './keyring';

if (process.env.BRANCHDESK_TEST_VOLATILE_DEFAULT === '1') makeDefaultCollectionVolatile();
try {
  const info = new OsSecretStore().describe();
  console.log(JSON.stringify(info));
} catch (error) {
  console.log(JSON.stringify({ error: isBranchDeskError(error) ? error.code : String(error) }));
}
