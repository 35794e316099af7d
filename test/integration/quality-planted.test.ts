// Data quality over a synthetic bank with a known number of planted problems (shared/quality/
// plant.ts): HQ seeded with `--plant-problems`, its report (`npm run hq -- quality report`) and a
// device's score of its branch (quality.score, from the book's columns) both count exactly the
// problems planted, rule by rule; the device lists exactly the customers that have one; and HQ's
// cross-branch duplicate report finds a pair planted at two branches.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatch, type CommandResult } from '../../electron/core/commands';
import { enrollDevice } from '../../electron/core/device/enrollment';
import { readFacts } from '../../electron/core/customers/store';
import { syncRound } from '../../electron/core/sync/engine';
import { openVault, type Vault } from '../../electron/core/vault';
import { openDatabase } from '../../hq/db/database';
import { editAtHq } from '../../hq/mutations';
import type { Customer } from '../../shared/customer';
import { bankDay } from '../../shared/insight/day';
import { plantedProblem } from '../../shared/quality/plant';
import { qualityRules } from '../../shared/quality/rules';
import { generateCustomers } from '../../shared/synthetic';
import { secondRegistrationOf } from '../support/duplicates';
import { hqCommand, startHq, type HqEnv, type RunningHq } from '../support/hq';
import { profileSandbox, realSecretStore } from '../support/keyring';

const secrets = realSecretStore();
const SEED = 13;
const COUNT = 600;
const RATE = 0.25;

