// The book in the vault (migration 19): each customer's facts are written with its record and
// go with it, whoever writes or deletes; a vault from before the book gets them by migration;
// and the home and its lists, read through the command table as an RM and as a supervisor,
// count exactly what the records say (recounted here from the whole records).
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { csvField } from '../../shared/csv';
import { TextWriter, Uint8ArrayReader, ZipReader } from '@zip.js/zip.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatch, type CommandContext } from '../../electron/core/commands';
import { CustomerStore } from '../../electron/core/customers';
import { packRecord } from '../../electron/core/customers/record-codec';
import { BookReader, type Book } from '../../electron/core/insight/book';
import { inTarget, type CampaignTarget } from '../../shared/insight/campaign';
import fc from 'fast-check';
import { createVault, migrate, migrations, type Vault } from '../../electron/core/vault';
import type { Principal } from '../../shared/access/permissions';
import type { CommandInput, CommandName, CommandOutput } from '../../shared/commands/contract';
import type { Customer } from '../../shared/customer';
import {
  bankDay,
  bookFacts,
  bookColumns,
  bookFigures,
  figuresOf,
  summariseBook,
} from '../../shared/insight/book';
import { defaultRiskRules, rateCustomer } from '../../shared/insight/risk';
import {
  defaultSegmentRules,
  lifeCycleStages,
  segmentRuleTableSchema,
  type SegmentRuleTable,
} from '../../shared/insight/segment';
import { segments } from '../../shared/customer/customer';
import { generateCustomers } from '../../shared/synthetic';
import { parseIsoDate } from '../../shared/validation/dates';
import { tempDir } from '../support/files';
import { profileSandbox, realSecretStore } from '../support/keyring';

const RMS = ['B001-rm-01', 'B001-rm-02'];
const customers: Customer[] = [
  ...generateCustomers({ seed: 19, count: 400, branches: ['B001'], rmsPerBranch: { B001: RMS } }),
];
const today = parseIsoDate(bankDay(Date.now()))!;

/** The home's counts recounted from whole records (segmented by `rules`). */
function recount(records: readonly Customer[], rules: SegmentRuleTable = defaultSegmentRules) {
  return summariseBook(
    records.map((customer, index) => ({ key: index + 1, facts: bookFacts(customer) })),
    today,
    20,
    rules,
  );
}

