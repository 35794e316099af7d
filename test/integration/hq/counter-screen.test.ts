// The counter's customer screen (客户确认屏) through the real command table, vault, keychain and
// HQ (PGlite and PostgreSQL): a teller signed in online puts a change before the customer, and
// the core saves it only when the customer confirms on their screen, with the confirmation in
// the change's audit entry (and, for a consent, as the ledger's evidence). Declined, cancelled or
// put before a locked desk, nothing is saved. The customer's own self-service update waits for
// the teller, who learns only which fields changed; the customer's rating of a visit is recorded
// with it. No desk can claim the customer's confirmation, and HQ takes what was confirmed.
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatch, type CommandContext, type CommandResult } from '../../../electron/core/commands';
import { Counter } from '../../../electron/core/counter/counter';
import { CustomerStore } from '../../../electron/core/customers';
import { enrollDevice } from '../../../electron/core/device/enrollment';
import { syncRound } from '../../../electron/core/sync/engine';
import { openVault, type Vault } from '../../../electron/core/vault';
import { openDatabase } from '../../../hq/db/database';
import { demoUsers } from '../../../hq/seed';
import type { DisplayView } from '../../../shared/counter/display';
import type { Customer } from '../../../shared/customer';
import { hqCommand, startHq, type HqEnv, type RunningHq } from '../../support/hq';
import { profileSandbox, realSecretStore } from '../../support/keyring';
import { startPostgres, type PostgresCluster } from '../../support/postgres';
import { signedInDesks } from '../../support/signed-in';

const secrets = realSecretStore();
const SEED = 61;

