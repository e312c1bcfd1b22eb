import assert from 'node:assert/strict';
import { CallMetrics } from '../../../lib/observe/call-metrics';
import { Metrics } from '../../../lib/observe/metrics';

const build = { version: 't', commit: 'c', node: 'n' };

function setup(trunks: readonly string[] = ['carrier-a', 'pbx-1']) {
  const metrics = new Metrics(build);
  const calls = new CallMetrics(metrics, { trunks });
  const lines = async (prefix: string) =>
    (await metrics.render()).body.split('\n').filter((l) => l.startsWith(prefix) && !l.startsWith('#'));
  return { metrics, calls, lines };
}

describe('CallMetrics', () => {
  it('zeroes the per-trunk series for configured trunks and "unknown"', async () => {
    const { lines } = setup(['carrier-a']);
    assert.deepEqual(await lines('palisade_calls_active'), [
      'palisade_calls_active{trunk="unknown"} 0',
      'palisade_calls_active{trunk="carrier-a"} 0',
    ]);
    assert.equal((await lines('palisade_calls_total')).length, 2 * 2 * 4);
    assert.ok((await lines('palisade_calls_total')).every((l) => l.endsWith(' 0')));
  });

  it('counts a call answered on one trunk and ended on it', async () => {
    const { calls, lines } = setup();
    calls.callAttempt('carrier-a', 'in');
    calls.callAttempt('pbx-1', 'out');
    assert.ok((await lines('palisade_calls_active')).includes('palisade_calls_active{trunk="carrier-a"} 1'));
    calls.callAnswered('carrier-a', 'in', 0.3);
    calls.callEnded('carrier-a', 42, false);
    const text = [
      ...(await lines('palisade_calls_total{trunk="carrier-a"')),
      ...(await lines('palisade_call_attempts_total{trunk="carrier-a"')),
      ...(await lines('palisade_calls_active')),
      ...(await lines('palisade_call_setup_seconds')),
      ...(await lines('palisade_call_duration_seconds')),
    ];
    for (const expected of [
      'palisade_call_attempts_total{trunk="carrier-a",direction="in"} 1',
      'palisade_calls_total{trunk="carrier-a",direction="in",outcome="answered"} 1',
      'palisade_calls_total{trunk="carrier-a",direction="in",outcome="failed"} 0',
      'palisade_calls_active{trunk="carrier-a"} 0',
      'palisade_calls_active{trunk="pbx-1"} 1',
      'palisade_call_setup_seconds_bucket{le="0.25",trunk="carrier-a"} 0',
      'palisade_call_setup_seconds_bucket{le="0.5",trunk="carrier-a"} 1',
      'palisade_call_setup_seconds_sum{trunk="carrier-a"} 0.3',
      'palisade_call_setup_seconds_count{trunk="carrier-a"} 1',
      'palisade_call_duration_seconds_bucket{le="30",trunk="carrier-a"} 0',
      'palisade_call_duration_seconds_bucket{le="60",trunk="carrier-a"} 1',
      'palisade_call_duration_seconds_bucket{le="14400",trunk="carrier-a"} 1',
      'palisade_call_duration_seconds_count{trunk="carrier-a"} 1',
    ]) {
      assert.ok(text.includes(expected), `missing: ${expected}\n${text.join('\n')}`);
    }
    assert.deepEqual(await lines('palisade_media_one_way_calls_total{trunk="carrier-a"}'), [
      'palisade_media_one_way_calls_total{trunk="carrier-a"} 0',
    ]);
  });

  it('counts failures by status class, cancels, rejections and one-way media', async () => {
    const { calls, lines } = setup();
    for (let i = 0; i < 3; i++) calls.callAttempt('pbx-1', 'out');
    calls.callFailed('pbx-1', 'out', 503);
    calls.callRejected('pbx-1', 'out', 403);
    calls.callCancelled('pbx-1', 'out');
    calls.callAttempt('carrier-a', 'in');
    calls.callAnswered('carrier-a', 'in', 1);
    calls.callEnded('carrier-a', 10, true);
    calls.pipelineRejected('acl', 403);
    calls.pipelineRejected('acl', 403);
    calls.pipelineRejected('limits', 503);
    assert.deepEqual(await lines('palisade_call_failures_total'), [
      'palisade_call_failures_total{trunk="pbx-1",direction="out",status_class="5xx"} 1',
      'palisade_call_failures_total{trunk="pbx-1",direction="out",status_class="4xx"} 1',
    ]);
    const totals = await lines('palisade_calls_total{trunk="pbx-1",direction="out"');
    assert.deepEqual(totals.filter((l) => !l.endsWith(' 0')).sort(), [
      'palisade_calls_total{trunk="pbx-1",direction="out",outcome="cancelled"} 1',
      'palisade_calls_total{trunk="pbx-1",direction="out",outcome="failed"} 1',
      'palisade_calls_total{trunk="pbx-1",direction="out",outcome="rejected"} 1',
    ]);
    assert.ok((await lines('palisade_calls_active')).includes('palisade_calls_active{trunk="pbx-1"} 0'));
    assert.ok(
      (await lines('palisade_media_one_way_calls_total')).includes(
        'palisade_media_one_way_calls_total{trunk="carrier-a"} 1',
      ),
    );
    assert.deepEqual(await lines('palisade_pipeline_rejections_total'), [
      'palisade_pipeline_rejections_total{stage="acl",status="403"} 2',
      'palisade_pipeline_rejections_total{stage="limits",status="503"} 1',
    ]);
  });

  it('counts SIP messages, state errors and CDR write failures (NAT/ALG: nat-metrics.test.ts)', async () => {
    const { calls, lines } = setup();
    calls.sipMessage('in', 'INVITE');
    calls.sipMessage('out', 'INVITE', 180);
    calls.sipMessage('out', 'INVITE', 200);
    calls.sipMessage('out', 'INVITE', 200);
    calls.stateBackendError('STATE_TIMEOUT');
    calls.cdrWriteFailed('file', 3);
    assert.deepEqual(await lines('palisade_sip_messages_total'), [
      'palisade_sip_messages_total{direction="in",method="INVITE",status_class="request"} 1',
      'palisade_sip_messages_total{direction="out",method="INVITE",status_class="1xx"} 1',
      'palisade_sip_messages_total{direction="out",method="INVITE",status_class="2xx"} 2',
    ]);
    assert.deepEqual(await lines('palisade_state_backend_errors_total'), [
      'palisade_state_backend_errors_total{code="STATE_TIMEOUT"} 1',
    ]);
    assert.deepEqual(await lines('palisade_cdr_write_errors_total'), [
      'palisade_cdr_write_errors_total{sink="file"} 3',
    ]);
  });

  it('never goes below zero active legs when events arrive out of order', async () => {
    const { calls, lines } = setup();
    calls.callEnded('carrier-a', 1, false);
    calls.callCancelled('carrier-a', 'in');
    calls.callAttempt('carrier-a', 'in');
    assert.ok((await lines('palisade_calls_active')).includes('palisade_calls_active{trunk="carrier-a"} 1'));
  });

  it('keeps a removed trunk while it has active legs, and adds new trunks zeroed', async () => {
    const { calls, lines } = setup(['old']);
    calls.callAttempt('old', 'in');
    calls.setTrunks(['new']);
    assert.equal(calls.trunkLabel('old'), 'old');
    assert.equal(calls.trunkLabel('new'), 'new');
    calls.callEnded('old', 5, false);
    assert.ok((await lines('palisade_calls_active')).includes('palisade_calls_active{trunk="old"} 0'));
    assert.ok((await lines('palisade_calls_active')).includes('palisade_calls_active{trunk="new"} 0'));
    calls.setTrunks(['new']);
    assert.equal(calls.trunkLabel('old'), 'unknown');
  });
});
