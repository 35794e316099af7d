// The audit log as an auditor and a supervisor read it, through the command table with desk
// sessions signed in at a real HQ (the staff cache gives display names): each entry resolved to
// the customer's number and name (masked by role), the staff member's name and the details as
// keys; filters by customer number or ID number, member of staff, action and dates; the CSV
// export masked for its reader and audited as an export; printing audited.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditLog } from '../../../electron/core/audit/log';
import { dispatch, type CommandContext, type CommandResult } from '../../../electron/core/commands';
import { CustomerService } from '../../../electron/core/customers';
import { enrollDevice } from '../../../electron/core/device/enrollment';
import { StaffSession } from '../../../electron/core/session/session';
import { syncRound } from '../../../electron/core/sync/engine';
import { openVault, type Vault } from '../../../electron/core/vault';
import { maskIdNumber, maskName } from '../../../shared/access/masking';
import { readableAuditRow } from '../../../shared/audit/readable';
import type { AuditLogRow } from '../../../shared/commands/audit';
import type { Customer } from '../../../shared/customer';
import type { SerializedError } from '../../../shared/errors';
import { demoUsers } from '../../../hq/seed';
import { hqCommand, startHq, type HqEnv, type RunningHq } from '../../support/hq';
import { profileSandbox, realSecretStore } from '../../support/keyring';
import { waitingTotpCodes } from '../../support/staff';

const secrets = realSecretStore();
const SEED = 31;
const staff = new Map(demoUsers(SEED).map((user) => [user.username, user]));
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

