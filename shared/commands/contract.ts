// The command contract: every operation the core offers, with its input and output schemas and
// the permission it needs. The Electron bridge, the web harness and branchctl all dispatch
// through this one table (ARCHITECTURE.md §1), so no door skips validation or authorisation.
import type { z } from 'zod';
import type { Permission } from '../access/permissions';
import {
  ApprovalApproveInput,
  ApprovalCountInput,
  ApprovalCountOutput,
  ApprovalDecisionOutput,
  ApprovalListInput,
  ApprovalListOutput,
  ApprovalMineInput,
  ApprovalRejectInput,
} from './approvals';
import {
  AuditCsvInput,
  AuditCsvOutput,
  AuditExportInput,
  AuditExportOutput,
  AuditPrintInput,
  AuditPrintOutput,
  AuditQueryInput,
  AuditQueryOutput,
  AuditVerifyInput,
  AuditVerifyOutput,
} from './audit';
import {
  CustomerCreateInput,
  CustomerDuplicatesInput,
  CustomerDuplicatesOutput,
  CustomerRevealInput,
  CustomerRevealOutput,
  CustomerSearchInput,
  CustomerSearchOutput,
  CustomerSetPhoneInput,
  CustomerSetAddressInput,
  CustomerRecordVisitInput,
  CustomerRecordSatisfactionInput,
  CustomerAddNoteInput,
  CustomerRecordReviewInput,
  CustomerRecordContactInput,
  CustomerRespondActionInput,
  CustomerProposeRatingInput,
  CustomerGrantConsentInput,
  CustomerWithdrawConsentInput,
  CustomerAddTaskInput,
  CustomerSetTaskStatusInput,
  CustomerShowInput,
  CustomerShowOutput,
  CustomerUpdateInput,
  CustomerWriteOutput,
} from './customer';
import {
  CustomerAccessInput,
  DraftFormInput,
  DraftOutput,
  DraftSaveInput,
  SessionEmptyInput,
  SessionLoginInput,
  SessionStatus,
  SessionUnlockInput,
} from './session';
import { CustomerAccessResponse } from '../auth/staff';
import { insightContract } from './insight';
import { privacyContract } from './privacy';
import { counterContract } from './counter';
import { complaintContract } from './complaint';
import { trainingContract } from './training';
import { mergeContract } from './merge';
import { qualityContract } from './quality';
import {
  DeviceAbout,
  DeviceAboutInput,
  DeviceCheck,
  DeviceEnrollInput,
  DeviceHealth,
  DeviceHealthInput,
  DeviceStatusInput,
  Enrollment,
} from './device';
import {
  ConflictListInput,
  ConflictListOutput,
  ConflictResolveInput,
  ConflictResolveOutput,
  ConflictShowInput,
  Conflict,
  RejectedListInput,
  RejectedListOutput,
  SyncRunInput,
  SyncRunOutput,
  SyncStatusInput,
  SyncStatusOutput,
} from './sync';
import {
  VaultDoctorInput,
  VaultDoctorOutput,
  VaultInitInput,
  VaultInitOutput,
  VaultRekeyInput,
  VaultRekeyOutput,
} from './vault';

export interface CommandSpec {
  readonly input: z.ZodType;
  readonly output: z.ZodType;
  readonly permission: Permission;
  /** One line for `branchctl help` and the docs. */
  readonly summary: string;
}

