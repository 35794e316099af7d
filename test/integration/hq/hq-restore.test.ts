// HQ restored from a backup, end to end, on PGlite (its data folder copied while HQ is stopped)
// and on PostgreSQL (pg_dump / pg_restore), following docs/OPERATIONS.md's runbook: stop HQ, put
// the backup back, `rotate-epoch`, start HQ. Between the backup and the restore the device had
// edits acknowledged, pulled an HQ edit and uploaded audit; after the restore HQ reissues that
// customer's version with other content. One sync later: every acknowledged edit is at HQ again,
// the pending edit too, the device holds exactly HQ's scope record for record, HQ's new changes
// reached it, its audit upload resumed from where HQ's copy ends and nothing is flagged.
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { cpSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Customer } from '../../../shared/customer';
import { sameJson } from '../../../shared/sync/canonical';
import { generateCustomers } from '../../../shared/synthetic';
import { openVault, readProfile, vaultPaths } from '../../../electron/core/vault';
import { unpackRecord } from '../../../electron/core/customers';
import { branchctl } from '../../support/branchctl';
import {
  addHqUser,
  hqAdmin,
  hqCommand,
  startHq,
  type HqAccount,
  type HqEnv,
  type RunningHq,
} from '../../support/hq';
import { profileSandbox, realSecretStore } from '../../support/keyring';
import { binDir, startPostgres, type PostgresCluster } from '../../support/postgres';

const secrets = realSecretStore();
const SEED = 16;
const COUNT = 120;
const generated: Customer[] = [
  ...generateCustomers({ seed: SEED, count: COUNT, branches: ['B001', 'B002'], rmsPerBranch: 4 }),
];
/** Individuals only branch B001 holds: the customers this test edits. */
const pool = generated.filter(
  (c) =>
    c.kind === 'individual' &&
    c.homeBranchId === 'B001' &&
    (c.assignedRmId === undefined || c.assignedRmId.startsWith('B001-')),
);
const lastJson = (stdout: string) => JSON.parse(stdout.trim().split('\n').at(-1)!);

