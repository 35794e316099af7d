// Helpers for staff sign-in and audit intake tests: the demo users' codes, and audit entries
// built with the shared chain definition, signed as a device signs them.
import { sign, type KeyObject } from 'node:crypto';
import { sha256Hex } from '../../electron/core/audit/log';
import {
  auditBatchPayload,
  auditGenesis,
  auditHash,
  type AuditAction,
  type AuditEntry,
} from '../../shared/audit/entry';
import { totpAt } from '../../shared/auth/totp';

/** A user's credentials as `npm run hq -- user add` printed them. */
export function credentialsIn(stdout: string) {
  return {
    password: /password\s+(\S+)/.exec(stdout)![1]!,
    totpSecret: /TOTP secret\s+([A-Z2-7]+)/.exec(stdout)![1]!,
  };
}

/**
 * Fresh TOTP codes for `secret` at real time: each call gives the next time step HQ has not
 * accepted yet. HQ takes one step either side of now and each step once, so a user signs in
 * at most twice within 30 seconds; asking for more is a mistake in the test.
 */
export function totpCodes(secret: string, clock: () => number = Date.now) {
  let last = -Infinity;
  return () => {
    const now = Math.floor(clock() / 30_000);
    const step = Math.max(now, last + 1);
    if (step > now + 1) throw new Error('no fresh TOTP step left in this window');
    last = step;
    return totpAt(secret, step * 30_000);
  };
}

/**
 * Time a window must have left for its step before to be used: HQ takes that step only while
 * its own clock is in this window, and a sign-in on a loaded machine takes seconds to reach it.
 */
const PREVIOUS_STEP_MARGIN_MS = 10_000;

/**
 * Like totpCodes, but also the step before now while the window has time left (three sign-ins
 * of a user a window, not two), and waits for the next 30-second step when the codes are spent.
 */
export function waitingTotpCodes(secret: string) {
  let last = -Infinity;
  return async () => {
    for (;;) {
      const nowMs = Date.now();
      const now = Math.floor(nowMs / 30_000);
      const left = (now + 1) * 30_000 - nowMs;
      const step = Math.max(left >= PREVIOUS_STEP_MARGIN_MS ? now - 1 : now, last + 1);
      if (step <= now + 1) {
        last = step;
        return totpAt(secret, step * 30_000);
      }
      await new Promise((resolve) => setTimeout(resolve, (now + 1) * 30_000 - Date.now() + 50));
    }
  };
}

/** `count` entries continuing `chain` after `from` (the genesis when absent). */
export function chainEntries(
  chain: string,
  count: number,
  options: {
    from?: { seq: number; hash: string };
    target?: string | null;
    action?: AuditAction;
    actor?: string;
  } = {},
): AuditEntry[] {
  let seq = options.from?.seq ?? 0;
  let prevHash = options.from?.hash ?? auditGenesis(sha256Hex, chain);
  const entries: AuditEntry[] = [];
  for (let i = 0; i < count; i++) {
    const fields = {
      seq: ++seq,
      at: new Date().toISOString(),
      actor: options.actor ?? 'user:teller1',
      device: chain,
      action: options.action ?? 'view',
      target: options.target ?? null,
      details: '{}',
    };
    const hash = auditHash(sha256Hex, fields, prevHash);
    entries.push({ ...fields, prevHash, hash });
    prevHash = hash;
  }
  return entries;
}

/** A batch as a device uploads it, signed with `key`. */
export function signedBatch(chain: string, entries: AuditEntry[], key: KeyObject) {
  const payload = auditBatchPayload({ chain, first: entries[0]!, last: entries.at(-1)! });
  return { entries, signature: sign(null, Buffer.from(payload), key).toString('base64') };
}
