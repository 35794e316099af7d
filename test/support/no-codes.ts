/// <reference lib="dom" />
// What on a page a person should never read: an internal error or permission code
// (`CUSTOMER_INVALID`, `DOCUMENT_EXPIRY_DATE_INVALID`, `reveal_identity_number`) or a dotted field
// path (`identityDocuments.0.expiresOn`, `customer.legalName`). Every screen's tests can ask.
import type { Page } from 'playwright-core';

// Upper-case codes: six or more capitals and underscores.
const UPPER_CODE = /\b[A-Z][A-Z_]{5,}\b/gu;
// Lower-case permission and command names with underscores (reveal_identity_number).
const SNAKE_CODE = /\b[a-z]+(?:_[a-z]+){1,}\b/gu;
// Field paths: a word, an index, a word (identityDocuments.0.expiresOn), or a camelCase path
// (customer.legalName, kyc.riskRating).
const INDEXED_PATH = /\b\w+\.\d+\.\w+\b/gu;
const CAMEL_PATH = /\b[a-z]\w*\.[a-z]+[A-Z]\w*\b/gu;

/**
 * All-caps words a person may legitimately read: YYYY-MM-DD is how a date field asks for its
 * format, and the few abbreviations a banking desk prints as they are (none reaches six letters
 * today; list one here with the reason when it does).
 */
const LEGITIMATE = new Set<string>([]);

/** Visible text of the page that is an internal code or a field path; empty when there is none. */
export async function internalCodesOn(page: Page): Promise<string[]> {
  // The text a person can see (innerText skips hidden elements), plus the placeholders and
  // values of inputs, which innerText leaves out.
  const text = await page.evaluate(() => {
    const fields = Array.from(document.querySelectorAll('input, textarea'))
      .filter((element) => (element as HTMLElement).offsetParent !== null)
      .map((element) => {
        const input = element as HTMLInputElement;
        // A typed value is the teller's, not the desk's word; the placeholder is the desk's.
        return input.placeholder;
      });
    return [document.body.innerText, ...fields].join('\n');
  });
  const found = new Set<string>();
  for (const pattern of [UPPER_CODE, SNAKE_CODE, INDEXED_PATH, CAMEL_PATH]) {
    for (const match of text.matchAll(pattern)) {
      const word = match[0];
      if (LEGITIMATE.has(word)) continue;
      // Part of an e-mail address (wang_hui@example.com) is the customer's, not a code.
      const around = text.slice(Math.max(0, match.index - 1), match.index + word.length + 1);
      if (around.includes('@')) continue;
      // A decimal number or a time (3.14, 09.30) is not a path.
      if (/^[\d.]+$/u.test(word)) continue;
      found.add(word);
    }
  }
  return [...found];
}
