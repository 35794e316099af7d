// E-mail addresses: what mail systems actually deliver to, not the whole of RFC 5322 (no quoted
// local parts, comments or IP-literal domains). The domain is case-insensitive and stored in
// lower case; the local part is kept as typed, since a mail server may treat its case as meaningful.
import { normalizeFreeText } from './normalize';
import { type ValidationResult, conclude, error, rejected, warning } from './result';

const MAX_ADDRESS_LENGTH = 254; // RFC 5321 path limit, minus the angle brackets
const MAX_LOCAL_PART_LENGTH = 64;
const MAX_LABEL_LENGTH = 63;

// Dot-atom: RFC 5322 atext characters, dots only between them.
const LOCAL_PART = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/u;
// A domain label: letters and digits (internationalised domains allowed), hyphens inside only.
const DOMAIN_LABEL = /^[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?$/u;

/** Misspellings of mailbox domains common among our customers, and what was meant. */
const LIKELY_TYPOS: Readonly<Record<string, string>> = {
  'qq.con': 'qq.com',
  'qq.cm': 'qq.com',
  'qq.co': 'qq.com',
  '163.con': '163.com',
  '163.cm': '163.com',
  '126.con': '126.com',
  '126.cm': '126.com',
  'sina.con': 'sina.com',
  'foxmail.con': 'foxmail.com',
  'gmail.con': 'gmail.com',
  'gmial.com': 'gmail.com',
  'gmai.com': 'gmail.com',
  'hotmail.con': 'hotmail.com',
  'hotmial.com': 'hotmail.com',
  'outlook.con': 'outlook.com',
};

export function validateEmail(input: string): ValidationResult<string> {
  const text = normalizeFreeText(input);
  if (text === '') return rejected([error('REQUIRED')]);
  if (text.length > MAX_ADDRESS_LENGTH)
    return rejected([error('EMAIL_TOO_LONG', { max: MAX_ADDRESS_LENGTH })]);

  const at = text.lastIndexOf('@');
  if (at < 0) return rejected([error('EMAIL_FORMAT')]);
  const localPart = text.slice(0, at);
  const domain = text.slice(at + 1).toLowerCase();
  if (
    localPart.length === 0 ||
    localPart.length > MAX_LOCAL_PART_LENGTH ||
    !LOCAL_PART.test(localPart)
  ) {
    return rejected([error('EMAIL_FORMAT')]);
  }

  const labels = domain.split('.');
  const topLevel = labels.at(-1) ?? '';
  const domainOk =
    labels.length >= 2 &&
    labels.every((label) => label.length <= MAX_LABEL_LENGTH && DOMAIN_LABEL.test(label)) &&
    !/^\d+$/u.test(topLevel);
  if (!domainOk) return rejected([error('EMAIL_DOMAIN')]);

  const suggestion = LIKELY_TYPOS[domain];
  const issues =
    suggestion === undefined ? [] : [warning('EMAIL_DOMAIN_LIKELY_TYPO', { suggestion })];
  return conclude(`${localPart}@${domain}`, issues);
}
