/**
 * Narrow typed views of the drachtio-srf objects the call code touches (its bundled typings miss
 * some signatures, e.g. `res.send(status, reason, opts)`), kept in one place.
 */
import type Srf from 'drachtio-srf';
import type { Clock } from '../../util/clock';
import { toError } from '../../util/errors';

interface SendableResponse {
  send(status: number, reason?: string, opts?: { headers?: Record<string, string>; body?: string }): void;
}

export function sendResponse(
  res: Srf.SrfResponse,
  status: number,
  opts: { reason?: string; headers?: Record<string, string>; body?: string } = {},
): void {
  const r = res as unknown as SendableResponse;
  const { reason, ...rest } = opts;
  r.send(status, reason, rest);
}

export interface DialogView {
  sip: { callId: string; localTag: string; remoteTag: string };
  local: { sdp: string };
  remote: { sdp: string };
}

export const viewOf = (d: Srf.Dialog): DialogView => d;

export interface ResponseView {
  status: number;
  reason?: string;
  body?: string;
  get(name: string): string | undefined;
}

/** A request inside a dialog; resolves with the final response, whatever its status. */
export function dialogRequest(
  dialog: Srf.Dialog,
  method: string,
  headers: Record<string, string>,
  body: string | undefined,
): Promise<ResponseView> {
  const d = dialog as unknown as {
    request(opts: { method: string; headers: Record<string, string>; body?: string }): Promise<ResponseView>;
  };
  return d.request({ method, headers, ...(body ? { body } : {}) });
}

/** The status of a rejection from srf (SipError), or undefined for other failures. */
export const statusOf = (e: unknown): number | undefined => {
  const s = (e as { status?: unknown }).status;
  return typeof s === 'number' ? s : undefined;
};

/**
 * Send BYE on a dialog without letting a failure escape: srf throws from its socket handler when
 * the engine answers NOK (e.g. the dialog just ended) and no callback was given — in a live SBC
 * that would be an uncaught exception. Settles when the BYE got its final response or failed, or
 * after `settle.ms` at most (a peer that never answers must not hold the caller for Timer F).
 */
export function destroyDialog(
  dialog: Srf.Dialog,
  onError: (e: unknown) => void,
  settle?: { clock: Clock; ms: number },
): Promise<void> {
  return new Promise((resolve) => {
    const timer = settle?.clock.setTimer(settle.ms, resolve);
    const done = (): void => {
      timer?.cancel();
      resolve();
    };
    try {
      // srf calls back with the BYE's final response, or with the error that kept it from going
      dialog.destroy({ headers: {} }, (err: unknown) => {
        if (err) onError(err);
        done();
      });
    } catch (e) {
      onError(e);
      done();
    }
  });
}

/** The final response to an INVITE inside a dialog; `ack` is set for a 2xx without SDP (ours to ACK). */
export interface InviteOutcome {
  res: ResponseView;
  ack: ((sdp: string) => void) | undefined;
}

/**
 * A re-INVITE on a dialog (srf ACKs a 2xx itself when we sent an offer; to an offerless
 * re-INVITE the 2xx carries the offer and the ACK with our answer is sent through `ack`).
 */
export function dialogInvite(
  dialog: Srf.Dialog,
  headers: Record<string, string>,
  body: string | undefined,
): Promise<InviteOutcome> {
  const d = dialog as unknown as {
    local: { contact?: string };
    request(
      opts: { method: string; headers: Record<string, string>; body?: string; noAck?: boolean },
      cb: (err: unknown, res: ResponseView, ack?: (o: { body: string }) => void) => void,
    ): void;
  };
  const contact = d.local.contact;
  return new Promise((resolve, reject) => {
    d.request(
      {
        method: 'INVITE',
        headers: Object.assign(contact ? { Contact: contact } : {}, headers),
        ...(body ? { body } : { noAck: true }),
      },
      (err, res, ack) => {
        // srf calls back for every response, provisional ones included.
        if (err) reject(toError(err));
        else if (res.status >= 200)
          resolve({
            res,
            ack: ack
              ? (sdp: string) => {
                  ack({ body: sdp });
                }
              : undefined,
          });
      },
    );
  });
}

/** The next ACK on a dialog (its body), or undefined when none arrives in time. */
export function nextAck(dialog: Srf.Dialog, timeoutMs: number): Promise<string | undefined> {
  const d = dialog as unknown as {
    once(event: 'ack', fn: (req: { body?: string }) => void): void;
    removeListener(event: 'ack', fn: (req: { body?: string }) => void): void;
  };
  return new Promise((resolve) => {
    const onAck = (req: { body?: string }): void => {
      clearTimeout(timer);
      resolve(req.body ?? '');
    };
    const timer = setTimeout(() => {
      d.removeListener('ack', onAck);
      resolve(undefined);
    }, timeoutMs);
    d.once('ack', onAck);
  });
}
