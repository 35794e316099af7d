/** The nonce the harness (or the app:// handler) gave this page for the styles it may create. */
export const styleNonce =
  document.querySelector<HTMLMetaElement>('meta[name="branchdesk-style-nonce"]')?.content ?? '';
