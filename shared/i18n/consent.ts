// The consent ledger's words for what the core and HQ write for people (the customer's copy);
// the desk's catalogs take their purpose names from here too, so a purpose is called the same
// on the counter's screen and on the customer's printed copy.
import type { Consent, ConsentEvidence, ConsentPurpose } from '../customer/records';
import type { Locale } from './errors';

export const consentPurposeNames: Record<Locale, Record<ConsentPurpose, string>> = {
  'zh-CN': {
    marketing_sms: '短信营销',
    marketing_phone: '电话营销',
    marketing_email: '电子邮件营销',
    group_data_sharing: '集团内信息共享',
    cross_border_transfer: '个人信息出境',
    credit_report_enquiry: '查询征信报告',
  },
  en: {
    marketing_sms: 'Marketing by SMS',
    marketing_phone: 'Marketing by phone',
    marketing_email: 'Marketing by e-mail',
    group_data_sharing: 'Sharing within the group',
    cross_border_transfer: 'Transfer abroad',
    credit_report_enquiry: 'Credit report enquiries',
  },
};

export const consentStateNames: Record<Locale, Record<Consent['state'], string>> = {
  'zh-CN': { granted: '已授权', withdrawn: '已撤回' },
  en: { granted: 'Granted', withdrawn: 'Withdrawn' },
};

export const consentChannelNames: Record<Locale, Record<Consent['channel'], string>> = {
  'zh-CN': { branch: '网点', online_banking: '网上银行', mobile_app: '手机银行', phone: '电话' },
  en: {
    branch: 'Branch',
    online_banking: 'Online banking',
    mobile_app: 'Mobile app',
    phone: 'Phone',
  },
};

export const consentEvidenceNames: Record<Locale, Record<ConsentEvidence['kind'], string>> = {
  'zh-CN': { customer_screen: '客户在确认屏上确认', paper_form: '纸质授权书' },
  en: { customer_screen: 'Confirmed on the customer screen', paper_form: 'Signed paper form' },
};

/** How one event's evidence reads: the kind, and a paper form's reference. */
export function consentEvidenceText(evidence: ConsentEvidence | undefined, locale: Locale): string {
  if (!evidence) return '';
  const kind = consentEvidenceNames[locale][evidence.kind];
  return evidence.kind === 'paper_form' ? `${kind} ${evidence.reference}` : kind;
}
