// Why HQ refused a change, in words for the teller (the rejected ledger), zh-CN and en.
import type { MutationRejection } from '../protocol/mutations';
import type { FieldResult } from '../sync/merge';
import type { Locale } from './errors';

type Reason =
  | MutationRejection
  | Extract<FieldResult, 'superseded' | 'hq_authoritative'>
  /** HQ could not read the mutation at all (refused by its schema). */
  | 'UNREADABLE';

export const rejectionReasons: Record<Locale, Record<Reason, string>> = {
  'zh-CN': {
    CUSTOMER_NOT_FOUND: '总行没有该客户',
    CUSTOMER_EXISTS: '总行已有相同编号的客户记录',
    OUT_OF_SCOPE: '该客户不属于本网点（或修改时已移出本网点）',
    INVALID_RESULT: '与总行资料合并后不符合校验规则',
    DUPLICATE_DOCUMENT: '该证件已登记在总行的其他客户名下',
    CLOCK_SKEW: '本机时钟与总行相差过大（超过 36 小时），请校准时间后重新录入',
    CUSTOMER_ERASED: '总行已删除该客户的个人信息，本次修改不再生效',
    CUSTOMER_RESTRICTED: '总行已限制处理该客户的个人信息（仅予保存），本次修改未生效；撤回授权除外',
    CONSENT_INCOMPLETE:
      '授权记录缺少经办人、凭证或告知版本，总行不予登记；请在授权与同意中重新办理',
    KYC_REVIEW_REFUSED: '尽调复核记录的复核人或下次复核日期与总行规则不符，总行不予登记',
    CAMPAIGN_CONTACT_REFUSED:
      '按总行记录，该客户当时不在营销活动名单上（活动、渠道、授权或本月联系上限），总行不予登记',
    ACTION_RESPONSE_REFUSED:
      '建议处理记录的经办人与提交人不符，或对合规事项（尽调复核、身份证件）标记已办或忽略，总行不予登记',
    RATING_PROPOSAL_REFUSED:
      '风险评级调整提议的提出人与提交人不符，或提出时间晚于总行时间，总行不予登记',
    SATISFACTION_REFUSED: '满意度评价的服务人员与提交人不符，或所评价的到访不存在，总行不予登记',
    COMPLAINT_REFUSED: '投诉或其处理记录的经办人与提交人不符，或编号、时限不符合规定，总行不予登记',
    HQ_OWNED_FIELD:
      '新建客户时不能填写总行维护的字段（尽调与风险、账户、归属网点与客户经理、客户分层），也不能带入须经专门流程登记的记录（尽调复核、营销联系、建议处理、评级调整），总行拒绝生效',
    SCOPE_GRACE_EXPIRED:
      '该客户移出本网点已超过总行允许的补传期限，本次修改未生效，请联系客户现归属网点',
    APPROVAL_MISSING: '身份信息修改没有经过主管复核，总行拒绝生效',
    APPROVAL_UNKNOWN: '总行没有这次修改的复核记录，拒绝生效',
    APPROVAL_SELF: '复核人与提交人是同一人，总行拒绝生效',
    APPROVAL_NOT_SUPERVISOR: '复核人在复核时不是本网点的主管，总行拒绝生效',
    APPROVAL_MISMATCH: '复核的内容与提交的修改不一致，总行拒绝生效',
    UNREADABLE: '总行无法识别这条修改（版本不兼容），请联系科技运维后重新录入',
    superseded: '总行或其他网点有更晚的修改，本次修改未生效（已留存于总行历史）',
    hq_authoritative: '该字段以总行为准，本次修改未生效',
  },
  en: {
    CUSTOMER_NOT_FOUND: 'HQ has no such customer',
    CUSTOMER_EXISTS: 'HQ already has a customer record with this id',
    OUT_OF_SCOPE:
      'The customer does not belong to this branch (or had left it when this change was made)',
    INVALID_RESULT: "Merged with HQ's record, the result fails validation",
    DUPLICATE_DOCUMENT: 'This identity document belongs to another customer at HQ',
    CLOCK_SKEW:
      "This PC's clock is more than 36 hours off HQ's; correct the time and enter the change again",
    CONSENT_INCOMPLETE:
      'A consent event without the member of staff, the evidence or the notice version; HQ did not record it. Record it again under Consents',
    KYC_REVIEW_REFUSED:
      "A KYC review whose reviewer or next review date does not fit HQ's rules; HQ did not record it",
    CAMPAIGN_CONTACT_REFUSED:
      "By HQ's records the customer was not on the campaign's call list then (campaign, channel, consent or the month's cap); HQ did not record it",
    RATING_PROPOSAL_REFUSED:
      "A rating proposal in the name of someone other than who sent it, or dated later than HQ's clock allows; HQ did not record it",
    SATISFACTION_REFUSED:
      'A satisfaction rating naming someone other than who sent it as the server, or of a visit the customer does not have; HQ did not record it',
    COMPLAINT_REFUSED:
      'A complaint or a step of one in the name of someone other than who sent it, or without the reference and due dates the desk gives; HQ did not record it',
    ACTION_RESPONSE_REFUSED:
      'An answer to a suggestion in the name of someone other than who sent it, or to compliance work (a review, a document), which goes only when done; HQ did not record it',
    CUSTOMER_RESTRICTED:
      "HQ has restricted the processing of this customer's data (only kept); the change did not take effect. A withdrawal of consent still would.",
    CUSTOMER_ERASED:
      "HQ has erased this customer's personal information; the change no longer applies",
    HQ_OWNED_FIELD:
      'A new customer cannot be given fields HQ owns (KYC and risk, accounts, branch and RM, segment), nor entries that have their own step (KYC reviews, campaign contacts, answers to suggestions, rating proposals); HQ refused it',
    SCOPE_GRACE_EXPIRED:
      "The customer left this branch longer ago than HQ accepts late edits for; contact the customer's branch now",
    APPROVAL_MISSING: 'An identity change without a supervisor’s approval; HQ refused it',
    APPROVAL_UNKNOWN: 'HQ has no record of an approval for this change; it refused it',
    APPROVAL_SELF: 'The approver is the person who made the change; HQ refused it',
    APPROVAL_NOT_SUPERVISOR:
      'The approver was not a supervisor of this branch when they approved; HQ refused it',
    APPROVAL_MISMATCH: 'What was approved is not what this change sets; HQ refused it',
    UNREADABLE:
      'HQ could not read this change (incompatible versions); contact IT, then enter it again',
    superseded:
      'A later change at HQ or another branch won; this change did not take effect (kept in HQ history)',
    hq_authoritative: 'HQ owns this field; this change did not take effect',
  },
};

export function describeRejection(locale: Locale, reason: string): string {
  return (rejectionReasons[locale] as Record<string, string>)[reason] ?? reason;
}
