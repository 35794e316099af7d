// `npm run hq -- seed`: branches, their relationship managers and customers from the shared
// synthetic generator (the only thing that fabricates customers).
import { createHmac } from 'node:crypto';
import type { Role } from '../shared/access/permissions';
import type { Customer } from '../shared/customer';
import { generateCustomers } from '../shared/synthetic';
import { bankDay } from '../shared/insight/day';
import type { Database } from './db/database';
import { insertCustomers } from './admin';
import { PASSWORD_ALPHABET } from './crypto';
import { addUser, hashPassword } from './staff';

const branchNames = [
  '北京朝阳支行',
  '上海浦东支行',
  '广州天河支行',
  '深圳南山支行',
  '杭州西湖支行',
  '成都高新支行',
  '武汉光谷支行',
  '南京鼓楼支行',
  '西安雁塔支行',
  '重庆渝中支行',
];
export const RMS_PER_BRANCH = 8;
const BATCH = 2000;

export const branchId = (index: number) => `B${String(index + 1).padStart(3, '0')}`;

export interface SeedOptions {
  customers: number;
  branches: number;
  seed: number;
  /** Plant one data quality problem in this share of customers, judged on HQ's today. */
  plantProblems?: number;
  onProgress?: (done: number, total: number) => void;
}

/** One demo member of staff per role, at the first branch (auditor and IT: HQ-wide). */
const demoStaff: { username: string; displayName: string; roles: Role[]; atBranch: boolean }[] = [
  { username: 'teller1', displayName: '柜员 王芳', roles: ['teller'], atBranch: true },
  {
    username: 'rm1',
    displayName: '客户经理 李强',
    roles: ['relationship_manager'],
    atBranch: true,
  },
  { username: 'supervisor1', displayName: '主管 陈静', roles: ['supervisor'], atBranch: true },
  { username: 'auditor1', displayName: '审计 赵磊', roles: ['auditor'], atBranch: false },
  { username: 'itadmin1', displayName: '科技运维 孙涛', roles: ['it_admin'], atBranch: false },
];

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/**
 * A demo user's password and TOTP secret, derived from the seed so that `npm start` can show
 * them again on every run. Synthetic data only: real accounts get random ones (`user add`).
 */
function demoCredentials(seed: number, username: string) {
  const bytes = (purpose: string) =>
    createHmac('sha256', `branchdesk-demo-seed:${seed}`).update(`${purpose}:${username}`).digest();
  const password = [...bytes('password').subarray(0, 14)]
    .map((byte) => PASSWORD_ALPHABET[byte % PASSWORD_ALPHABET.length])
    .join('');
  const totpSecret = [...bytes('totp')].map((byte) => BASE32[byte % 32]).join('');
  return { password: `${password}-1`, totpSecret };
}

export interface SeededUser {
  username: string;
  password: string;
  totpSecret: string;
  roles: Role[];
  branchId: string | null;
}

/** The demo staff a seed creates, with their credentials (recomputed, never read back). */
export function demoUsers(seed: number): SeededUser[] {
  return demoStaff.map((user) => ({
    username: user.username,
    roles: user.roles,
    branchId: user.atBranch ? branchId(0) : null,
    ...demoCredentials(seed, user.username),
  }));
}

/**
 * Fills an empty HQ: branches, customers and one demo user per role. An HQ that has branches
 * keeps its customers (and gets the demo staff if it has no staff at all); returns false when
 * it changed nothing.
 */
export async function seedHq(
  db: Database,
  options: SeedOptions,
): Promise<false | { customers: number; users: SeededUser[] }> {
  const [{ count }] = (await db.query<{ count: string }>(
    'SELECT count(*) AS count FROM branch',
  )) as [{ count: string }];
  if (Number(count) > 0) {
    // An HQ seeded before staff existed gets its demo staff now, once.
    const [{ staff }] = (await db.query<{ staff: string }>(
      'SELECT count(*) AS staff FROM staff_user',
    )) as [{ staff: string }];
    if (Number(staff) > 0) return false;
    return { customers: 0, users: await addDemoStaff(db, options.seed) };
  }
  const branches = Array.from({ length: options.branches }, (_, index) => branchId(index));
  await db.transaction(async (tx) => {
    for (const [index, id] of branches.entries()) {
      const name = `${branchNames[index % branchNames.length]}${index >= branchNames.length ? ` ${Math.floor(index / branchNames.length) + 1}` : ''}`;
      await tx.query('INSERT INTO branch (id, name) VALUES ($1, $2)', [id, name]);
      for (let rm = 1; rm <= RMS_PER_BRANCH; rm++) {
        const rmId = `${id}-rm-${String(rm).padStart(2, '0')}`;
        await tx.query(
          'INSERT INTO relationship_manager (id, branch_id, name) VALUES ($1, $2, $3)',
          [rmId, id, `客户经理 ${rm}`],
        );
      }
    }
  });
  let batch: Customer[] = [];
  let done = 0;
  const flush = async () => {
    await db.transaction((tx) => insertCustomers(tx, batch));
    done += batch.length;
    batch = [];
    options.onProgress?.(done, options.customers);
  };
  for (const customer of generateCustomers({
    seed: options.seed,
    count: options.customers,
    branches,
    rmsPerBranch: RMS_PER_BRANCH,
    ...(options.plantProblems !== undefined
      ? { plant: { today: bankDay(Date.now()), rate: options.plantProblems } }
      : {}),
  })) {
    batch.push(customer);
    if (batch.length === BATCH) await flush();
  }
  if (batch.length) await flush();
  // Statistics for the planner: without them (PGlite runs no autovacuum) it takes a branch for a
  // few hundred rows and reads all of it to send a 500-customer snapshot chunk (130 ms, not 5).
  await db.query('ANALYZE');
  return { customers: options.customers, users: await addDemoStaff(db, options.seed) };
}

async function addDemoStaff(db: Database, seed: number): Promise<SeededUser[]> {
  const users = demoUsers(seed);
  // Argon2id takes ~0.2 s a password, on libuv's threads: all at once, not one after another
  // (the demo's and every test's seed waited ~1 s for them).
  const hashes = await Promise.all(users.map((user) => hashPassword(user.password)));
  await db.transaction(async (tx) => {
    for (const [index, user] of users.entries())
      await addUser(tx, {
        ...user,
        passwordHash: hashes[index]!,
        displayName: demoStaff[index]!.displayName,
        // The demo RM works the first book of their branch.
        ...(user.roles.includes('relationship_manager') && user.branchId
          ? { rmId: `${user.branchId}-rm-01` }
          : {}),
      });
  });
  return users;
}
