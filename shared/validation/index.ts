// Customer-data validators shared by the UI, the branch core and the HQ service.
export * from './codes';
export type {
  ValidationIssue,
  ValidationParams,
  ValidationResult,
  ValidationSeverity,
} from './result';
export { errorsOf, hasErrors, warningsOf } from './result';
export * from './normalize';
export * from './person-name';
export * from './dates';
export * from './regions';
export * from './resident-id';
export * from './uscc';
export * from './phone';
export * from './email';
export * from './bank-card';
export * from './travel-documents';
export * from './business-licence';
export * from './document-dates';
export * from './identity-document';
export * from './schemas';
