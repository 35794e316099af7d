// The customer domain model: zod schemas, the types inferred from them, the field-policy
// catalogue for sync, and the facts derived for the UI.
export * from './customer';
export * from './customer-number';
export * from './identity-documents';
export * from './contacts';
export * from './list-entries';
export * from './records';
export * from './consent';
export * from './fields';
export * from './field-policies';
export * from './new-customer';
export * from './alerts';
export * from './list-item';
export * from './messages';
export { checkMasterRecord } from './master-record';
export type { CustomerFormCode, CustomerIssue } from './issues';
export { customerIssuesFromZod, describeCustomerIssue } from './issues';