const code = (result: CommandResult) => (result.ok ? 'ok' : result.error.code);
function value<T>(result: CommandResult): T {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message.en}`);
  return result.value as T;
}

describe.each(['pglite', 'postgres'] as const)('the customer screen on %s', (database) => {
  const sandbox = profileSandbox(secrets);
  let cluster: PostgresCluster | undefined;
  let hq: HqEnv;
  let server: RunningHq;
  let vault: Vault;
  let counter: Counter;
  let teller: CommandContext;
  let customer: Customer;
  let other: Customer;
  const views: DisplayView[] = [];
  const staff = signedInDesks(
    secrets,
    new Map(demoUsers(SEED).map((user) => [user.username, user])),
  );
  const stored = (id = customer.id) => new CustomerStore(vault.db).get(id)!.customer;
  const call = (command: string, input: unknown) =>
    dispatch(command, input, { ...teller, counter });
  const auditOf = (requestId: string) =>
    vault.db
      .prepare(`SELECT action, details FROM audit_log WHERE details LIKE ? ORDER BY seq`)
      .all(`%${requestId}%`) as { action: string; details: string }[];

  beforeAll(async () => {
    if (database === 'postgres') cluster = await startPostgres();
    hq = { dataDir: join(sandbox.path, 'hq'), ...(cluster ? { databaseUrl: cluster.url } : {}) };
    expect(
      hqCommand(hq, ['seed', '--customers', '20', '--branches', '1', '--seed', String(SEED)])
        .status,
    ).toBe(0);
    const enrollCode = hqCommand(hq, ['enroll-code', '--branch', 'B001']).stdout.trim();
    server = await startHq(hq);
    const dataDir = join(sandbox.path, 'desk');
    const enrolled = await enrollDevice(dataDir, secrets, { hqUrl: server.url, code: enrollCode });
    sandbox.forget(enrolled.profileId);
    vault = openVault(dataDir, secrets);
    await syncRound(vault, secrets);
    const individuals = (
      vault.db
        .prepare(`SELECT id FROM customer WHERE kind = 'individual' ORDER BY customer_number`)
        .pluck()
        .all() as string[]
    ).map((id) => new CustomerStore(vault.db).get(id)!.customer);
    customer = individuals.find((one) => one.phones.length > 0 && !one.restriction)!;
    other = individuals.find((one) => one.id !== customer.id && one.phones.length > 0)!;
    teller = await staff.desk('teller1', vault);
    counter = new Counter({ vault: () => vault, run: dispatch });
    counter.connectDisplay((view) => views.push(view));
  }, 240_000);
  afterAll(async () => {
    await staff.signOutAll();
    vault?.close();
    await server?.stop();
    cluster?.stop();
    sandbox.cleanup();
  });

  it('shows the bank’s notices while idle', () => {
    const idle = counter.view();
    expect(idle.screen).toBe('idle');
    if (idle.screen !== 'idle') return;
    expect(idle.notices.map((notice) => notice.id)).toContain('telecom-fraud');
    expect(idle.notices.every((notice) => notice.title['zh-CN'] && notice.title.en)).toBe(true);
  });

  it('refuses a desk that claims the customer confirmed (a consent, a rating)', async () => {
    const claimed = await call('customer.grant_consent', {
      id: customer.id,
      consentId: randomUUID(),
      purpose: 'marketing_sms',
      channel: 'branch',
      noticeVersion: '2026-12',
      evidence: { kind: 'customer_screen' },
    });
    expect(code(claimed)).toBe('CUSTOMER_SCREEN_REQUIRED');
    const rating = await call('customer.record_satisfaction', {
      id: customer.id,
      ratingId: randomUUID(),
      visitId: randomUUID(),
      score: 5,
    });
    expect(code(rating)).toBe('CUSTOMER_SCREEN_REQUIRED');
    expect(stored().consents.length).toBe(customer.consents.length);
  });

  it('saves a new phone only once the customer confirms it, with the confirmation audited', async () => {
    const before = stored();
    const requestId = randomUUID();
    const asked = value<{ request: { state: string } }>(
      await call('counter.confirm', {
        requestId,
        customerId: customer.id,
        baseVersion: before.version,
        change: { kind: 'phone', index: 0, phone: { kind: 'mobile', e164: '13900139123' } },
      }),
    );
    expect(asked.request.state).toBe('waiting');
    // Nothing saved yet; the customer sees their own old and new number, nothing else of theirs.
    expect(stored().version).toBe(before.version);
    const shown = counter.view();
    expect(shown).toMatchObject({
      screen: 'confirm',
      requestId,
      change: { field: 'phone', after: '+86 139 0013 9123' },
    });
    const text = JSON.stringify(shown);
    for (const secret of [
      before.identityDocuments[0]!.number,
      before.legalName,
      ...(before.email ? [before.email] : []),
      other.legalName,
      ...other.phones.map((phone) => phone.e164),
    ])
      expect(text).not.toContain(secret);
    // A second request while this one waits is refused.
    const busy = await call('counter.confirm', {
      requestId: randomUUID(),
      customerId: other.id,
      change: { kind: 'email', email: 'x@example.com' },
    });
    expect(code(busy)).toBe('COUNTER_BUSY');

    const confirmed = await counter.confirm(requestId);
    expect(confirmed).toMatchObject({ screen: 'thanks', outcome: 'confirmed' });
    expect(stored().phones[0]!.e164).toBe('+8613900139123');
    const entries = auditOf(requestId);
    expect(entries.map((entry) => entry.action)).toEqual([
      'customer_screen',
      'customer_screen',
      'update',
    ]);
    expect(JSON.parse(entries[2]!.details)).toMatchObject({
      fields: ['phones'],
      confirmedOn: 'customer_screen',
      counterRequest: requestId,
    });
    const status = value<{ request: { state: string; version: number } }>(
      await call('counter.status', {}),
    );
    expect(status.request).toMatchObject({ state: 'confirmed', version: stored().version });
  });

  it('saves nothing when the customer declines, and says so in the log', async () => {
    const before = stored();
    const requestId = randomUUID();
    value(
      await call('counter.confirm', {
        requestId,
        customerId: customer.id,
        baseVersion: before.version,
        change: { kind: 'email', email: 'declined@example.com' },
      }),
    );
    expect(counter.decline(requestId)).toMatchObject({ screen: 'thanks', outcome: 'declined' });
    expect(stored()).toEqual(before);
    expect(auditOf(requestId).map((entry) => JSON.parse(entry.details).step)).toEqual([
      'asked',
      'declined',
    ]);
    // Answered once: a second answer is refused.
    await expect(counter.confirm(requestId)).rejects.toMatchObject({
      code: 'COUNTER_REQUEST_GONE',
    });
  });

  it('records a consent confirmed on the screen with the ledger’s evidence', async () => {
    const consentId = randomUUID();
    const requestId = randomUUID();
    value(
      await call('counter.confirm', {
        requestId,
        customerId: customer.id,
        change: {
          kind: 'consent',
          state: 'granted',
          consentId,
          purpose: 'marketing_email',
          channel: 'branch',
          noticeVersion: '2026-12',
        },
      }),
    );
    expect(counter.view()).toMatchObject({
      screen: 'confirm',
      change: { field: 'consent', purpose: 'marketing_email', state: 'granted' },
    });
    await counter.confirm(requestId);
    const event = stored().consents.find((one) => one.id === consentId);
    expect(event).toMatchObject({
      evidence: { kind: 'customer_screen' },
      noticeVersion: '2026-12',
    });
  });

  it('takes nothing from the screen once the teller’s desk is locked', async () => {
    const requestId = randomUUID();
    value(
      await call('counter.confirm', {
        requestId,
        customerId: customer.id,
        change: { kind: 'email', email: 'locked@example.com' },
      }),
    );
    value(await call('session.lock', {}));
    expect(counter.view().screen).toBe('idle');
    await expect(counter.confirm(requestId)).rejects.toMatchObject({
      code: 'COUNTER_REQUEST_GONE',
    });
    expect(stored().email).not.toBe('locked@example.com');
    const { password } = demoUsers(SEED).find((user) => user.username === 'teller1')!;
    value(await call('session.unlock', { password }));
  });

  it('holds the customer’s own update for the teller, who sees only which fields changed', async () => {
    const requestId = randomUUID();
    value(await call('counter.self_service', { requestId, customerId: customer.id }));
    expect(counter.view()).toMatchObject({ screen: 'self_service', requestId });
    // The desk's validators, on the core's side too: a bad number is refused, naming the field.
    expect(() => counter.submit(requestId, { phone: '12345' })).toThrow(
      expect.objectContaining({ code: 'INPUT_INVALID' }),
    );
    counter.submit(requestId, { phone: '138 0013 8777', email: 'Own.Choice@Example.com' });
    const waiting = value<{ request: Record<string, unknown> }>(await call('counter.status', {}));
    expect(waiting.request).toMatchObject({ state: 'submitted', fields: ['phone', 'email'] });
    expect(JSON.stringify(waiting)).not.toContain('8777');
    expect(JSON.stringify(waiting).toLowerCase()).not.toContain('own.choice');
    expect(stored().email ?? '').not.toMatch(/own\.choice/i);

    const approved = value<{ request: { state: string } }>(
      await call('counter.approve', { requestId }),
    );
    expect(approved.request.state).toBe('approved');
    const after = stored();
    expect(after.phones.some((phone) => phone.e164 === '+8613800138777')).toBe(true);
    expect(after.email?.toLowerCase()).toBe('own.choice@example.com');
    expect(auditOf(requestId).map((entry) => entry.action)).toEqual([
      'customer_screen',
      'customer_screen',
      'customer_screen',
      'update',
      'update',
    ]);
  });

  it('records the customer’s rating with the visit, and HQ takes everything confirmed', async () => {
    const visitId = randomUUID();
    value(await call('customer.record_visit', { id: customer.id, visitId, kind: 'branch' }));
    const requestId = randomUUID();
    value(await call('counter.ask_rating', { requestId, customerId: customer.id, visitId }));
    expect(counter.view()).toMatchObject({ screen: 'rate', requestId });
    await counter.rate(requestId, 4, 'friendly_staff');
    expect(stored().satisfaction).toEqual([
      expect.objectContaining({ id: requestId, visitId, score: 4, reason: 'friendly_staff' }),
    ]);

    await syncRound(vault, secrets);
    const pending = vault.db.prepare('SELECT count(*) FROM outbox').pluck().get();
    expect(pending).toBe(0);
    const rejected = vault.db.prepare('SELECT count(*) FROM sync_rejected').pluck().get();
    expect(rejected).toBe(0);
    // PGlite takes one process at a time: HQ stops while the test reads its database.
    await server.stop();
    const db = await openDatabase(hq);
    try {
      const [row] = await db.query<{ record: Customer }>(
        'SELECT record FROM customer WHERE id = $1',
        [customer.id],
      );
      expect(row!.record.satisfaction?.[0]).toMatchObject({ visitId, score: 4 });
      expect(row!.record.consents.some((event) => event.evidence?.kind === 'customer_screen')).toBe(
        true,
      );
      expect(row!.record.phones.some((phone) => phone.e164 === '+8613800138777')).toBe(true);
    } finally {
      await db.close();
    }
  });
});
