// The desk's words for one area of the screens, in both languages; merged over the main
// catalogs by i18n.ts. Keys live under the area's own top-level names so areas never collide.
export const formsWords = {
  'zh-CN': {
    forms: {
      date: {
        placeholder: 'YYYY-MM-DD',
        notADate: '“{{text}}”不是真实存在的日期，请按 年-月-日 输入，例如 1990-05-17。',
        incomplete: '日期不完整，请按 年-月-日 输入，例如 1990-05-17。',
      },
      issuedOn: '证件签发日期',
      expiredNote: '该证件已于 {{date}} 过期，保存前会请您确认。',
      expired: {
        title: '证件已过期',
        body: '该证件已于 {{date}} 过期，过期证件不能作为有效身份证明。请客户出示有效证件；确认仍按此证件保存吗？',
        ok: '仍然保存',
        cancel: '返回修改',
      },
      nationality: {
        placeholder: '输入国家或地区名称搜索',
        notFound: '没有匹配的国家或地区',
      },
      saved: {
        sync: '已保存，待同步',
        approval: '已提交，待主管审批',
        syncNote: '修改已保存在本机，将自动同步至总行。',
        approvalNote: '身份信息的修改须经另一位主管审批，批准后才生效并同步总行。',
      },
      error: {
        notSaved: '未能保存：{{reasons}}',
        field: '{{field}}：{{message}}',
        unknown: '{{field}}填写不正确，请核对。',
        record: '客户资料',
      },
      path: {
        documentNumber: '证件号码',
        documentType: '证件类型',
        issuedOn: '证件签发日期',
        expiresOn: '证件有效期至',
        issuingCountry: '签发国家或地区',
        phoneNumber: '电话号码',
        addressLine: '详细地址',
        postcode: '邮政编码',
        regionCode: '行政区划',
      },
    },
    newCustomer: {
      nationalityHint: '可输入中文或英文名称搜索',
      created: '已保存，待同步：新客户 {{number}}',
      createdNote: '客户资料已保存在本机，将自动同步至总行，由总行确认客户号。',
    },
    edit: {
      heldForApproval: '已提交，待主管审批：身份信息的修改须经另一位主管批准后生效',
      makerNote: '给主管的说明（选填），如核对了哪份证件',
    },
  },
  en: {
    forms: {
      date: {
        placeholder: 'YYYY-MM-DD',
        notADate: '"{{text}}" is not a real date. Type year-month-day, for example 1990-05-17.',
        incomplete: 'The date is incomplete. Type year-month-day, for example 1990-05-17.',
      },
      issuedOn: 'Document issued on',
      expiredNote: 'This document expired on {{date}}; you will be asked to confirm before saving.',
      expired: {
        title: 'The document has expired',
        body: 'This document expired on {{date}}, so it no longer proves who the customer is. Ask for a current one. Save with this document anyway?',
        ok: 'Save anyway',
        cancel: 'Go back',
      },
      nationality: {
        placeholder: 'Type a country or region to search',
        notFound: 'No country or region matches',
      },
      saved: {
        sync: 'Saved, waiting to sync',
        approval: 'Submitted, waiting for supervisor approval',
        syncNote: 'The change is saved on this PC and will be synced to HQ automatically.',
        approvalNote:
          'A change to identity details needs approval by another supervisor before it takes effect and syncs to HQ.',
      },
      error: {
        notSaved: 'Not saved: {{reasons}}',
        field: '{{field}}: {{message}}',
        unknown: 'The {{field}} is not filled in correctly. Please check it.',
        record: 'customer record',
      },
      path: {
        documentNumber: 'document number',
        documentType: 'document type',
        issuedOn: 'document issue date',
        expiresOn: 'document valid until',
        issuingCountry: 'issuing country or region',
        phoneNumber: 'phone number',
        addressLine: 'street address',
        postcode: 'postcode',
        regionCode: 'administrative region',
      },
    },
    newCustomer: {
      nationalityHint: 'Search by name in Chinese or English',
      created: 'Saved, waiting to sync: new customer {{number}}',
      createdNote:
        'The customer is saved on this PC and will be synced to HQ automatically; HQ confirms the customer number.',
    },
    edit: {
      heldForApproval:
        'Submitted, waiting for supervisor approval: a change to identity details takes effect once another supervisor approves it',
      makerNote: 'Note for the supervisor (optional), e.g. which document you checked',
    },
  },
};