describe.each(['pglite', 'postgres'] as const)('HQ restored from a backup, on %s', (database) => {
  const sandbox = profileSandbox(secrets);
  let cluster: PostgresCluster | undefined;
  let hq: HqEnv;
  let server: RunningHq;
  let port = 0;
  let account: HqAccount;
  const admin = hqAdmin(
    () => server.url,
    () => account,
  );
  let device = '';
  const backup = () => join(sandbox.path, database === 'pglite' ? 'hq-backup' : 'hq.dump');

  const ok = (args: string[]) => {
    const run = branchctl([...args, '--data-dir', device, '--json', '--lang', 'en']);
    expect(run.status, run.stdout + run.stderr).toBe(0);
    return lastJson(run.stdout).value;
  };
  const show = (id: string) => ok(['customer', 'show', id]) as { customer: Customer };
  const occupationOf = (id: string) => (show(id).customer as Record<string, unknown>).occupation;
  const edit = (id: string, changes: Record<string, unknown>) => {
    const file = join(sandbox.path, `changes-${randomUUID()}.json`);
    writeFileSync(file, JSON.stringify(changes));
    const version = show(id).customer.version;
    ok(['customer', 'update', id, '--base-version', String(version), '--file', file]);
  };
  const pg = (tool: string, args: string[]) =>
    execFileSync(join(binDir(), tool), args, { stdio: ['ignore', 'pipe', 'pipe'] });

  beforeAll(async () => {
    if (database === 'postgres') cluster = await startPostgres();
    hq = {
      dataDir: join(sandbox.path, 'hq'),
      ...(cluster ? { databaseUrl: cluster.url } : {}),
    };
    const seeded = hqCommand(hq, [
      'seed',
      '--customers',
      String(COUNT),
      '--branches',
      '2',
      '--seed',
      String(SEED),
    ]);
    expect(seeded.status, seeded.stderr).toBe(0);
    const code = hqCommand(hq, ['enroll-code', '--branch', 'B001']).stdout.trim();
    account = addHqUser(hq);
    server = await startHq(hq);
    port = Number(new URL(server.url).port);
    device = join(sandbox.path, 'device');
    const run = branchctl(['enroll', '--hq', server.url, '--code', code, '--data-dir', device]);
    expect(run.status, run.stdout + run.stderr).toBe(0);
    sandbox.forget(readProfile(vaultPaths(device).profile).profileId);
  }, 180_000);

  afterAll(async () => {
    await server?.stop();
    cluster?.stop();
    sandbox.cleanup();
  });

  /** The backup, taken as the runbook says (PGlite: HQ stopped while its folder is copied). */
  async function takeBackup() {
    if (database === 'pglite') {
      await server.stop();
      rmSync(backup(), { recursive: true, force: true });
      cpSync(hq.dataDir, backup(), { recursive: true });
      server = await startHq(hq, { port });
    } else pg('pg_dump', ['-Fc', '-f', backup(), cluster!.url]);
  }

  /**
   * The restore, as the runbook says: stop HQ, put the backup back, rotate the epoch (unless
   * the operator forgets), start.
   */
  async function restore(options: { rotate: boolean } = { rotate: true }) {
    await server.stop();
    if (database === 'pglite') {
      rmSync(hq.dataDir, { recursive: true, force: true });
      cpSync(backup(), hq.dataDir, { recursive: true });
    } else
      pg('pg_restore', [
        '--clean',
        '--if-exists',
        '--single-transaction',
        '-d',
        cluster!.url,
        backup(),
      ]);
    if (options.rotate) {
      const rotated = hqCommand(hq, ['rotate-epoch']);
      expect(rotated.status, rotated.stderr).toBe(0);
    }
    server = await startHq(hq, { port });
  }

  /** Every customer of HQ's scope, exactly as HQ has it, on the device, and nothing else. */
  async function expectSameScope() {
    const atHq = await admin.scope('B001');
    const vault = openVault(device, secrets);
    try {
      const rows = vault.db.prepare('SELECT id, record FROM customer').all() as {
        id: string;
        record: Buffer;
      }[];
      expect(rows.map((row) => row.id).sort()).toEqual([...atHq.keys()].sort());
      for (const row of rows)
        expect(sameJson(unpackRecord(row.record), atHq.get(row.id)?.customer), row.id).toBe(true);
    } finally {
      vault.close();
    }
  }

  /** Not flagged: HQ's `audit flagged` lists no device (on PGlite, with HQ stopped). */
  async function expectNoneFlagged() {
    await server.stop();
    const flagged = hqCommand(hq, ['audit', 'flagged']);
    expect(flagged.status, flagged.stderr).toBe(0);
    expect(flagged.stdout).toContain('0 flagged devices');
    server = await startHq(hq, { port });
  }

  it('gets back every acknowledged edit, repairs reissued versions, resumes the audit upload', async () => {
    const [early, acked, reissued, pending, later] = pool;
    ok(['sync']);
    edit(early!.id, { email: 'before.backup@example.com' });
    await admin.edit(later!.id, { occupation: '会计' }); // signs in before the backup too
    expect(ok(['sync']).push).toMatchObject({ applied: 1 });
    await takeBackup();

    // After the backup: an edit HQ acknowledges, an HQ edit the device pulls, audit uploaded.
    edit(acked!.id, { email: 'acknowledged.after.backup@example.com' });
    const lostAtHq = await admin.edit(reissued!.id, { occupation: '律师' });
    const round = ok(['sync']);
    expect(round.push).toMatchObject({ applied: 1 });
    expect(round.audit.error).toBeNull();
    const ackedAudit = round.audit.acknowledgedSeq as number;
    expect(occupationOf(reissued!.id)).toBe('律师');
    expect(ok(['sync', 'status'])).toMatchObject({ outbox: 0 });
    edit(pending!.id, { email: 'pending.during.restore@example.com' });

    await restore();
    // HQ's restored copy reissues the lost version with other content.
    const reissuedNow = await admin.edit(reissued!.id, { occupation: '医生' });
    expect(reissuedNow.version).toBe(lostAtHq.version);
    await admin.edit(later!.id, { occupation: '工程师' });

    const after = ok(['sync']);
    expect(after.audit.error).toBeNull();
    expect(after.audit.acknowledgedSeq).toBeGreaterThan(ackedAudit);
    ok(['sync']); // a second round changes nothing more
    const atHq = await admin.scope('B001');
    expect(atHq.get(early!.id)?.customer.email).toBe('before.backup@example.com');
    expect(atHq.get(acked!.id)?.customer.email).toBe('acknowledged.after.backup@example.com');
    expect(atHq.get(pending!.id)?.customer.email).toBe('pending.during.restore@example.com');
    expect(atHq.get(reissued!.id)?.customer.occupation).toBe('医生');
    expect(occupationOf(reissued!.id)).toBe('医生');
    expect(occupationOf(later!.id)).toBe('工程师');
    expect(ok(['sync', 'status'])).toMatchObject({ outbox: 0 });
    // Record for record: the device holds exactly HQ's scope, and the digests agree.
    const last = ok(['sync']);
    expect(last.pull.scope).toMatchObject({ mismatchedBuckets: 0 });
    await expectSameScope();
    await expectNoneFlagged();
  }, 480_000);

  // The same HQ code on either database; once is enough.
  it.runIf(database === 'pglite')(
    'notices a restore nobody announced, from the device that has seen more',
    async () => {
      const [, , , , , acked, pulled] = pool;
      ok(['sync']);
      await takeBackup();
      edit(acked!.id, { email: 'acknowledged.before.silent.restore@example.com' });
      await admin.edit(pulled!.id, { occupation: '教师' });
      expect(ok(['sync']).push).toMatchObject({ applied: 1 });
      await restore({ rotate: false }); // the runbook's third step forgotten

      // The device's cursor is beyond HQ's sequence now: HQ starts a new epoch, the device resends.
      const round = ok(['sync']);
      expect(round.audit.error).toBeNull();
      ok(['sync']);
      const atHq = await admin.scope('B001');
      expect(atHq.get(acked!.id)?.customer.email).toBe(
        'acknowledged.before.silent.restore@example.com',
      );
      expect(ok(['sync']).pull.scope).toMatchObject({ mismatchedBuckets: 0 });
      await expectSameScope();
      await expectNoneFlagged();
    },
    480_000,
  );
});
