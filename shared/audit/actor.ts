// How the audit log, mutations and customer records name who acted: one encoding for the device
// that writes it and for HQ, which checks an approval's maker against the approver with it. Pure
// (no Node built-ins): the caller hands in its SHA-256.
import type { Sha256Hex } from './entry';

/** The longest actor HQ and the vault accept (the audit entry's and the mutation's schemas). */
export const ACTOR_MAX = 64;
/** Hex digits of SHA-256 that stand in for the end of a name too long to keep whole. */
const TAIL = 16;

export type Acting =
  | { kind: 'anonymous' }
  | { kind: 'user'; username: string }
  | { kind: 'local_operator'; osUser: string };

/**
 * `user:<username>` or `os:<OS user>`, letters, digits and `._-` kept and any other byte
 * percent-encoded as `@xx`. A reference longer than 64 (a 64-character username) keeps what
 * fits and ends in `:` and 16 hex digits of the whole reference's SHA-256: still unique, still
 * readable, and never a second `:` a name itself could produce.
 */
export function actorReference(who: Acting, sha256Hex: Sha256Hex): string {
  if (who.kind === 'anonymous') return 'anonymous';
  const [prefix, name] = who.kind === 'user' ? ['user', who.username] : ['os', who.osUser];
  const whole = `${prefix}:${encode(name)}`;
  if (whole.length <= ACTOR_MAX) return whole;
  return `${whole.slice(0, ACTOR_MAX - TAIL - 1)}:${sha256Hex(whole).slice(0, TAIL)}`;
}

/**
 * Whether `actor` names this member of staff: the reference above, or the one devices wrote
 * before long names were hashed (the whole reference cut at 64), so a long name cannot slip past
 * a check that the approver is not the maker.
 */
export function actorIsUser(actor: string, username: string, sha256Hex: Sha256Hex): boolean {
  const whole = `user:${encode(username)}`;
  return (
    actor === actorReference({ kind: 'user', username }, sha256Hex) ||
    actor === whole.slice(0, ACTOR_MAX)
  );
}

function encode(name: string): string {
  return utf8(name)
    .map((byte) =>
      /[A-Za-z0-9._-]/.test(String.fromCharCode(byte))
        ? String.fromCharCode(byte)
        : `@${byte.toString(16).padStart(2, '0')}`,
    )
    .join('');
}

/** UTF-8 bytes, a lone surrogate as U+FFFD (as Node's Buffer writes it); shared/ has no encoder. */
function utf8(text: string): number[] {
  const bytes: number[] = [];
  for (const char of text) {
    let code = char.codePointAt(0)!;
    if (code >= 0xd800 && code <= 0xdfff) code = 0xfffd;
    if (code < 0x80) bytes.push(code);
    else if (code < 0x800) bytes.push(0xc0 | (code >> 6), 0x80 | (code & 0x3f));
    else if (code < 0x10000)
      bytes.push(0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f));
    else
      bytes.push(
        0xf0 | (code >> 18),
        0x80 | ((code >> 12) & 0x3f),
        0x80 | ((code >> 6) & 0x3f),
        0x80 | (code & 0x3f),
      );
  }
  return bytes;
}
