/**
 * Forks of one app INVITE (RFC 3261 §12.1.2, §13.2.2.4): each To tag in a 1xx/2xx is its own
 * dialog, all of one dialog set (Call-ID + From tag = the app's dialog id). The first 2xx wins:
 * the other forks' early dialogs are terminated (`settleForks`) and the app's dialog id points at
 * the winner. A 2xx from another fork after that creates a dialog the app never sees: the engine
 * ACKs it (again for each retransmission) and ends it with one BYE. A failure ends every early fork.
 */
import {
  buildInDialogRequest,
  dialogFromUacResponse,
  dialogKey,
  sameDialogId,
  settleForks,
} from '../../sip/dialog';
import type { Dialog } from '../../sip/dialog';
import { buildRequest, type SipResponse } from '../../sip';
import type { Flow } from '../../sip/transport';
import { dialogTarget } from './dialog-target';
import { toError } from '../../util/errors';
import type { EngineDeps } from './engine-deps';
import type { EngineDialog } from './engine-dialog';
import type { PendingClient } from './engine-state';

const LATE_FORK_REASON = 'SIP ;cause=200 ;text="Another fork answered first"';

/** §13.2.2.4: `winner` was confirmed; every other early fork of its INVITE is dropped. */
export function settleOtherForks(deps: EngineDeps, pending: PendingClient, winner: EngineDialog): void {
  const forks = pending.forks ?? [];
  pending.winnerKey = dialogKey(winner.dialog.id);
  for (const step of settleForks(
    forks.map((f) => f.dialog),
    winner.dialog.id,
  )) {
    const lost = forks.find((f) => sameDialogId(f.dialog.id, step.dialog.id));
    if (lost) deps.state.removeDialog(lost);
  }
  pending.forks = [winner];
  deps.state.indexByApp(winner);
}

/** A final failure: no fork of the INVITE survives in the early state. */
export function endEarlyForks(deps: EngineDeps, pending: PendingClient): void {
  for (const f of pending.forks ?? []) if (f.dialog.state === 'early') deps.state.removeDialog(f);
  pending.forks = [];
}

/** A 2xx from a fork other than the one that already won (never passed up to the app). */
export function isLateFork2xx(pending: PendingClient, key: string): boolean {
  return pending.winnerKey !== undefined && pending.winnerKey !== key;
}

/** ACK the late fork's 2xx (each time it comes) and BYE its dialog once (§13.2.2.4). */
export function endLateFork(
  deps: EngineDeps,
  pending: PendingClient,
  res: SipResponse,
  flow: Flow,
  key: string,
): void {
  const late = (pending.lateForks ??= new Set<string>());
  const first = !late.has(key);
  late.add(key);
  let dialog: Dialog;
  try {
    dialog = dialogFromUacResponse(pending.request, res, { overTls: flow.transport === 'tls' });
  } catch (e) {
    deps.log.info({ err: toError(e) }, 'late 2xx from another fork cannot form a dialog');
    return;
  }
  void dialogTarget({ dialog, flow })
    .then(async (target) => {
      const ack = buildInDialogRequest(dialog, 'ACK');
      await deps.stack.sendAck(buildRequest(ack.request), target);
      if (!first) return;
      const bye = buildInDialogRequest(dialog, 'BYE');
      const headers = [...bye.request.headers, ['Reason', LATE_FORK_REASON] as const];
      deps.stack.request(
        buildRequest({ method: bye.request.method, uri: bye.request.uri, headers }),
        target,
        {
          onResponse: () => undefined,
          onTimeout: () => undefined,
          onTransportError: () => undefined,
        },
      );
    })
    .catch((e: unknown) => {
      deps.log.info({ err: toError(e), dialog: pending.appDialogId }, 'cannot end a late fork');
    });
  deps.log.info({ dialog: pending.appDialogId, status: res.status }, 'late 2xx from another fork ended');
}
