// A failure from the core, in the desk's language.
import { BridgeError } from './bridge';
import type { Locale } from './i18n';

export function errorText(error: unknown, locale: Locale): string {
  if (error instanceof BridgeError) return error.messages[locale];
  return error instanceof Error ? error.message : String(error);
}
