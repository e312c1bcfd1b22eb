/**
 * The engine ending a dialog by itself (protocol doc §6.6: ACK timeout, session timer expiry, …):
 * a BYE with a Reason header to the peer, and an `unsolicited` BYE frame so the app's dialog emits
 * `destroy` with that reason text.
 */
import { buildInDialogRequest, terminate } from '../../sip/dialog';
import { buildRequest } from '../../sip';
import { toError } from '../../util/errors';
import { sipFrameTokens } from '../wire/frames';
import type { EngineDeps } from './engine-deps';
import type { EngineDialog } from './engine-dialog';
import { dialogTarget } from './dialog-target';

export function endDialogUnsolicited(deps: EngineDeps, d: EngineDialog, reasonText: string): void {
  deps.state.removeDialog(d);
  let built;
  try {
    built = buildInDialogRequest(d.dialog, 'BYE');
  } catch (e) {
    deps.log.warn({ err: toError(e), dialog: d.appDialogId }, 'cannot build BYE');
    return;
  }
  d.dialog = terminate(built.dialog, 'local').dialog;
  const bye = buildRequest({
    method: 'BYE',
    uri: built.request.uri,
    headers: [...built.request.headers, ['Reason', `SIP ;cause=200 ;text="${reasonText}"`]],
  });
  void dialogTarget(d)
    .then((target) => {
      const txn = deps.stack.request(bye, target, {
        onResponse: () => undefined,
        onTimeout: () => undefined,
        onTransportError: () => undefined,
      });
      deps.cdr?.stop(
        'application',
        reasonText === 'Session timer expired' ? 'session-expired' : 'system-initiated-termination',
        txn.request,
      );
      const text = txn.request.toBuffer().toString('utf8');
      d.owner.send(
        sipFrameTokens({
          source: 'application',
          text,
          flow: { transport: target.transport, remoteAddress: target.address, remotePort: target.port },
          txnId: 'unsolicited',
          dialogId: d.appDialogId,
        }),
        text,
      );
    })
    .catch((e: unknown) => {
      deps.log.warn({ err: toError(e), dialog: d.appDialogId }, 'cannot send BYE');
    });
  deps.log.info({ dialog: d.appDialogId, reason: reasonText }, 'dialog ended by the engine');
}
