/** A call from a srf UAC app through the test engine to a sipp UAS, asking for RFC 4028 timers. */
import type Srf from 'drachtio-srf';
import { startSippUas } from '../../support/sipp';
import { UAC_SDP, type EngineHarness } from './engine-fixture';

/** Session-Expires 90 (the RFC minimum), the app's side (uac) refreshes. */
export const TIMER_HEADERS = { 'Session-Expires': '90;refresher=uac', 'Min-SE': '90', Supported: 'timer' };

/** The UAS, the app's dialog, and the reason srf gives when the dialog is destroyed. */
export async function callWithTimer(e: EngineHarness, scenario: string, pauseMs?: number) {
  const uas = e.add(
    await startSippUas({ scenario, calls: 1, ...(pauseMs === undefined ? {} : { pauseMs }) }),
  );
  const srf: Srf = await e.t.connectApp();
  const dialog = await srf.createUAC(`sip:service@127.0.0.1:${uas.port}`, {
    localSdp: UAC_SDP,
    headers: TIMER_HEADERS,
  });
  const destroyed = new Promise<string>((resolve) => {
    dialog.on('destroy', (_msg: unknown, reason?: string) => {
      resolve(reason ?? '');
    });
  });
  return { uas, dialog, destroyed };
}
