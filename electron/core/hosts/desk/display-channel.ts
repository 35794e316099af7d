// The customer screen over a message channel: the web harness's second WebSocket (`/display`,
// its own token) or, in the desktop app, the port the main process hands the customer window.
// Only the screen's own commands (shared/counter/display.ts) are served; anything else, a desk
// command above all, is refused before it reaches the command table.
import { BranchDeskError, isBranchDeskError, serializeError } from '../../../../shared/errors';
import {
  displayContract,
  isDisplayCommand,
  type SatisfactionReason,
} from '../../../../shared/counter/display';
import type { BridgeResponse, DisplayEvent } from '../../../../shared/protocol/bridge';
import { parseRequest } from './channel';
import type { Counter } from '../../counter/counter';
import { log } from '../../log';

export interface DisplayChannel {
  send(message: BridgeResponse | DisplayEvent): void;
  onMessage(listener: (data: unknown) => void): void;
  onClose(listener: () => void): void;
}

/** Serves one customer screen over `channel` until it closes. */
export function serveDisplay(counter: Counter, channel: DisplayChannel): void {
  const disconnect = counter.connectDisplay((view) =>
    channel.send({ event: 'display', payload: view }),
  );
  channel.onMessage((data) => {
    const request = parseRequest(data);
    if (!request) {
      const error = serializeError(
        new BranchDeskError('INPUT_INVALID', { issues: 'not a bridge request' }),
      );
      channel.send({ id: 0, result: { ok: false, error } });
      return;
    }
    void answer(counter, request.command, request.input).then((result) =>
      channel.send({ id: request.id, result }),
    );
  });
  channel.onClose(disconnect);
}

async function answer(
  counter: Counter,
  command: string,
  input: unknown,
): Promise<BridgeResponse['result']> {
  let outcome = 'ok';
  try {
    if (!isDisplayCommand(command))
      throw new BranchDeskError('DISPLAY_COMMAND_REFUSED', { command: command.slice(0, 64) });
    const parsed = displayContract[command].input.safeParse(input);
    if (!parsed.success)
      // Paths and rule messages only: what the customer typed never reaches a log or an error.
      throw new BranchDeskError('INPUT_INVALID', {
        issues: parsed.error.issues.map((issue) => issue.path.join('.') || '(input)').join('; '),
      });
    // Each command's own fields, as its schema just checked them.
    const value = parsed.data as {
      requestId: string;
      update: unknown;
      score: number;
      reason?: SatisfactionReason;
    };
    switch (command) {
      case 'display.view':
        return { ok: true, value: counter.view() };
      case 'display.confirm':
        return { ok: true, value: await counter.confirm(value.requestId) };
      case 'display.decline':
        return { ok: true, value: counter.decline(value.requestId) };
      case 'display.submit':
        return { ok: true, value: counter.submit(value.requestId, value.update) };
      case 'display.rate':
        return { ok: true, value: await counter.rate(value.requestId, value.score, value.reason) };
    }
  } catch (error) {
    outcome = isBranchDeskError(error) ? error.code : 'INTERNAL';
    return { ok: false, error: serializeError(error) };
  } finally {
    log('info', 'display.command', { command: command.slice(0, 64), outcome });
  }
}
