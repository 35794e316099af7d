// The desk's words for one area of the screens, in both languages; merged over the main
// catalogs by i18n.ts. Keys live under the area's own top-level names so areas never collide.
// This area: the consent ledger on the customer 360 (renderer/src/screens/customer/Consents.tsx).
// Purpose and evidence names are shared with the customer's printed copy (shared/i18n/consent.ts).
import { consentEvidenceNames, consentPurposeNames } from '../../../../shared/i18n/consent';

export const consentWords = {
  'zh-CN': {
    consentLedger: {
      rule: '每项授权单独办理；撤回与授权同样便捷，保存后在本机立即生效（离线亦然），下次同步报送总行。',
      standing: {
        granted: '已授权',
        withdrawn: '已撤回',
        expired: '已过期',
        never: '未征询',
      },
      grant: '授权',
      withdraw: '撤回',
      grantTitle: '办理授权：{{purpose}}',
      withdrawTitle: '撤回授权：{{purpose}}',
      purposeColumn: '授权事项',
      standingColumn: '当前状态',
      since: '生效时间',
      channel: '渠道',
      noticeVersion: '告知版本',
      evidence: '凭证',
      reference: '授权书编号',
      expiresOn: '到期日（可选）',
      expiry: '到期日',
      capturedBy: '经办人',
      actions: '办理',
      history: '授权记录（只增不改）',
      noHistory: '暂无授权记录',
      legacy: '早期记录',
      evidenceKind: consentEvidenceNames['zh-CN'],
      purpose: consentPurposeNames['zh-CN'],
    },
  },
  en: {
    consentLedger: {
      rule: 'Each purpose is asked separately. Withdrawing is as easy as granting; a save takes effect on this desk at once (offline too) and reaches HQ with the next sync.',
      standing: {
        granted: 'Granted',
        withdrawn: 'Withdrawn',
        expired: 'Expired',
        never: 'Never asked',
      },
      grant: 'Grant',
      withdraw: 'Withdraw',
      grantTitle: 'Record consent: {{purpose}}',
      withdrawTitle: 'Record withdrawal: {{purpose}}',
      purposeColumn: 'Purpose',
      standingColumn: 'Now',
      since: 'Since',
      channel: 'Channel',
      noticeVersion: 'Notice version',
      evidence: 'Evidence',
      reference: 'Form reference',
      expiresOn: 'Lapses on (optional)',
      expiry: 'Lapses on',
      capturedBy: 'Captured by',
      actions: 'Record',
      history: 'Consent history (append-only)',
      noHistory: 'No consent recorded yet',
      legacy: 'earlier record',
      evidenceKind: consentEvidenceNames.en,
      purpose: consentPurposeNames.en,
    },
  },
};