function value<T = Record<string, unknown>>(result: CommandResult): T {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message.en}`);
  return result.value as T;
}
function refusal(result: CommandResult): SerializedError {
  if (result.ok) throw new Error('expected a refusal');
  return result.error;
}

interface Query {
  rows: AuditLogRow[];
  total: number;
  staff: { actor: string; name: string }[];
}

describe('the audit viewer, read by an auditor and a supervisor', () => {
  const sandbox = profileSandbox(secrets);
  let hq: HqEnv;
  let server: RunningHq | undefined;
  let vault: Vault;
  let person: Customer;
  let idNumber: string;
  const sessions = new Map<string, CommandContext>();
  const as = (username: string) => sessions.get(username)!;

  async function signIn(username: string): Promise<void> {
    const context: CommandContext = {
      principal: { kind: 'anonymous' },
      session: new StaffSession(),
      secrets,
      vault,
    };
    const user = staff.get(username)!;
    value(
      await dispatch(
        'session.login',
        { username, password: user.password, totp: await waitingTotpCodes(user.totpSecret)() },
        context,
      ),
    );
    sessions.set(username, context);
  }

  beforeAll(async () => {
    hq = { dataDir: join(sandbox.path, 'hq') };
    expect(
      hqCommand(hq, ['seed', '--customers', '80', '--branches', '1', '--seed', String(SEED)])
        .status,
    ).toBe(0);
    const code = hqCommand(hq, ['enroll-code', '--branch', 'B001']).stdout.trim();
    server = await startHq(hq);
    const dataDir = join(sandbox.path, 'desk');
    const enrolled = await enrollDevice(dataDir, secrets, { hqUrl: server.url, code });
    sandbox.forget(enrolled.profileId);
    vault = openVault(dataDir, secrets);
    await syncRound(vault, secrets);
    const service = new CustomerService(vault);
    const ids = vault.db.prepare('SELECT id FROM customer').pluck().all() as string[];
    person = ids
      .map((id) => service.store.get(id)!.customer)
      .find(
        (customer) =>
          customer.kind === 'individual' &&
          customer.identityDocuments[0]?.type === 'resident_id' &&
          [...customer.legalName].length >= 2,
      )!;
    idNumber = person.identityDocuments[0]!.number;
    for (const username of ['teller1', 'supervisor1', 'auditor1']) await signIn(username);

    // A teller's morning with the customer: search by ID number, open, reveal, edit.
    value(await dispatch('customer.search', { query: idNumber }, as('teller1')));
    value(await dispatch('customer.show', { id: person.id }, as('teller1')));
    value(
      await dispatch(
        'customer.reveal.identity_number',
        { id: person.id, reason: 'customer_present_verified' },
        as('teller1'),
      ),
    );
    value(
      await dispatch(
        'customer.update',
        { id: person.id, baseVersion: person.version, changes: { email: 'a.b@example.com' } },
        as('teller1'),
      ),
    );
    // A sign-in under a name this device does not know.
    await dispatch(
      'session.login',
      { username: 'nobody-here', password: 'x', totp: '000000' },
      { principal: { kind: 'anonymous' }, session: new StaffSession(), secrets, vault },
    );
  }, 240_000);
  afterAll(async () => {
    vault?.close();
    await server?.stop();
    sandbox.cleanup();
  });

  const query = async (username: string, input: Record<string, unknown> = {}) =>
    value<Query>(await dispatch('audit.query', input, as(username)));

  it('resolves each entry: customer number and masked name, staff name, reason, labelled details', async () => {
    const { rows, staff: known } = await query('auditor1');
    const reveal = rows.find((row) => row.action === 'reveal')!;
    expect(reveal).toMatchObject({
      actor: 'user:teller1',
      staff: '柜员 王芳',
      customer: { number: person.customerNumber, name: maskName(person.legalName) },
      reason: 'customer_present_verified',
      details: [
        { key: 'field', value: 'identity_number' },
        { key: 'index', value: 0 },
      ],
    });
    const words = readableAuditRow(reveal, 'zh-CN');
    expect(words).toMatchObject({
      staff: '柜员 王芳',
      action: '查看明文',
      customerNumber: person.customerNumber,
      customerName: maskName(person.legalName),
      reason: '客户本人在场且已核实身份',
      details: [
        { label: '字段', value: '证件号码' },
        { label: '第几项', value: '1' },
      ],
    });
    expect(readableAuditRow(reveal, 'en')).toMatchObject({
      action: 'Revealed a value',
      reason: 'Customer present, identity verified',
      details: [{ label: 'Field', value: 'ID number' }, { label: 'Item' }],
    });
    // The search as the auditor may see it: the ID number masked.
    const search = rows.find((row) => row.action === 'search' && row.actor === 'user:teller1')!;
    expect(search.details).toContainEqual({ key: 'query', value: maskIdNumber(idNumber) });
    const failure = rows.find((row) => row.action === 'login_failure')!;
    expect(failure).toMatchObject({ actor: 'unknown', staff: null });
    expect(readableAuditRow(failure, 'zh-CN').staff).toBe('未知用户');
    expect(readableAuditRow(failure, 'en').staff).toBe('Unknown user');
    // Nothing a person reads is an internal id or raw JSON.
    for (const locale of ['zh-CN', 'en'] as const) {
      // customerId is the link target behind the customer number, never text on screen.
      const shown = JSON.stringify(
        rows.map((row) => {
          const { customerId: _link, ...text } = readableAuditRow(row, locale);
          return text;
        }),
      );
      expect(shown).not.toMatch(UUID);
      expect(shown).not.toContain('{\\"');
      expect(shown).not.toMatch(/\b[A-Z_]{6,}\b/);
      expect(shown).not.toMatch(/\b(login_failure|sync_end|identity_number)\b/);
    }
    expect(known).toEqual(
      expect.arrayContaining([
        { actor: 'user:teller1', name: '柜员 王芳' },
        { actor: 'user:auditor1', name: '审计 赵磊' },
      ]),
    );
    // Newest first.
    expect(rows[0]!.seq).toBeGreaterThan(rows.at(-1)!.seq);
  });

  it('shows a supervisor the name, and the query masked as it was recorded', async () => {
    const { rows } = await query('supervisor1');
    const reveal = rows.find((row) => row.action === 'reveal')!;
    expect(reveal.customer).toMatchObject({ name: person.legalName });
    const search = rows.find((row) => row.action === 'search' && row.actor === 'user:teller1')!;
    // Queries are recorded masked (the log outlives an erasure): the ID number's ends only.
    const shown = search.details.find((detail) => detail.key === 'query')!.value as string;
    expect(shown).not.toBe(idNumber);
    expect(shown.slice(0, 4)).toBe(idNumber.slice(0, 4));
    expect(shown).toContain('*');
  });

  it('filters by customer number or ID number, never by internal id', async () => {
    const byNumber = await query('auditor1', { customer: person.customerNumber.toLowerCase() });
    expect(byNumber.rows.length).toBeGreaterThanOrEqual(3);
    expect(byNumber.rows.every((row) => row.customer?.number === person.customerNumber)).toBe(true);
    const spaced = `${idNumber.slice(0, 6)} ${idNumber.slice(6, 14)} ${idNumber.slice(14)}`;
    const byId = await query('auditor1', { customer: spaced.toLowerCase() });
    expect(byId.rows.map((row) => row.seq)).toEqual(byNumber.rows.map((row) => row.seq));
    const unknown = refusal(
      await dispatch('audit.query', { customer: 'C0000000000' }, as('auditor1')),
    );
    expect(unknown.code).toBe('AUDIT_CUSTOMER_UNKNOWN');
    expect(unknown.message['zh-CN']).toMatch(/客户号.*证件号码/);
    expect(unknown.message['zh-CN']).not.toMatch(/[A-Z_]{6,}|UUID|customerId/);
  });

  it('filters by member of staff, by actions and by a date range', async () => {
    const teller = await query('auditor1', { actor: 'user:teller1' });
    expect(teller.rows.length).toBeGreaterThanOrEqual(4);
    expect(teller.rows.every((row) => row.actor === 'user:teller1')).toBe(true);
    const actions = await query('auditor1', { actions: ['reveal', 'update'] });
    expect(new Set(actions.rows.map((row) => row.action))).toEqual(new Set(['reveal', 'update']));
    const today = new Date().toISOString().slice(0, 10);
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    expect((await query('auditor1', { from: today, to: today })).total).toBeGreaterThan(5);
    expect((await query('auditor1', { from: tomorrow })).rows).toEqual([]);
    const backwards = refusal(
      await dispatch('audit.query', { from: tomorrow, to: today }, as('auditor1')),
    );
    expect(backwards.code).toBe('AUDIT_RANGE_BACKWARDS');
    expect(backwards.message['zh-CN']).toBe('开始日期晚于结束日期，请调整日期范围。');
  });

  it('exports what is filtered as CSV, masked for the auditor, and audits the export', async () => {
    const filter = { customer: idNumber, actions: ['reveal', 'search', 'view', 'update'] };
    const before = new AuditLog(vault).head().seq;
    const { csv, rows } = value<{ csv: string; rows: number }>(
      await dispatch('audit.csv', { ...filter, locale: 'zh-CN' }, as('auditor1')),
    );
    expect(csv.startsWith('\ufeff序号,时间,操作人,操作,客户号,客户姓名,原因,详情\r\n')).toBe(true);
    const lines = csv.trim().split('\r\n').slice(1);
    expect(lines).toHaveLength(rows);
    expect(rows).toBeGreaterThanOrEqual(3);
    expect(lines.every((line) => line.includes(person.customerNumber))).toBe(true);
    expect(csv).toContain(maskName(person.legalName));
    expect(csv).toContain('查看明文');
    expect(csv).toContain('柜员 王芳');
    expect(csv).not.toContain(person.legalName);
    expect(csv).not.toContain(idNumber);
    expect(csv).not.toMatch(UUID);
    const english = value<{ csv: string }>(
      await dispatch('audit.csv', { ...filter, locale: 'en' }, as('auditor1')),
    ).csv;
    expect(english.startsWith('\ufeffNo.,Time,Staff,Action,Customer no.,Customer name')).toBe(true);
    expect(english).toContain('Revealed a value');

    const [exported] = new AuditLog(vault).entries({ fromSeq: before + 1 });
    expect(exported).toMatchObject({ action: 'export', actor: 'user:auditor1', target: person.id });
    const details = JSON.parse(exported!.details) as Record<string, unknown>;
    expect(details).toEqual({
      of: 'audit',
      format: 'csv',
      actions: ['reveal', 'search', 'view', 'update'],
      entries: rows,
    });
    expect(exported!.details).not.toContain(idNumber);
    // The export's own entry, as the auditor reads it back: words, the filter's actions.
    const back = (await query('auditor1', { actions: ['export'] })).rows[1]!;
    expect(readableAuditRow(back, 'zh-CN').details).toEqual(
      expect.arrayContaining([
        { key: 'format', label: '格式', value: 'CSV 文件' },
        { key: 'actions', label: '操作', value: '查看明文、查询客户、查看、修改客户资料' },
      ]),
    );
  });

  it('refuses a supervisor the export (it is the auditor’s) and records the refusal', async () => {
    const refused = refusal(await dispatch('audit.csv', { locale: 'zh-CN' }, as('supervisor1')));
    expect(refused.code).toBe('PERMISSION_DENIED');
    expect(new AuditLog(vault).entries({ action: 'denied' }).at(-1)).toMatchObject({
      actor: 'user:supervisor1',
    });
  });

  it('records a print of the filtered log', async () => {
    const printed = value<{ rows: number }>(
      await dispatch('audit.print', { actor: 'user:teller1' }, as('auditor1')),
    );
    const entry = new AuditLog(vault).entries({ action: 'print' }).at(-1)!;
    expect(entry).toMatchObject({ actor: 'user:auditor1', target: null });
    expect(JSON.parse(entry.details)).toEqual({
      of: 'audit',
      actor: 'user:teller1',
      entries: printed.rows,
    });
  });
});