function value<T>(result: CommandResult): T {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message.en}`);
  return result.value as T;
}

/** `B001\t… customers` and `   12  rule_id  words` lines of the report, per branch. */
function parse(stdout: string) {
  const branches = new Map<string, Map<string, number>>();
  let current: Map<string, number> | undefined;
  for (const line of stdout.split('\n')) {
    const branch = /^(B\d{3})\t(\d+) customers/.exec(line);
    if (branch) branches.set(branch[1]!, (current = new Map()));
    const problem = /^\s+(\d+)\s+([a-z_]+)\s/.exec(line);
    if (problem && current) current.set(problem[2]!, Number(problem[1]));
  }
  return branches;
}

describe('data quality over planted problems', () => {
  const sandbox = profileSandbox(secrets);
  const hq: HqEnv = { dataDir: join(sandbox.path, 'hq') };
  let server: RunningHq | undefined;
  let port = 0;
  let vault: Vault;
  const today = bankDay(Date.now());
  /** Per branch, per planted rule, the customer numbers given it. */
  const planted = new Map<string, Map<string, string[]>>();
  const supervisor = () => ({
    principal: {
      kind: 'user' as const,
      userId: 'u-supervisor1',
      username: 'supervisor1',
      roles: ['supervisor' as const],
    },
    secrets,
    vault,
  });

  beforeAll(async () => {
    const seeded = hqCommand(hq, [
      'seed',
      ...['--customers', String(COUNT), '--branches', '2', '--seed', String(SEED)],
      ...['--plant-problems', String(RATE)],
    ]);
    expect(seeded.status, seeded.stderr).toBe(0);
    let index = 0;
    for (const customer of generateCustomers({
      seed: SEED,
      count: COUNT,
      branches: ['B001', 'B002'],
      rmsPerBranch: 3,
    })) {
      const rule = plantedProblem(SEED, index++, { today, rate: RATE });
      if (!rule) continue;
      const branch = planted.get(customer.homeBranchId) ?? new Map<string, string[]>();
      planted.set(customer.homeBranchId, branch);
      branch.set(rule, [...(branch.get(rule) ?? []), customer.customerNumber]);
    }
    const code = hqCommand(hq, ['enroll-code', '--branch', 'B001']).stdout.trim();
    server = await startHq(hq);
    port = Number(new URL(server.url).port);
    const dir = join(sandbox.path, 'device');
    const enrolled = await enrollDevice(dir, secrets, { hqUrl: server.url, code });
    sandbox.forget(enrolled.profileId);
    vault = openVault(dir, secrets);
    await syncRound(vault, secrets);
  }, 300_000);
  afterAll(async () => {
    vault?.close();
    await server?.stop();
    sandbox.cleanup();
  });

  it('plants problems in both branches, of every plantable rule', () => {
    expect([...planted.keys()].sort()).toEqual(['B001', 'B002']);
    expect(planted.get('B001')!.size).toBe(5);
  });

  it('scores the branch on the device by exactly the problems planted', async () => {
    const score = value<{
      records: number;
      clean: number;
      problems: Record<string, number>;
      trend: { week: string; records: number; clean: number }[];
    }>(await dispatch('quality.score', { scope: 'branch' }, supervisor()));
    const mine = planted.get('B001')!;
    for (const rule of qualityRules) {
      if (rule.id === 'probable_duplicate') continue;
      expect(score.problems[rule.id], rule.id).toBe(mine.get(rule.id)?.length ?? 0);
    }
    const problems = [...mine.values()].reduce((sum, numbers) => sum + numbers.length, 0);
    expect(score.clean).toBe(score.records - problems - score.problems.probable_duplicate!);
    expect(score.trend).toEqual([
      expect.objectContaining({ records: score.records, clean: score.clean }),
    ]);
  });

  it('lists exactly the customers who have a problem', async () => {
    for (const [rule, numbers] of planted.get('B001')!) {
      const listed = value<{ total: number; items: { customerNumber: string }[] }>(
        await dispatch(
          'quality.list',
          { scope: 'branch', problem: rule, limit: 500 },
          supervisor(),
        ),
      );
      expect(listed.total, rule).toBe(numbers.length);
      expect(listed.items.map((item) => item.customerNumber).sort(), rule).toEqual(
        [...numbers].sort(),
      );
    }
  });

  it('reports at HQ exactly the problems planted, per branch', async () => {
    await server?.stop();
    server = undefined;
    const run = hqCommand(hq, ['quality', 'report']);
    expect(run.status, run.stderr).toBe(0);
    const report = parse(run.stdout);
    for (const [branch, rules] of planted)
      for (const rule of qualityRules) {
        if (rule.id === 'probable_duplicate') continue;
        expect(report.get(branch)?.get(rule.id) ?? 0, `${branch} ${rule.id}`).toBe(
          rules.get(rule.id)?.length ?? 0,
        );
      }
  });

  it('finds a person registered at two branches among the duplicates across branches', async () => {
    const db = await openDatabase({ dataDir: hq.dataDir });
    let pair: [string, string];
    try {
      const [a] = await db.query<{ id: string; record: Customer; customer_number: string }>(
        `SELECT id, record, customer_number FROM customer
         WHERE home_branch_id = 'B001' AND record->>'kind' = 'individual' ORDER BY id LIMIT 1`,
      );
      const [b] = await db.query<{ id: string; customer_number: string }>(
        `SELECT id, customer_number FROM customer
         WHERE home_branch_id = 'B002' AND record->>'kind' = 'individual' ORDER BY id LIMIT 1`,
      );
      const person = a!.record;
      await editAtHq(db, b!.id, secondRegistrationOf(person, 'E34567890'), 'hq:test');
      pair = [a!.customer_number, b!.customer_number];
    } finally {
      await db.close();
    }
    const run = hqCommand(hq, ['duplicates']);
    expect(run.status, run.stderr).toBe(0);
    const line = run.stdout.split('\n').find((text) => text.includes(pair[0]));
    expect(line).toMatch(/same_name_and_birth_date\tacross branches\t/);
    expect(line).toContain(`${pair[1]}@B002`);
  });

  it('turns a problem into cleansing tasks, done when the customer confirms, and synced', async () => {
    server = await startHq(hq, { port });
    const stale = planted.get('B001')!.get('stale_contacts')!;
    const make = () =>
      dispatch(
        'quality.create_tasks',
        {
          scope: 'branch',
          problem: 'stale_contacts',
          assignee: 'counter',
          dueOn: '2027-03-31',
          title: '请客户核实联系方式',
        },
        supervisor(),
      );
    expect(value(await make())).toEqual({ created: stale.length, skipped: 0 });
    // Asked again: nobody gets a second open task for the same problem.
    expect(value(await make())).toEqual({ created: 0, skipped: stale.length });

    const teller = {
      ...supervisor(),
      principal: { ...supervisor().principal, roles: ['teller' as const] },
    };
    const number = stale[0]!;
    const shown = value<{ customer: Customer }>(
      await dispatch('customer.show', { customerNumber: number }, teller),
    ).customer;
    const task = shown.tasks.find((entry) => entry.cleansing === 'stale_contacts')!;
    expect(task).toMatchObject({ status: 'open', assignee: 'counter', dueOn: '2027-03-31' });
    // Not done while the record still has the problem.
    const early = await dispatch(
      'quality.complete_task',
      { id: shown.id, taskId: task.id },
      teller,
    );
    expect(early.ok ? 'ok' : early.error.code).toBe('QUALITY_PROBLEM_REMAINS');
    // The customer confirms their details at the counter (a branch visit), then it is done.
    value(
      await dispatch(
        'customer.record_visit',
        {
          id: shown.id,
          visitId: crypto.randomUUID(),
          kind: 'branch',
          text: '客户确认联系方式无误',
        },
        teller,
      ),
    );
    const done = value<{ customer: Customer }>(
      await dispatch('quality.complete_task', { id: shown.id, taskId: task.id }, teller),
    ).customer;
    expect(done.tasks.find((entry) => entry.id === task.id)?.status).toBe('done');
    const score = value<{ problems: Record<string, number> }>(
      await dispatch('quality.score', { scope: 'branch' }, supervisor()),
    );
    expect(score.problems.stale_contacts).toBe(stale.length - 1);
    // Synced: HQ holds the task done, and every other one open.
    await syncRound(vault, secrets);
    expect(vault.db.prepare('SELECT count(*) FROM outbox').pluck().get()).toBe(0);
    const db = await (async () => {
      await server?.stop();
      server = undefined;
      return openDatabase({ dataDir: hq.dataDir });
    })();
    try {
      const tasks = await db.query<{ status: string; n: string | number }>(
        `SELECT t ->> 'status' AS status, count(*) AS n
         FROM customer c, jsonb_array_elements(c.record -> 'tasks') AS t
         WHERE t ->> 'cleansing' = 'stale_contacts' GROUP BY 1 ORDER BY 1`,
      );
      expect(tasks.map((row) => [row.status, Number(row.n)])).toEqual([
        ['done', 1],
        ['open', stale.length - 1],
      ]);
    } finally {
      await db.close();
    }
  }, 180_000);

  it('makes cleansing tasks at HQ for every branch, which reach the branch at its sync', async () => {
    const overdue = [...planted.values()].reduce(
      (sum, rules) => sum + (rules.get('kyc_review_overdue')?.length ?? 0),
      0,
    );
    const make = () =>
      hqCommand(hq, [
        'quality',
        'tasks',
        ...['--problem', 'kyc_review_overdue', '--due', '2027-02-28'],
        ...['--title', '总行：请办理到期的尽职调查复核', '--assignee', 'rm'],
      ]);
    const first = make();
    expect(first.status, first.stderr).toBe(0);
    expect(first.stdout).toContain(`${overdue} tasks made, 0 customers passed over`);
    expect(make().stdout).toContain(`0 tasks made, ${overdue} customers passed over`);
    server = await startHq(hq, { port });
    await syncRound(vault, secrets);
    const here = (vault.db.prepare('SELECT facts FROM customer_book').pluck().all() as Buffer[])
      .map(readFacts)
      .filter((facts) =>
        facts.tasks.some((task) => task.title.includes('总行：请办理到期')),
      ).length;
    expect(here).toBe(planted.get('B001')!.get('kyc_review_overdue')!.length);
    await server.stop();
    server = undefined;
  }, 180_000);
});
