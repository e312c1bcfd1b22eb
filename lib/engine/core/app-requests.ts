/**
 * Requests apps originate (protocol doc §5.2, §6.3, §8): new out-of-dialog requests and CANCEL of
 * an app's own INVITE. The request echo (`OK … Msg sent:`) is written before any response frame
 * for it; every response goes up with the app's txn id and, for INVITE/SUBSCRIBE, the dialog id;
 * a timeout or transport failure comes up as a synthesized 408/503 so srf's callbacks complete.
 */
import { randomUuid } from '../../util/random-token';
import type { SendTarget } from '../../sip/transport';
import { toError } from '../../util/errors';
import { buildNewRequest } from '../app-message/build-request';
import { headerKeyOf } from '../app-message/header-policy';
import type { AppSip } from '../app-message/parse-app-sip';
import type { ControlConnection } from '../control/control-connection';
import { dialogIdOf } from '../wire/frames';
import { isCrlfKeepalive, sendCrlfKeepalive } from './crlf-keepalive';
import { deliverResponse, synthesized } from './deliver-response';
import { echoSent } from './echo-sent';
import type { EngineDeps } from './engine-deps';
import type { PendingClient } from './engine-state';
import { localAddressFor } from './local-address';
import { resolveNextHop } from './next-hop';
import { onUacInviteResponse } from './uac-dialogs';
import { guardInvite } from './timer-c';

type AppRequest = Extract<AppSip, { kind: 'request' }>;

function isOwnAddress(deps: EngineDeps, target: SendTarget): boolean {
  return (
    deps.stack.listenerFor(target).port === target.port &&
    deps.stack.listenerFor(target).address === target.address
  );
}

export async function onAppNewRequest(
  deps: EngineDeps,
  conn: ControlConnection,
  msgId: string,
  app: AppRequest,
  routeUri: string | undefined,
): Promise<void> {
  if (isCrlfKeepalive(app)) return sendCrlfKeepalive(deps, conn, msgId, app, routeUri);
  const target = await resolveNextHop(routeUri ?? app.uri);
  if (isOwnAddress(deps, target)) throw new Error('can not send request to myself');
  const request = buildNewRequest(app, localAddressFor(deps.stack, target));
  const appTxnId = randomUuid();
  const dialogCreating = request.method === 'INVITE' || request.method === 'SUBSCRIBE';
  const appDialogId = dialogCreating ? dialogIdOf(request.callId(), request.from().tag ?? '') : undefined;
  const finish = (): void => {
    deps.state.clients.delete(appTxnId);
  };
  /** No response at all: srf gets a synthesized one so its callbacks complete (§6.3), and the
   * INVITE's call leg a `cdr:stop` (source application: the engine made that final up, §4.3). */
  const failWith = (status: 408 | 503): void => {
    const flow = { transport: target.transport, remoteAddress: target.address, remotePort: target.port };
    const res = synthesized(txn.request, status);
    if (request.method === 'INVITE') {
      const answeredOn = txn.flow; // set once any response came: then early dialogs may exist (Timer C)
      if (answeredOn) onUacInviteResponse(deps, pending, res, answeredOn);
      deps.cdr?.final('application', 'uac', res);
    }
    deliverResponse(conn, res, flow, appTxnId, appDialogId);
    finish();
  };
  const guard =
    request.method === 'INVITE'
      ? guardInvite(
          deps,
          () => txn,
          () => {
            failWith(408);
          },
        )
      : undefined;
  const txn = deps.stack.request(request, target, {
    onResponse: (res, flow) => {
      guard?.response(res.status);
      if (request.method === 'INVITE' && !onUacInviteResponse(deps, pending, res, flow)) return;
      if (request.method === 'INVITE') deps.cdr?.final('network', 'uac', res);
      deliverResponse(conn, res, flow, appTxnId, appDialogId);
      if (res.status >= 200) finish(); // later 2xx retransmissions still arrive via this closure
    },
    onTimeout: () => {
      failWith(408);
    },
    onTransportError: (e) => {
      deps.log.info(
        { err: e.message, target: `${target.address}:${target.port}` },
        'request could not be sent',
      );
      failWith(503);
    },
  });
  const pending: PendingClient = {
    appTxnId,
    txn,
    owner: conn,
    request: txn.request,
    appDialogId,
    cancelled: false,
  };
  if (request.method === 'INVITE') deps.cdr?.attempt('application', txn.request);
  deps.state.clients.set(appTxnId, pending);
  echoSent(conn, msgId, deps, txn.request, target, appTxnId);
}

const NOT_COPIED_TO_CANCEL = [
  'from',
  'to',
  'contact',
  'p-asserted-identity',
  'via',
  'route',
  'call-id',
  'cseq',
  'max-forwards',
  'content-length',
  'content-type',
];

export function onAppCancel(
  deps: EngineDeps,
  conn: ControlConnection,
  msgId: string,
  txnId: string,
  app: AppRequest,
): void {
  const pending = deps.state.clients.get(txnId);
  if (!pending || pending.request.method !== 'INVITE') {
    conn.respond(msgId, ['NOK', `unable to cancel unknown transaction id: ${txnId}`]);
    return;
  }
  pending.cancelled = true;
  const extra = app.headers.filter(([name]) => !NOT_COPIED_TO_CANCEL.includes(headerKeyOf(name)));
  try {
    const cancel = deps.stack.cancel(pending.txn, extra, {
      onResponse: () => undefined,
      onTimeout: () => undefined,
      onTransportError: () => undefined,
    });
    echoSent(conn, msgId, deps, cancel.request, pending.txn.sendTarget, randomUuid());
  } catch (e) {
    conn.respond(msgId, ['NOK', toError(e).message]);
  }
}
