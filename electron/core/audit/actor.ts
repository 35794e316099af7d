// Who acts, as the audit log, mutations and customer records name them: one reference for every
// writer (the command table, the desk session), so a name that fits one fits them all.
import type { Principal } from '../../../shared/access/permissions';
import { sha256Hex } from './log';

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
export function actorId(who: Acting): string {
  if (who.kind === 'anonymous') return 'anonymous';
  const [prefix, name] = who.kind === 'user' ? ['user', who.username] : ['os', who.osUser];
  const safe = [...Buffer.from(name, 'utf8')]
    .map((byte) =>
      /[A-Za-z0-9._-]/.test(String.fromCharCode(byte))
        ? String.fromCharCode(byte)
        : `@${byte.toString(16).padStart(2, '0')}`,
    )
    .join('');
  const whole = `${prefix}:${safe}`;
  if (whole.length <= ACTOR_MAX) return whole;
  return `${whole.slice(0, ACTOR_MAX - TAIL - 1)}:${sha256Hex(whole).slice(0, TAIL)}`;
}

/** The actor of a principal, as the command handlers take it. */
export function actorOf(principal: Principal): { id: string } {
  return { id: actorId(principal) };
}
