// How the customer schemas report a problem: a custom zod issue whose message is the English
// text and whose params carry the stable code, so the UI can turn it back into zh-CN. Codes of
// the shared validators travel as `validationCode` (read by validationIssuesFromZod as well),
// the customer model's own codes as `customerCode`.
import type { z } from 'zod';
import { describeIssue } from '../i18n/validation';
import type { Locale } from '../i18n/errors';
import {
  type ValidationCode,
  type ValidationParams,
  type ValidationResult,
  validationCodes,
} from '../validation';
import {
  type CustomerIssueCode,
  customerIssueCodes,
  customerMessages,
  fillTemplate,
} from './messages';

export type CustomerFormCode = ValidationCode | CustomerIssueCode;

/** One problem found in a customer record, where it is, and the values for its message. */
export interface CustomerIssue {
  code: CustomerFormCode;
  path: (string | number)[];
  params?: ValidationParams;
}

/** The part of a zod refinement context these helpers need; any `z.RefinementCtx<T>` fits. */
export interface IssueSink {
  addIssue(issue: z.core.$ZodSuperRefineIssue): void;
}

const validationCodeSet: ReadonlySet<string> = new Set(validationCodes);
const customerCodeSet: ReadonlySet<string> = new Set(customerIssueCodes);

function isValidationCode(code: string): code is ValidationCode {
  return validationCodeSet.has(code);
}

function isCustomerFormCode(code: unknown): code is CustomerFormCode {
  return typeof code === 'string' && (validationCodeSet.has(code) || customerCodeSet.has(code));
}

/** The message of a customer issue in `locale`, from whichever catalog owns its code. */
export function describeCustomerIssue(
  issue: Pick<CustomerIssue, 'code' | 'params'>,
  locale: Locale,
): string {
  const { code, params } = issue;
  if (isValidationCode(code)) {
    return describeIssue(
      params ? { code, severity: 'error', params } : { code, severity: 'error' },
      locale,
    );
  }
  return fillTemplate(customerMessages[locale][code], params);
}

export function addCustomerIssue(
  sink: IssueSink,
  code: CustomerFormCode,
  options: { path?: (string | number)[]; params?: ValidationParams } = {},
): void {
  const params = options.params ?? {};
  const codeParam = isValidationCode(code) ? { validationCode: code } : { customerCode: code };
  sink.addIssue({
    code: 'custom',
    message: describeCustomerIssue({ code, params }, 'en'),
    params: { ...params, ...codeParam },
    ...(options.path ? { path: options.path } : {}),
  });
}

/** Reports the errors of a validator's result (warnings are a form's business, not a schema's). */
export function addValidationErrors(
  sink: IssueSink,
  result: ValidationResult<unknown>,
  path?: (string | number)[],
): void {
  for (const issue of result.issues) {
    if (issue.severity !== 'error') continue;
    addCustomerIssue(sink, issue.code, {
      ...(path ? { path } : {}),
      ...(issue.params ? { params: issue.params } : {}),
    });
  }
}

/** The coded issues inside a zod error from the customer schemas; structural zod issues are skipped. */
export function customerIssuesFromZod(zodError: z.ZodError): CustomerIssue[] {
  const found: CustomerIssue[] = [];
  for (const issue of zodError.issues) {
    if (issue.code !== 'custom') continue;
    const { validationCode, customerCode, ...rest } = (issue.params ?? {}) as Record<
      string,
      unknown
    >;
    const code = validationCode ?? customerCode;
    if (!isCustomerFormCode(code)) continue;
    const params: Record<string, string | number> = {};
    for (const [name, value] of Object.entries(rest)) {
      if (typeof value === 'string' || typeof value === 'number') params[name] = value;
    }
    const path = issue.path.filter(
      (key): key is string | number => typeof key === 'string' || typeof key === 'number',
    );
    found.push(Object.keys(params).length > 0 ? { code, path, params } : { code, path });
  }
  return found;
}
