// A customer's fields in words, for messages the core writes (an error that names a field): a
// person never reads a field's internal name. The desk's own labels are in its catalogs.
import type { RevealableField } from '../access/permissions';
import type { CustomerEditableField } from '../customer';
import { revealableFieldNames } from './access';
import type { Locale } from './errors';

export const fieldWords: Record<Locale, Record<CustomerEditableField, string>> = {
  'zh-CN': {
    legalName: '姓名',
    chineseName: '中文名',
    pinyinName: '拼音名',
    englishName: '英文名',
    identityDocuments: '证件',
    birthDate: '出生日期',
    gender: '性别',
    nationality: '国籍',
    phones: '电话',
    email: '电子邮箱',
    addresses: '地址',
    preferredChannel: '首选联系方式',
    kyc: '尽调与风险',
    kycReviews: '尽调复核记录',
    campaignContacts: '营销联系记录',
    actionResponses: '建议处理记录',
    satisfaction: '满意度评价',
    complaints: '投诉与建议',
    complaintSteps: '投诉处理记录',
    ratingProposals: '风险评级调整提议',
    accounts: '账户',
    homeBranchId: '开户网点',
    assignedRmId: '客户经理',
    consents: '授权与同意',
    notes: '服务记录',
    visits: '到访记录',
    occupation: '职业',
    employer: '工作单位',
    segment: '客户分层',
    tasks: '待办事项',
    restriction: '限制处理',
  },
  en: {
    legalName: 'name',
    chineseName: 'Chinese name',
    pinyinName: 'pinyin name',
    englishName: 'English name',
    identityDocuments: 'identity documents',
    birthDate: 'date of birth',
    gender: 'gender',
    nationality: 'nationality',
    phones: 'phones',
    email: 'e-mail',
    addresses: 'addresses',
    preferredChannel: 'preferred channel',
    kyc: 'KYC and risk',
    kycReviews: 'KYC reviews',
    campaignContacts: 'campaign contacts',
    actionResponses: 'answers to suggestions',
    satisfaction: 'satisfaction ratings',
    complaints: 'complaints and suggestions',
    complaintSteps: 'complaint handling',
    ratingProposals: 'proposed rating changes',
    accounts: 'accounts',
    homeBranchId: 'home branch',
    assignedRmId: 'relationship manager',
    consents: 'consents',
    notes: 'notes',
    visits: 'visits',
    occupation: 'occupation',
    employer: 'employer',
    segment: 'segment',
    tasks: 'tasks',
    restriction: 'restriction of processing',
  },
};

/** A label from the words a message uses mid-sentence ('date of birth' → 'Date of birth'). */
export const asLabel = (words: string) => words.charAt(0).toUpperCase() + words.slice(1);

/** The same words as labels on screen and in files: the desk's field labels, the audit log's. */
export const fieldLabels: Record<Locale, Record<CustomerEditableField, string>> = {
  'zh-CN': fieldWords['zh-CN'],
  en: Object.fromEntries(
    Object.entries(fieldWords.en).map(([key, words]) => [key, asLabel(words)]),
  ) as Record<CustomerEditableField, string>,
};

/** One field in words: a customer's field, or a class of identifier; else as it is. */
export function fieldInWords(field: string, locale: Locale): string {
  return (
    fieldWords[locale][field as CustomerEditableField] ??
    revealableFieldNames[locale][field as RevealableField] ??
    field
  );
}

/** The fields in words, joined as a list reads in each language ("姓名、证件" / "name, identity documents"). */
export function fieldsInWords(fields: readonly string[]): Record<Locale, string> {
  return {
    'zh-CN': fields.map((field) => fieldInWords(field, 'zh-CN')).join('、'),
    en: fields.map((field) => fieldInWords(field, 'en')).join(', '),
  };
}