describe('the book in the vault', () => {
  const secrets = realSecretStore();
  const sandbox = profileSandbox(secrets);
  const dir = tempDir();
  let vault: Vault;
  let store: CustomerStore;
  beforeAll(() => {
    vault = createVault(join(sandbox.path, 'book'), secrets);
    sandbox.forget(vault.profileId);
    store = new CustomerStore(vault.db);
    store.insertMany(customers);
  });
  afterAll(() => {
    vault?.close();
    sandbox.cleanup();
    dir.cleanup();
  });

  it('keeps each customer’s facts with its record through inserts, edits and deletes', () => {
    const reader = new BookReader(vault);
    const stored = () =>
      [...reader.entries({ scope: 'branch' })].map(({ facts }) => facts).sort(byJson);
    expect(stored()).toEqual(customers.map(bookFacts).sort(byJson));
    // An edit moves a customer to another RM and closes its tasks; a delete takes its facts.
    const moved = customers.find((customer) => customer.assignedRmId === RMS[0])!;
    const edited = {
      ...moved,
      assignedRmId: RMS[1]!,
      tasks: moved.tasks.map((task) => ({ ...task, status: 'done' as const })),
    };
    store.replace(edited);
    const gone = customers.find((customer) => customer.id !== moved.id)!;
    store.remove(gone.id);
    const now = customers
      .filter((customer) => customer.id !== gone.id)
      .map((customer) => (customer.id === moved.id ? edited : customer));
    expect(stored()).toEqual(now.map(bookFacts).sort(byJson));
    expect(vault.db.prepare('SELECT count(*) FROM customer_book').pluck().get()).toBe(now.length);
    for (const rm of RMS)
      expect([...reader.entries({ scope: 'mine', rmId: rm })]).toHaveLength(
        now.filter((customer) => customer.assignedRmId === rm).length,
      );
    expect([...reader.entries({ scope: 'mine', rmId: null })]).toHaveLength(0);
  });

  it('gives a vault from before the book every customer’s facts when it migrates', () => {
    const db = new Database(join(dir.path, 'old.db'));
    db.pragma(`cipher = 'sqlcipher'`);
    db.pragma(`key = "x'${randomBytes(32).toString('hex')}'"`);
    const book = migrations.find((migration) => migration.name.startsWith('the book'))!;
    migrate(db, migrations, book.version - 1);
    const insert = db.prepare(
      `INSERT INTO customer (id, customer_number, kind, legal_name, version, list_item, record)
       VALUES (?, ?, ?, ?, 1, '{}', ?)`,
    );
    for (const customer of customers.slice(0, 50))
      insert.run(
        customer.id,
        customer.customerNumber,
        customer.kind,
        customer.legalName,
        packRecord(customer),
      );
    expect(migrate(db, migrations, book.version)).toEqual([book.version]);
    const rows = db.prepare('SELECT rm, facts FROM customer_book ORDER BY customer_key').all() as {
      rm: string | null;
      facts: string;
    }[];
    expect(rows.map((row) => JSON.parse(row.facts))).toEqual(customers.slice(0, 50).map(bookFacts));
    expect(rows.map((row) => row.rm)).toEqual(
      customers.slice(0, 50).map((customer) => customer.assignedRmId ?? null),
    );
    // Migration 21 adds assets by band and maturities, rewriting every row from its record.
    migrate(db, migrations);
    const banded = db
      .prepare('SELECT aum_band, matures_on FROM customer_book ORDER BY customer_key')
      .all() as { aum_band: string; matures_on: string | null }[];
    expect(banded).toEqual(
      customers.slice(0, 50).map((customer) => {
        const columns = bookColumns(bookFacts(customer));
        return { aum_band: columns.aumBand, matures_on: columns.maturesOn };
      }),
    );
    expect(new Set(banded.map((row) => row.aum_band)).size).toBeGreaterThan(1);
    db.prepare('DELETE FROM customer WHERE id = ?').run(customers[0]!.id);
    expect(db.prepare('SELECT count(*) FROM customer_book').pluck().get()).toBe(49);
    db.close();
  });

  const asUser = (roles: Extract<Principal, { kind: 'user' }>['roles']): CommandContext => ({
    principal: { kind: 'user', userId: 'u-1', username: 'someone', roles },
    secrets,
    vault,
  });

  it('counts the branch for a supervisor, and lists exactly the customers behind each figure', async () => {
    const ids = vault.db.prepare('SELECT id FROM customer').pluck().all() as string[];
    const records = ids.map((id) => store.get(id)!.customer);
    const home = { value: await call('insight.home', {}, asUser(['supervisor'])) };
    expect(home.value.scope).toBe('branch');
    const expected = recount(records);
    expect(home.value.total).toBe(records.length);
    expect(home.value.counts).toEqual(expected.counts);
    for (const figure of bookFigures) {
      const listed = {
        value: await call('insight.list', { figure, limit: 500 }, asUser(['supervisor'])),
      };
      const behind = records.filter((customer) =>
        figuresOf(bookFacts(customer), today).includes(figure),
      );
      expect(listed.value.total, figure).toBe(behind.length);
      expect(new Set(listed.value.items.map((item) => item.customer.id)), figure).toEqual(
        new Set(behind.map((customer) => customer.id)),
      );
      // Sorted by the day the figure is about, missing days last.
      // Never visited: no day, and first among the dormant.
      const days = listed.value.items.map(
        (item) =>
          item.day ?? (figure === 'dormant' || figure === 'life.dormant' ? '0000-00-00' : '9999'),
      );
      expect(days, figure).toEqual([...days].sort());
    }
  });

  it('segments by the segment table HQ published last, at once and offline', async () => {
    const ids = vault.db.prepare('SELECT id FROM customer').pluck().all() as string[];
    const records = ids.map((id) => store.get(id)!.customer);
    // Thresholds and windows far from the defaults, so that every segment and stage changes.
    const rules = segmentRuleTableSchema.parse({
      version: 'test-segments-2',
      wealth: { affluentFrom: 20_000, privateBankingFrom: 300_000 },
      lifeCycle: {
        newWithinDays: 3650,
        atRisk: { accountClosedWithinDays: 2000, depositMaturedWithinDays: 400 },
        dormantAfterDays: 30,
      },
    });
    const before = await call('insight.home', {}, asUser(['supervisor']));
    expect(before.counts).toEqual(recount(records).counts);
    const held = vault.db.prepare(
      `INSERT INTO rule_table (seq, kind, version, published_at, body)
       VALUES (?, 'segment', ?, '2026-12-01T00:00:00Z', ?)`,
    );
    held.run(9001, rules.version, JSON.stringify(rules));
    // A later table this build cannot read is passed over (logged), not used.
    held.run(9002, 'from-the-future', JSON.stringify({ version: 'from-the-future', wealth: 1 }));
    try {
      const after = await call('insight.home', {}, asUser(['supervisor']));
      const expected = recount(records, rules);
      expect(after.counts).toEqual(expected.counts);
      expect(after.counts).not.toEqual(before.counts);
      for (const figure of [
        ...segments.map((segment) => `segment.${segment}` as const),
        ...lifeCycleStages.map((stage) => `life.${stage}` as const),
      ]) {
        const listed = await call('insight.list', { figure, limit: 500 }, asUser(['supervisor']));
        const behind = records.filter((customer) =>
          figuresOf(bookFacts(customer), today, rules).includes(figure),
        );
        expect(new Set(listed.items.map((item) => item.customer.id)), figure).toEqual(
          new Set(behind.map((customer) => customer.id)),
        );
      }
      const one = await call('insight.rating', { id: records[0]!.id }, asUser(['supervisor']));
      expect(one.segmentation.ruleVersion).toBe(rules.version);
    } finally {
      vault.db.prepare('DELETE FROM rule_table WHERE seq IN (9001, 9002)').run();
    }
  });

  it('refuses the branch to an RM, and masks what a role may not see', async () => {
    const refused = await dispatch(
      'insight.home',
      { scope: 'branch' },
      asUser(['relationship_manager']),
    );
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.error.code).toBe('PERMISSION_DENIED');
    // An RM with no RM id (no session here to carry one) has an empty book.
    const mine = await dispatch('insight.home', {}, asUser(['relationship_manager']));
    expect(mine.ok && mine.value).toMatchObject({ scope: 'mine', rmId: null, total: 0 });
    const teller = await dispatch('insight.home', {}, asUser(['teller']));
    expect(!teller.ok && teller.error.code).toBe('PERMISSION_DENIED');
    // A supervisor's list shows identifiers masked, as a search does.
    const listed = {
      value: await call('insight.list', { figure: 'segment.mass' }, asUser(['supervisor'])),
    };
    for (const { customer } of listed.value.items) {
      if (customer.identityDocumentNumber) expect(customer.identityDocumentNumber).toContain('*');
      if (customer.primaryPhone) expect(customer.primaryPhone).toContain('*');
    }
  });

  it('rates a customer with the reasons, the rule version and the next review', async () => {
    const pep = customers.find((customer) => customer.kyc.pep && !customer.kyc.sanctionsHit);
    const someone = pep ?? customers[1]!;
    const rated = {
      value: await call('insight.rating', { id: someone.id }, asUser(['relationship_manager'])),
    };
    expect(rated.value.ruleVersion).toMatch(/^default-/);
    expect(rated.value.score).toBe(rated.value.reasons.reduce((sum, r) => sum + r.points, 0));
    if (pep) {
      expect(rated.value.reasons.map((reason) => reason.code)).toContain('pep');
      expect(['high', 'prohibited']).toContain(rated.value.level);
    }
    // Nationalities are alpha-3 (CHN): the default table rates none of these customers foreign.
    for (const customer of customers.filter((c) => c.kind === 'individual'))
      if (customer.kind === 'individual' && customer.nationality === 'CHN')
        expect(
          rateCustomer(customer, defaultRiskRules, today).reasons.map((r) => r.code),
        ).not.toContain('foreign_national');
    const audit = vault.db
      .prepare(
        "SELECT action, target FROM audit_log WHERE action = 'view' ORDER BY seq DESC LIMIT 1",
      )
      .get();
    expect(audit).toEqual({ action: 'view', target: someone.id });
  });

  it('finds a campaign’s target from the book’s columns as inTarget does from records', () => {
    const reader = new BookReader(vault);
    const stored = (
      vault.db.prepare('SELECT customer_key AS key, id FROM customer').all() as {
        key: number;
        id: string;
      }[]
    ).map(({ key, id }) => ({ key, customer: store.get(id)!.customer }));
    const some = <T>(values: readonly T[]) =>
      fc.option(fc.uniqueArray(fc.constantFrom(...values), { minLength: 1 }), { nil: undefined });
    fc.assert(
      fc.property(
        fc.record({
          kinds: some(['individual', 'corporate'] as const),
          risks: some(['low', 'medium', 'high'] as const),
          segments: some(segments),
          lifeCycles: some(lifeCycleStages),
          figures: some(['kyc.overdue', 'dormant', 'tasks.open', 'deposits.maturing30'] as const),
        }),
        fc.constantFrom<Book>({ scope: 'branch' }, { scope: 'mine', rmId: RMS[0]! }),
        (drawn, book) => {
          const target = Object.fromEntries(
            Object.entries(drawn).filter(([, value]) => value !== undefined),
          ) as CampaignTarget;
          const expected = stored
            .filter(
              ({ customer }) =>
                (book.scope === 'branch' || customer.assignedRmId === RMS[0]) &&
                inTarget(customer, target, today),
            )
            .map(({ key }) => key)
            .sort((a, b) => a - b);
          expect(reader.targetKeys(book, target, today)).toEqual(expected);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('prints and exports a list masked per role, the file encrypted under the reader’s password', async () => {
    const figure = 'segment.mass' as const;
    const onScreen = await call('insight.list', { figure, limit: 500 }, asUser(['supervisor']));
    const printed = await call('insight.print_list', { figure }, asUser(['supervisor']));
    expect(printed.total).toBe(onScreen.total);
    expect(printed.items.slice(0, 500)).toEqual(onScreen.items);
    const password = 'Branch-2026-secret';
    const exported = await call(
      'insight.export_list',
      { figure, locale: 'zh-CN', password },
      asUser(['supervisor']),
    );
    expect(exported).toMatchObject({ rows: onScreen.total, total: onScreen.total });
    expect(exported.name).toMatch(/^BranchDesk-segment\.mass-\d{4}-\d{2}-\d{2}\.zip$/);
    const bytes = Buffer.from(exported.file, 'base64');
    // Nothing of any customer readable in the file's bytes.
    for (const { customer } of onScreen.items.slice(0, 50)) {
      expect(bytes.includes(Buffer.from(customer.customerNumber))).toBe(false);
      expect(bytes.includes(Buffer.from(customer.displayName))).toBe(false);
    }
    const [entry] = await new ZipReader(new Uint8ArrayReader(bytes)).getEntries();
    if (!entry || entry.directory) throw new Error('no file in the ZIP');
    expect(entry.encrypted).toBe(true);
    expect(entry.zipCrypto).toBe(false);
    await expect(
      entry.getData(new TextWriter(), { password: 'Wrong-password-1' }),
    ).rejects.toThrow();
    const csv = await entry.getData(new TextWriter(), { password });
    const lines = csv
      .replace(/^\uFEFF/u, '')
      .trimEnd()
      .split('\r\n');
    expect(lines[0]).toBe('客户号,名称,客户类型,证件号码,手机号码,客户分层,风险等级,相关日期');
    expect(lines).toHaveLength(onScreen.total + 1);
    // The rows as the screen masks them: ID numbers and phones never whole.
    for (const [index, item] of onScreen.items.entries()) {
      const cells = lines[index + 1]!.split(',');
      expect(cells[0]).toBe(item.customer.customerNumber);
      // As CSV writes them: a leading + (a phone) kept as text, not a formula.
      expect(cells[3]).toBe(csvField(item.customer.identityDocumentNumber ?? ''));
      expect(cells[4]).toBe(csvField(item.customer.primaryPhone ?? ''));
    }
    // A weak password is refused before anything is made; a role without the permission too.
    const weak = await dispatch(
      'insight.export_list',
      { figure, locale: 'en', password: 'short1' },
      asUser(['supervisor']),
    );
    expect(weak.ok ? '' : weak.error.code).toBe('INPUT_INVALID');
    const teller = await dispatch(
      'insight.export_list',
      { figure, locale: 'en', password },
      asUser(['teller']),
    );
    expect(teller.ok ? '' : teller.error.code).toBe('PERMISSION_DENIED');
    // Both audited, with what was listed and how many rows; never the password.
    const entries = vault.db
      .prepare(
        "SELECT action, details FROM audit_log WHERE action IN ('print', 'export') ORDER BY seq",
      )
      .all() as { action: string; details: string }[];
    expect(entries.map((row) => [row.action, JSON.parse(row.details)])).toEqual([
      ['print', { book: figure, scope: 'branch', rows: onScreen.total, total: onScreen.total }],
      ['export', { book: figure, format: 'zip_aes256', stage: 'start' }],
      [
        'export',
        {
          book: figure,
          scope: 'branch',
          format: 'zip_aes256',
          rows: onScreen.total,
          total: onScreen.total,
        },
      ],
    ]);
    expect(JSON.stringify(entries)).not.toContain(password);
  });
});

/** A command's output, or its refusal thrown. */
async function call<N extends CommandName>(
  name: N,
  input: CommandInput<N>,
  context: CommandContext,
): Promise<CommandOutput<N>> {
  const result = await dispatch(name, input, context);
  if (!result.ok) throw new Error(result.error.code);
  return result.value as CommandOutput<N>;
}

function byJson(a: unknown, b: unknown): number {
  const [x, y] = [JSON.stringify(a), JSON.stringify(b)];
  return x < y ? -1 : x > y ? 1 : 0;
}
