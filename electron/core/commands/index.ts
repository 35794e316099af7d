export { dispatch, type CommandContext, type CommandHandler, type CommandResult } from './table';
