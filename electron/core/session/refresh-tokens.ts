// Each member of staff's HQ refresh token, in the OS keychain under an account of their own
// (`session:<profileId>:<userId>`). The vault lists whose slots exist, so a wipe finds them all
// (a keychain cannot be asked for a profile's accounts). A desk session holds the fingerprint of
// the token it stored: it acts only with that token, never one another desk (or another user)
// left in a slot, and empties the slot only while it still holds that token.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { SecretStore } from '../secrets';
import type { Vault } from '../vault';

export const sessionAccount = (profileId: string, userId: string) =>
  `session:${profileId}:${userId}`;

/** The one slot a profile had before tokens were kept per user; emptied at sign-in and wipe. */
export const legacySessionAccount = (profileId: string) => `session:${profileId}`;

const META_PREFIX = 'session.token.';

const fingerprintOf = (token: string) => createHash('sha256').update(token).digest('hex');

/** Whose refresh tokens may be in the keychain for this vault's profile. */
export function tokenUsers(vault: Vault): string[] {
  if (!vault.db.open) return [];
  return (
    vault.db
      .prepare('SELECT key FROM vault_meta WHERE key LIKE ?')
      .pluck()
      .all(`${META_PREFIX}%`) as string[]
  ).map((key) => key.slice(META_PREFIX.length));
}

export class RefreshTokens {
  constructor(
    private readonly vault: Vault,
    private readonly secrets: SecretStore,
  ) {}

  /** Keeps `token` as the user's (replacing theirs); returns the fingerprint that names it. */
  put(userId: string, token: string): string {
    // Listed before it is stored: a crash in between leaves a listed empty slot, never an
    // unlisted token a wipe would miss.
    this.vault.db
      .prepare('INSERT OR REPLACE INTO vault_meta (key, value) VALUES (?, ?)')
      .run(META_PREFIX + userId, sessionAccount(this.vault.profileId, userId));
    this.secrets.set(sessionAccount(this.vault.profileId, userId), token);
    this.secrets.delete(legacySessionAccount(this.vault.profileId));
    return fingerprintOf(token);
  }

  /** The user's token, if it is still the one `fingerprint` names. */
  get(userId: string, fingerprint: string): string | null {
    const token = this.secrets.get(sessionAccount(this.vault.profileId, userId));
    return token !== null && sameFingerprint(fingerprintOf(token), fingerprint) ? token : null;
  }

  /** Empties the user's slot if it still holds the token `fingerprint` names; returns it. */
  take(userId: string, fingerprint: string): string | null {
    const token = this.get(userId, fingerprint);
    if (token === null) return null;
    this.secrets.delete(sessionAccount(this.vault.profileId, userId));
    if (this.vault.db.open)
      this.vault.db.prepare('DELETE FROM vault_meta WHERE key = ?').run(META_PREFIX + userId);
    return token;
  }
}

function sameFingerprint(a: string, b: string): boolean {
  return a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
}
