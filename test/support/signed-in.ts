// Desks with members of staff signed in online, through the command table as the desk signs
// them in (password and TOTP, their own HQ session): one desk per username and vault, made on
// first use and kept, so a test asks for `desk('supervisor2')` wherever it needs one.
import { dispatch, type CommandContext } from '../../electron/core/commands';
import type { SecretStore } from '../../electron/core/secrets';
import { StaffSession } from '../../electron/core/session/session';
import type { Vault } from '../../electron/core/vault';
import { waitingTotpCodes } from './staff';

export function signedInDesks(
  secrets: SecretStore,
  credentials: ReadonlyMap<string, { password: string; totpSecret: string }>,
) {
  const desks = new Map<string, CommandContext>();
  const codes = new Map<string, () => Promise<string>>();
  return {
    /** `username` signed in on a desk of `vault` (the same desk each time). */
    async desk(username: string, vault: Vault): Promise<CommandContext> {
      const key = `${username}@${vault.profileId}`;
      const known = desks.get(key);
      if (known) return known;
      const context: CommandContext = {
        principal: { kind: 'anonymous' },
        session: new StaffSession(),
        secrets,
        vault,
      };
      const { password, totpSecret } = credentials.get(username)!;
      if (!codes.has(username)) codes.set(username, waitingTotpCodes(totpSecret));
      const signedIn = await dispatch(
        'session.login',
        { username, password, totp: await codes.get(username)!() },
        context,
      );
      if (!signedIn.ok)
        throw new Error(`${username}: ${signedIn.error.code}: ${signedIn.error.message.en}`);
      desks.set(key, context);
      return context;
    },
    /** Signs every desk's member of staff out (their HQ sessions end). */
    async signOutAll(): Promise<void> {
      for (const context of desks.values()) await dispatch('session.logout', {}, context);
    },
  };
}
