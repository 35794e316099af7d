// What the signed-in user may do, from the permission matrix and the session's roles: the one
// place the desk asks before it shows a control. It only hides what a role cannot use; the core
// still checks every command and masks every answer, so nothing here decides what a role sees.
import { createContext, useContext, useMemo } from 'react';
import {
  principalPermissions,
  type Permission,
  type RevealableField,
} from '../../shared/access/permissions';
import type { SessionStatus } from '../../shared/commands/session';
import { useDesk } from './store';

const nothing: ReadonlySet<Permission> = new Set();

/** The permissions of a session's user; none when no one is signed in (fails closed). */
export function permissionsOf(session: SessionStatus | undefined): ReadonlySet<Permission> {
  const user = session?.state === 'active' ? session.user : null;
  if (!user) return nothing;
  return principalPermissions({
    kind: 'user',
    userId: user.userId,
    username: user.username,
    roles: user.roles,
  });
}

/** Whether the signed-in user may use `permission`, outside React (handlers, key bindings). */
export function can(permission: Permission): boolean {
  return permissionsOf(useDesk.getState().session).has(permission);
}

/** Whether the signed-in user may reveal a field of this class. */
export function canReveal(field: RevealableField): boolean {
  return can(`reveal_${field}`);
}

/**
 * The customer on screen is restricted (PIPL Art. 47): within it no role changes anything and
 * only a compliance officer (`reveal_restricted`) reveals (the core refuses the rest too), so the
 * other controls are not offered. The customer 360 provides it.
 */
export const RestrictedCustomer = createContext(false);

/** What a restricted customer's screen withholds from a role with `held` permissions. */
const withheldWhenRestricted = (permission: Permission, held: ReadonlySet<Permission>) =>
  (permission.startsWith('reveal_') && !held.has('reveal_restricted')) ||
  permission === 'edit_contacts' ||
  permission === 'edit_identity' ||
  permission === 'capture_consent' ||
  permission === 'follow_up';

/**
 * A hook for screens: `const can = useCan(); can('approve')`. Re-renders when the session (and
 * so the roles) changes.
 */
export function useCan(): (permission: Permission) => boolean {
  const session = useDesk((state) => state.session);
  const restricted = useContext(RestrictedCustomer);
  return useMemo(() => {
    const held = permissionsOf(session);
    return (permission: Permission) =>
      held.has(permission) && !(restricted && withheldWhenRestricted(permission, held));
  }, [session, restricted]);
}
