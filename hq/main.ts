// `npm run hq -- <command>`: the HQ reference service and its admin commands.
//   serve (default)                       start the HTTP service
//   migrate                               apply SQL migrations and exit
//   seed --customers N --branches B --seed S
//   enroll-code --branch ID [--ttl-hours H]
//   revoke-device --device ID
//   reassign --customer ID --branch ID [--rm ID]
//   user add --username U --name N --roles R[,R] [--branch ID]
//   user reset-password|disable|totp --username U
//   audit who --customer ID | audit flagged | audit verify --device ID
// DATABASE_URL selects PostgreSQL; without it HQ runs on embedded PGlite in HQ_DATA_DIR.
// HQ_ADMIN_TOKEN (32+ characters) turns on the HQ staff API under /v1/admin.
// HQ_OFFLINE_WINDOW_HOURS, HQ_IDLE_LOCK_MINUTES, HQ_AUDIT_RETENTION_DAYS set the sign-in policy.
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
import { addUser, disableUser, resetPassword, totpSecretOf } from './staff';
import { customerAccess, flaggedDevices, verifyStoredChain } from './audit';
import { defaultSignInPolicy, SignInPolicy } from '../shared/auth/staff';
import { totpAt, totpUri } from '../shared/auth/totp';
import { buildServer } from './server';

const EXIT_FAILED = 1;
const EXIT_USAGE = 2;
const USAGE = `usage: npm run hq -- [command] [options]
  serve [--port N] [--host H]                        (the default)
  migrate
  seed [--customers N] [--branches B] [--seed S]
  enroll-code --branch ID [--ttl-hours H]
  revoke-device --device ID
  reassign --customer ID --branch ID [--rm ID]
  user add --username U --name N --roles R[,R] [--branch ID]
  user reset-password --username U
  user disable --username U
  user totp --username U                             (the code an authenticator shows now)
  audit who --customer ID                            (who looked at a customer, every device)
  audit flagged                                      (devices whose audit chain broke)
  audit verify --device ID                           (re-verify HQ's copy of a device's chain)`;

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
          'username',
          'name',
          'roles',
        ].map((name) => [name, { type: 'string' as const }]),
      ),
    });
  } catch (error) {
    return { ok: false, problem: (error as Error).message };
  }
  const { values, positionals } = parsed;
  // `user` and `audit` take a verb: `user add`, `audit who`.
  const words = ['user', 'audit'].includes(positionals[0] ?? '') ? 2 : 1;
  if (positionals.length > words)
    return { ok: false, problem: `unexpected ${positionals.slice(words).join(' ')}` };
  const { 'ttl-hours': ttlHours, ...rest } = values;
  const result = HqAdminCommand.safeParse({
    command: positionals.slice(0, words).join(' ') || 'serve',
    ...rest,
    ...(ttlHours === undefined ? {} : { ttlHours }),
  });
  if (result.success) return { ok: true, command: result.data };
  const problem = result.error.issues.map(
    (issue) => `${issue.path.join('.') || 'command'}: ${issue.message}`,
  );
  return { ok: false, problem: problem.join('; ') };
}

/** The sign-in policy, from the environment where set. */
function policyFromEnv(): SignInPolicy {
  const setting = (name: string) => (process.env[name] ? Number(process.env[name]) : undefined);
  const parsed = SignInPolicy.safeParse({
    offlineWindowHours:
      setting('HQ_OFFLINE_WINDOW_HOURS') ?? defaultSignInPolicy.offlineWindowHours,
    idleLockMinutes: setting('HQ_IDLE_LOCK_MINUTES') ?? defaultSignInPolicy.idleLockMinutes,
    auditRetentionDays:
      setting('HQ_AUDIT_RETENTION_DAYS') ?? defaultSignInPolicy.auditRetentionDays,
  });
  if (!parsed.success)
    throw new BranchDeskError('INPUT_INVALID', {
      issues: parsed.error.issues
        .map((issue) => `${issue.path.join('.')}: ${issue.message}`)
        .join('; '),
    });
  return parsed.data;
}

/** A new account's credentials, shown once to the admin who made it. */
export function printCredentials(user: { username: string; password: string; totpSecret: string }) {
  console.log(`user ${user.username}`);
  console.log(`  password     ${user.password}`);
  console.log(`  TOTP secret  ${user.totpSecret}`);
  console.log(`  TOTP URI     ${totpUri(user.totpSecret, user.username)}`);
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
        if (!seeded) {
          console.log('HQ already has data; seed skipped');
          return 0;
        }
        console.log(
          seeded.customers > 0
            ? `HQ seeded with ${seeded.customers} customers`
            : 'HQ already has customers; demo staff added',
        );
        console.log('demo staff (synthetic, for the demo only; derived from the seed):');
        for (const user of seeded.users) {
          printCredentials(user);
          console.log(
            `  roles        ${user.roles.join(',')}${user.branchId ? ` at ${user.branchId}` : ''}`,
          );
        }
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
      case 'user add': {
        const added = await addUser(db, {
          username: options.username,
          displayName: options.name,
          roles: options.roles,
          branchId: options.branch ?? null,
        });
        printCredentials(added);
        return 0;
      }
      case 'user reset-password':
        console.log(
          `new password for ${options.username}: ${await resetPassword(db, options.username)}`,
        );
        return 0;
      case 'user disable':
        await disableUser(db, options.username);
        console.log(`user ${options.username} disabled; their sessions have ended`);
        return 0;
      case 'user totp':
        console.log(totpAt(await totpSecretOf(db, options.username), Date.now()));
        return 0;
      case 'audit who': {
        const entries = await customerAccess(db, options.customer);
        for (const entry of entries)
          console.log(
            [entry.at, entry.actor, entry.action, entry.deviceId, entry.details].join('\t'),
          );
        console.log(`${entries.length} entries`);
        return 0;
      }
      case 'audit flagged': {
        const flagged = await flaggedDevices(db);
        for (const device of flagged)
          console.log([device.flaggedAt, device.deviceId, device.branchId, device.flag].join('\t'));
        console.log(`${flagged.length} flagged devices`);
        return 0;
      }
      case 'audit verify': {
        const verified = await verifyStoredChain(db, options.device);
        if (verified.ok) {
          console.log(`audit chain of ${options.device}: ${verified.count} entries, intact`);
          return 0;
        }
        console.log(
          `audit chain of ${options.device}: broken at entry ${verified.break.seq} (${verified.break.problem}) after ${verified.count} good entries`,
        );
        return EXIT_FAILED;
      }
      case 'serve': {
        const adminToken = process.env.HQ_ADMIN_TOKEN;
        if (adminToken !== undefined && adminToken.length < 32)
          throw new BranchDeskError('INPUT_INVALID', {
            issues: 'HQ_ADMIN_TOKEN: at least 32 characters',
          });
        const app = await buildServer(db, {
          logLevel: process.env.HQ_LOG_LEVEL ?? 'info',
          policy: policyFromEnv(),
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
