// Checks of what a teller types in an inline editor, with the shared validators, in words.
import { describeIssue } from '../../../../shared/i18n/validation';
import { type PersonNameScript, validatePersonName } from '../../../../shared/validation';
import type { Locale } from '../../i18n';

export interface Checked<T> {
  value?: T;
  messages: string[];
}

/**
 * A person's name as typed, by the same name rules the core applies (no digits, emoji or
 * stray signs; the middle dot of minority names normalised). `latin` for pinyin and English.
 */
export function checkPersonName(script: PersonNameScript = 'any') {
  return (text: string, locale: Locale): Checked<string> => {
    const result = validatePersonName(text, { script });
    const messages = result.issues
      .filter((issue) => issue.severity === 'error')
      .map((issue) => describeIssue(issue, locale));
    return result.ok ? { value: result.value, messages } : { messages };
  };
}
