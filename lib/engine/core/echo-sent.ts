/**
 * The request echo (protocol doc §5.2: `OK … Msg sent:`) an app gets for every request the
 * engine sent on its behalf: the request as it went on the wire and the local address it left from.
 */
import type { SipRequest } from '../../sip';
import type { SendTarget } from '../../sip/transport';
import type { ControlConnection } from '../control/control-connection';
import { requestSentTokens } from '../wire/frames';
import type { EngineDeps } from './engine-deps';

export function echoSent(
  conn: ControlConnection,
  msgId: string,
  deps: EngineDeps,
  request: SipRequest,
  target: SendTarget,
  txnId: string,
): void {
  const listener = deps.stack.listenerFor(target);
  const text = request.toBuffer().toString('utf8');
  conn.respond(
    msgId,
    requestSentTokens({
      text,
      transport: target.transport,
      address: listener.address,
      port: listener.port,
      txnId,
    }),
    text,
  );
}
