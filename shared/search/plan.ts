// What a teller typed into the one search box, and how to look it up. Pure, so the core plans
// the query and the UI can say what it is searching by.
import { isCustomerNumber, normalizeCustomerNumber } from '../customer';
import { convertLegacyResidentId } from '../validation/resident-id';
import { toHalfWidth } from '../validation/normalize';

export const matchedFields = [
  'customer_number',
  'id_number',
  'phone',
  'card',
  'id_tail',
  'phone_tail',
  'account_tail',
  'phone_prefix',
  'name',
  'pinyin',
] as const;
export type MatchedField = (typeof matchedFields)[number];

export type SearchStep =
  | { field: 'customer_number' | 'id_number' | 'phone' | 'card'; value: string }
  | { field: 'id_tail' | 'phone_tail' | 'account_tail' | 'phone_prefix'; value: string }
  | { field: 'name'; value: string }
  | { field: 'pinyin'; value: string };

export interface SearchPlan {
  /** The query after normalisation (full-width to half-width, spaces and dashes dropped). */
  normalized: string;
  /** Lookups in the order their hits rank; empty when nothing searchable was typed. */
  steps: SearchStep[];
}

/** The longest query that is still a name or an identifier; longer input finds nothing. */
export const MAX_SEARCH_QUERY_LENGTH = 64;

const HAN = /\p{Script=Han}/u;

export function planSearch(raw: string): SearchPlan {
  const text = toHalfWidth(raw.normalize('NFC')).trim();
  const compact = text.replace(/[\s\-‐‑–—_()（）]/gu, '');
  if (compact.length === 0 || compact.length > MAX_SEARCH_QUERY_LENGTH)
    return { normalized: compact, steps: [] };

  if (HAN.test(compact)) {
    // Names keep only the characters a name is made of: Han, letters, the middle dot dropped.
    const name = [...compact].filter((char) => HAN.test(char) || /\p{L}/u.test(char)).join('');
    return { normalized: name, steps: name ? [{ field: 'name', value: name }] : [] };
  }

  const upper = compact.toUpperCase();
  if (isCustomerNumber(upper)) {
    return {
      normalized: upper,
      steps: [{ field: 'customer_number', value: normalizeCustomerNumber(upper) }],
    };
  }

  const phoneDigits = upper.replace(/^(\+86|0086)/, '');
  if (/^\d+X?$/.test(upper) || /^\+?\d+$/.test(upper)) {
    return {
      normalized: upper,
      steps: digitSteps(upper.replace(/^\+/, ''), phoneDigits.replace(/^\+/, '')),
    };
  }

  if (/^[A-Z0-9]{5,18}$/.test(upper) && /\d/.test(upper)) {
    // Passport, permit or USCC numbers: letters and digits.
    return { normalized: upper, steps: [{ field: 'id_number', value: upper }] };
  }

  const letters = compact.replace(/['’]/g, '').toLowerCase();
  if (/^[a-z]+$/.test(letters))
    return { normalized: letters, steps: [{ field: 'pinyin', value: letters }] };
  return { normalized: compact, steps: [] };
}

function digitSteps(digits: string, phoneDigits: string): SearchStep[] {
  const steps: SearchStep[] = [];
  const length = digits.length;
  if (length === 18 && /^\d{17}[\dX]$/.test(digits))
    steps.push({ field: 'id_number', value: digits });
  if (length === 15 && /^\d{15}$/.test(digits)) {
    const converted = convertLegacyResidentId(digits);
    if (converted) steps.push({ field: 'id_number', value: converted });
  }
  if (phoneDigits.length === 11 && phoneDigits.startsWith('1'))
    steps.push({ field: 'phone', value: phoneDigits });
  // A landline with its area code (010 1234 5678) is stored without the trunk 0.
  if (/^0[1-9]\d{8,10}$/.test(phoneDigits))
    steps.push({ field: 'phone', value: phoneDigits.slice(1) });
  if (/^\d{16,19}$/.test(digits))
    steps.push({ field: 'card', value: digits.slice(0, 4) + digits.slice(-4) });
  if (length === 4 && /^\d{4}$/.test(digits)) {
    steps.push(
      { field: 'id_tail', value: digits },
      { field: 'phone_tail', value: digits },
      { field: 'account_tail', value: digits },
    );
  } else if (length === 4) {
    steps.push({ field: 'id_tail', value: digits });
  }
  if (length === 5 || length === 6) steps.push({ field: 'id_tail', value: digits });
  if (/^\d{7,10}$/.test(phoneDigits)) steps.push({ field: 'phone_prefix', value: phoneDigits });
  return steps;
}
