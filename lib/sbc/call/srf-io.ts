/**
 * Narrow typed views of the drachtio-srf objects the call code touches (its bundled typings miss
 * some signatures, e.g. `res.send(status, reason, opts)`), kept in one place.
 */
import type Srf from 'drachtio-srf';

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
 * that would be an uncaught exception.
 */
export function destroyDialog(dialog: Srf.Dialog, onError: (e: unknown) => void): void {
  try {
    dialog.destroy({ headers: {} }, (err: unknown) => {
      if (err) onError(err);
    });
  } catch (e) {
    onError(e);
  }
}
