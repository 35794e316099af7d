// What HQ publishes for the relationship manager's book, from HQ to the desk (docs/INSIGHT.md),
// on PGlite and on PostgreSQL: the AML risk-rating table (a version once, never changed), which an
// enrolled device receives in its sync round through HQ's real route and rates with offline; HQ
// re-rating with the same function, its levels reaching the device as HQ's own edits; a KYC
// review recorded offline that HQ writes into KYC; and a campaign whose call list holds only
// customers with consent, whose cap is enforced, and whose outcomes HQ counts per branch.
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatch } from '../../../electron/core/commands';
import { CustomerService, CustomerStore, readFacts } from '../../../electron/core/customers';
import { enrollDevice } from '../../../electron/core/device/enrollment';
import { syncRound } from '../../../electron/core/sync/engine';
import { currentRiskRules, currentSegmentRules } from '../../../electron/core/sync/rule-tables';
import { openVault, type Vault } from '../../../electron/core/vault';
import type { CommandOutput } from '../../../shared/commands/contract';
import { marketingAudience, type Customer } from '../../../shared/customer';
import { bookFacts } from '../../../shared/insight/book';
import { bankDay } from '../../../shared/insight/day';
import { wealthSegment } from '../../../shared/insight/segment';
import { suggestionsFor } from '../../../shared/insight/next-action';
import { parseIsoDate } from '../../../shared/validation/dates';
import { defaultRiskRules, type RiskRuleTable } from '../../../shared/insight/risk';
import { hqCommand, startHq, type HqEnv, type RunningHq } from '../../support/hq';
import { profileSandbox, realSecretStore } from '../../support/keyring';
import { startPostgres, type PostgresCluster } from '../../support/postgres';

const secrets = realSecretStore();
const databases = ['pglite', 'postgres'] as const;

/** The default table, plus: a teacher is high risk (a rule no bank has; it makes the test plain). */
const strict: RiskRuleTable = {
  ...defaultRiskRules,
  version: 'AML-2027-01',
  factors: [
    ...defaultRiskRules.factors,
    {
      code: 'teacher',
      label: { zh: '教师（测试规则）', en: 'Teacher (test rule)' },
      when: { kind: 'occupation_contains', words: ['教师'] },
      points: 60,
      floor: 'high',
    },
  ],
};

