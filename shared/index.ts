export * from './errors';
export * from './i18n/errors';
export * from './access/permissions';
export * from './commands/contract';
export * from './commands/vault';
export * from './i18n/doctor';
export * from './customer';
