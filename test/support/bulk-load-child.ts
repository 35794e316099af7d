// Child process for the bulk-load crash test: opens the vault named by argv[2], then loads
// batches of rows through bulkLoad forever, printing `committed <n>` after each commit, until
// the test kills it.
import { OsSecretStore } from '../../electron/core/secrets';
import { bulkLoad, openVault } from '../../electron/core/vault';

const BATCH = Number(process.argv[3] ?? 2000);
const vault = openVault(process.argv[2]!, new OsSecretStore());
vault.db.exec(
  'CREATE TABLE IF NOT EXISTS ledger (id INTEGER PRIMARY KEY, batch INTEGER NOT NULL, body TEXT NOT NULL)',
);
const insert = vault.db.prepare('INSERT INTO ledger (batch, body) VALUES (?, ?)');
const next = () =>
  vault.db.prepare('SELECT coalesce(max(batch), 0) + 1 FROM ledger').pluck().get() as number;
bulkLoad(vault.db, () => {
  for (let batch = next(); ; batch++) {
    vault.db.transaction(() => {
      for (let i = 0; i < BATCH; i++)
        insert.run(batch, `batch-${batch}-row-${i}-`.padEnd(300, 'x'));
    })();
    process.stdout.write(`committed ${batch}\n`);
  }
});