describe.each(databases)('the risk rule table from HQ to the desk, HQ on %s', (database) => {
  const sandbox = profileSandbox(secrets);
  let cluster: PostgresCluster | undefined;
  let hq: HqEnv;
  let server: RunningHq | undefined;
  let port: number;
  let vault: Vault;
  let teacher: Customer;

  const rating = async (id: string) => {
    const result = await dispatch(
      'insight.rating',
      { id },
      {
        principal: {
          kind: 'user',
          userId: 'u-rm',
          username: 'rm',
          roles: ['relationship_manager'],
        },
        secrets,
        vault,
      },
    );
    if (!result.ok) throw new Error(result.error.code);
    return result.value as CommandOutput<'insight.rating'>;
  };
  /** HQ's `risk` console, HQ serving meanwhile (on PGlite it runs the command itself). */
  const atConsole = async (args: string[]) => hqCommand(hq, ['risk', ...args]);
  const file = (name: string, table: unknown) => {
    const path = join(sandbox.path, name);
    writeFileSync(path, JSON.stringify(table, null, 2));
    return path;
  };

  beforeAll(async () => {
    if (database === 'postgres') cluster = await startPostgres();
    hq = { dataDir: join(sandbox.path, 'hq'), ...(cluster ? { databaseUrl: cluster.url } : {}) };
    expect(
      hqCommand(hq, ['seed', '--customers', '80', '--branches', '1', '--seed', '11']).status,
    ).toBe(0);
    const code = hqCommand(hq, ['enroll-code', '--branch', 'B001']).stdout.trim();
    server = await startHq(hq);
    port = Number(new URL(server.url).port);
    const dataDir = join(sandbox.path, 'desk');
    const enrolled = await enrollDevice(dataDir, secrets, { hqUrl: server.url, code });
    sandbox.forget(enrolled.profileId);
    vault = openVault(dataDir, secrets);
    await syncRound(vault, secrets);
    const store = new CustomerStore(vault.db);
    const ids = vault.db.prepare('SELECT id FROM customer').pluck().all() as string[];
    teacher = ids
      .map((id) => store.get(id)!.customer)
      .find(
        (customer) =>
          customer.kind === 'individual' &&
          customer.occupation?.includes('教师') &&
          customer.kyc.riskRating !== 'high' &&
          !customer.restriction,
      )!;
    expect(teacher).toBeDefined();
  }, 240_000);

  afterAll(async () => {
    vault?.close();
    await server?.stop();
    cluster?.stop();
    sandbox.cleanup();
  });

  it('rates with the default table until HQ publishes one', async () => {
    expect(currentRiskRules(vault).version).toBe(defaultRiskRules.version);
    expect((await rating(teacher.id)).ruleVersion).toBe(defaultRiskRules.version);
  });

  it('publishes a version once: again with the same body changes nothing, another body is refused', async () => {
    const path = file('strict.json', strict);
    const published = await atConsole(['publish', '--file', path]);
    expect(published.status, published.stderr).toBe(0);
    expect(published.stdout).toMatch(/risk rule table AML-2027-01 published \(seq 1\)/);
    const again = await atConsole(['publish', '--file', path]);
    expect(again.stdout).toContain('already published with this body; nothing changed');
    const changed = await atConsole([
      'publish',
      '--file',
      file('changed.json', { ...strict, thresholds: { medium: 20, high: 50 } }),
    ]);
    expect(changed.status).not.toBe(0);
    expect(changed.stderr).toContain('RULE_VERSION_TAKEN');
    // A table that does not pass the schema is refused before anything is written.
    const broken = await atConsole([
      'publish',
      '--file',
      file('broken.json', {
        ...strict,
        version: 'AML-2027-02',
        thresholds: { medium: 60, high: 30 },
      }),
    ]);
    expect(broken.status).not.toBe(0);
    expect(broken.stderr).toContain('INPUT_INVALID');
    const tables = await atConsole(['tables']);
    expect(tables.stdout).toContain('1 tables published; in force: AML-2027-01');
    // Five runs of the console: on PGlite each stops HQ, opens its database and starts it again.
  }, 240_000);

  it('reaches the device at its next sync, which then rates with it offline', async () => {
    expect((await syncRound(vault, secrets)).ruleTables).toBe(1);
    expect((await syncRound(vault, secrets)).ruleTables).toBe(0);
    await server!.stop();
    server = undefined;
    const rated = await rating(teacher.id);
    expect(rated.ruleVersion).toBe('AML-2027-01');
    expect(rated.level).toBe('high');
    expect(rated.reasons.map((reason) => reason.code)).toContain('teacher');
    expect(rated.recorded).toBe(teacher.kyc.riskRating);
    server = await startHq(hq, { port });
  });

  it('re-rates at HQ: a dry run counts, the run writes, and the device receives HQ’s level', async () => {
    const dry = await atConsole(['rerate', '--dry-run']);
    expect(dry.status, dry.stderr).toBe(0);
    const wouldChange = Number(/would change (\d+)/.exec(dry.stdout)![1]);
    expect(wouldChange).toBeGreaterThan(0);
    const run = await atConsole(['rerate']);
    expect(run.stdout).toMatch(new RegExp(`under AML-2027-01; changed ${wouldChange}\\b`));
    // Nothing left to change: the same table gives the same levels.
    expect((await atConsole(['rerate', '--dry-run'])).stdout).toContain('would change 0');
    await syncRound(vault, secrets);
    const after = new CustomerStore(vault.db).get(teacher.id)!.customer;
    expect(after.kyc.riskRating).toBe('high');
    expect((await rating(teacher.id)).recorded).toBe('high');
    // The book counts it among the high-risk customers now.
    const high = vault.db
      .prepare("SELECT count(*) FROM customer_book WHERE risk = 'high'")
      .pluck()
      .get() as number;
    expect(high).toBeGreaterThan(0);
  }, 240_000);

  it('publishes segment rules that the device segments by, and HQ writes the segment they give', async () => {
    const rules = {
      version: 'SEG-2027-01',
      wealth: { affluentFrom: 10_000, privateBankingFrom: 200_000 },
      lifeCycle: {
        newWithinDays: 120,
        atRisk: { accountClosedWithinDays: 60, depositMaturedWithinDays: 20 },
        dormantAfterDays: 90,
      },
    };
    const published = hqCommand(hq, ['segment', 'publish', '--file', file('seg.json', rules)]);
    expect(published.status, published.stderr).toBe(0);
    expect(published.stdout).toMatch(/segment rule table SEG-2027-01 published/);
    const broken = hqCommand(hq, [
      'segment',
      'publish',
      '--file',
      file('seg-broken.json', {
        ...rules,
        version: 'SEG-2027-02',
        wealth: { affluentFrom: 300_000, privateBankingFrom: 200_000 },
      }),
    ]);
    expect(broken.status).not.toBe(0);
    expect(broken.stderr).toContain('INPUT_INVALID');
    expect((await syncRound(vault, secrets)).ruleTables).toBe(1);
    expect(currentSegmentRules(vault).version).toBe('SEG-2027-01');
    // HQ applies the wealth segment to its records: what differs is written, then nothing.
    const dry = hqCommand(hq, ['segment', 'apply', '--dry-run']);
    expect(dry.status, dry.stderr).toBe(0);
    const wouldChange = Number(/would change (\d+)/.exec(dry.stdout)![1]);
    expect(wouldChange).toBeGreaterThan(0);
    const run = hqCommand(hq, ['segment', 'apply']);
    expect(run.stdout).toMatch(new RegExp(`under SEG-2027-01; changed ${wouldChange}\\b`));
    expect(hqCommand(hq, ['segment', 'apply', '--dry-run']).stdout).toContain('would change 0');
    await syncRound(vault, secrets);
    // Every record on the device now holds the segment the device computes by the same rules.
    const store = new CustomerStore(vault.db);
    const ids = vault.db.prepare('SELECT id FROM customer').pluck().all() as string[];
    for (const id of ids) {
      const { customer } = store.get(id)!;
      expect(customer.segment, id).toBe(wealthSegment(bookFacts(customer).aum, rules));
    }
    // The branch can no longer type a segment: HQ owns it.
    const typed = await dispatch(
      'customer.update',
      {
        id: teacher.id,
        baseVersion: store.get(teacher.id)!.customer.version,
        changes: { segment: 'private_banking' },
      },
      {
        principal: { kind: 'user', userId: 'u-sup', username: 'sup', roles: ['supervisor'] },
        secrets,
        vault,
      },
    );
    expect(typed.ok).toBe(false);
    if (!typed.ok) expect(typed.error.code).toBe('CUSTOMER_FIELD_READ_ONLY');
  }, 240_000);

  it('records a KYC review offline that counts at once, and that HQ writes into kyc', async () => {
    const someone = new CustomerStore(vault.db).get(teacher.id)!.customer;
    await server!.stop();
    server = undefined;
    const reviewed = await dispatch(
      'customer.record_review',
      {
        id: someone.id,
        reviewId: '6f1c2b1a-8d4e-4c6b-9a51-2d1e7f3c9b10',
        outcome: 'updated',
        checked: ['identity_documents', 'occupation'],
        note: 'occupation confirmed',
      },
      {
        principal: {
          kind: 'user',
          userId: 'u-rm',
          username: 'rm1',
          roles: ['relationship_manager'],
        },
        secrets,
        vault,
      },
    );
    if (!reviewed.ok) throw new Error(reviewed.error.code);
    const review = new CustomerStore(vault.db).get(someone.id)!.customer.kycReviews!.at(-1)!;
    // High under the published table: six months from the bank's today.
    expect(review).toMatchObject({ outcome: 'updated', level: 'high', ruleVersion: 'AML-2027-01' });
    // The book counts it reviewed before HQ has seen it.
    const facts = readFacts(
      vault.db
        .prepare(
          'SELECT facts FROM customer_book WHERE customer_key = (SELECT customer_key FROM customer WHERE id = ?)',
        )
        .pluck()
        .get(someone.id) as Buffer,
    );
    expect(facts.kyc.nextReviewDue).toBe(review.nextReviewDue);
    server = await startHq(hq, { port });
    await syncRound(vault, secrets);
    const after = new CustomerStore(vault.db).get(someone.id)!;
    expect(after.hasPendingChanges).toBe(false);
    expect(after.customer.kyc).toMatchObject({
      lastReviewedOn: bankDay(review.at),
      nextReviewDue: review.nextReviewDue,
      status: 'verified',
    });
    expect(after.customer.kycReviews).toHaveLength(1);
  });

  it('gives a campaign’s call list only customers with consent, enforces the cap, and HQ counts the outcomes', async () => {
    const asSupervisor = {
      principal: {
        kind: 'user' as const,
        userId: 'u-sup',
        username: 'supervisor1',
        roles: ['supervisor' as const],
      },
      secrets,
      vault,
    };
    const today = bankDay(Date.now());
    const campaign = {
      id: 'C-2026-12',
      title: { zh: '年末短信关怀', en: 'Year-end SMS' },
      script: { zh: '您好，年末理财……', en: 'Hello, at the year end…' },
      channel: 'sms',
      from: bankDay(Date.now() - 86_400_000),
      until: bankDay(Date.now() + 30 * 86_400_000),
      target: {},
      contactCapPerMonth: 2,
    };
    const published = hqCommand(hq, [
      'campaign',
      'publish',
      '--file',
      file('campaign.json', campaign),
    ]);
    expect(published.stdout, published.stderr).toMatch(/campaign C-2026-12 published/);
    expect((await syncRound(vault, secrets)).ruleTables).toBe(1);
    const held = await dispatch('insight.campaigns', {}, asSupervisor);
    expect(held.ok && held.value).toMatchObject({
      campaigns: [{ campaign: { id: 'C-2026-12' }, running: true }],
    });

    const list = async () => {
      const result = await dispatch('insight.call_list', { campaignId: 'C-2026-12' }, asSupervisor);
      if (!result.ok) throw new Error(result.error.code);
      return (result.value as CommandOutput<'insight.call_list'>).items.map(
        (item) => item.customer.id,
      );
    };
    const store = new CustomerStore(vault.db);
    const all = (vault.db.prepare('SELECT id FROM customer').pluck().all() as string[]).map(
      (id) => store.get(id)!.customer,
    );
    const expected = marketingAudience(all, 'sms', today).map((customer) => customer.id);
    const listed = await list();
    expect(new Set(listed)).toEqual(new Set(expected));
    expect(listed.length).toBeGreaterThan(1);
    const contact = (id: string, outcome: string) =>
      dispatch(
        'customer.record_contact',
        { id, contactId: randomUUID(), campaignId: 'C-2026-12', outcome },
        asSupervisor,
      );
    const [first, second] = listed as [string, string];
    expect((await contact(first, 'reached')).ok).toBe(true);
    expect((await contact(first, 'interested')).ok).toBe(true);
    // The month's cap reached: refused, and off the list.
    const third = await contact(first, 'reached');
    expect(!third.ok && third.error.code).toBe('CAMPAIGN_NOT_ELIGIBLE');
    expect((await contact(second, 'do_not_contact')).ok).toBe(true);
    expect(await list()).not.toContain(first);
    expect(await list()).not.toContain(second);
    // Nobody without consent for SMS can be recorded.
    const without = all.find((customer) => !expected.includes(customer.id))!;
    const refused = await contact(without.id, 'reached');
    expect(!refused.ok && refused.error.code).toBe('CAMPAIGN_NOT_ELIGIBLE');

    await syncRound(vault, secrets);
    const results = hqCommand(hq, ['campaign', 'results', '--campaign', 'C-2026-12']);
    expect(results.stdout).toMatch(/B001\tdo_not_contact 1, interested 1, reached 1/);
  }, 240_000);

  it('refuses at HQ a contact over the cap and a review that lengthens the cycle, pushed past the device’s checks', async () => {
    // Written straight into the vault's outbox, as a tampered device could, not by the commands.
    const service = new CustomerService(vault);
    const store = new CustomerStore(vault.db);
    const contacted = (vault.db.prepare('SELECT id FROM customer').pluck().all() as string[])
      .map((id) => store.get(id)!.customer)
      .find((customer) => (customer.campaignContacts ?? []).length >= 2)!;
    service.update(
      contacted.id,
      contacted.version,
      {
        campaignContacts: [
          ...contacted.campaignContacts!,
          {
            id: randomUUID(),
            campaignId: 'C-2026-12',
            at: new Date().toISOString(),
            by: 'rm1',
            channel: 'sms',
            outcome: 'reached',
          },
        ],
      },
      { id: 'rm1' },
    );
    const someone = store.get(teacher.id)!.customer;
    service.update(
      someone.id,
      someone.version,
      {
        kycReviews: [
          ...(someone.kycReviews ?? []),
          {
            id: randomUUID(),
            at: new Date().toISOString(),
            reviewer: 'rm1',
            outcome: 'no_change',
            checked: [],
            level: 'low',
            ruleVersion: 'AML-2027-01',
            nextReviewDue: '2099-01-01',
          },
        ],
      },
      { id: 'rm1' },
    );
    await syncRound(vault, secrets);
    const reasons = vault.db
      .prepare('SELECT customer_id, reason FROM sync_rejected ORDER BY id')
      .all() as { customer_id: string; reason: string }[];
    expect(reasons).toEqual(
      expect.arrayContaining([
        { customer_id: contacted.id, reason: 'CAMPAIGN_CONTACT_REFUSED' },
        { customer_id: someone.id, reason: 'KYC_REVIEW_REFUSED' },
      ]),
    );
  });

  it('takes an answer to a suggestion recorded by the desk, and refuses one in another’s name', async () => {
    const store = new CustomerStore(vault.db);
    const ids = vault.db.prepare('SELECT id FROM customer').pluck().all() as string[];
    const today = parseIsoDate(bankDay(Date.now()))!;
    const [answered, forged] = ids
      .map((id) => store.get(id)!.customer)
      .filter(
        (customer) =>
          !customer.restriction &&
          suggestionsFor(customer, currentSegmentRules(vault), today).some(
            (suggestion) => suggestion.kind !== 'compliance',
          ),
      );
    const suggestions = suggestionsFor(answered!, currentSegmentRules(vault), today);
    const suggestion = suggestions.find((entry) => entry.kind !== 'compliance')!;
    const rm = {
      principal: { kind: 'user', userId: 'u-rm', username: 'rm1', roles: ['relationship_manager'] },
      secrets,
      vault,
    } as const;
    const responseId = randomUUID();
    const input = {
      id: answered!.id,
      responseId,
      action: suggestion.action,
      about: suggestion.about,
      response: 'dismissed' as const,
    };
    const done = await dispatch('customer.respond_action', input, rm);
    expect(done.ok, done.ok ? '' : done.error.code).toBe(true);
    // Retried after a lost answer: recorded once. A suggestion the customer does not have: refused.
    expect((await dispatch('customer.respond_action', input, rm)).ok).toBe(true);
    const none = await dispatch(
      'customer.respond_action',
      { ...input, responseId: randomUUID() },
      rm,
    );
    expect(none.ok).toBe(false);
    if (!none.ok) expect(none.error.code).toBe('SUGGESTION_NOT_FOUND');
    expect(
      store.get(answered!.id)!.customer.actionResponses!.filter((entry) => entry.id === responseId),
    ).toHaveLength(1);
    // Compliance work is not answered: it goes when the review or the document is done.
    const compliance = suggestions.find((entry) => entry.kind === 'compliance');
    if (compliance) {
      const refused = await dispatch(
        'customer.respond_action',
        { ...input, responseId: randomUUID(), action: compliance.action, about: compliance.about },
        rm,
      );
      expect(refused.ok ? '' : refused.error.code).toBe('SUGGESTION_NOT_ANSWERABLE');
    }
    // Nor is any such list written by a plain edit: each has its own command and checks.
    const plain = await dispatch(
      'customer.update',
      {
        id: answered!.id,
        baseVersion: store.get(answered!.id)!.customer.version,
        changes: { ratingProposals: [] },
      },
      rm,
    );
    expect(plain.ok ? '' : plain.error.code).toBe('FIELD_HAS_OWN_COMMAND');
    // Straight into the outbox, in someone else's name, as a tampered device could.
    new CustomerService(vault).update(
      forged!.id,
      forged!.version,
      {
        actionResponses: [
          {
            id: randomUUID(),
            action: 'offer_mobile_banking',
            about: '2026-Q4',
            response: 'done',
            at: new Date().toISOString(),
            by: 'someone-else',
          },
        ],
      },
      { id: 'rm1' },
    );
    // In the pusher's own name, but dismissing compliance work: refused at HQ too.
    const third = (vault.db.prepare('SELECT id FROM customer').pluck().all() as string[])
      .map((id) => store.get(id)!.customer)
      .find(
        (customer) => ![answered!.id, forged!.id].includes(customer.id) && !customer.restriction,
      )!;
    new CustomerService(vault).update(
      third.id,
      third.version,
      {
        actionResponses: [
          {
            id: randomUUID(),
            action: 'start_review',
            about: third.kyc.nextReviewDue,
            response: 'dismissed',
            at: new Date().toISOString(),
            by: 'rm1',
          },
        ],
      },
      { id: 'rm1' },
    );
    await syncRound(vault, secrets);
    const rejected = vault.db.prepare('SELECT customer_id, reason FROM sync_rejected').all() as {
      customer_id: string;
      reason: string;
    }[];
    expect(rejected).toContainEqual({ customer_id: forged!.id, reason: 'ACTION_RESPONSE_REFUSED' });
    expect(rejected).toContainEqual({ customer_id: third.id, reason: 'ACTION_RESPONSE_REFUSED' });
    expect(rejected.map((row) => row.customer_id)).not.toContain(answered!.id);
    // HQ holds the answer: the device's record after the round still has it, at HQ's version.
    expect(store.get(answered!.id)!.customer.actionResponses!.map((entry) => entry.id)).toContain(
      responseId,
    );
  }, 120_000);

  it('answers only an enrolled device', async () => {
    const anonymous = await fetch(`${server!.url}/v1/rule-tables?after=0`);
    expect(anonymous.status).toBe(401);
  });
});
