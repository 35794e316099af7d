// The desk's words for one area of the screens, in both languages; merged over the main
// catalogs by i18n.ts. Keys live under the area's own top-level names so areas never collide.
export const deskWords = {
  'zh-CN': {},
  en: {},
};
