// Erasure under retention (PIPL Art. 47), end to end on PGlite and PostgreSQL, through HQ's
// console and two enrolled branch devices. A customer's request is held while anything keeps the
// data (an open account, the AML retention period, a legal hold) and the customer is restricted
// meanwhile; the retention job erases them once nothing holds. Then, read independently of the
// code under test (test/support/forensics.ts: every page of each vault decrypted by hand, every
// table of HQ's database read as text), the customer's name, ID number and phone occur nowhere:
// not in either device's branch.db or its WAL, though one of them still held an unsent edit and
// the other a change waiting for a supervisor; not in any HQ table, though HQ had their record,
// their history, the mutation bodies and the audit of their searches. Audit entries still name
// the customer by id.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatch, type CommandResult } from '../../../electron/core/commands';
import { CustomerStore } from '../../../electron/core/customers';
import { StaffSession } from '../../../electron/core/session/session';
import { enrollDevice } from '../../../electron/core/device/enrollment';
import { syncRound } from '../../../electron/core/sync/engine';
import { keyAccounts, openVault, vaultPaths, type Vault } from '../../../electron/core/vault';
import { openDatabase, type Database } from '../../../hq/db/database';
import { editAtHq } from '../../../hq/mutations';
import { erasureRequests } from '../../../hq/privacy/erasure';
import type { Role } from '../../../shared/access/permissions';
import type { Customer } from '../../../shared/customer';
import { hqTablesContaining, vaultContains } from '../../support/forensics';
import {
  addHqUser,
  hqAdmin,
  hqCommand,
  oneProcessAtATime,
  startHq,
  type HqAccount,
  type HqEnv,
  type RunningHq,
} from '../../support/hq';
import { profileSandbox, realSecretStore } from '../../support/keyring';
import { waitingTotpCodes } from '../../support/staff';
import { startPostgres, type PostgresCluster } from '../../support/postgres';

const secrets = realSecretStore();

