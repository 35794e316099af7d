// Named crash points for fault-injection tests. A test child process sets
// BRANCHDESK_FAULT_POINT to one name and is SIGKILLed exactly there; with
// BRANCHDESK_FAULT_ANNOUNCE=1 it also reports each point on stderr as it passes, so a test can
// kill it at a random moment *between* points. Both prove that every step of a multi-step
// operation (key rotation, sync) leaves a recoverable state. In production both are unset and
// this does nothing.

export function faultPoint(name: string): void {
  if (process.env.BRANCHDESK_FAULT_ANNOUNCE === '1') process.stderr.write(`fault-point:${name}\n`);
  if (process.env.BRANCHDESK_FAULT_POINT === name) process.kill(process.pid, 'SIGKILL');
}
