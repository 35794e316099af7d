// `npm run hq -- <command>`: the HQ reference service and its admin commands.
//   serve (default)                       start the HTTP service
//   migrate                               apply SQL migrations and exit
//   seed --customers N --branches B --seed S
//   enroll-code --branch ID [--ttl-hours H]
//   revoke-device --device ID
// DATABASE_URL selects PostgreSQL; without it HQ runs on embedded PGlite in HQ_DATA_DIR.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { BranchDeskError, serializeError } from '../shared/errors';
import { openDatabase, type Database } from './db/database';
import { lockDataDir } from './db/lock';
import { migrate } from './db/migrate';
import { createEnrollmentCode, revokeDevice } from './devices';
import { reassignCustomer } from './scope';
import { seedHq } from './seed';
import { buildServer } from './server';

const EXIT_FAILED = 1;
const EXIT_USAGE = 2;

async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        customers: { type: 'string' },
        branches: { type: 'string' },
        seed: { type: 'string' },
        branch: { type: 'string' },
        device: { type: 'string' },
        'ttl-hours': { type: 'string' },
        customer: { type: 'string' },
        rm: { type: 'string' },
        port: { type: 'string' },
        host: { type: 'string' },
      },
    });
  } catch (error) {
    console.error(
      `usage: npm run hq -- [serve|migrate|seed|enroll-code|revoke-device] [options]\n${(error as Error).message}`,
    );
    return EXIT_USAGE;
  }
  const { values, positionals } = parsed;
  const command = positionals[0] ?? 'serve';
  const databaseUrl = process.env.DATABASE_URL || undefined;
  const dataDir = resolve(process.env.HQ_DATA_DIR ?? '.branchdesk-demo/hq');
  const where = databaseUrl ? 'postgres' : `pglite ${dataDir}`;
  let unlock = () => {};
  let db: Database | undefined;
  try {
    if (!databaseUrl) unlock = lockDataDir(dataDir);
    db = await openDatabase({ ...(databaseUrl ? { databaseUrl } : {}), dataDir });
    await migrate(db);
    switch (command) {
      case 'migrate':
        console.log(`HQ database ready (${where})`);
        return 0;
      case 'seed': {
        const customers = Number(values.customers ?? 50_000);
        const seeded = await seedHq(db, {
          customers,
          branches: Number(values.branches ?? 3),
          seed: Number(values.seed ?? 1),
          onProgress: (done, total) => {
            if (process.stderr.isTTY) process.stderr.write(`\rseeding customers ${done}/${total}`);
          },
        });
        if (process.stderr.isTTY) process.stderr.write('\n');
        console.log(
          seeded ? `HQ seeded with ${customers} customers` : 'HQ already has data; seed skipped',
        );
        return 0;
      }
      case 'enroll-code': {
        if (!values.branch)
          throw new BranchDeskError('INPUT_INVALID', { issues: '--branch is required' });
        console.log(
          await createEnrollmentCode(db, values.branch, Number(values['ttl-hours'] ?? 24)),
        );
        return 0;
      }
      case 'reassign': {
        if (!values.customer || !values.branch) {
          throw new BranchDeskError('INPUT_INVALID', {
            issues: '--customer and --branch are required',
          });
        }
        await reassignCustomer(db, values.customer, values.branch, values.rm ?? null);
        console.log(`customer ${values.customer} now belongs to ${values.branch}`);
        return 0;
      }
      case 'revoke-device': {
        if (!values.device)
          throw new BranchDeskError('INPUT_INVALID', { issues: '--device is required' });
        await revokeDevice(db, values.device);
        console.log(`device ${values.device} revoked`);
        return 0;
      }
      case 'serve': {
        const app = await buildServer(db, { logLevel: process.env.HQ_LOG_LEVEL ?? 'info' });
        const url = await app.listen({
          host: values.host ?? process.env.HQ_HOST ?? '127.0.0.1',
          port: Number(values.port ?? process.env.HQ_PORT ?? 8787),
        });
        console.log(`HQ listening on ${url} (${where})`);
        const database = db;
        db = undefined; // closed on shutdown below, not in finally
        await new Promise<void>((done) => {
          const stop = () =>
            void app
              .close()
              .then(() => database.close())
              .then(done);
          process.once('SIGINT', stop);
          process.once('SIGTERM', stop);
        });
        return 0;
      }
      default:
        console.error(`unknown command: ${command}`);
        return EXIT_USAGE;
    }
  } catch (error) {
    const body = serializeError(error);
    console.error(
      `Error [${body.code}]: ${body.message[process.env.LANG?.startsWith('en') ? 'en' : 'zh-CN']}`,
    );
    if (body.code === 'INTERNAL') console.error(error);
    return body.code === 'INPUT_INVALID' ? EXIT_USAGE : EXIT_FAILED;
  } finally {
    await db?.close();
    unlock();
  }
}

process.exitCode = await main(process.argv.slice(2));
