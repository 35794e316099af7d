// Every <style> the desk's own bundle creates carries the page's CSP nonce.
//
// The UI library's own styles take the nonce from ConfigProvider, but parts of it write a
// <style> with no way to pass one: rc-table measures the scrollbar of every table by injecting
// a `::-webkit-scrollbar` rule, and the dialog scroll lock did the same. Each was a CSP
// violation in the console (the rule is refused; nothing breaks, but the console is where real
// violations must stand out). The nonce is readable by any script on the page anyway; what it
// guards against is markup injected into the page, and markup never goes through
// `document.createElement`, so styles created by script get it and injected <style> tags still
// do not.
import { styleNonce } from './nonce';

const create = Document.prototype.createElement;

if (styleNonce)
  Document.prototype.createElement = function createElement(
    this: Document,
    tagName: string,
    options?: ElementCreationOptions,
  ): HTMLElement {
    const element = create.call(this, tagName, options);
    if (element instanceof HTMLStyleElement && !element.nonce) element.nonce = styleNonce;
    return element;
  } as Document['createElement'];
