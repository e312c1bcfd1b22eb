import assert from 'node:assert/strict';
import { CallMetrics } from '../../../lib/observe/call-metrics';
import { CappedLabel, finalStatusLabel, sipMethodLabel, statusClass } from '../../../lib/observe/labels';
import { Metrics } from '../../../lib/observe/metrics';

describe('metric label bounding', () => {
  it('maps SIP statuses to 1xx..6xx and junk to "other"', () => {
    assert.deepEqual([100, 183, 200, 302, 486, 503, 603, 699].map(statusClass), [
      '1xx',
      '1xx',
      '2xx',
      '3xx',
      '4xx',
      '5xx',
      '6xx',
      '6xx',
    ]);
    assert.deepEqual([0, 99, 700, 20.5, NaN, -1].map(statusClass), Array(6).fill('other'));
    assert.deepEqual([403, 200, 999].map(finalStatusLabel), ['403', 'other', 'other']);
  });

  it('keeps only the known, exactly spelled SIP methods', () => {
    assert.equal(sipMethodLabel('INVITE'), 'INVITE');
    assert.equal(sipMethodLabel('UPDATE'), 'UPDATE');
    assert.equal(sipMethodLabel('invite'), 'other');
    assert.equal(sipMethodLabel('FOO'), 'other');
    assert.equal(sipMethodLabel('INVITE\n'), 'other');
  });

  it('caps open-ended code labels by pattern and count', () => {
    const l = new CappedLabel(2);
    assert.equal(l.label('A_1'), 'A_1');
    assert.equal(l.label('B_2'), 'B_2');
    assert.equal(l.label('C_3'), 'other');
    assert.equal(l.label('A_1'), 'A_1');
    assert.equal(new CappedLabel(5).label('+15551234567'), 'other');
    assert.equal(new CappedLabel(5).label('x'.repeat(65)), 'other');
  });

  it('never lets traffic-derived values into the series of CallMetrics', async () => {
    const metrics = new Metrics({ version: 't', commit: 'c', node: 'n' });
    const calls = new CallMetrics(metrics, { trunks: ['carrier-a'] });
    const hostile = ['', '+15551234567', 'a84b4c76e66710@pc33.example.com', 'carrier-b', '0', 'UNKNOWN'];
    for (const trunk of hostile) {
      calls.callAttempt(trunk, 'in');
      calls.callFailed(trunk, 'in', 99999);
      calls.callEnded(trunk, -5, true);
    }
    calls.callAttempt(undefined, 'out');
    calls.pipelineRejected('stage-from-traffic', 404.5);
    calls.sipMessage('in', 'X-CUSTOM', 1234);
    for (let i = 0; i < 100; i++) calls.stateBackendError(`CODE_${i}`);
    calls.stateBackendError('not a code!');
    const body = (await metrics.render()).body;
    const trunks = new Set([...body.matchAll(/trunk="([^"]*)"/g)].map((m) => m[1]));
    assert.deepEqual([...trunks].sort(), ['carrier-a', 'unknown']);
    assert.match(body, /^palisade_calls_active\{trunk="unknown"\} 1$/m);
    assert.match(
      body,
      /^palisade_call_failures_total\{trunk="unknown",direction="in",status_class="other"\} 6$/m,
    );
    assert.match(body, /^palisade_call_duration_seconds_bucket\{le="1",trunk="unknown"\} 6$/m);
    assert.match(body, /^palisade_pipeline_rejections_total\{stage="other",status="other"\} 1$/m);
    assert.match(
      body,
      /^palisade_sip_messages_total\{direction="in",method="other",status_class="other"\} 1$/m,
    );
    const codes = [...body.matchAll(/^palisade_state_backend_errors_total\{code="([^"]*)"\}/gm)].map(
      (m) => m[1],
    );
    assert.equal(codes.length, 65);
    assert.match(body, /^palisade_state_backend_errors_total\{code="other"\} 37$/m);
  });
});
