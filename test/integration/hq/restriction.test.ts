// Restriction of processing (限制处理, PIPL Art. 47), end to end on PGlite and PostgreSQL: HQ
// restricts a customer; after its next sync the branch's desk keeps the record but masks it for
// every role (names too, in the record and in search results), refuses every reveal and every
// edit but a withdrawal of consent, and leaves the customer out of marketing; HQ leaves them out of
// analysts' extracts. Lifting the restriction gives everything back.
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatch, type CommandResult } from '../../../electron/core/commands';
import { CustomerStore } from '../../../electron/core/customers';
import { enrollDevice } from '../../../electron/core/device/enrollment';
import { syncRound } from '../../../electron/core/sync/engine';
import { openVault, type Vault } from '../../../electron/core/vault';
import { openDatabase } from '../../../hq/db/database';
import { extractSources } from '../../../hq/privacy/extract';
import { liftRestriction } from '../../../hq/privacy/restriction';
import type { Role } from '../../../shared/access/permissions';
import { type Customer, localDay, marketingAudience } from '../../../shared/customer';
import {
  hqCommand,
  oneProcessAtATime,
  startHq,
  type HqEnv,
  type RunningHq,
} from '../../support/hq';
import { profileSandbox, realSecretStore } from '../../support/keyring';
import { startPostgres, type PostgresCluster } from '../../support/postgres';

const secrets = realSecretStore();

