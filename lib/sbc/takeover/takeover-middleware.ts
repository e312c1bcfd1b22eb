/**
 * The srf side of a takeover: a request on a dialog srf does not know, whose call this instance
 * just claimed (call-claims.ts; the engine adopted its dialogs already), rebuilds the call
 * (resume-call.ts) and is then handled by its dialog exactly as if the call had started here.
 * Anything else passes on untouched.
 */
import type Srf from 'drachtio-srf';
import type { TrunkConfig } from '../../config';
import { parseNameAddr } from '../../sip/name-addr';
import { toError } from '../../util/errors';
import type { Call } from '../call/call';
import { sendResponse } from '../call/srf-io';
import type { SbcDeps } from '../sbc-deps';
import type { CallClaims } from './call-claims';
import { resumeCall } from './resume-call';

interface DialogRegistry {
  findDialogById(id: string): Srf.Dialog | undefined;
}
interface HandlingDialog {
  id: string;
  handle(req: Srf.SrfRequest, res: Srf.SrfResponse): void;
}
interface InDialogRequest {
  stackDialogId?: string;
  socket?: unknown;
  agent?: unknown;
}

export interface TakeoverWiring {
  claims: CallClaims;
  trunk: (name: string) => TrunkConfig | undefined;
  /** A rebuilt call joins the instance's calls (drain, shutdown, counts). */
  adopt(call: Call): void;
}

function toTagOf(req: Srf.SrfRequest): string | undefined {
  const header = req.get('To') as string | undefined;
  const to = header === undefined ? undefined : parseNameAddr(header);
  return to?.ok ? to.value.tag : undefined;
}

export function takeoverMiddleware(deps: SbcDeps, srf: Srf, t: TakeoverWiring) {
  return (req: Srf.SrfRequest, res: Srf.SrfResponse, next: () => void): void => {
    const r = req as unknown as InDialogRequest;
    const dialogId = r.stackDialogId;
    // Only a request on a dialog srf does not know can be a taken-over call's (no parsing else).
    const unknown = !!dialogId && !(srf as unknown as DialogRegistry).findDialogById(dialogId);
    const tag = unknown ? toTagOf(req) : undefined;
    const record = tag === undefined ? undefined : t.claims.takeClaimed(req.get('Call-ID'), tag);
    if (!record) {
      next();
      return;
    }
    const link = { socket: r.socket, agent: (res as unknown as { agent?: unknown }).agent ?? r.agent };
    resumeCall(deps, { srf, record, link, trunk: t.trunk }).then(
      (resumed) => {
        const dialog = resumed
          ? [resumed.legs.caller.dialog, resumed.legs.callee.dialog].find(
              (d) => (d as unknown as HandlingDialog).id === dialogId,
            )
          : undefined;
        if (!resumed || !dialog) {
          deps.log.warn({ call: record.id, dialogId }, 'taken-over call could not be rebuilt');
          sendResponse(res, 481);
          return;
        }
        t.adopt(resumed.call);
        (dialog as unknown as HandlingDialog).handle(req, res);
      },
      (e: unknown) => {
        deps.log.error({ call: record.id, err: toError(e) }, 'taken-over call could not be rebuilt');
        sendResponse(res, 500);
      },
    );
  };
}
