export {
  dispatch,
  isWriteCommand,
  writeCommands,
  type CommandContext,
  type CommandHandler,
  type CommandResult,
} from './table';