function value<T = { customer: Customer }>(result: CommandResult): T {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message.en}`);
  return result.value as T;
}
const refusal = (result: CommandResult) => (result.ok ? 'ok' : result.error.code);

describe.each(['pglite', 'postgres'] as const)('restriction of processing on %s', (database) => {
  const sandbox = profileSandbox(secrets);
  let cluster: PostgresCluster | undefined;
  let hq: HqEnv;
  let server: RunningHq | undefined;
  let port = 0;
  let vault: Vault;
  let someone: Customer;
  const as = (username: string, role: Role) => ({
    principal: { kind: 'user' as const, userId: `u-${username}`, username, roles: [role] },
    secrets,
    vault,
  });
  const stored = () => new CustomerStore(vault.db).get(someone.id)!.customer;
  /** Runs `work` on HQ's database; on PGlite (one process at a time) with HQ stopped meanwhile. */
  async function atHq<T>(work: (db: Awaited<ReturnType<typeof openDatabase>>) => Promise<T>) {
    const stopped = oneProcessAtATime(hq);
    if (stopped) await server?.stop();
    const db = await openDatabase({
      dataDir: hq.dataDir,
      ...(hq.databaseUrl ? { databaseUrl: hq.databaseUrl } : {}),
    });
    try {
      return await work(db);
    } finally {
      await db.close();
      if (stopped) server = await startHq(hq, { port });
    }
  }
  const inExtract = () => atHq(async (db) => (await extractSources(db, 'B001')).length);

  beforeAll(async () => {
    if (database === 'postgres') cluster = await startPostgres();
    hq = { dataDir: join(sandbox.path, 'hq'), ...(cluster ? { databaseUrl: cluster.url } : {}) };
    expect(
      hqCommand(hq, ['seed', '--customers', '30', '--branches', '1', '--seed', '31']).status,
    ).toBe(0);
    const code = hqCommand(hq, ['enroll-code', '--branch', 'B001']).stdout.trim();
    server = await startHq(hq);
    port = Number(new URL(server.url).port);
    const dir = join(sandbox.path, 'desk');
    const enrolled = await enrollDevice(dir, secrets, { hqUrl: server.url, code });
    sandbox.forget(enrolled.profileId);
    vault = openVault(dir, secrets);
    await syncRound(vault, secrets);
    const ids = vault.db
      .prepare(`SELECT id FROM customer WHERE kind = 'individual' ORDER BY customer_number`)
      .pluck()
      .all() as string[];
    someone = new CustomerStore(vault.db).get(ids[0]!)!.customer;
  }, 240_000);
  afterAll(async () => {
    vault?.close();
    await server?.stop();
    cluster?.stop();
    sandbox.cleanup();
  });

  it('masks, refuses and leaves out a restricted customer once the branch has synced', async () => {
    const teller = as('teller1', 'teller');
    // SMS marketing allowed before, to show the restriction is what takes them out.
    value(
      await dispatch(
        'customer.grant_consent',
        {
          id: someone.id,
          consentId: randomUUID(),
          purpose: 'marketing_sms',
          channel: 'branch',
          noticeVersion: '2026-12',
          evidence: { kind: 'paper_form', reference: 'PF-2026-0201' },
        },
        teller,
      ),
    );
    await syncRound(vault, secrets);
    const before = await inExtract();
    expect(marketingAudience([stored()], 'sms', localDay(Date.now()))).toHaveLength(1);

    // The privacy officer's console command, HQ serving meanwhile (on PGlite it runs it itself).
    const refused = hqCommand(hq, [
      'privacy',
      'restrict',
      '--customer',
      someone.id,
      '--reason',
      'whim',
    ]);
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toContain('reason');
    const restricted = hqCommand(hq, [
      'privacy',
      'restrict',
      '--customer',
      someone.id,
      '--reason',
      'erasure_requested',
      '--until',
      '2036-12-31',
    ]);
    expect(restricted.status, restricted.stderr).toBe(0);
    // An edit made before the restriction reached the branch: HQ refuses it all the same.
    value(
      await dispatch(
        'customer.update',
        { id: someone.id, baseVersion: stored().version, changes: { occupation: '律师' } },
        teller,
      ),
    );
    expect((await syncRound(vault, secrets)).push).toMatchObject({ rejected: 1, applied: 0 });
    expect(
      vault.db
        .prepare('SELECT reason FROM sync_rejected WHERE customer_id = ? ORDER BY id DESC LIMIT 1')
        .pluck()
        .get(someone.id),
    ).toBe('CUSTOMER_RESTRICTED');
    expect((stored() as { occupation?: string }).occupation).not.toBe('律师');
    expect(stored().restriction).toMatchObject({
      reason: 'erasure_requested',
      until: '2036-12-31',
    });

    // A supervisor, who may reveal everything of anyone else, sees this one masked whole.
    const supervisor = as('supervisor1', 'supervisor');
    const shown = value(await dispatch('customer.show', { id: someone.id }, supervisor)).customer;
    expect(shown.legalName).not.toBe(someone.legalName);
    expect(shown.identityDocuments[0]!.number).not.toBe(someone.identityDocuments[0]!.number);
    expect(shown.restriction).toMatchObject({ reason: 'erasure_requested' });
    const found = value<{ items: { id: string; displayName: string; restricted?: true }[] }>(
      await dispatch('customer.search', { query: someone.customerNumber }, supervisor),
    ).items.find((item) => item.id === someone.id)!;
    expect(found).toMatchObject({ restricted: true });
    expect(found.displayName).not.toBe(someone.legalName);
    // Out of the suggestions typed names give; found by the ID number the customer presents.
    const ids = async (query: string) =>
      value<{ items: { id: string }[] }>(
        await dispatch('customer.search', { query }, supervisor),
      ).items.map((item) => item.id);
    expect(await ids(someone.legalName)).not.toContain(someone.id);
    expect(await ids(someone.identityDocuments[0]!.number)).toContain(someone.id);

    for (const field of ['name', 'identity_number', 'phone'] as const)
      expect(
        refusal(
          await dispatch(
            `customer.reveal.${field}`,
            { id: someone.id, reason: 'customer_present_verified', index: 0 },
            supervisor,
          ),
        ),
      ).toBe('CUSTOMER_RESTRICTED');
    // A compliance officer may still read it, one field at a time, with a reason, and the audit
    // marks the reveal as of a restricted customer; they change nothing.
    const compliance = as('compliance1', 'compliance_officer');
    expect(
      value<{ value: string; restricted?: true }>(
        await dispatch(
          'customer.reveal.identity_number',
          { id: someone.id, reason: 'regulatory_request', index: 0 },
          compliance,
        ),
      ),
    ).toEqual({ value: someone.identityDocuments[0]!.number, restricted: true });
    const entry = vault.db
      .prepare(
        `SELECT actor, details FROM audit_log WHERE action = 'reveal' ORDER BY seq DESC LIMIT 1`,
      )
      .get() as { actor: string; details: string };
    expect(entry.actor).toContain('compliance1');
    expect(JSON.parse(entry.details)).toMatchObject({
      field: 'identity_number',
      reason: 'regulatory_request',
      restricted: true,
    });
    expect(
      refusal(
        await dispatch(
          'customer.update',
          { id: someone.id, baseVersion: stored().version, changes: { occupation: '教师' } },
          compliance,
        ),
      ),
    ).toBe('PERMISSION_DENIED');
    const version = stored().version;
    expect(
      refusal(
        await dispatch(
          'customer.update',
          { id: someone.id, baseVersion: version, changes: { occupation: '教师' } },
          teller,
        ),
      ),
    ).toBe('CUSTOMER_RESTRICTED');
    expect(
      refusal(
        await dispatch(
          'customer.add_note',
          { id: someone.id, noteId: randomUUID(), text: '来电' },
          teller,
        ),
      ),
    ).toBe('CUSTOMER_RESTRICTED');
    expect(stored().version).toBe(version);
    // Out of marketing though the consent stands, and out of the analysts' extract.
    expect(marketingAudience([stored()], 'sms', localDay(Date.now()))).toEqual([]);
    expect(await inExtract()).toBe(before - 1);

    // The customer's will not to be processed is still recorded.
    value(
      await dispatch(
        'customer.withdraw_consent',
        {
          id: someone.id,
          consentId: randomUUID(),
          purpose: 'marketing_sms',
          channel: 'branch',
          evidence: { kind: 'paper_form', reference: 'PF-2026-0201' },
        },
        teller,
      ),
    );
    expect(stored().consents.at(-1)).toMatchObject({ state: 'withdrawn' });
    expect((await syncRound(vault, secrets)).push).toMatchObject({ applied: 1, rejected: 0 });
  });

  it('gives everything back once HQ lifts the restriction', async () => {
    await atHq((db) => liftRestriction(db, someone.id, 'hq:privacy1'));
    await syncRound(vault, secrets);
    expect(stored().restriction).toBeUndefined();
    const supervisor = as('supervisor1', 'supervisor');
    expect(
      value<{ items: { id: string }[] }>(
        await dispatch('customer.search', { query: someone.legalName }, supervisor),
      ).items.map((item) => item.id),
    ).toContain(someone.id);
    expect(
      value(await dispatch('customer.show', { id: someone.id }, supervisor)).customer.legalName,
    ).toBe(someone.legalName);
    expect(
      value<{ value: string }>(
        await dispatch(
          'customer.reveal.identity_number',
          { id: someone.id, reason: 'customer_present_verified', index: 0 },
          supervisor,
        ),
      ).value,
    ).toBe(someone.identityDocuments[0]!.number);
  });
});
