// One desk over a message channel: the web harness's WebSocket or, in the desktop app, the
// MessagePort the main process hands the window. Either way each message is checked against the
// bridge schema, each call goes through the desk's own staff session, and sync events follow.
// When the channel closes, the desk's session ends (or is parked, for a page that may reload).
import { BranchDeskError, serializeError } from '../../../../shared/errors';
import {
  BridgeRequest,
  type BridgeEvent,
  type BridgeResponse,
} from '../../../../shared/protocol/bridge';
import type { CoreHost, DeskOptions } from './host';

export interface DeskChannel {
  send(message: BridgeResponse | BridgeEvent): void;
  /** Each message as it arrives: JSON text (a WebSocket) or a structured-clone value (a port). */
  onMessage(listener: (data: unknown) => void): void;
  onClose(listener: () => void): void;
}

/** Serves a new desk over `channel` until it closes. */
export function serveDesk(host: CoreHost, channel: DeskChannel, options: DeskOptions = {}): void {
  const desk = host.openDesk(options);
  if (desk.resumeToken)
    channel.send({ event: 'resume', payload: { token: desk.resumeToken, resumed: desk.resumed } });
  channel.send({ event: 'sync', payload: host.syncEvent() });
  const unsubscribe = host.onSync((payload) => channel.send({ event: 'sync', payload }));
  channel.onMessage((data) => {
    const request = parseRequest(data);
    if (!request) {
      const error = serializeError(
        new BranchDeskError('INPUT_INVALID', { issues: 'not a bridge request' }),
      );
      channel.send({ id: 0, result: { ok: false, error } });
      return;
    }
    void desk
      .call(request.command, request.input)
      .then((result) =>
        channel.send({ id: request.id, result: result as BridgeResponse['result'] }),
      );
  });
  channel.onClose(() => {
    unsubscribe();
    void desk.close();
  });
}

/** A message as a bridge request (JSON text from a WebSocket, or a port's value), else undefined. */
export function parseRequest(data: unknown): BridgeRequest | undefined {
  let value = data;
  if (typeof data === 'string' || Buffer.isBuffer(data)) {
    try {
      value = JSON.parse(String(data));
    } catch {
      return undefined;
    }
  }
  const parsed = BridgeRequest.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}
