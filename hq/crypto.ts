// The few hashing and random-text helpers HQ's modules share: codes, credentials and tokens are
// stored as SHA-256 hex, and made from unambiguous alphabets.
import { createHash, randomInt } from 'node:crypto';

export const sha256Hex = (text: string): string => createHash('sha256').update(text).digest('hex');

/** Letters and digits a person can read aloud and type back: no 0/O, 1/l/I. */
export const PASSWORD_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZabcdefghjkmnpqrstuvwxyz23456789';

/** `length` characters drawn uniformly from `alphabet` with a CSPRNG. */
export function randomText(alphabet: string, length: number): string {
  return Array.from({ length }, () => alphabet[randomInt(alphabet.length)]).join('');
}
