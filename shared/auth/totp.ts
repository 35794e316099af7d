// TOTP (RFC 6238: SHA-1, six digits, 30-second steps) through otplib, the same at HQ and on the
// device for offline sign-in. A code is accepted one step either side of now (a phone's clock
// drifts) and only once: its time step must be later than the last one accepted.
import { generateSecret, generateSync, generateURI, verifySync } from 'otplib';

const STEP_SECONDS = 30;

export function newTotpSecret(): string {
  return generateSecret({ length: 20 });
}

/** The time step `code` belongs to, if it is right for `secret` now and newer than `afterStep`. */
export function checkTotp(
  secret: string,
  code: string,
  nowMs: number,
  afterStep: number,
): number | undefined {
  const result = verifySync({
    secret,
    token: code,
    epoch: Math.floor(nowMs / 1000),
    epochTolerance: STEP_SECONDS,
    afterTimeStep: afterStep,
  });
  return result.valid && 'timeStep' in result ? result.timeStep : undefined;
}

/** The code an authenticator app shows at `nowMs` (demo and tests). */
export function totpAt(secret: string, nowMs: number): string {
  return generateSync({ secret, epoch: Math.floor(nowMs / 1000) });
}

/** The otpauth:// URI an authenticator app scans from a QR code. */
export function totpUri(secret: string, username: string): string {
  return generateURI({ issuer: 'BranchDesk', label: username, secret });
}
