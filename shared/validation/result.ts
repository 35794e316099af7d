// The one result shape every validator returns: the normalised value, and issues kept apart
// by severity. An `error` makes the input unusable; a `warning` asks a person to look again.
import type { ValidationCode } from './codes';

export type ValidationSeverity = 'error' | 'warning';

/** Parameters fill the `{name}` placeholders of the message; they never carry the input itself. */
export type ValidationParams = Readonly<Record<string, string | number>>;

export interface ValidationIssue {
  code: ValidationCode;
  severity: ValidationSeverity;
  params?: ValidationParams;
}

/** `ok` is true exactly when no issue has `error` severity; warnings may still be present. */
export type ValidationResult<T> =
  | { ok: true; value: T; issues: ValidationIssue[] }
  | { ok: false; value?: undefined; issues: ValidationIssue[] };

export function error(code: ValidationCode, params?: ValidationParams): ValidationIssue {
  return params === undefined ? { code, severity: 'error' } : { code, severity: 'error', params };
}

export function warning(code: ValidationCode, params?: ValidationParams): ValidationIssue {
  return params === undefined
    ? { code, severity: 'warning' }
    : { code, severity: 'warning', params };
}

export function hasErrors(issues: readonly ValidationIssue[]): boolean {
  return issues.some((issue) => issue.severity === 'error');
}

/** Builds the result, deciding `ok` from the issues so no validator can get it wrong. */
export function conclude<T>(value: T, issues: ValidationIssue[]): ValidationResult<T> {
  return hasErrors(issues) ? { ok: false, issues } : { ok: true, value, issues };
}

/** For a validator that has already found an error and has no value to give back. */
export function rejected<T>(issues: ValidationIssue[]): ValidationResult<T> {
  if (!hasErrors(issues)) throw new Error('rejected() needs at least one error-severity issue');
  return { ok: false, issues };
}

export function errorsOf(result: { issues: readonly ValidationIssue[] }): ValidationIssue[] {
  return result.issues.filter((issue) => issue.severity === 'error');
}

export function warningsOf(result: { issues: readonly ValidationIssue[] }): ValidationIssue[] {
  return result.issues.filter((issue) => issue.severity === 'warning');
}