function value<T = { customer: Customer }>(result: CommandResult): T {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message.en}`);
  return result.value as T;
}
const refusal = (result: CommandResult) => (result.ok ? 'ok' : result.error.code);

/** A name no synthetic customer has, so finding it anywhere means finding this customer. */
const NAME = '司徒青岚';
const NEW_NAME = '司徒青嵐';
/** A mobile number the seed's ranges never draw (it is the one this test gives the customer). */
const NEW_PHONE = '+8619912345601';

interface Desk {
  dir: string;
  vault: Vault;
  profileId: string;
}

describe.each(['pglite', 'postgres'] as const)('erasure under retention on %s', (database) => {
  const sandbox = profileSandbox(secrets);
  let cluster: PostgresCluster | undefined;
  let hq: HqEnv;
  let server: RunningHq | undefined;
  let port = 0;
  let counter: Desk;
  let roaming: Desk;
  let someone: Customer;
  let needles: string[];
  let officer: HqAccount;
  let admin: HqAccount;
  let deskOfficer: HqAccount;
  const as = (desk: Desk, username: string, role: Role) => ({
    principal: { kind: 'user' as const, userId: `u-${username}`, username, roles: [role] },
    secrets,
    vault: desk.vault,
  });
  const keyOf = (desk: Desk) => secrets.get(keyAccounts(desk.profileId).current)!;
  const onDisk = (desk: Desk) => vaultContains(vaultPaths(desk.dir).database, keyOf(desk), needles);

  /** Runs `work` on HQ's database; on PGlite (one process at a time) with HQ stopped meanwhile. */
  async function atHq<T>(work: (db: Database) => Promise<T>) {
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
  /** HQ's console, HQ serving meanwhile (on PGlite it runs the command itself); it must succeed. */
  async function atConsole(args: string[]): Promise<string> {
    const run = hqCommand(hq, ['privacy', ...args]);
    expect(run.status, run.stderr).toBe(0);
    return run.stdout;
  }
  async function enrol(name: string): Promise<Desk> {
    const code = hqCommand(hq, ['enroll-code', '--branch', 'B001']).stdout.trim();
    server ??= await startHq(hq, port ? { port } : {});
    port = Number(new URL(server.url).port);
    const dir = join(sandbox.path, name);
    const enrolled = await enrollDevice(dir, secrets, { hqUrl: server.url, code });
    sandbox.forget(enrolled.profileId);
    const vault = openVault(dir, secrets);
    await syncRound(vault, secrets);
    return { dir, vault, profileId: enrolled.profileId };
  }

  beforeAll(async () => {
    if (database === 'postgres') cluster = await startPostgres();
    hq = { dataDir: join(sandbox.path, 'hq'), ...(cluster ? { databaseUrl: cluster.url } : {}) };
    expect(
      hqCommand(hq, ['seed', '--customers', '30', '--branches', '1', '--seed', '47']).status,
    ).toBe(0);
    officer = addHqUser(hq, 'privacy1', 'privacy_officer');
    admin = addHqUser(hq, 'admin1', 'hq_admin');
    deskOfficer = addHqUser(hq, 'privacy2', 'privacy_officer');
    // The customer to erase gets a name and a number no one else has, so that finding either
    // anywhere can only mean finding them; their accounts are open, so the request is held.
    const seeded = await (async () => {
      const db = await openDatabase({
        dataDir: hq.dataDir,
        ...(hq.databaseUrl ? { databaseUrl: hq.databaseUrl } : {}),
      });
      try {
        const [row] = await db.query<{ id: string }>(
          `SELECT id FROM customer WHERE record->>'kind' = 'individual'
             AND jsonb_array_length(record->'accounts') > 0 ORDER BY customer_number LIMIT 1`,
        );
        const { customer } = await editAtHq(db, row!.id, { legalName: NAME }, 'hq:test');
        return customer;
      } finally {
        await db.close();
      }
    })();
    counter = await enrol('counter');
    roaming = await enrol('roaming');
    someone = new CustomerStore(counter.vault.db).get(seeded.id)!.customer;
    needles = [
      NAME,
      NEW_NAME,
      someone.identityDocuments[0]!.number,
      someone.phones[0]!.e164.slice(3),
      NEW_PHONE.slice(3),
    ];
  }, 300_000);
  afterAll(async () => {
    counter?.vault.close();
    roaming?.vault.close();
    await server?.stop();
    cluster?.stop();
    sandbox.cleanup();
  });

  it('leaves traces of a customer everywhere while they are served', async () => {
    const teller = as(counter, 'teller1', 'teller');
    // Found by each of their identifiers, their phone revealed and changed (a mutation, a value
    // replaced at HQ), a new name waiting for a supervisor (a held change on the desk).
    for (const query of needles.slice(0, 4).filter((needle) => needle !== NEW_NAME))
      expect(
        value<{ items: { id: string }[] }>(
          await dispatch('customer.search', { query }, teller),
        ).items.map((item) => item.id),
      ).toContain(someone.id);
    value(
      await dispatch(
        'customer.reveal.phone',
        { id: someone.id, reason: 'customer_present_verified', index: 0 },
        teller,
      ),
    );
    const current = () => new CustomerStore(counter.vault.db).get(someone.id)!.customer;
    value(
      await dispatch(
        'customer.set_phone',
        {
          id: someone.id,
          baseVersion: current().version,
          index: 0,
          phone: { kind: current().phones[0]!.kind, e164: NEW_PHONE },
        },
        teller,
      ),
    );
    const held = value<{ pendingChangeId?: number }>(
      await dispatch(
        'customer.update',
        { id: someone.id, baseVersion: current().version, changes: { legalName: NEW_NAME } },
        teller,
      ),
    );
    expect(held.pendingChangeId).toBeDefined();
    expect((await syncRound(counter.vault, secrets)).push).toMatchObject({ applied: 1 });
    // The roaming RM's laptop takes HQ's record, then edits offline (never pushed before the end).
    await syncRound(roaming.vault, secrets);
    const onLaptop = new CustomerStore(roaming.vault.db).get(someone.id)!.customer;
    value(
      await dispatch(
        'customer.update',
        { id: someone.id, baseVersion: onLaptop.version, changes: { occupation: '教师' } },
        as(roaming, 'rm1', 'relationship_manager'),
      ),
    );
    // The positive control: the reader finds the customer on both disks and at HQ.
    expect(onDisk(counter).map((hit) => hit.needle)).toEqual(
      expect.arrayContaining([NAME, NEW_NAME, NEW_PHONE.slice(3)]),
    );
    expect(onDisk(roaming).map((hit) => hit.needle)).toEqual(expect.arrayContaining([NAME]));
    const atHqBefore = await atHq((db) => hqTablesContaining(db, needles));
    expect(atHqBefore.map((hit) => hit.needle)).toEqual(
      expect.arrayContaining([NAME, someone.identityDocuments[0]!.number, NEW_PHONE.slice(3)]),
    );
    // The kept scope digest holds a term of their record (hq/scope-digest.ts).
    const terms = await atHq((db) =>
      db.query('SELECT 1 FROM scope_digest_entry WHERE customer_id = $1', [someone.id]),
    );
    expect(terms.length).toBeGreaterThan(0);
  });

  it('holds the request while an account is open, the AML period runs or a legal hold stands', async () => {
    const requested = await atConsole([
      'erasure-request',
      '--customer',
      someone.id,
      '--channel',
      'branch',
      '--reference',
      'ER-2026-0001',
    ]);
    expect(requested).toMatch(/held; .* restricted meanwhile: \d+ account\(s\) open/);
    await syncRound(counter.vault, secrets);
    expect(new CustomerStore(counter.vault.db).get(someone.id)!.customer.restriction).toMatchObject(
      { reason: 'erasure_requested' },
    );
    const hold = (
      await atConsole(['hold', '--customer', someone.id, '--reference', 'GA-2026-17'])
    ).match(/legal hold ([0-9a-f-]{36}) placed/)![1]!;
    // Every account closes today: the AML period runs ten years from now, and the hold stands.
    const today = new Date().toISOString().slice(0, 10);
    await atHq(async (db) => {
      const [row] = await db.query<{ record: Customer }>(
        'SELECT record FROM customer WHERE id = $1',
        [someone.id],
      );
      const accounts = (row!.record.accounts ?? []).map((account) => ({
        ...account,
        status: 'closed' as const,
        closedOn: today,
      }));
      await editAtHq(db, someone.id, { accounts, visits: [] }, 'hq:test');
    });
    expect(await atConsole(['retention'])).toContain('erased 0 on request');
    const [request] = await atHq((db) => erasureRequests(db, { customerId: someone.id }));
    expect(request).toMatchObject({ status: 'held', channel: 'branch', reference: 'ER-2026-0001' });
    expect(request!.holds.map((h) => h.kind).sort()).toEqual(['aml_retention', 'legal_hold']);
    // Ten years on the legal hold still keeps it; released, the next run erases.
    expect(await atConsole(['retention', '--today', '2099-01-01'])).toContain(
      'erased 0 on request',
    );
    await atConsole(['release-hold', '--hold', hold]);
    // A dry run changes nothing.
    expect(await atConsole(['retention', '--today', '2099-01-01', '--dry-run'])).toContain(
      'would erase 1 on request',
    );
    expect(
      await atHq((db) => db.query('SELECT 1 FROM customer WHERE id = $1', [someone.id])),
    ).toHaveLength(1);
    expect(await atConsole(['retention', '--today', '2099-01-01'])).toContain(
      'erased 1 on request',
    );
    // Seven runs of the console: on PGlite each stops HQ, opens its database and starts it again.
  }, 240_000);

  it('destroys the customer at HQ: only the id and generalised figures remain', async () => {
    await atHq(async (db) => {
      expect(await db.query('SELECT 1 FROM customer WHERE id = $1', [someone.id])).toEqual([]);
      const [erased] = await db.query<{ statistics: Record<string, string>; ground: string }>(
        'SELECT statistics, ground FROM erased_customer WHERE customer_id = $1',
        [someone.id],
      );
      expect(erased!.ground).toBe('request');
      expect(Object.keys(erased!.statistics).sort()).toEqual(
        ['ageBand', 'gender', 'homeBranchId', 'kind', 'province', 'riskRating', 'segment'].sort(),
      );
      expect(erased!.statistics.ageBand).toMatch(/^\d+-\d+$|^80\+$/);
      // The audit keeps the pseudonymous key: device entries and HQ's own, the erasure included.
      const audit = await db.query('SELECT 1 FROM audit_entry WHERE target = $1', [someone.id]);
      expect(audit.length).toBeGreaterThan(0);
      const [erasure] = await db.query<{ details: string }>(
        `SELECT details FROM hq_audit WHERE action = 'privacy_erase' AND target = $1`,
        [someone.id],
      );
      expect(JSON.parse(erasure!.details)).toMatchObject({ ground: 'request', branches: ['B001'] });
      const [request] = await erasureRequests(db, { customerId: someone.id });
      expect(request).toMatchObject({ status: 'erased', holds: [] });
      // Nothing derived from the record stays in the kept scope digests either.
      expect(
        await db.query('SELECT 1 FROM scope_digest_entry WHERE customer_id = $1', [someone.id]),
      ).toEqual([]);
    });
  });

  it('purges the customer from every device at its next sync, unsent edits and all', async () => {
    const rounds = {
      counter: await syncRound(counter.vault, secrets),
      roaming: await syncRound(roaming.vault, secrets),
    };
    expect(rounds.counter.pull.erased).toBe(1);
    // The laptop's edit is refused (CUSTOMER_ERASED), which purges the customer there at once.
    expect(rounds.roaming.push).toMatchObject({ rejected: 1, erased: 1 });
    for (const desk of [counter, roaming]) {
      const db = desk.vault.db;
      expect(new CustomerStore(db).get(someone.id)).toBeUndefined();
      for (const table of [
        'outbox',
        'sync_rejected',
        'sync_conflict',
        'sync_acknowledged',
        'pending_change',
      ])
        expect(
          db.prepare(`SELECT count(*) FROM ${table} WHERE customer_id = ?`).pluck().get(someone.id),
        ).toBe(0);
      const supervisor = as(desk, 'supervisor1', 'supervisor');
      expect(refusal(await dispatch('customer.show', { id: someone.id }, supervisor))).toBe(
        'CUSTOMER_NOT_FOUND',
      );
      expect(
        value<{ items: unknown[] }>(await dispatch('customer.search', { query: NAME }, supervisor))
          .items,
      ).toEqual([]);
    }
  });

  it('leaves no name, ID number or phone on any disk or in any HQ table', async () => {
    expect(onDisk(counter)).toEqual([]);
    expect(onDisk(roaming)).toEqual([]);
    expect(await atHq((db) => hqTablesContaining(db, needles))).toEqual([]);
  });

  it('lets a privacy officer do the same over HTTP, and no one else', async () => {
    const id = counter.vault.db
      .prepare(`SELECT id FROM customer WHERE kind = 'individual' ORDER BY customer_number LIMIT 1`)
      .pluck()
      .get() as string;
    const url = () => server!.url;
    const request = { channel: 'letter', reference: 'ER-2026-0002' };
    await expect(
      hqAdmin(url, admin).call('POST', `/v1/admin/customers/${id}/erasure-requests`, request),
    ).rejects.toThrow(/403/);
    const privacy = hqAdmin(url, officer);
    const decided = await privacy.call<{
      outcome: string;
      request: { id: string; status: string };
    }>('POST', `/v1/admin/customers/${id}/erasure-requests`, request);
    expect(decided).toMatchObject({ outcome: 'held', request: { status: 'held' } });
    const { requests } = await privacy.call<{ requests: { id: string }[] }>(
      'GET',
      '/v1/admin/erasure-requests?status=held',
    );
    expect(requests.map((r) => r.id)).toContain(decided.request.id);
    const { holdId } = await privacy.call<{ holdId: string }>(
      'POST',
      `/v1/admin/customers/${id}/legal-holds`,
      { reference: 'GA-2026-18' },
    );
    expect(await privacy.call('POST', `/v1/admin/legal-holds/${holdId}/release`)).toEqual({
      customerId: id,
    });
    await expect(privacy.call('POST', `/v1/admin/legal-holds/${holdId}/release`)).rejects.toThrow(
      /404/,
    );
    // A retention period shorter than the AML law's minimum is refused.
    await expect(privacy.call('POST', '/v1/admin/privacy/retention', { years: 5 })).rejects.toThrow(
      /400/,
    );
    expect(
      await privacy.call('POST', '/v1/admin/privacy/retention', { dryRun: true }),
    ).toMatchObject({ erasedOnRequest: 0, stillHeld: 1, years: 10, dryRun: true });
    // The erased customer is gone for HQ's staff too.
    await expect(
      privacy.call('POST', `/v1/admin/customers/${someone.id}/erasure-requests`, request),
    ).rejects.toThrow(/404.*CUSTOMER_ERASED/);
  });

  it('gives a privacy officer the same at the desk, signed in to HQ, and forgets them on sign-out', async () => {
    const codes = waitingTotpCodes(deskOfficer.totpSecret);
    const desk = {
      principal: { kind: 'anonymous' as const },
      session: new StaffSession(),
      secrets,
      vault: counter.vault,
    };
    expect(refusal(await dispatch('privacy.hq.erasures', {}, desk))).toBe('HQ_SESSION_REQUIRED');
    const signedIn = value<{ user: { username: string; roles: string[] } }>(
      await dispatch(
        'privacy.hq.sign_in',
        { username: 'privacy2', password: deskOfficer.password, totp: await codes() },
        desk,
      ),
    );
    expect(signedIn.user).toMatchObject({ username: 'privacy2', roles: ['privacy_officer'] });
    const id = counter.vault.db
      .prepare(
        `SELECT id FROM customer WHERE kind = 'individual' ORDER BY customer_number DESC LIMIT 1`,
      )
      .pluck()
      .get() as string;
    const decided = value<{ outcome: string; request: { id: string; holds: { kind: string }[] } }>(
      await dispatch(
        'privacy.hq.erasure_request',
        { customerId: id, channel: 'branch', reference: 'ER-2026-0003' },
        desk,
      ),
    );
    expect(decided.outcome).toBe('held');
    const listed = value<{ requests: { id: string }[] }>(
      await dispatch('privacy.hq.erasures', { status: 'held' }, desk),
    );
    expect(listed.requests.map((r) => r.id)).toContain(decided.request.id);
    const { holdId } = value<{ holdId: string }>(
      await dispatch('privacy.hq.hold', { customerId: id, reference: 'GA-2026-19' }, desk),
    );
    expect(value(await dispatch('privacy.hq.release_hold', { holdId }, desk))).toEqual({
      customerId: id,
    });
    expect(value(await dispatch('privacy.hq.retention', { dryRun: true }, desk))).toMatchObject({
      dryRun: true,
      erasedOnRequest: 0,
    });
    const { html } = value<{ html: string }>(
      await dispatch('privacy.hq.copy', { customerId: id }, desk),
    );
    expect(html).toContain('个人信息副本');
    // Bad input is refused before HQ is asked.
    expect(
      refusal(
        await dispatch(
          'privacy.hq.erasure_request',
          { customerId: id, channel: 'fax', reference: 'ER-1' },
          desk,
        ),
      ),
    ).toBe('INPUT_INVALID');
    expect(value(await dispatch('privacy.hq.sign_out', {}, desk))).toEqual({ user: null });
    expect(value(await dispatch('privacy.hq.status', {}, desk))).toEqual({ user: null });
    expect(refusal(await dispatch('privacy.hq.erasures', {}, desk))).toBe('HQ_SESSION_REQUIRED');
  });
});
