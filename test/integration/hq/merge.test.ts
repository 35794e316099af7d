// Merging duplicate customers and undoing it, end to end on PGlite and PostgreSQL: a real HQ over
// HTTP, two HQ administrators (four eyes), and two enrolled branch devices, each with edits
// queued offline against one of the two records while the merge happens at HQ. Nothing is lost:
// the edit to the record merged away is applied to the survivor, both devices converge on HQ's
// records, and the old customer number and ID number find the survivor. An unmerge then brings
// both records back as they were, with a change made since given to the one a person chose.
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatch, type CommandResult } from '../../../electron/core/commands';
import { CustomerStore } from '../../../electron/core/customers';
import { enrollDevice } from '../../../electron/core/device/enrollment';
import { syncRound } from '../../../electron/core/sync/engine';
import { openVault, type Vault } from '../../../electron/core/vault';
import { openDatabase } from '../../../hq/db/database';
import { editAtHq } from '../../../hq/mutations';
import type { Role } from '../../../shared/access/permissions';
import type { Customer } from '../../../shared/customer';
import type { MergeRecord, UnmergePlan } from '../../../shared/protocol/merge';
import { sameJson } from '../../../shared/sync/canonical';
import {
  addHqUser,
  hqAdmin,
  hqCommand,
  startHq,
  type HqAccount,
  type HqEnv,
  type RunningHq,
} from '../../support/hq';
import { secondRegistrationOf } from '../../support/duplicates';
import { profileSandbox, realSecretStore } from '../../support/keyring';
import { startPostgres, type PostgresCluster } from '../../support/postgres';

const secrets = realSecretStore();
const PASSPORT = { type: 'passport', number: 'E12345678', issuingCountry: 'CHN' } as const;

