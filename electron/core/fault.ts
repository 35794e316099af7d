// Named crash points for fault-injection tests: a test child process sets
// BRANCHDESK_FAULT_POINT to one name and is SIGKILLed exactly there, so the tests can prove
// that every step of a multi-step operation (key rotation, sync) leaves a recoverable state.
// In production the variable is unset and this is a no-op.

export function faultPoint(name: string): void {
  if (process.env.BRANCHDESK_FAULT_POINT === name) {
    process.kill(process.pid, 'SIGKILL');
  }
}
