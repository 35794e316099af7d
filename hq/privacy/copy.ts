// The customer's own copy of their personal information (PIPL Art. 44–45): everything HQ holds
// about them, unmasked (it is their own data), and who accessed it, by role, branch and day, from
// the audit logs the devices upload. Staff are named by role, never by name: the customer learns
// how their data was used, not who the bank's employees are. Machine-readable JSON, and a
// printable zh-CN report.
import { auditActionNames } from '../../shared/audit/words';
import { BranchDeskError } from '../../shared/errors';
import { roleNames } from '../../shared/i18n/access';
import { fieldLabels } from '../../shared/i18n/fields';
import type { Role } from '../../shared/access/permissions';
import type { AuditAction } from '../../shared/audit/entry';
import type { Consent, ConsentPurpose, CustomerEditableField } from '../../shared/customer';
import {
  consentChannelNames,
  consentEvidenceText,
  consentPurposeNames,
  consentStateNames,
} from '../../shared/i18n/consent';
import type { CustomerCopy } from '../../shared/protocol/privacy';
import type { Sql } from '../db/database';

export type { CustomerCopy };

/** `user:<username>` as audit entries and mutations name staff; other actors are no one's. */
const username = (actor: string) => (actor.startsWith('user:') ? actor.slice(5) : null);

/** The customer's copy as HQ holds it now; CUSTOMER_NOT_FOUND when HQ has no such customer. */
export async function customerCopy(db: Sql, customerId: string): Promise<CustomerCopy> {
  const [customer] = await db.query<{ record: Record<string, unknown> }>(
    'SELECT record FROM customer WHERE id = $1',
    [customerId],
  );
  if (!customer) throw new BranchDeskError('CUSTOMER_NOT_FOUND', { id: customerId });
  const staff = new Map(
    (
      await db.query<{ username: string; roles: string[] }>(
        'SELECT username, roles FROM staff_user',
      )
    ).map((row) => [row.username, [...row.roles].sort()]),
  );
  const rolesOf = (actor: string) => staff.get(username(actor) ?? '') ?? [];

  const mutations = await db.query<{
    received_at: Date | string;
    body: {
      kind: 'create' | 'update';
      actor: string;
      fields?: Record<string, unknown>;
      correction?: true;
    };
    outcome: { status: 'applied' | 'rejected' };
    branch_id: string;
  }>(
    `SELECT m.received_at, m.body, m.outcome, d.branch_id
       FROM mutation m JOIN device d ON d.id = m.device_id
      WHERE m.customer_id = $1 ORDER BY m.received_at, m.mutation_id`,
    [customerId],
  );
  const replaced = await db.query<{ field: string; value: unknown; recorded_at: Date | string }>(
    'SELECT field, value, recorded_at FROM field_history WHERE customer_id = $1 ORDER BY id',
    [customerId],
  );
  // Counted in the database: a customer seen ten thousand times is a few hundred groups.
  const access = await db.query<{
    day: string;
    branch_id: string;
    actor: string;
    action: string;
    count: string | number;
  }>(
    `SELECT substr(a.at, 1, 10) AS day, d.branch_id, a.actor, a.action, count(*) AS count
       FROM audit_entry a JOIN device d ON d.id = a.device_id
      WHERE a.target = $1
      GROUP BY 1, 2, 3, 4`,
    [customerId],
  );
  const byRole = new Map<string, CustomerCopy['access'][number]>();
  for (const row of access) {
    const roles = rolesOf(row.actor);
    const key = [row.day, row.branch_id, roles.join(','), row.action].join('\u001f');
    const entry = byRole.get(key);
    if (entry) entry.count += Number(row.count);
    else
      byRole.set(key, {
        day: row.day,
        branchId: row.branch_id,
        roles,
        action: row.action,
        count: Number(row.count),
      });
  }
  const iso = (value: Date | string) => new Date(value).toISOString();
  return {
    producedAt: new Date().toISOString(),
    customer: customer.record,
    changes: mutations.map((row) => ({
      receivedAt: iso(row.received_at),
      kind: row.body.kind,
      fields: row.body.kind === 'create' ? [] : Object.keys(row.body.fields ?? {}).sort(),
      branchId: row.branch_id,
      roles: rolesOf(row.body.actor),
      outcome: row.outcome.status,
      correction: row.body.correction === true,
    })),
    replacedValues: replaced.map((row) => ({
      field: row.field,
      value: row.value,
      replacedAt: iso(row.recorded_at),
    })),
    access: [...byRole.values()].sort(
      (a, b) =>
        b.day.localeCompare(a.day) ||
        a.branchId.localeCompare(b.branchId) ||
        a.action.localeCompare(b.action),
    ),
  };
}

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char]!,
  );

