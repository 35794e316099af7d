// The permissions every command declares. Roles map onto them in the access-control layer;
// until users exist, the only principal is the local IT operator running branchctl.
import { z } from 'zod';

export const permissions = [
  'search',
  'view',
  'reveal',
  'edit_contacts',
  'edit_identity',
  'create',
  'approve',
  'resolve_conflicts',
  'view_audit',
  'export',
  'administer_device',
] as const;

export const Permission = z.enum(permissions);
export type Permission = z.infer<typeof Permission>;

/** Who is calling a command. */
export type Principal =
  /** Nobody has signed in yet: may do nothing but what needs no permission. */
  | { kind: 'anonymous' }
  /** An administrator at the device's own console (branchctl), trusted by OS account. */
  | { kind: 'local_operator'; osUser: string };

/** What each kind of principal may do. */
export function principalPermissions(principal: Principal): ReadonlySet<Permission> {
  switch (principal.kind) {
    case 'anonymous':
      return new Set<Permission>();
    case 'local_operator':
      // Until users and roles exist (access-control issue), branchctl at the device's own
      // console may also work with customers; that issue narrows this to least privilege.
      return new Set<Permission>([
        'administer_device',
        'search',
        'view',
        'create',
        'edit_contacts',
        'edit_identity',
        'resolve_conflicts',
      ]);
  }
}
