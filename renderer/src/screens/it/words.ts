// An error code as a sentence for IT's screen, when all the desk has is the code (a sync round's
// outcome): the catalog's words without the details it cannot fill in.
import { errorCodes, type ErrorCode } from '../../../../shared/errors';
import { errorMessages } from '../../../../shared/i18n/errors';
import type { Locale } from '../../i18n';

const known = new Set<string>(errorCodes);

export function codeInWords(code: string, locale: Locale): string {
  const key: ErrorCode = known.has(code) ? (code as ErrorCode) : 'INTERNAL';
  return errorMessages[locale][key]
    .replace(/\s*[（(][^（）()]*\{\w+\}[^（）()]*[)）]/g, '')
    .replace(/\s*\{\w+\}\s*/g, ' ')
    .replace(/\s+([，。,.;；])/g, '$1')
    .trim();
}
