/**
 * Requests inside a dialog we record-routed (protocol doc §6.1 item 2, §7; RFC 3261 §16.4,
 * §16.12): a To tag and a first Route naming us with `lr`. They never reach an app: our Route
 * entries are removed, Max-Forwards decremented (0 → 483), and the request goes to the next
 * Route or the Request-URI — each in its own client transaction, so responses come back
 * through the stack and are forwarded upstream; ACKs for 2xx are forwarded statelessly. A BYE
 * relayed ends the proxied call: `cdr:stop` normal-release (protocol doc §4.3).
 */
import { incomingDialogId } from '../../sip/dialog';
import type { SipRequest } from '../../sip';
import type { ServerTransaction } from '../../sip/stack';
import type { SendTarget } from '../../sip/transport';
import { toError } from '../../util/errors';
import type { EngineDeps } from '../core/engine-deps';
import { resolveNextHop } from '../core/next-hop';
import { copyRequest, decrementMaxForwards, stripOwnRoutes } from './forward-request';
import { isOwnRoute, isOwnTarget } from './own-address';
import { forwardUpstream } from './upstream';

const NO_HANDLERS = {
  onResponse: () => undefined,
  onTimeout: () => undefined,
  onTransportError: () => undefined,
};

/** Our Route on top, a To tag, and no dialog of the engine's own (a UA dialog) matches. */
export function isRecordRouted(deps: EngineDeps, req: SipRequest): boolean {
  try {
    if (!req.to().tag) return false;
    const first = req.headers('route')[0];
    if (first === undefined || !isOwnRoute(deps.stack, first, true)) return false;
    const id = incomingDialogId(req);
    return !(id && deps.state.dialog(id));
  } catch (e) {
    deps.log.debug({ err: toError(e).message }, 'in-dialog relay check failed');
    return false;
  }
}

/** The copy to forward and where it goes; undefined when Max-Forwards is exhausted. */
async function prepare(
  deps: EngineDeps,
  received: SipRequest,
): Promise<{ req: SipRequest; target: SendTarget } | 'too-many-hops'> {
  const req = copyRequest(received);
  stripOwnRoutes(deps.stack, req, true);
  if (req.maxForwards() === 0) return 'too-many-hops';
  decrementMaxForwards(req);
  const target = await resolveNextHop(req.headers('route')[0] ?? req.uri);
  return { req, target };
}

export type CancelRegistry = (invite: ServerTransaction, cancel: () => void) => void;

export function relayRequest(deps: EngineDeps, txn: ServerTransaction, register: CancelRegistry): void {
  const answer = (status: number): void => {
    if (txn.finalResponseStatus === undefined) txn.respondWith(status);
  };
  const callId = txn.request.callId();
  if (txn.method === 'BYE') deps.cdr?.stop('network', 'normal-release', txn.request); // §4.3
  prepare(deps, txn.request).then(
    (p) => {
      if (p === 'too-many-hops' || isOwnTarget(deps.stack, p.target)) {
        answer(p === 'too-many-hops' ? 483 : 482); // §16.3 items 3-4: hops, loop
        return;
      }
      const client = deps.stack.request(p.req, p.target, {
        onResponse: (res) => {
          if (res.status !== 100) forwardUpstream(txn, res);
        },
        onTimeout: () => {
          answer(408);
        },
        onTransportError: () => {
          answer(503);
        },
      });
      if (txn.method === 'INVITE') register(txn, () => deps.stack.cancel(client, [], NO_HANDLERS));
    },
    (e: unknown) => {
      deps.log.info({ err: toError(e).message, callId }, 'in-dialog relay failed');
      answer(503);
    },
  );
}

/** ACK for a 2xx in a record-routed dialog: forwarded without a transaction (§16.11 style). */
export function relayAck(deps: EngineDeps, ack: SipRequest): void {
  prepare(deps, ack)
    .then(async (p) => {
      if (p === 'too-many-hops' || isOwnTarget(deps.stack, p.target)) return;
      await deps.stack.sendAck(p.req, p.target);
    })
    .catch((e: unknown) => {
      deps.log.info({ err: toError(e).message, callId: ack.callId() }, 'ACK relay failed');
    });
}
