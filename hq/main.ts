// `npm run hq -- <command>`: the HQ reference service and its admin commands.
//   serve (default)                       start the HTTP service
//   migrate                               apply SQL migrations and exit
//   seed --customers N --branches B --seed S
//   enroll-code --branch ID [--ttl-hours H]
//   revoke-device --device ID
//   reassign --customer ID --branch ID [--rm ID]
// DATABASE_URL selects PostgreSQL; without it HQ runs on embedded PGlite in HQ_DATA_DIR.
// HQ_ADMIN_TOKEN (32+ characters) turns on the HQ staff API under /v1/admin.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { BranchDeskError, serializeError } from '../shared/errors';
import { HqAdminCommand } from '../shared/protocol/hq-admin';
import { openDatabase, type Database } from './db/database';
import { lockDataDir } from './db/lock';
import { migrate } from './db/migrate';
import { createEnrollmentCode, revokeDevice } from './devices';
import { reassignCustomer } from './scope';
import { seedHq } from './seed';
import { buildServer } from './server';

const EXIT_FAILED = 1;
const EXIT_USAGE = 2;
const USAGE = `usage: npm run hq -- [command] [options]
  serve [--port N] [--host H]                        (the default)
  migrate
  seed [--customers N] [--branches B] [--seed S]
  enroll-code --branch ID [--ttl-hours H]
  revoke-device --device ID
  reassign --customer ID --branch ID [--rm ID]`;

/** argv as one typed admin command, or the reason it is not one. */
function parseCommand(
  argv: string[],
): { ok: true; command: HqAdminCommand } | { ok: false; problem: string } {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: Object.fromEntries(
        [
          'customers',
          'branches',
          'seed',
          'branch',
          'device',
          'ttl-hours',
          'customer',
          'rm',
          'port',
          'host',
        ].map((name) => [name, { type: 'string' as const }]),
      ),
    });
  } catch (error) {
    return { ok: false, problem: (error as Error).message };
  }
  const { values, positionals } = parsed;
  if (positionals.length > 1)
    return { ok: false, problem: `unexpected ${positionals.slice(1).join(' ')}` };
  const { 'ttl-hours': ttlHours, ...rest } = values;
  const result = HqAdminCommand.safeParse({
    command: positionals[0] ?? 'serve',
    ...rest,
    ...(ttlHours === undefined ? {} : { ttlHours }),
  });
  if (result.success) return { ok: true, command: result.data };
  const problem = result.error.issues.map(
    (issue) => `${issue.path.join('.') || 'command'}: ${issue.message}`,
  );
  return { ok: false, problem: problem.join('; ') };
}

async function main(argv: string[]): Promise<number> {
  // Checked before anything is opened or locked: a typo costs nothing.
  const parsed = parseCommand(argv);
  if (!parsed.ok) {
    console.error(`${USAGE}\n${parsed.problem}`);
    return EXIT_USAGE;
  }
  const options = parsed.command;
  const databaseUrl = process.env.DATABASE_URL || undefined;
  const dataDir = resolve(process.env.HQ_DATA_DIR ?? '.branchdesk-demo/hq');
  const where = databaseUrl ? 'postgres' : `pglite ${dataDir}`;
  let unlock = () => {};
  let db: Database | undefined;
  try {
    if (!databaseUrl) unlock = lockDataDir(dataDir);
    db = await openDatabase({ ...(databaseUrl ? { databaseUrl } : {}), dataDir });
    await migrate(db);
    switch (options.command) {
      case 'migrate':
        console.log(`HQ database ready (${where})`);
        return 0;
      case 'seed': {
        const seeded = await seedHq(db, {
          customers: options.customers,
          branches: options.branches,
          seed: options.seed,
          onProgress: (done, total) => {
            if (process.stderr.isTTY) process.stderr.write(`\rseeding customers ${done}/${total}`);
          },
        });
        if (process.stderr.isTTY) process.stderr.write('\n');
        console.log(
          seeded
            ? `HQ seeded with ${options.customers} customers`
            : 'HQ already has data; seed skipped',
        );
        return 0;
      }
      case 'enroll-code':
        console.log(await createEnrollmentCode(db, options.branch, options.ttlHours));
        return 0;
      case 'revoke-device':
        await revokeDevice(db, options.device);
        console.log(`device ${options.device} revoked`);
        return 0;
      case 'reassign':
        await reassignCustomer(db, options.customer, options.branch, options.rm ?? null);
        console.log(`customer ${options.customer} now belongs to ${options.branch}`);
        return 0;
      case 'serve': {
        const adminToken = process.env.HQ_ADMIN_TOKEN;
        if (adminToken !== undefined && adminToken.length < 32)
          throw new BranchDeskError('INPUT_INVALID', {
            issues: 'HQ_ADMIN_TOKEN: at least 32 characters',
          });
        const app = await buildServer(db, {
          logLevel: process.env.HQ_LOG_LEVEL ?? 'info',
          ...(adminToken ? { adminToken } : {}),
        });
        const url = await app.listen({
          host: options.host ?? process.env.HQ_HOST ?? '127.0.0.1',
          port: options.port ?? Number(process.env.HQ_PORT ?? 8787),
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
      default: {
        const unknown: never = options;
        return unknown;
      }
    }
  } catch (error) {
    const body = serializeError(error);
    console.error(
      `Error [${body.code}]: ${body.message[process.env.LANG?.startsWith('en') ? 'en' : 'zh-CN']}`,
    );
    if (body.code === 'INTERNAL') console.error(error);
    return EXIT_FAILED;
  } finally {
    await db?.close();
    unlock();
  }
}

process.exitCode = await main(process.argv.slice(2));
