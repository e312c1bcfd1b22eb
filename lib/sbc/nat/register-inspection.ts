/**
 * REGISTER requests pass NAT detection and ALG detection too (issue 7 points 1 and 6): an srf
 * middleware, attached before the registrar's handler, looks at each REGISTER and hands it on
 * untouched. The verdict is left on the request (`natVerdict`) for the registrar to use.
 */
import type Srf from 'drachtio-srf';
import { toError } from '../../util/errors';
import type { Log } from '../../util/logger';
import { inboundRequest } from '../call/inbound-request';
import type { NatInspector } from './nat-inspector';
import type { NatVerdict } from './nat-verdict';

export interface InspectedRequest {
  natVerdict?: NatVerdict;
}

export function attachRegisterInspection(srf: Srf, inspector: NatInspector, log: Log): void {
  srf.use('register', (req, _res, next) => {
    try {
      const request = inboundRequest(req);
      const aor = /<([^>]*)>/.exec(request.to)?.[1] ?? request.to;
      (req as unknown as InspectedRequest).natVerdict = inspector.inspect(request, { identity: aor });
    } catch (e) {
      log.debug({ err: toError(e).message }, 'REGISTER not inspected for NAT');
    }
    (next as () => void)();
  });
}