export const commandContract = {
  'vault.init': {
    input: VaultInitInput,
    output: VaultInitOutput,
    permission: 'administer_device',
    summary: 'Create a new profile: a random key in the OS keychain and an empty encrypted vault.',
  },
  'vault.doctor': {
    input: VaultDoctorInput,
    output: VaultDoctorOutput,
    permission: 'administer_device',
    summary: 'Open the vault read-only and check keychain, key, integrity, schema and settings.',
  },
  'vault.rekey': {
    input: VaultRekeyInput,
    output: VaultRekeyOutput,
    permission: 'administer_device',
    summary: 'Rotate the vault key, crash-safely (staging key, rekey, promote).',
  },
  'device.enroll': {
    input: DeviceEnrollInput,
    output: Enrollment,
    permission: 'administer_device',
    summary: 'Enroll this device with HQ using a one-time code (creates the profile if needed).',
  },
  'device.status': {
    input: DeviceStatusInput,
    output: DeviceCheck,
    permission: 'administer_device',
    summary: "Ask HQ about this device; a revoked device's vault is wiped.",
  },
  'device.about': {
    input: DeviceAboutInput,
    output: DeviceAbout,
    permission: 'sign_in',
    summary:
      'This device: enrolled or not, its branch and HQ, and the app version (first run, about).',
  },
  'device.health': {
    input: DeviceHealthInput,
    output: DeviceHealth,
    permission: 'administer_device',
    summary:
      "IT's view of this device: the doctor's checks on its own profile, enrollment, sync counts and the last rounds.",
  },
  'session.login': {
    input: SessionLoginInput,
    output: SessionStatus,
    permission: 'sign_in',
    summary:
      'Sign in with username, password and TOTP code: against HQ when it answers, otherwise offline within the window HQ set.',
  },
  'session.logout': {
    input: SessionEmptyInput,
    output: SessionStatus,
    permission: 'sign_in',
    summary: 'Sign out: the session ends here and at HQ.',
  },
  'session.lock': {
    input: SessionEmptyInput,
    output: SessionStatus,
    permission: 'sign_in',
    summary: 'Lock the session now (it also locks itself after the idle minutes HQ set).',
  },
  'session.unlock': {
    input: SessionUnlockInput,
    output: SessionStatus,
    permission: 'sign_in',
    summary: "Unlock a locked session with the signed-in user's password.",
  },
  'session.status': {
    input: SessionEmptyInput,
    output: SessionStatus,
    permission: 'sign_in',
    summary: 'Who is signed in, how, and when the session locks.',
  },
  'session.draft.save': {
    input: DraftSaveInput,
    output: DraftOutput,
    permission: 'sign_in',
    summary: "Keep the signed-in user's unsaved input of a form, encrypted in the vault.",
  },
  'session.draft.get': {
    input: DraftFormInput,
    output: DraftOutput,
    permission: 'sign_in',
    summary: "The signed-in user's draft of a form, if there is one (offered back after a lock).",
  },
  'session.draft.discard': {
    input: DraftFormInput,
    output: DraftOutput,
    permission: 'sign_in',
    summary: "Forget the signed-in user's draft of a form (saved, or declined).",
  },
  'sync.run': {
    input: SyncRunInput,
    output: SyncRunOutput,
    permission: 'administer_device',
    summary:
      "Sync now: push the outbox, pull HQ's changes to this device's scope (resuming from the last page applied), purge customers that left it.",
  },
  'sync.status': {
    input: SyncStatusInput,
    output: SyncStatusOutput,
    permission: 'view',
    summary:
      'Where this device stands: enrolled branch, cursor, customers held, outbox, rejected changes, open conflicts.',
  },
  'sync.conflicts.list': {
    input: ConflictListInput,
    output: ConflictListOutput,
    permission: 'resolve_conflicts',
    summary: 'Identity fields changed differently here and at HQ, waiting for a person to decide.',
  },
  'sync.conflicts.show': {
    input: ConflictShowInput,
    output: Conflict,
    permission: 'resolve_conflicts',
    summary: 'One conflict: the base value, the local value and HQ value side by side.',
  },
  'sync.conflicts.resolve': {
    input: ConflictResolveInput,
    output: ConflictResolveOutput,
    permission: 'resolve_conflicts',
    summary:
      "Resolve a conflict: keep HQ's value, take the local one, or enter another (pushed as a new change).",
  },
  'sync.rejected.list': {
    input: RejectedListInput,
    output: RejectedListOutput,
    permission: 'view',
    summary: 'Changes HQ refused, whole or one field, with the reason.',
  },
  'customer.search': {
    input: CustomerSearchInput,
    output: CustomerSearchOutput,
    permission: 'search',
    summary: 'Find customers by ID number, phone, account or customer number, name or pinyin.',
  },
  'customer.show': {
    input: CustomerShowInput,
    output: CustomerShowOutput,
    permission: 'view',
    summary: 'One customer, whole, by id or customer number.',
  },
  'customer.create': {
    input: CustomerCreateInput,
    output: CustomerWriteOutput,
    permission: 'create',
    summary: 'Create a customer; refuses an identity document another customer has.',
  },
  'customer.update': {
    input: CustomerUpdateInput,
    output: CustomerWriteOutput,
    // Identity fields additionally need edit_identity; the handler checks that.
    permission: 'edit_contacts',
    summary: 'Change fields of a customer, against the version the change was made on.',
  },
  'customer.set_phone': {
    input: CustomerSetPhoneInput,
    output: CustomerWriteOutput,
    permission: 'edit_contacts',
    summary: 'Set or add one phone of a customer (the others unchanged), against the version seen.',
  },
  'customer.set_address': {
    input: CustomerSetAddressInput,
    output: CustomerWriteOutput,
    permission: 'edit_contacts',
    summary:
      'Set or add one address of a customer (the others unchanged), against the version seen.',
  },
  'customer.record_satisfaction': {
    input: CustomerRecordSatisfactionInput,
    output: CustomerWriteOutput,
    permission: 'edit_contacts',
    summary:
      "Record the customer's rating of a visit: only from the counter's customer screen, never typed at a desk.",
  },
  'customer.record_visit': {
    input: CustomerRecordVisitInput,
    output: CustomerWriteOutput,
    // Recording that the customer was served is part of serving them, as contact edits are.
    permission: 'edit_contacts',
    summary: 'Record a visit with the customer (append-only: added to the current record).',
  },
  'customer.record_contact': {
    input: CustomerRecordContactInput,
    output: CustomerWriteOutput,
    permission: 'contact_customers',
    summary:
      "Record a campaign contact's outcome (append-only); refused for a customer not on the campaign's call list today (consent, cap, opt-out).",
  },
  'customer.propose_rating': {
    input: CustomerProposeRatingInput,
    output: CustomerWriteOutput,
    permission: 'review_kyc',
    summary:
      "Propose a change of the customer's AML risk rating with why: held for a supervisor who is not its maker, then HQ re-rates with it as a floor.",
  },
  'customer.respond_action': {
    input: CustomerRespondActionInput,
    output: CustomerWriteOutput,
    permission: 'follow_up',
    summary:
      'Mark a suggested next best action done or dismiss it (append-only, synced): that suggestion is not made again; refused for one the customer does not have now.',
  },
  'customer.record_review': {
    input: CustomerRecordReviewInput,
    output: CustomerWriteOutput,
    permission: 'review_kyc',
    summary:
      "Record a periodic KYC review (append-only): what was checked, the outcome and the next due date the rule table's cycle sets; HQ writes its effect into kyc.",
  },
  'customer.add_note': {
    input: CustomerAddNoteInput,
    output: CustomerWriteOutput,
    // A note of what was done or said belongs to serving the customer, as a visit does.
    permission: 'edit_contacts',
    summary: 'Add a note to a customer (append-only: added to the current record).',
  },
  'customer.grant_consent': {
    input: CustomerGrantConsentInput,
    output: CustomerWriteOutput,
    permission: 'capture_consent',
    summary:
      "Record the customer's consent for one purpose: channel, notice version and evidence (append-only).",
  },
  'customer.withdraw_consent': {
    input: CustomerWithdrawConsentInput,
    output: CustomerWriteOutput,
    permission: 'capture_consent',
    summary: "Record the withdrawal of the customer's consent for one purpose (append-only).",
  },
  'customer.add_task': {
    input: CustomerAddTaskInput,
    output: CustomerWriteOutput,
    // A follow-up for the customer, by whoever serves them; no role needs tasks without contacts.
    permission: 'edit_contacts',
    summary: 'Add a task for a customer, assigned to whoever adds it.',
  },
  'customer.set_task_status': {
    input: CustomerSetTaskStatusInput,
    output: CustomerWriteOutput,
    permission: 'edit_contacts',
    summary: "Set a customer's task done, cancelled or open again.",
  },
  'customer.duplicates': {
    input: CustomerDuplicatesInput,
    output: CustomerDuplicatesOutput,
    permission: 'view',
    summary:
      'Probable duplicates across the vault: same name and birth date, or same phone and a similar name.',
  },
  'customer.reveal.identity_number': {
    input: CustomerRevealInput,
    output: CustomerRevealOutput,
    permission: 'reveal_identity_number',
    summary:
      'Show an identity document number in clear, once, for a reason from the list; audited.',
  },
  'customer.reveal.phone': {
    input: CustomerRevealInput,
    output: CustomerRevealOutput,
    permission: 'reveal_phone',
    summary: 'Show a phone number in clear, once, for a reason from the list; audited.',
  },
  'customer.reveal.email': {
    input: CustomerRevealInput,
    output: CustomerRevealOutput,
    permission: 'reveal_email',
    summary: 'Show the e-mail address in clear, once, for a reason from the list; audited.',
  },
  'customer.reveal.address': {
    input: CustomerRevealInput,
    output: CustomerRevealOutput,
    permission: 'reveal_address',
    summary: 'Show a street address in clear, once, for a reason from the list; audited.',
  },
  'customer.reveal.account_number': {
    input: CustomerRevealInput,
    output: CustomerRevealOutput,
    permission: 'reveal_account_number',
    summary: 'Show an account number in clear, once, for a reason from the list; audited.',
  },
  'customer.reveal.name': {
    input: CustomerRevealInput,
    output: CustomerRevealOutput,
    permission: 'reveal_name',
    summary: 'Show a name in full in clear, once, for a reason from the list; audited.',
  },
  'approvals.list': {
    input: ApprovalListInput,
    output: ApprovalListOutput,
    permission: 'approve',
    summary: 'Changes to identity or sensitive fields waiting for a supervisor (maker-checker).',
  },
  'approvals.count': {
    input: ApprovalCountInput,
    output: ApprovalCountOutput,
    permission: 'approve',
    summary: 'How many changes wait for a supervisor (the badge on the inbox).',
  },
  'approvals.mine': {
    input: ApprovalMineInput,
    output: ApprovalListOutput,
    permission: 'edit_identity',
    summary:
      "The reader's own held changes and what became of them (pending, rejected with the reason, to redo).",
  },
  'approvals.approve': {
    input: ApprovalApproveInput,
    output: ApprovalDecisionOutput,
    permission: 'approve',
    summary: "Approve another person's pending change: it is applied and queued for HQ.",
  },
  'approvals.reject': {
    input: ApprovalRejectInput,
    output: ApprovalDecisionOutput,
    permission: 'approve',
    summary: 'Reject a pending change, with a reason for its maker; nothing is applied.',
  },
  'audit.verify': {
    input: AuditVerifyInput,
    output: AuditVerifyOutput,
    permission: 'view_audit',
    summary:
      "Recompute the audit log's hash chain; names the first entry edited, removed, reordered or cut off.",
  },
  'audit.customer_access': {
    input: CustomerAccessInput,
    output: CustomerAccessResponse,
    permission: 'view_audit',
    summary: "Who looked at a customer, from every device's log as HQ holds it (needs HQ).",
  },
  'audit.export': {
    input: AuditExportInput,
    output: AuditExportOutput,
    permission: 'view_audit',
    summary: 'Audit entries in a time range, optionally for one customer, actor or action.',
  },
  'audit.query': {
    input: AuditQueryInput,
    output: AuditQueryOutput,
    permission: 'view_audit',
    summary:
      'The audit log as people read it: newest first, each entry with its customer, staff member and details, filtered.',
  },
  'audit.csv': {
    input: AuditCsvInput,
    output: AuditCsvOutput,
    permission: 'export',
    summary:
      "The filtered audit log as CSV in the reader's language, masked for them; audited as an export.",
  },
  'audit.print': {
    input: AuditPrintInput,
    output: AuditPrintOutput,
    permission: 'export',
    summary: 'Records that the filtered audit log is being printed (the desk prints it).',
  },
  ...privacyContract,
  ...insightContract,
  ...counterContract,
  ...complaintContract,
  ...trainingContract,
  ...mergeContract,
  ...qualityContract,
} as const satisfies Record<string, CommandSpec>;

export type CommandName = keyof typeof commandContract;
export type CommandInput<N extends CommandName> = z.input<(typeof commandContract)[N]['input']>;
export type CommandOutput<N extends CommandName> = z.output<(typeof commandContract)[N]['output']>;

export const commandNames = Object.keys(commandContract) as CommandName[];

export function isCommandName(name: string): name is CommandName {
  return Object.hasOwn(commandContract, name);
}
