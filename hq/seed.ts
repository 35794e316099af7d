// `npm run hq -- seed`: branches, their relationship managers and customers from the shared
// synthetic generator (the only thing that fabricates customers).
import { generateCustomers } from '../shared/synthetic';
import type { Database } from './db/database';
import { insertCustomers } from './admin';

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
  onProgress?: (done: number, total: number) => void;
}

/** Fills an empty HQ; returns false (and changes nothing) if it already has branches. */
export async function seedHq(db: Database, options: SeedOptions): Promise<boolean> {
  const [{ count }] = (await db.query<{ count: string }>(
    'SELECT count(*) AS count FROM branch',
  )) as [{ count: string }];
  if (Number(count) > 0) return false;
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
  let batch: unknown[] = [];
  let done = 0;
  const flush = async () => {
    await db.transaction((tx) => insertCustomers(tx, batch as { id: string }[]));
    done += batch.length;
    batch = [];
    options.onProgress?.(done, options.customers);
  };
  for (const customer of generateCustomers({
    seed: options.seed,
    count: options.customers,
    branches,
    rmsPerBranch: RMS_PER_BRANCH,
  })) {
    batch.push(customer);
    if (batch.length === BATCH) await flush();
  }
  if (batch.length) await flush();
  return true;
}
