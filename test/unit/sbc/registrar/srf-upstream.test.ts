import { strict as assert } from 'node:assert';
import { EventEmitter } from 'node:events';
import type Srf from 'drachtio-srf';
import { srfUpstream } from '../../../../lib/sbc/registrar/srf-upstream';
import { silentLog } from '../../../../lib/util/logger';

/** srf delivering the request's echo and the upstream's answer in one read, as a fast upstream does. */
function srfAnsweringAtOnce(status: number): Srf {
  return {
    request(_uri: string, _opts: unknown, callback: (err: unknown, req: EventEmitter) => void): void {
      const req = new EventEmitter();
      callback(null, req);
      req.emit('response', { status: 100, reason: 'Trying', get: () => undefined });
      req.emit('response', { status, reason: 'OK', get: () => undefined });
    },
  } as unknown as Srf;
}

describe('sbc/registrar/srf-upstream', () => {
  it('keeps a final response that arrives in the same tick as the request went out', async () => {
    const upstream = srfUpstream(srfAnsweringAtOnce(200), 1000, silentLog);
    const res = await upstream.register({ uri: 'sip:192.0.2.1', headers: {} });
    assert.equal(res.status, 200);
  });

  it('answers 408 when no final response comes within the timeout', async () => {
    const silent = { request: () => undefined } as unknown as Srf;
    const res = await srfUpstream(silent, 50, silentLog).register({ uri: 'sip:192.0.2.1', headers: {} });
    assert.equal(res.status, 408);
  });
});
