// Who may do what: the permissions every command declares, the roles staff hold, and the matrix
// between them (ARCHITECTURE.md §6). The core checks a command's permission before anything
// else, whichever transport called it (electron/core/commands/table.ts); this file is the one
// place the answer comes from.
import { z } from 'zod';

/** The PII fields that are masked by default and revealed one at a time, with a reason. */
export const revealableFields = [
  'identity_number',
  'phone',
  'email',
  'address',
  'account_number',
  'name',
] as const;
export type RevealableField = (typeof revealableFields)[number];

export const permissions = [
  /** Sign in, out, lock and unlock: everyone, signed in or not. */
  'sign_in',
  'search',
  'view',
  ...revealableFields.map((field) => `reveal_${field}` as const),
  'edit_contacts',
  'edit_identity',
  /** Record a customer's consent or its withdrawal (PIPL Art. 14–15), with them present. */
  'capture_consent',
  /**
   * Reveal a restricted customer's data (PIPL Art. 47: processing stops, but the law may still
   * need it read): the compliance officer's alone, one field at a time, with a reason, audited.
   */
  'reveal_restricted',
  /**
   * Produce a customer's own copy of their data at the counter (PIPL Art. 45), with the customer
   * present and identified, co-signed by a second supervisor, online only.
   */
  'produce_copy',
  'create',
  /** Work a campaign's call list and record each contact's outcome. */
  'contact_customers',
  /** Mark a suggested next best action done, or dismiss it (recorded with the customer). */
  'follow_up',
  /** Record a customer's complaint or suggestion (投诉与建议) and work on one's own. */
  'handle_complaints',
  /** Record a periodic KYC review with the customer (客户身份资料定期审核). */
  'review_kyc',
  /** The portfolio home (工作台) of one's own book: the customers assigned to the RM. */
  'view_book',
  /** The home for the whole branch the device holds (a supervisor's view of every book). */
  'view_branch_book',
  /** Print a list of the book, or save it to an encrypted file (masked as on screen, audited). */
  'export_book',
  'approve',
  /**
   * Propose merging two records of one person, decide another's proposal, or undo a merge: HQ
   * performs it (hq/merges.ts), with the supervisor's own HQ session.
   */
  'merge_customers',
  'resolve_conflicts',
  'view_audit',
  'export',
  'administer_device',
] as const;

export const Permission = z.enum(permissions);
export type Permission = z.infer<typeof Permission>;

export const roles = [
  'teller',
  'relationship_manager',
  'supervisor',
  'auditor',
  'compliance_officer',
  'it_admin',
] as const;
export const Role = z.enum(roles);
export type Role = z.infer<typeof Role>;

const reveal = (...fields: RevealableField[]): Permission[] =>
  fields.map((field) => `reveal_${field}` as const);

/**
 * The matrix. Least privilege: a teller serves the customer in front of them (reveals what
 * identity checks and contact updates need); a relationship manager works a portfolio (contacts
 * and accounts, not ID numbers); a supervisor may also approve others' changes and decide
 * conflicts; an auditor reads the audit log and finds customers but reveals nothing
 * and changes nothing; a compliance officer reveals, a restricted customer's data too, and changes
 * nothing; IT administers the device and sees no customer at all.
 */
export const rolePermissions: Readonly<Record<Role, readonly Permission[]>> = {
  // Identity changes by tellers and RMs (and by supervisors) wait for a different supervisor's
  // approval (maker-checker), so proposing one is part of serving the customer.
  teller: [
    'search',
    'view',
    ...reveal('identity_number', 'phone', 'email', 'address', 'name'),
    'edit_contacts',
    'edit_identity',
    'capture_consent',
    'create',
    'follow_up',
    'handle_complaints',
  ],
  relationship_manager: [
    'search',
    'view',
    ...reveal('phone', 'email', 'address', 'account_number', 'name'),
    'edit_contacts',
    'edit_identity',
    'capture_consent',
    'create',
    'view_book',
    'review_kyc',
    'contact_customers',
    'follow_up',
    'handle_complaints',
    'export_book',
  ],
  supervisor: [
    'search',
    'view',
    ...reveal(...revealableFields),
    'edit_contacts',
    'edit_identity',
    'capture_consent',
    'create',
    'view_book',
    'view_branch_book',
    'export_book',
    'review_kyc',
    'contact_customers',
    'follow_up',
    'handle_complaints',
    'approve',
    'merge_customers',
    'resolve_conflicts',
    'view_audit',
    'produce_copy',
  ],
  auditor: ['search', 'view', 'view_audit', 'export'],
  // Compliance (合规): answers regulators and investigations, so may read any field, a
  // restricted customer's too, each reveal with a reason and audited; changes nothing.
  compliance_officer: [
    'search',
    'view',
    ...reveal(...revealableFields),
    'reveal_restricted',
    'view_audit',
  ],
  it_admin: ['administer_device'],
};

/** Who is calling a command. */
export type Principal =
  /** Nobody has signed in yet: may do nothing but what needs no permission. */
  | { kind: 'anonymous' }
  /** A member of staff signed in on this device, with the roles HQ gave them. */
  | { kind: 'user'; userId: string; username: string; roles: readonly Role[] }
  /** An administrator at the device's own console (branchctl), trusted by OS account. */
  | { kind: 'local_operator'; osUser: string };

/**
 * What each principal may do: for staff, the union of their roles' permissions; for everyone,
 * signing in and out.
 */
export function principalPermissions(principal: Principal): ReadonlySet<Permission> {
  switch (principal.kind) {
    case 'anonymous':
      return new Set<Permission>(['sign_in']);
    case 'user':
      return new Set<Permission>([
        'sign_in',
        ...principal.roles.flatMap((role) => rolePermissions[role]),
      ]);
    case 'local_operator':
      // IT at the device's own console (branchctl). Until branchctl signs staff in, it may also
      // work with customers and read the audit log, as a supervisor would, but reveals nothing
      // (its output is the whole record already), approves nothing and changes no identity
      // field: four eyes need two named members of staff, and an OS account is neither.
      return new Set<Permission>([
        'sign_in',
        'administer_device',
        'search',
        'view',
        'create',
        'edit_contacts',
        'resolve_conflicts',
        'view_audit',
      ]);
  }
}
