/**
 * Requests that carry no offer (INFO for DTMF, NOTIFY, MESSAGE, OPTIONS, and REFER when the
 * policy passes it): relayed to the peer's dialog with only the body and its Content-Type (and
 * the event package headers the method needs), and the peer's final status relayed back.
 */
import type Srf from 'drachtio-srf';
import { toError } from '../../../util/errors';
import type { Call } from '../call';
import type { Leg } from '../leg';
import { dialogRequest, sendResponse, statusOf } from '../srf-io';

const CARRIED: Record<string, readonly string[]> = {
  INFO: ['Content-Type', 'Info-Package', 'Content-Disposition'],
  NOTIFY: ['Content-Type', 'Event', 'Subscription-State'],
  MESSAGE: ['Content-Type'],
  OPTIONS: ['Accept'],
  REFER: ['Refer-To', 'Referred-By', 'Refer-Sub'],
};

export async function relayRequest(
  call: Call,
  leg: Leg,
  req: Srf.SrfRequest,
  res: Srf.SrfResponse,
): Promise<void> {
  const headers: Record<string, string> = {};
  for (const name of CARRIED[req.method] ?? ['Content-Type']) {
    const value = req.get(name) as string | undefined;
    if (value) headers[name] = value;
  }
  try {
    const r = await dialogRequest(leg.peer.dialog, req.method, headers, req.body || undefined);
    const type = r.get('Content-Type');
    sendResponse(
      res,
      r.status,
      r.body ? { body: r.body, ...(type ? { headers: { 'Content-Type': type } } : {}) } : {},
    );
  } catch (e) {
    call.log.info(
      { method: req.method, from: leg.name, err: toError(e).message },
      'in-dialog request not relayed',
    );
    sendResponse(res, statusOf(e) ?? 500);
  }
}
