// The desk's words for one area of the screens, in both languages; merged over the main
// catalogs by i18n.ts. Keys live under the area's own top-level names so areas never collide.
// This area: the privacy notice screen. The notice's own text comes from HQ, in both languages,
// never from here.
export const privacyWords = {
  'zh-CN': {
    privacyNotice: {
      nav: '隐私政策',
      title: '隐私政策',
      none: '本机尚未收到总行发布的隐私政策。设备联网同步后即可显示。',
      noneInForce: '本机收到的隐私政策均尚未生效。请在右侧选择版本查看。',
      version: '版本 {{version}}',
      effectiveFrom: '{{date}} 起生效',
      published: '总行发布于 {{time}}',
      inForce: '现行版本',
      notYet: '尚未生效',
      earlier: '已被新版本取代',
      pick: '选择版本',
      language: '文本语言',
      print: '打印',
      printed: '打印时间 {{time}}',
    },
    shortcuts: { privacyNotice: '打开隐私政策' },
  },
  en: {
    privacyNotice: {
      nav: 'Privacy notice',
      title: 'Privacy notice',
      none: 'This device has not received a privacy notice from HQ yet. It shows here after the device syncs.',
      noneInForce:
        'None of the privacy notices this device holds is in force yet. Pick a version to read it.',
      version: 'Version {{version}}',
      effectiveFrom: 'In force from {{date}}',
      published: 'Published by HQ {{time}}',
      inForce: 'In force',
      notYet: 'Not yet in force',
      earlier: 'Superseded',
      pick: 'Version',
      language: 'Text language',
      print: 'Print',
      printed: 'Printed {{time}}',
    },
    shortcuts: { privacyNotice: 'Open the privacy notice' },
  },
};
