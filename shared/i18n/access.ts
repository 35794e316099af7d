// Words for access control, zh-CN and en: roles, revealable fields, reasons to reveal.
import type { RevealReason } from '../access/masking';
import type { RevealableField, Role } from '../access/permissions';
import type { Locale } from './errors';

export const roleNames: Record<Locale, Record<Role, string>> = {
  'zh-CN': {
    teller: '柜员',
    relationship_manager: '客户经理',
    supervisor: '主管',
    auditor: '审计员',
    it_admin: '科技运维',
  },
  en: {
    teller: 'Teller',
    relationship_manager: 'Relationship manager',
    supervisor: 'Supervisor',
    auditor: 'Auditor',
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
