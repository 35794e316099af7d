// The desk's words for one area of the screens, in both languages; merged over the main
// catalogs by i18n.ts. Keys live under the area's own top-level names so areas never collide.
export const approvalsWords = {
  'zh-CN': {
    // 被拒变更 lists what HQ refused; a supervisor's rejection is a different thing, said here.
    rejected: {
      explain:
        '总行拒绝的变更已移出待同步队列，不会阻塞其他变更。如仍需修改，请核实后重新提交。主管审批时拒绝的申请不在这里，见“我的申请”。',
    },
    held: {
      nav: { mine: '我的申请' },
      waiting: '{{count}} 项待审批',
      customer: '客户',
      open: '打开客户 {{number}}',
      change: '变更内容',
      maker: '经办人',
      noteLine: '经办说明：{{note}}',
      age: '提交于',
      statusTitle: '状态',
      ownChange: '不能审批自己提交的变更，须由另一位主管审批',
      movedWarning: '提交后客户的{{fields}}已被改动：批准时将退回经办人重新提交',
      gone: '（本机已无此客户）',
      status: {
        pending: '待审批',
        approved: '已批准',
        rejected: '已拒绝',
        redo: '需重新提交',
      },
      mine: {
        title: '我的申请',
        none: '您还没有提交过需要审批的变更',
        decidedByLine: '审批人：{{name}}',
        reasonLine: '拒绝原因：{{reason}}',
        redoBecause: '提交后客户的{{fields}}已被改动，请按现在的资料重新提交',
        local: '这里只列出在本机提交的申请',
      },
      onCustomer: {
        title: '我对该客户提交的申请',
        pending: '{{fields}}的修改等待主管审批（{{age}}提交）',
        rejected: '{{fields}}的修改被{{who}}拒绝：{{reason}}',
        redo: '{{fields}}的修改需重新提交：提交后客户的{{moved}}已被改动',
        someone: '主管',
      },
    },
  },
  en: {
    rejected: {
      explain:
        'Changes HQ refused have left the sync queue, so they hold nothing else up. If the change is still needed, check it and make it again. Requests a supervisor rejected are not here: see My requests.',
    },
    held: {
      nav: { mine: 'My requests' },
      waiting: '{{count}} waiting for approval',
      customer: 'Customer',
      open: 'Open customer {{number}}',
      change: 'Change',
      maker: 'Maker',
      noteLine: "Maker's note: {{note}}",
      age: 'Submitted',
      statusTitle: 'Status',
      ownChange: 'You cannot approve your own change: another supervisor must approve it',
      movedWarning:
        "The customer's {{fields}} changed after this was submitted: approving sends it back to the maker to redo",
      gone: '(this customer is no longer on this PC)',
      status: {
        pending: 'Waiting for approval',
        approved: 'Approved',
        rejected: 'Rejected',
        redo: 'To redo',
      },
      mine: {
        title: 'My requests',
        none: 'You have not submitted any change that needs approval',
        decidedByLine: 'Decided by: {{name}}',
        reasonLine: 'Reason for rejection: {{reason}}',
        redoBecause:
          "The customer's {{fields}} changed after you submitted this: make the change again on the current record",
        local: 'Only requests made on this PC are listed',
      },
      onCustomer: {
        title: 'My requests for this customer',
        pending: 'Change to {{fields}} waiting for a supervisor (submitted {{age}})',
        rejected: 'Change to {{fields}} rejected by {{who}}: {{reason}}',
        redo: "Change to {{fields}} to redo: the customer's {{moved}} changed after you submitted it",
        someone: 'a supervisor',
      },
    },
  },
};
