// Errors are values with a stable code; people read them through the zh-CN / en catalog.
import { detailWords, errorMessages, type Locale } from './i18n/errors';

export const errorCodes = [
  'SECRET_STORE_UNAVAILABLE',
  'SECRET_STORE_NOT_PERSISTENT',
  'SECRET_STORE_FAILED',
  'VAULT_NOT_FOUND',
  'VAULT_ALREADY_EXISTS',
  'VAULT_METADATA_INVALID',
  'VAULT_DATABASE_MISSING',
  'VAULT_KEY_MISSING',
  'VAULT_KEY_WRONG',
  'VAULT_NOT_A_DATABASE',
  'VAULT_PLAINTEXT',
  'VAULT_CORRUPT',
  'VAULT_PROFILE_MISMATCH',
  'VAULT_TOO_NEW',
  'VAULT_MIGRATION_FAILED',
  'VAULT_BUSY',
  'VAULT_INTERRUPTED',
  'VAULT_NOT_OPEN',
  'CUSTOMER_NOT_FOUND',
  'CUSTOMER_INVALID',
  'CUSTOMER_DUPLICATE_DOCUMENT',
  'CUSTOMER_VERSION_CONFLICT',
  'CUSTOMER_FIELD_READ_ONLY',
  'CUSTOMER_APPEND_ONLY',
  'CUSTOMER_FIELD_ABSENT',
  'CUSTOMER_TASK_NOT_FOUND',
  'CONSENT_LEDGER_ONLY',
  'CUSTOMER_RESTRICTED',
  'CUSTOMER_ERASED',
  'LEGAL_HOLD_NOT_FOUND',
  'COSIGNER_INVALID',
  'HQ_SESSION_REQUIRED',
  'CONSENT_EXPIRY_PAST',
  'APPROVAL_NOT_FOUND',
  'APPROVAL_NOT_PENDING',
  'APPROVAL_OWN_CHANGE',
  'APPROVAL_NEEDS_HQ',
  'APPROVAL_NEEDS_REDO',
  'MERGE_NOT_FOUND',
  'MERGE_NOT_PENDING',
  'MERGE_OWN_PROPOSAL',
  'MERGE_REFUSED',
  'MERGE_NEEDS_HQ',
  'CUSTOMER_MERGED',
  'UNMERGE_PERIOD_OVER',
  'UNMERGE_REFUSED',
  'QUALITY_PROBLEM_REMAINS',
  'CONFLICT_NOT_FOUND',
  'CONFLICT_ALREADY_RESOLVED',
  'HQ_DATA_BUSY',
  'BRANCH_NOT_FOUND',
  'RM_NOT_FOUND',
  'DEVICE_NOT_FOUND',
  'ENROLLMENT_CODE_INVALID',
  'DEVICE_UNAUTHENTICATED',
  'DEVICE_REVOKED',
  'DEVICE_ALREADY_ENROLLED',
  'DEVICE_NOT_ENROLLED',
  'HQ_UNREACHABLE',
  'HQ_PROTOCOL_ERROR',
  'HQ_UNAVAILABLE',
  'RATE_LIMITED',
  'ADMIN_UNAUTHENTICATED',
  'LOGIN_FAILED',
  'UNLOCK_FAILED',
  'ACCOUNT_LOCKED',
  'USER_DISABLED',
  'USER_NOT_AT_BRANCH',
  'USER_NOT_FOUND',
  'USER_EXISTS',
  'SESSION_REQUIRED',
  'SESSION_LOCKED',
  'SESSION_UNAUTHENTICATED',
  'SESSION_REVOKED',
  'OFFLINE_LOGIN_UNAVAILABLE',
  'OFFLINE_WINDOW_EXPIRED',
  'CLOCK_ROLLED_BACK',
  'AUDIT_KEY_UNKNOWN',
  'AUDIT_SIGNATURE_INVALID',
  'AUDIT_CHAIN_BROKEN',
  'AUDIT_RESUME',
  'AUDIT_CUSTOMER_UNKNOWN',
  'AUDIT_RANGE_BACKWARDS',
  'EXTRACT_NOT_ANONYMOUS',
  'NOTICE_VERSION_TAKEN',
  'RULE_VERSION_TAKEN',
  'CAMPAIGN_NOT_FOUND',
  'CAMPAIGN_NOT_RUNNING',
  'CAMPAIGN_NOT_ELIGIBLE',
  'SUGGESTION_NOT_FOUND',
  'SUGGESTION_NOT_ANSWERABLE',
  'FIELD_HAS_OWN_COMMAND',
  'CUSTOMER_SCREEN_REQUIRED',
  'VISIT_NOT_FOUND',
  'COUNTER_NO_DISPLAY',
  'COUNTER_BUSY',
  'COUNTER_REQUEST_GONE',
  'COUNTER_NOTHING_TO_APPROVE',
  'DISPLAY_COMMAND_REFUSED',
  'COMPLAINT_CATEGORY_UNKNOWN',
  'COMPLAINT_NOT_FOUND',
  'COMPLAINT_STEP_INVALID',
  'HQ_ENVIRONMENT_MISMATCH',
  'TRAINING_ONLY',
  'TRAINING_RUN_NOT_FOUND',
  'NOTICE_NOT_FOUND',
  'OUTPUT_FILE_EXISTS',
  'INPUT_INVALID',
  'COMMAND_UNKNOWN',
  'PERMISSION_DENIED',
  'INTERNAL',
] as const;

export type ErrorCode = (typeof errorCodes)[number];

/** Non-secret facts that help a person act on an error: ids, paths, counts. Never PII. */
export type ErrorDetails = Readonly<Record<string, string | number | boolean>>;

/** The error every layer throws and every transport carries; `code` is the contract. */
export class BranchDeskError extends Error {
  override readonly name = 'BranchDeskError';

  constructor(
    readonly code: ErrorCode,
    readonly details: ErrorDetails = {},
    options?: { cause?: unknown },
  ) {
    super(describeError(code, details, 'en'), options);
  }
}

/** The shape an error takes when it crosses a process or network boundary. */
export interface SerializedError {
  code: ErrorCode;
  details: ErrorDetails;
  message: Record<Locale, string>;
}

export function describeError(code: ErrorCode, details: ErrorDetails, locale: Locale): string {
  const template = errorMessages[locale][code];
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    if (!(name in details)) return whole;
    const words = detailWords[name];
    return words ? words(details[name], locale) : String(details[name]);
  });
}

export function serializeError(error: unknown): SerializedError {
  const known =
    error instanceof BranchDeskError
      ? error
      : new BranchDeskError('INTERNAL', {}, { cause: error });
  return {
    code: known.code,
    details: known.details,
    message: {
      'zh-CN': describeError(known.code, known.details, 'zh-CN'),
      en: describeError(known.code, known.details, 'en'),
    },
  };
}

export function isBranchDeskError(error: unknown, code?: ErrorCode): error is BranchDeskError {
  return error instanceof BranchDeskError && (code === undefined || error.code === code);
}