function value<T = { customer: Customer }>(result: CommandResult): T {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message.en}`);
  return result.value as T;
}
const refusal = (result: CommandResult) => (result.ok ? 'ok' : result.error.code);

interface Desk {
  dir: string;
  vault: Vault;
}

describe.each(['pglite', 'postgres'] as const)('merge and unmerge on %s', (database) => {
  const sandbox = profileSandbox(secrets);
  let cluster: PostgresCluster | undefined;
  let hq: HqEnv;
  let server: RunningHq | undefined;
  let port = 0;
  let first: Desk;
  let second: Desk;
  let proposer: HqAccount;
  let approver: HqAccount;
  let officer: HqAccount;
  let survivor: Customer;
  let mergedAway: Customer;
  let merge: MergeRecord;
  const noteOnMerged = randomUUID();
  const noteOnSurvivor = randomUUID();
  const url = () => server!.url;
  const as = (desk: Desk, username: string, role: Role) => ({
    principal: { kind: 'user' as const, userId: `u-${username}`, username, roles: [role] },
    secrets,
    vault: desk.vault,
  });
  const stored = (desk: Desk, id: string) => new CustomerStore(desk.vault.db).get(id)?.customer;
  const sync = async (desk: Desk) => {
    const round = await syncRound(desk.vault, secrets);
    return round;
  };

  async function enrol(name: string): Promise<Desk> {
    const code = hqCommand(hq, ['enroll-code', '--branch', 'B001']).stdout.trim();
    server ??= await startHq(hq, port ? { port } : {});
    port = Number(new URL(server.url).port);
    const dir = join(sandbox.path, name);
    const enrolled = await enrollDevice(dir, secrets, { hqUrl: server.url, code });
    sandbox.forget(enrolled.profileId);
    const vault = openVault(dir, secrets);
    await syncRound(vault, secrets);
    return { dir, vault };
  }

  /** Both devices hold exactly HQ's records of the branch (none more, none less, same values). */
  async function expectConverged() {
    const scope = await hqAdmin(url, approver).scope('B001');
    for (const desk of [first, second]) {
      const held = new CustomerStore(desk.vault.db);
      expect(held.count()).toBe(scope.size);
      for (const [id, master] of scope) {
        const local = held.get(id);
        expect(local?.hasPendingChanges, id).toBe(false);
        expect(sameJson(local?.customer, master.customer), id).toBe(true);
      }
    }
  }

  beforeAll(async () => {
    if (database === 'postgres') cluster = await startPostgres();
    hq = { dataDir: join(sandbox.path, 'hq'), ...(cluster ? { databaseUrl: cluster.url } : {}) };
    expect(
      hqCommand(hq, ['seed', '--customers', '30', '--branches', '1', '--seed', '61']).status,
    ).toBe(0);
    proposer = addHqUser(hq, 'admin1', 'hq_admin');
    approver = addHqUser(hq, 'admin2', 'hq_admin');
    officer = addHqUser(hq, 'privacy1', 'privacy_officer');
    const db = await openDatabase({
      dataDir: hq.dataDir,
      ...(hq.databaseUrl ? { databaseUrl: hq.databaseUrl } : {}),
    });
    let ids: string[];
    try {
      ids = (
        await db.query<{ id: string }>(
          `SELECT id FROM customer WHERE record->>'kind' = 'individual'
           ORDER BY customer_number LIMIT 2`,
        )
      ).map((row) => row.id);
      // The same person registered twice: once with their resident ID card, once (at another
      // counter, years later) with their passport and a different phone.
      const [row] = await db.query<{ record: Customer }>(
        'SELECT record FROM customer WHERE id = $1',
        [ids[0]],
      );
      const person = row!.record;
      if (person.kind !== 'individual') throw new Error('seeded an individual');
      await editAtHq(db, ids[1]!, secondRegistrationOf(person, PASSPORT.number), 'hq:test');
    } finally {
      await db.close();
    }
    first = await enrol('first');
    second = await enrol('second');
    survivor = stored(first, ids[0]!)!;
    mergedAway = stored(first, ids[1]!)!;
  }, 300_000);
  afterAll(async () => {
    if (process.env.MERGE_TEST_LOG) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      console.log(server?.output());
    }
    first?.vault.close();
    second?.vault.close();
    await server?.stop();
    cluster?.stop();
    sandbox.cleanup();
  });

  it('merges with four eyes while both devices hold edits queued offline against each record', async () => {
    // Offline: the first device notes and changes the occupation of the record to be merged away,
    // the second adds a note to the survivor. Neither syncs.
    const teller = as(first, 'teller1', 'teller');
    value(
      await dispatch(
        'customer.add_note',
        { id: mergedAway.id, noteId: noteOnMerged, text: '客户说明：已更换工作单位' },
        teller,
      ),
    );
    value(
      await dispatch(
        'customer.update',
        {
          id: mergedAway.id,
          baseVersion: stored(first, mergedAway.id)!.version,
          changes: { occupation: '教师' },
        },
        teller,
      ),
    );
    value(
      await dispatch(
        'customer.add_note',
        { id: survivor.id, noteId: noteOnSurvivor, text: '柜台来访，核对资料' },
        as(second, 'teller2', 'teller'),
      ),
    );

    const queued = first.vault.db
      .prepare('SELECT mutation_id FROM outbox WHERE customer_id = ?')
      .pluck()
      .all(mergedAway.id) as string[];
    expect(queued).toHaveLength(2);

    // HQ: one administrator proposes, the same one may not approve, a second one does.
    const admin1 = hqAdmin(url, proposer);
    const admin2 = hqAdmin(url, approver);
    merge = await admin1.call<MergeRecord>('POST', '/v1/admin/merges', {
      survivorId: survivor.id,
      mergedId: mergedAway.id,
      choices: { occupation: 'merged' },
      reason: 'the same person registered twice',
    });
    expect(merge.status).toBe('proposed');
    await expect(
      admin1.call('POST', '/v1/admin/merges', {
        survivorId: mergedAway.id,
        mergedId: survivor.id,
        reason: 'again, the other way round',
      }),
    ).rejects.toThrow(/MERGE_REFUSED/);
    await expect(
      admin1.call('POST', `/v1/admin/merges/${merge.id}/decision`, { decision: 'approve' }),
    ).rejects.toThrow(/MERGE_OWN_PROPOSAL/);
    merge = await admin2.call<MergeRecord>('POST', `/v1/admin/merges/${merge.id}/decision`, {
      decision: 'approve',
    });
    expect(merge).toMatchObject({ status: 'merged', decidedBy: 'hq:admin2' });
    await expect(
      admin2.call('POST', `/v1/admin/merges/${merge.id}/decision`, { decision: 'approve' }),
    ).rejects.toThrow(/MERGE_NOT_PENDING/);

    // Both devices sync (each twice: the second round brings the other's edits).
    for (const desk of [first, second, first, second]) await sync(desk);

    for (const desk of [first, second]) {
      expect(stored(desk, mergedAway.id)).toBeUndefined();
      const united = stored(desk, survivor.id)!;
      // The edit queued against the record merged away was applied to the survivor.
      expect(united.notes.map((note) => note.id)).toEqual(
        expect.arrayContaining([noteOnMerged, noteOnSurvivor]),
      );
      expect(united.kind === 'individual' && united.occupation).toBe('教师');
      // The survivor's number, both records' documents and accounts.
      expect(united.customerNumber).toBe(survivor.customerNumber);
      for (const document of mergedAway.identityDocuments)
        expect(united.identityDocuments).toContainEqual(document);
      expect(united.accounts.length).toBe(
        new Set(
          [...survivor.accounts, ...mergedAway.accounts].map((account) => account.maskedNumber),
        ).size,
      );
      expect(united.mergedFrom).toEqual([
        expect.objectContaining({
          customerId: mergedAway.id,
          customerNumber: mergedAway.customerNumber,
          mergeId: merge.id,
        }),
      ]);
      // The old number and the old ID number find the survivor; the old id says where it went.
      const search = (query: string) =>
        dispatch('customer.search', { query }, as(desk, 'teller1', 'teller')).then((result) =>
          value<{ items: { id: string }[] }>(result).items.map((item) => item.id),
        );
      expect(await search(mergedAway.customerNumber)).toEqual([survivor.id]);
      expect(await search(mergedAway.identityDocuments[0]!.number)).toEqual([survivor.id]);
      const opened = await dispatch(
        'customer.show',
        { id: mergedAway.id },
        as(desk, 'teller1', 'teller'),
      );
      expect(refusal(opened)).toBe('CUSTOMER_MERGED');
      expect(!opened.ok && opened.error.message['zh-CN']).toContain(survivor.customerNumber);
      const redirect = value<{ redirect: { survivorId: string; survivorHeld: boolean } | null }>(
        await dispatch(
          'merge.redirect',
          { customerNumber: mergedAway.customerNumber },
          as(desk, 'teller1', 'teller'),
        ),
      );
      expect(redirect.redirect).toMatchObject({ survivorId: survivor.id, survivorHeld: true });
    }
    await expectConverged();

    // HQ kept one outcome for each redirected edit, under the id the device knows.
    const { mutations } = await hqAdmin(url, approver).mutations(queued);
    expect(mutations).toHaveLength(queued.length);
    for (const { outcome } of mutations)
      expect(outcome).toMatchObject({
        customerId: mergedAway.id,
        status: 'applied',
        redirectedTo: survivor.id,
      });
  }, 240_000);

  it('undoes the merge: both records as they were, each later change where a person put it', async () => {
    // After the merge the first device records a visit-note that belongs to the other person.
    const later = randomUUID();
    value(
      await dispatch(
        'customer.add_note',
        { id: survivor.id, noteId: later, text: '此条属于另一位客户' },
        as(first, 'teller1', 'teller'),
      ),
    );
    await sync(first);
    const admin1 = hqAdmin(url, proposer);
    const plan = await admin1.call<UnmergePlan>('GET', `/v1/admin/merges/${merge.id}/unmerge-plan`);
    // Suggested: the survivor for what was done to it since, the other record for what the
    // edits queued against that record (redirected at the merge) did.
    const suggested = Object.fromEntries(plan.changes.map((change) => [change.key, change]));
    expect(suggested[`notes/${later}`]).toMatchObject({ change: 'added', suggested: 'survivor' });
    expect(suggested.occupation).toMatchObject({ change: 'value', suggested: 'merged' });
    expect(suggested[`notes/${noteOnMerged}`]).toMatchObject({ suggested: 'merged' });
    expect(suggested[`notes/${noteOnSurvivor}`]).toMatchObject({ suggested: 'survivor' });
    const undone = await admin1.call<MergeRecord>('POST', `/v1/admin/merges/${merge.id}/unmerge`, {
      reason: 'two different people after all',
      assignments: { [`notes/${later}`]: 'merged' },
    });
    expect(undone.status).toBe('unmerged');
    await expect(
      admin1.call('POST', `/v1/admin/merges/${merge.id}/unmerge`, { reason: 'once more' }),
    ).rejects.toThrow(/MERGE_NOT_PENDING/);

    for (const desk of [first, second, first]) await sync(desk);
    for (const desk of [first, second]) {
      const back = stored(desk, mergedAway.id)!;
      const kept = stored(desk, survivor.id)!;
      expect(back.customerNumber).toBe(mergedAway.customerNumber);
      expect(back.identityDocuments).toEqual(mergedAway.identityDocuments);
      expect(back.notes.map((note) => note.id)).toEqual(
        expect.arrayContaining([later, noteOnMerged]),
      );
      expect(kept.notes.map((note) => note.id)).toContain(noteOnSurvivor);
      expect(kept.notes.map((note) => note.id)).not.toContain(later);
      expect(kept.notes.map((note) => note.id)).not.toContain(noteOnMerged);
      expect(back.kind === 'individual' && back.occupation).toBe('教师');
      expect(kept.mergedFrom).toBeUndefined();
      for (const document of mergedAway.identityDocuments)
        expect(kept.identityDocuments).not.toContainEqual(document);
      expect(kept.kind === 'individual' && kept.occupation).toBe(
        survivor.kind === 'individual' && survivor.occupation,
      );
      // Found by its own number again; no redirect left.
      const items = value<{ items: { id: string }[] }>(
        await dispatch(
          'customer.search',
          { query: mergedAway.customerNumber },
          as(desk, 'teller1', 'teller'),
        ),
      ).items;
      expect(items.map((item) => item.id)).toEqual([mergedAway.id]);
      expect(
        refusal(await dispatch('customer.show', { id: mergedAway.id }, as(desk, 't', 'teller'))),
      ).toBe('ok');
    }
    await expectConverged();
  }, 240_000);

  it('takes an erasure request for a record merged away as the person’s, and then keeps the merge', async () => {
    const admin1 = hqAdmin(url, proposer);
    const again = await admin1.call<MergeRecord>('POST', '/v1/admin/merges', {
      survivorId: survivor.id,
      mergedId: mergedAway.id,
      reason: 'the same person after all',
    });
    await hqAdmin(url, approver).call('POST', `/v1/admin/merges/${again.id}/decision`, {
      decision: 'approve',
    });
    // Asked by the old customer's id: recorded for the survivor, held (open accounts) and the
    // survivor restricted meanwhile.
    const decided = await hqAdmin(url, officer).call<{
      outcome: string;
      request: { customerId: string };
    }>('POST', `/v1/admin/customers/${mergedAway.id}/erasure-requests`, {
      channel: 'letter',
      reference: 'ER-2026-0031',
    });
    expect(decided).toMatchObject({ outcome: 'held', request: { customerId: survivor.id } });
    const scope = await hqAdmin(url, approver).scope('B001');
    expect(scope.get(survivor.id)?.customer.restriction).toBeDefined();
    // A restricted customer's merge is not undone: it is kept, not processed.
    await expect(
      admin1.call('POST', `/v1/admin/merges/${again.id}/unmerge`, { reason: 'undo it' }),
    ).rejects.toThrow(/UNMERGE_REFUSED/);
  }, 120_000);
});
