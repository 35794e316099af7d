// The customer's own copy (PIPL Art. 44–45), made by `npm run hq -- privacy copy` on both of HQ's
// databases: the record whole and unmasked, and who accessed it by role, branch and day, from
// audit entries two enrolled devices uploaded through HQ's real intake. Staff are counted by role,
// never named; another customer's accesses stay out; the printable report escapes what it shows;
// producing the copy is in HQ's own audit.
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../hq/db/database';
import { customerCopyHtml, type CustomerCopy } from '../../../hq/privacy/copy';
import type { ConsentPurpose, Customer } from '../../../shared/customer';
import { EnrollResponse } from '../../../shared/protocol/hq';
import { tempDir } from '../../support/files';
import {
  addHqUser,
  auditKeyPair,
  hqAdmin,
  hqCommand,
  startHq,
  type HqAccount,
  type HqEnv,
  type RunningHq,
} from '../../support/hq';
import { consentPurposeNames } from '../../../shared/i18n/consent';
import { startPostgres, type PostgresCluster } from '../../support/postgres';
import { chainEntries, signedBatch } from '../../support/staff';

const databases = ['pglite', 'postgres'] as const;

describe.each(databases)('a customer’s own copy on %s', (database) => {
  const dir = tempDir('branchdesk-copy-');
  let cluster: PostgresCluster | undefined;
  let hq: HqEnv;
  let server: RunningHq | undefined;
  let person: Customer;
  let other: Customer;
  let staffNames: { username: string; display_name: string }[] = [];
  let officer: HqAccount;
  let admin: HqAccount;

  async function uploadAs(
    code: string,
    batches: { actor: string; action: 'view' | 'reveal'; target: string; count: number }[],
  ) {
    const key = auditKeyPair();
    const enrolled = EnrollResponse.parse(
      await (
        await fetch(`${server!.url}/v1/enroll`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ code, deviceName: 'desk', auditKey: key.enrollBody }),
        })
      ).json(),
    );
    let from: { seq: number; hash: string } | undefined;
    for (const batch of batches) {
      const entries = chainEntries(key.chain, batch.count, { ...batch, ...(from ? { from } : {}) });
      const stored = await fetch(`${server!.url}/v1/audit/batches`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Device ${enrolled.deviceId}.${enrolled.credential}`,
        },
        body: JSON.stringify(signedBatch(key.chain, entries, key.privateKey)),
      });
      expect(stored.status).toBe(200);
      from = { seq: entries.at(-1)!.seq, hash: entries.at(-1)!.hash };
    }
  }

  beforeAll(async () => {
    if (database === 'postgres') cluster = await startPostgres();
    hq = { dataDir: join(dir.path, 'hq'), ...(cluster ? { databaseUrl: cluster.url } : {}) };
    expect(
      hqCommand(hq, ['seed', '--customers', '60', '--branches', '2', '--seed', '9']).status,
    ).toBe(0);
    officer = addHqUser(hq, 'privacy1', 'privacy_officer');
    admin = addHqUser(hq, 'hqadmin1', 'hq_admin');
    const codes = ['B001', 'B002'].map((branch) =>
      hqCommand(hq, ['enroll-code', '--branch', branch]).stdout.trim(),
    );
    const db = await openDatabase({
      dataDir: hq.dataDir,
      ...(hq.databaseUrl ? { databaseUrl: hq.databaseUrl } : {}),
    });
    [person, other] = (
      await db.query<{ record: Customer }>(
        "SELECT record FROM customer WHERE record->>'kind' = 'individual' ORDER BY customer_number LIMIT 2",
      )
    ).map((row) => row.record) as [Customer, Customer];
    staffNames = await db.query('SELECT username, display_name FROM staff_user');
    await db.close();
    server = await startHq(hq);
    // A teller at B001 viewed the customer three times and revealed once; a supervisor at B002
    // viewed them twice; someone else was viewed too.
    await uploadAs(codes[0]!, [
      { actor: 'user:teller1', action: 'view', target: person.id, count: 3 },
      { actor: 'user:teller1', action: 'reveal', target: person.id, count: 1 },
      { actor: 'user:teller1', action: 'view', target: other.id, count: 4 },
    ]);
    await uploadAs(codes[1]!, [
      { actor: 'user:supervisor1', action: 'view', target: person.id, count: 2 },
    ]);
    await server.stop();
    server = undefined;
  }, 300_000);
  afterAll(async () => {
    await server?.stop();
    cluster?.stop();
    dir.cleanup();
  });

  it('holds the record whole and who accessed it by role, branch and day, naming no one', () => {
    const out = join(dir.path, 'copy.json');
    const run = hqCommand(hq, ['privacy', 'copy', '--customer', person.id, '--out', out]);
    expect(run.status, run.stderr).toBe(0);
    for (const file of [out, out.replace(/json$/, 'html')])
      expect(statSync(file).mode & 0o077).toBe(0);
    const copy = JSON.parse(readFileSync(out, 'utf8')) as CustomerCopy;
    // Unmasked: the customer's own data.
    expect(copy.customer).toMatchObject({
      legalName: person.legalName,
      identityDocuments: person.identityDocuments,
      phones: person.phones,
    });
    const today = new Date().toISOString().slice(0, 10);
    expect(copy.access).toEqual(
      expect.arrayContaining([
        { day: today, branchId: 'B001', roles: ['teller'], action: 'view', count: 3 },
        { day: today, branchId: 'B001', roles: ['teller'], action: 'reveal', count: 1 },
        { day: today, branchId: 'B002', roles: ['supervisor'], action: 'view', count: 2 },
      ]),
    );
    expect(copy.access.reduce((sum, entry) => sum + entry.count, 0)).toBe(6);

    const html = readFileSync(out.replace(/json$/, 'html'), 'utf8');
    expect(html).toContain('个人信息副本');
    expect(html).toContain(person.identityDocuments[0]!.number);
    expect(html).toMatch(/<td>柜员<\/td><td>查看明文<\/td><td>1<\/td>/);
    // Each consent event by its purpose's name, as the counter's screen calls it.
    expect(person.consents.length).toBeGreaterThan(0);
    for (const event of person.consents)
      expect(html).toContain(
        `<td>${consentPurposeNames['zh-CN'][event.purpose as ConsentPurpose]}</td>`,
      );
    // No member of staff by name or username, in either file: not as the record's last editor,
    // nor as the author of a visit or note, the assignee of a task, who captured a consent.
    expect(copy.customer).not.toHaveProperty('updatedBy');
    expect(copy.customer).not.toHaveProperty('updatedByDevice');
    for (const field of ['visits', 'notes', 'tasks', 'consents'])
      for (const entry of (copy.customer[field] ?? []) as Record<string, unknown>[])
        for (const key of ['author', 'assignee', 'capturedBy'])
          expect(entry).not.toHaveProperty(key);
    expect(staffNames.length).toBeGreaterThan(3);
    for (const text of [readFileSync(out, 'utf8'), html])
      for (const user of staffNames) {
        expect(text).not.toContain(user.display_name);
        expect(text).not.toContain(`user:${user.username}`);
      }
  });

  it('gives a privacy officer signed in at HQ the same copy over HTTP, and nobody else', async () => {
    server = await startHq(hq);
    try {
      const asOfficer = hqAdmin(() => server!.url, officer);
      const copy = await asOfficer.call<CustomerCopy>(
        'GET',
        `/v1/admin/customers/${person.id}/privacy-copy`,
      );
      expect(copy.customer).toMatchObject({ legalName: person.legalName });
      expect(copy.access.reduce((sum, entry) => sum + entry.count, 0)).toBe(6);
      const page = await fetch(`${server.url}/v1/admin/customers/${person.id}/privacy-copy.html`, {
        headers: { authorization: `Bearer ${await asOfficer.token()}` },
      });
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toMatch(/^text\/html/);
      expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
      expect(await page.text()).toContain(person.legalName);
      // An HQ admin is not a privacy officer: refused, and HQ's audit says who tried.
      await expect(
        hqAdmin(() => server!.url, admin).call(
          'GET',
          `/v1/admin/customers/${person.id}/privacy-copy`,
        ),
      ).rejects.toThrow(/403/);
      const unknown = await fetch(
        `${server.url}/v1/admin/customers/00000000-0000-4000-8000-000000000000/privacy-copy`,
        { headers: { authorization: `Bearer ${await asOfficer.token()}` } },
      );
      expect(unknown.status).toBe(404);
    } finally {
      await server.stop();
      server = undefined;
    }
  });

  it('escapes what the report shows: a value is text, never markup', () => {
    const copy: CustomerCopy = {
      producedAt: '2026-12-04T00:00:00.000Z',
      customer: { legalName: '<img src=x onerror=alert(1)>', customerNumber: 'C"1' },
      changes: [],
      replacedValues: [{ field: 'email', value: '</td><script>x()</script>', replacedAt: 'now' }],
      access: [],
    };
    const html = customerCopyHtml(copy);
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });

  // The refusals come before the database is read: one database shows them.
  it.runIf(database === 'pglite')(
    'refuses an unknown customer and an existing file in words, and HQ’s audit keeps each',
    async () => {
      const out = join(dir.path, 'copy.json');
      const again = hqCommand(hq, ['privacy', 'copy', '--customer', person.id, '--out', out]);
      expect(again.status).toBe(1);
      expect(again.stderr).toContain('was not overwritten');
      // The report's name taken: the JSON is not written either.
      const lone = join(dir.path, 'lone.json');
      writeFileSync(lone.replace(/json$/, 'html'), 'mine');
      expect(
        hqCommand(hq, ['privacy', 'copy', '--customer', person.id, '--out', lone]).status,
      ).toBe(1);
      expect(() => statSync(lone)).toThrow();
      const unknown = hqCommand(hq, [
        'privacy',
        'copy',
        '--customer',
        '00000000-0000-4000-8000-000000000000',
        '--out',
        join(dir.path, 'nobody.json'),
      ]);
      expect(unknown.status).toBe(1);
      expect(unknown.stderr).toContain('No such customer');

      const db = await openDatabase({
        dataDir: hq.dataDir,
        ...(hq.databaseUrl ? { databaseUrl: hq.databaseUrl } : {}),
      });
      const entries = await db.query<{ actor: string; action: string; details: string }>(
        "SELECT actor, action, details FROM hq_audit WHERE action IN ('privacy_copy', 'denied') ORDER BY seq",
      );
      await db.close();
      expect(
        entries.map((entry) => [
          entry.actor.split(':')[0],
          entry.action,
          JSON.parse(entry.details).outcome ?? null,
        ]),
      ).toEqual([
        ['os', 'privacy_copy', 'ok'],
        ['hq', 'privacy_copy', 'ok'],
        ['hq', 'privacy_copy', 'ok'],
        ['hq', 'denied', null],
        ['hq', 'privacy_copy', 'CUSTOMER_NOT_FOUND'],
        ['os', 'privacy_copy', 'OUTPUT_FILE_EXISTS'],
        ['os', 'privacy_copy', 'OUTPUT_FILE_EXISTS'],
        ['os', 'privacy_copy', 'CUSTOMER_NOT_FOUND'],
      ]);
    },
  );
});
