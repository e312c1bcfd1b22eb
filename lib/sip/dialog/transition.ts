/**
 * Dialog state machine (RFC 3261 §12, §13.2.2.4, §15; RFC 3311 §5; RFC 6026):
 *
 *   early     --2xx to INVITE (sent or received) / confirmed; UAC: route set from the
 *               2xx Record-Route, reversed (§13.2.2.4)------------------------------> confirmed
 *   early     --300-699 to INVITE (sent or received) / terminated (rejected)---------> terminated
 *   early, confirmed --2xx to a target refresh (INVITE, UPDATE, SUBSCRIBE, NOTIFY) /
 *               remote target = peer's Contact (§12.2.1.2, §12.2.2, RFC 3311 §5)----> same
 *   early     --101-199 to INVITE with a new Contact / remote target updated----------> early
 *   early, confirmed --481 or 408 received for any request (§12.2.1.2)--------------> terminated
 *   early, confirmed --BYE sent or received (§15)------------------------------------> terminated
 *   early, confirmed --terminate (owner: expiry, losing fork, ...)--------------------> terminated
 *   terminated --anything--------------------------------------------------------------> terminated
 *
 * Any other event leaves the dialog as it is (a failed re-INVITE keeps the session, §14.1).
 * The remote target changes when the 2xx is sent or received, not on the request itself, so a
 * rejected target refresh leaves it alone (RFC 6141 §4). Effects are ordered: confirmed,
 * route-set-changed, remote-target-changed, terminated. Input dialogs are never mutated.
 */
import type { DialogEffect, DialogEvent, DialogStep } from './events';
import type { Dialog, TerminationReason } from './types';

/** Requests whose 2xx replaces the remote target. */
export const TARGET_REFRESH_METHODS: ReadonlySet<string> = new Set([
  'INVITE',
  'UPDATE',
  'SUBSCRIBE',
  'NOTIFY',
]);

type ResponseEvent = Extract<DialogEvent, { kind: 'response' }>;

const stay = (dialog: Dialog): DialogStep => ({ dialog, effects: [] });

export function transition(dialog: Dialog, event: DialogEvent): DialogStep {
  if (dialog.state === 'terminated') return stay(dialog);
  switch (event.kind) {
    case 'terminate':
      return terminate(dialog, event.reason);
    case 'request':
      return event.method === 'BYE' ? terminate(dialog, 'bye') : stay(dialog);
    case 'response':
      return onResponse(dialog, event);
  }
}

export function terminate(dialog: Dialog, reason: TerminationReason): DialogStep {
  if (dialog.state === 'terminated') return stay(dialog);
  return {
    dialog: { ...dialog, state: 'terminated', terminationReason: reason },
    effects: [{ kind: 'terminated', reason }],
  };
}

function onResponse(dialog: Dialog, event: ResponseEvent): DialogStep {
  const { status } = event;
  if (!Number.isInteger(status) || status <= 100 || status > 699) return stay(dialog);
  if (status < 200) {
    const early = dialog.state === 'early' && event.method === 'INVITE';
    return early ? refreshTarget(dialog, event, []) : stay(dialog);
  }
  if (status < 300) return onSuccess(dialog, event);
  if (event.direction === 'received' && status === 481) return terminate(dialog, 'no-such-dialog');
  if (event.direction === 'received' && status === 408) return terminate(dialog, 'timeout');
  if (dialog.state === 'early' && event.method === 'INVITE') return terminate(dialog, 'rejected');
  return stay(dialog);
}

function onSuccess(dialog: Dialog, event: ResponseEvent): DialogStep {
  if (event.method !== 'INVITE' || dialog.state !== 'early') {
    return TARGET_REFRESH_METHODS.has(event.method) ? refreshTarget(dialog, event, []) : stay(dialog);
  }
  const effects: DialogEffect[] = [{ kind: 'confirmed' }];
  let next: Dialog = { ...dialog, state: 'confirmed' };
  if (dialog.role === 'uac' && event.direction === 'received' && event.recordRoute !== undefined) {
    const routeSet = [...event.recordRoute].reverse();
    if (!sameList(routeSet, dialog.routeSet)) {
      next = { ...next, routeSet };
      effects.push({ kind: 'route-set-changed', routeSet });
    }
  }
  return refreshTarget(next, event, effects);
}

/** Replace the remote target with the peer's Contact when it is known and different. */
function refreshTarget(dialog: Dialog, event: ResponseEvent, effects: DialogEffect[]): DialogStep {
  const target = event.peerContact;
  if (target === undefined || target === dialog.remoteTarget) return { dialog, effects };
  return {
    dialog: { ...dialog, remoteTarget: target },
    effects: [...effects, { kind: 'remote-target-changed', remoteTarget: target }],
  };
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}
