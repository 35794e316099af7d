// The customer's own copy as a page to print (A4, zh-CN): one builder for HQ's console and admin
// API and for the desk at the counter, which shows it in a sandboxed frame and prints it without
// writing it anywhere. Every value is escaped; the page runs no script and loads nothing.
import type { Role } from '../access/permissions';
import type { AuditAction } from '../audit/entry';
import { auditActionNames } from '../audit/words';
import type { Consent, ConsentPurpose, CustomerEditableField } from '../customer';
import { roleNames } from '../i18n/access';
import {
  consentChannelNames,
  consentEvidenceText,
  consentPurposeNames,
  consentStateNames,
} from '../i18n/consent';
import { fieldLabels } from '../i18n/fields';
import type { CustomerCopy } from '../protocol/privacy';

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char]!,
  );

/** The record's own fields that are not edited by anyone, and the words inside its values. */
const systemLabels: Record<string, string> = {
  id: '客户标识',
  kind: '客户类型',
  customerNumber: '客户号',
  version: '资料版本',
  updatedAt: '最后更新时间',
};
const innerLabels: Record<string, string> = {
  type: '类型',
  number: '号码',
  issuedBy: '签发机关',
  issuedOn: '签发日期',
  expiresOn: '有效期至',
  kind: '类别',
  e164: '号码',
  primary: '首选',
  verified: '已核实',
  line: '详细地址',
  districtCode: '行政区划代码',
  postcode: '邮政编码',
  countryCode: '国家或地区',
  status: '状态',
  riskRating: '风险等级',
  pep: '政治公众人物',
  sanctionsHit: '命中制裁名单',
  sourceOfFunds: '资金来源',
  lastReviewedOn: '上次审查',
  nextReviewDue: '下次审查',
  product: '产品',
  maskedNumber: '账号',
  openedOn: '开户日期',
  closedOn: '销户日期',
  since: '起始时间',
  reason: '原因',
  until: '预计至',
};
const valueWords: Record<string, string> = {
  individual: '个人',
  mass: '大众客户',
  affluent: '富裕客户',
  private_banking: '私人银行客户',
  corporate: '单位',
  male: '男',
  female: '女',
  low: '低',
  medium: '中',
  high: '高',
  active: '正常',
  dormant: '久悬',
  frozen: '冻结',
  closed: '已销户',
  verified: '已完成',
  pending: '待完成',
  expired: '已过期',
  resident_id: '居民身份证',
  passport: '护照',
  mobile: '手机',
  landline: '固定电话',
  residential: '居住地址',
  mailing: '通讯地址',
  work: '工作单位地址',
  registered: '注册地址',
  true: '是',
  false: '否',
};

const fieldName = (field: string) =>
  systemLabels[field] ??
  fieldLabels['zh-CN'][field.split('/')[0] as CustomerEditableField] ??
  field;
const rolesText = (roles: string[]) =>
  roles.length === 0
    ? '系统'
    : roles.map((role) => roleNames['zh-CN'][role as Role] ?? role).join('、');
const actionText = (action: string) => auditActionNames['zh-CN'][action as AuditAction] ?? action;
/** A value in words: objects as 「项目：内容」 lines, lists one entry a line, codes by name. */
function valueText(value: unknown): string {
  if (value === null || value === undefined) return '（无）';
  if (typeof value === 'boolean') return valueWords[String(value)]!;
  // A code (lower case, underscores) by its name; anything typed by a person as it is.
  if (typeof value === 'string') return (/^[a-z_]+$/.test(value) && valueWords[value]) || value;
  if (typeof value !== 'object') return String(value);
  if (Array.isArray(value))
    return value.length === 0 ? '（无）' : value.map((entry) => valueText(entry)).join('\n');
  return Object.entries(value as Record<string, unknown>)
    .filter(([key]) => key !== 'id')
    .map(([key, inner]) => `${innerLabels[key] ?? key}：${valueText(inner)}`)
    .join('；');
}

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