const fieldName = (field: string) =>
  fieldLabels['zh-CN'][field.split('/')[0] as CustomerEditableField] ?? field;
const rolesText = (roles: string[]) =>
  roles.length === 0
    ? '系统'
    : roles.map((role) => roleNames['zh-CN'][role as Role] ?? role).join('、');
const actionText = (action: string) => auditActionNames['zh-CN'][action as AuditAction] ?? action;
const valueText = (value: unknown) =>
  value === null || value === undefined
    ? '（无）'
    : typeof value === 'string'
      ? value
      : JSON.stringify(value, null, 1);

function table(headers: string[], rows: string[][], empty: string): string {
  if (rows.length === 0) return `<p class="empty">${escapeHtml(empty)}</p>`;
  const head = headers.map((header) => `<th>${escapeHtml(header)}</th>`).join('');
  const body = rows
    .map((row) => `<tr>${row.map((cell) => `<td>${escapeHtml(cell)}</td>`).join('')}</tr>`)
    .join('\n');
  return `<table><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

/** The copy as a page to print (A4, zh-CN): every value escaped, no script, no external link. */
export function customerCopyHtml(copy: CustomerCopy): string {
  const record = copy.customer;
  const facts = Object.entries(record)
    .filter(([key]) => !['consents', 'visits', 'notes', 'tasks'].includes(key))
    .map(([key, value]) => [fieldName(key), valueText(value)]);
  const entries = (key: string) => (Array.isArray(record[key]) ? (record[key] as unknown[]) : []);
  const pick = (entry: unknown, key: string) => valueText((entry as Record<string, unknown>)[key]);
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>个人信息副本 ${escapeHtml(String(record.customerNumber ?? ''))}</title>
<style>
  @page { size: A4; margin: 18mm 15mm; }
  body { font-family: "Noto Sans CJK SC", "WenQuanYi Micro Hei", sans-serif; font-size: 10.5pt; color: #000; }
  h1 { font-size: 16pt; } h2 { font-size: 12.5pt; margin-top: 1.4em; break-after: avoid; }
  table { border-collapse: collapse; width: 100%; } tr { break-inside: avoid; }
  th, td { border: 1px solid #555; padding: 3px 5px; text-align: left; vertical-align: top; white-space: pre-wrap; }
  th { background: #eee; } .empty { color: #333; }
</style></head>
<body>
<h1>个人信息副本</h1>
<p>根据《中华人民共和国个人信息保护法》第四十四条、第四十五条，本行向您提供所持有的您的个人信息副本。生成时间：${escapeHtml(copy.producedAt)}。</p>
<h2>一、客户资料</h2>
${table(['项目', '内容'], facts, '无')}
<h2>二、授权与同意</h2>
${table(
  ['用途', '状态', '时间', '渠道', '告知版本', '凭证'],
  (entries('consents') as Consent[]).map((c) => [
    consentPurposeNames['zh-CN'][c.purpose as ConsentPurpose] ?? c.purpose,
    consentStateNames['zh-CN'][c.state] ?? c.state,
    c.at,
    consentChannelNames['zh-CN'][c.channel] ?? c.channel,
    c.noticeVersion ?? '',
    consentEvidenceText(c.evidence, 'zh-CN'),
  ]),
  '无授权记录',
)}
<h2>三、到访与服务记录</h2>
${table(
  ['时间', '内容'],
  [
    ...entries('visits').map((v) => [pick(v, 'at'), pick(v, 'text')]),
    ...entries('notes').map((n) => [pick(n, 'at'), pick(n, 'text')]),
  ],
  '无记录',
)}
<h2>四、资料变更记录</h2>
${table(
  ['收到时间', '类型', '变更项目', '网点', '岗位', '结果'],
  copy.changes.map((change) => [
    change.receivedAt,
    change.kind === 'create' ? '建档' : change.correction ? '更正（应您的申请）' : '修改',
    change.fields.map(fieldName).join('、'),
    change.branchId,
    rolesText(change.roles),
    change.outcome === 'applied' ? '已生效' : '未生效',
  ]),
  '无变更记录',
)}
<h2>五、已被替换的旧值</h2>
${table(
  ['项目', '原值', '替换时间'],
  copy.replacedValues.map((entry) => [
    fieldName(entry.field),
    valueText(entry.value),
    entry.replacedAt,
  ]),
  '无',
)}
<h2>六、谁访问过您的信息</h2>
<p>按日期、网点、岗位和操作汇总；为保护员工个人信息，不列员工姓名。</p>
${table(
  ['日期', '网点', '岗位', '操作', '次数'],
  copy.access.map((entry) => [
    entry.day,
    entry.branchId,
    rolesText(entry.roles),
    actionText(entry.action),
    String(entry.count),
  ]),
  '无访问记录',
)}
</body></html>
`;
}
