import assert from 'node:assert/strict';
import { Metrics } from '../../../lib/observe/metrics';
import { Readiness } from '../../../lib/observe/readiness';

describe('Metrics', () => {
  it('exposes palisade_build_info, process metrics and dependency gauges', async () => {
    const m = new Metrics({ version: '1.2.3', commit: 'abc123', node: 'v20.0.0' });
    m.dependencyUp.set({ dependency: 'rtpengine' }, 0);
    m.rtpengineUp.set({ engine: '127.0.0.1:22222' }, 1);
    const { body, contentType } = await m.render();
    assert.match(contentType, /text\/plain/);
    assert.match(body, /^palisade_build_info\{version="1\.2\.3",commit="abc123",node="v20\.0\.0"\} 1$/m);
    assert.match(body, /^palisade_process_cpu_seconds_total /m);
    assert.match(body, /^palisade_dependency_up\{dependency="rtpengine"\} 0$/m);
    assert.match(body, /^palisade_rtpengine_up\{engine="127\.0\.0\.1:22222"\} 1$/m);
  });

  it('reads the ng backlog at each scrape', async () => {
    const m = new Metrics({ version: 'v', commit: 'c', node: 'n' });
    const backlog = { pending: 3, delayMs: 120, standingDelayMs: () => backlog.delayMs };
    m.registerNgBacklog(backlog);
    let body = (await m.render()).body;
    assert.match(body, /^palisade_rtpengine_ng_pending 3$/m);
    assert.match(body, /^palisade_rtpengine_ng_standing_delay_seconds 0\.12$/m);
    backlog.pending = 0;
    backlog.delayMs = 0;
    body = (await m.render()).body;
    assert.match(body, /^palisade_rtpengine_ng_pending 0$/m);
    assert.match(body, /^palisade_rtpengine_ng_standing_delay_seconds 0$/m);
  });

  it('keeps registries separate per instance (no global state between runtimes)', async () => {
    const a = new Metrics({ version: 'a', commit: 'x', node: 'n' });
    const b = new Metrics({ version: 'b', commit: 'x', node: 'n' });
    assert.doesNotMatch((await b.render()).body, /version="a"/);
    assert.match((await a.render()).body, /version="a"/);
  });

  it('mirrors readiness at scrape time when given a source, and omits the gauges otherwise', async () => {
    const readiness = new Readiness();
    readiness.declare('engine', true);
    const m = new Metrics({ version: 'r', commit: 'x', node: 'n' }, readiness);
    assert.match((await m.render()).body, /^palisade_ready 0$/m);
    readiness.report('engine', true, 'connected');
    let body = (await m.render()).body;
    assert.match(body, /^palisade_ready 1$/m);
    assert.match(body, /^palisade_draining 0$/m);
    readiness.startDraining();
    body = (await m.render()).body;
    assert.match(body, /^palisade_ready 0$/m);
    assert.match(body, /^palisade_draining 1$/m);
    const unwired = (await new Metrics({ version: 'r', commit: 'x', node: 'n' }).render()).body;
    assert.doesNotMatch(unwired, /palisade_ready|palisade_draining/);
  });
});
