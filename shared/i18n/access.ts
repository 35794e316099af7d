// Words for access control, zh-CN and en: roles, revealable fields, reasons to reveal.
import type { RevealReason } from '../access/masking';
import { Permission, type RevealableField, type Role } from '../access/permissions';
import type { Locale } from './errors';

export const roleNames: Record<Locale, Record<Role, string>> = {
  'zh-CN': {
    teller: '柜员',
    relationship_manager: '客户经理',
    supervisor: '主管',
    auditor: '审计员',
    compliance_officer: '合规专员',
    it_admin: '科技运维',
  },
  en: {
    teller: 'Teller',
    relationship_manager: 'Relationship manager',
    supervisor: 'Supervisor',
    auditor: 'Auditor',
    compliance_officer: 'Compliance officer',
    it_admin: 'IT administrator',
  },
};

export const revealableFieldNames: Record<Locale, Record<RevealableField, string>> = {
  'zh-CN': {
    identity_number: '证件号码',
    phone: '手机号码',
    email: '电子邮箱',
    address: '详细地址',
    account_number: '账号',
    name: '姓名',
  },
  en: {
    identity_number: 'ID number',
    phone: 'Phone number',
    email: 'E-mail',
    address: 'Street address',
    account_number: 'Account number',
    name: 'Name',
  },
};

export const revealReasonNames: Record<Locale, Record<RevealReason, string>> = {
  'zh-CN': {
    customer_present_verified: '客户本人在场且已核实身份',
    customer_called_verified: '客户来电且已核实身份',
    complaint_handling: '处理客户投诉',
    data_correction: '更正客户资料',
    regulatory_request: '监管或司法查询',
    fraud_investigation: '反欺诈调查',
  },
  en: {
    customer_present_verified: 'Customer present, identity verified',
    customer_called_verified: 'Customer on the phone, identity verified',
    complaint_handling: 'Handling a complaint',
    data_correction: 'Correcting customer data',
    regulatory_request: 'Regulatory or court request',
    fraud_investigation: 'Fraud investigation',
  },
};

/** Why a role was refused, per permission: what a person reads instead of the permission's name. */
export const permissionRefusals: Record<Locale, Record<Permission, string>> = {
  'zh-CN': {
    sign_in: '请先登录。',
    search: '您的角色无权查询客户。',
    view: '您的角色无权查看客户资料。',
    reveal_identity_number: '您的角色无权查看完整证件号码。',
    reveal_phone: '您的角色无权查看完整手机号码。',
    reveal_email: '您的角色无权查看完整电子邮箱。',
    reveal_address: '您的角色无权查看完整详细地址。',
    reveal_account_number: '您的角色无权查看完整账号。',
    reveal_name: '您的角色无权查看完整姓名。',
    edit_contacts: '您的角色无权修改客户的联系方式和服务记录。',
    edit_identity: '您的角色无权修改客户的身份信息。',
    capture_consent: '您的角色无权为客户办理授权同意或撤回。',
    reveal_restricted: '该客户已被限制处理，只有合规专员可以查看明文（须说明原因并留痕）。',
    produce_copy: '只有主管可以为客户出具个人信息副本，并须另一位主管复核。',
    create: '您的角色无权新建客户。',
    view_book: '您的角色没有客户工作台。',
    review_kyc: '您的角色无权记录尽调复核。',
    follow_up: '您的角色无权处理下一步建议。',
    handle_complaints: '您的角色无权受理投诉与建议。',
    export_book: '您的角色无权打印或导出客户名单。',
    contact_customers: '您的角色不做营销外呼。',
    view_branch_book: '您的角色无权查看全网点的客户工作台。',
    approve: '您的角色无权复核他人的修改。',
    merge_customers: '您的角色无权提出、复核或撤销客户合并。',
    resolve_conflicts: '您的角色无权处理同步冲突。',
    view_audit: '您的角色无权查看审计日志。',
    export: '您的角色无权导出数据。',
    administer_device: '您的角色无权维护本设备。',
  },
  en: {
    sign_in: 'Please sign in first.',
    search: 'Your role may not search for customers.',
    view: "Your role may not view customers' records.",
    reveal_identity_number: 'Your role may not reveal full ID numbers.',
    reveal_phone: 'Your role may not reveal full phone numbers.',
    reveal_email: 'Your role may not reveal full e-mail addresses.',
    reveal_address: 'Your role may not reveal full street addresses.',
    reveal_account_number: 'Your role may not reveal full account numbers.',
    reveal_name: 'Your role may not reveal full names.',
    edit_contacts: "Your role may not change a customer's contacts and service records.",
    edit_identity: "Your role may not change a customer's identity details.",
    capture_consent: "Your role may not record a customer's consent or its withdrawal.",
    reveal_restricted:
      'This customer is restricted: only a compliance officer may reveal their data (with a reason, audited).',
    produce_copy:
      "Only a supervisor may produce a customer's copy of their data, co-signed by a second supervisor.",
    create: 'Your role may not open new customers.',
    view_book: 'Your role has no book of customers.',
    review_kyc: 'Your role may not record KYC reviews.',
    follow_up: 'Your role may not act on suggested next actions.',
    handle_complaints: 'Your role may not handle complaints and suggestions.',
    export_book: 'Your role may not print or export lists of the book.',
    contact_customers: 'Your role does not work call lists.',
    view_branch_book: "Your role may not see the whole branch's book.",
    approve: "Your role may not approve others' changes.",
    merge_customers: 'Your role may not propose, approve or undo merges of customers.',
    resolve_conflicts: 'Your role may not resolve sync conflicts.',
    view_audit: 'Your role may not read the audit log.',
    export: 'Your role may not export data.',
    administer_device: 'Your role may not look after this device.',
  },
};

/** Refusals narrower than a permission (`<permission>:<rule>`), by their rule. */
const ruleRefusals: Record<Locale, Record<string, string>> = {
  'zh-CN': {
    own_profile_only: '在工作台只能维护本机正在使用的档案。',
    own_entries_only: '只能以您本人的名义添加记录。',
  },
  en: {
    own_profile_only: 'At a desk you may look after only the profile this desk uses.',
    own_entries_only: 'You may add entries only in your own name.',
  },
};

/**
 * A refusal as a sentence in `locale`: the permission a command needs (`reveal_identity_number`),
 * or a narrower rule on one (`administer_device:own_profile_only`). Anything else gets a
 * general sentence: a name no one worded never reaches a person.
 */
export function permissionRefusal(permission: unknown, locale: Locale): string {
  const [name = '', rule] = String(permission).split(':');
  if (rule !== undefined) {
    const ruleText = ruleRefusals[locale][rule];
    if (ruleText) return ruleText;
  }
  const parsed = Permission.safeParse(name);
  if (parsed.success && rule === undefined) return permissionRefusals[locale][parsed.data];
  return locale === 'zh-CN' ? '您的角色无权执行此操作。' : 'Your role may not do this.';
}
