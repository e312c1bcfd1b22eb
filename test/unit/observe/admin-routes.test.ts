import assert from 'node:assert/strict';
import { startOpsServer, type OpsServer } from '../../../lib/observe/http-server';
import { Metrics } from '../../../lib/observe/metrics';
import { Readiness } from '../../../lib/observe/readiness';
import { silentLog } from '../../../lib/util/logger';
import { httpRequest } from '../../support/http';

describe('ops server admin routes', () => {
  let ops: OpsServer;

  beforeEach(async () => {
    const readiness = new Readiness();
    const metrics = new Metrics({ version: 't', commit: 'c', node: 'n' }, readiness);
    ops = await startOpsServer({ address: '127.0.0.1', port: 0, metrics, readiness, log: silentLog });
  });

  afterEach(() => ops.close());

  it('answers a registered route with its JSON and passes the query through', async () => {
    ops.addAdminRoute({
      method: 'GET',
      path: '/admin/echo',
      handle: (q) => Promise.resolve({ status: 200, body: { who: q.get('who') } }),
    });
    const reply = await httpRequest('GET', `${ops.url}/admin/echo?who=alice`);
    assert.equal(reply.status, 200);
    assert.deepEqual(JSON.parse(reply.body), { who: 'alice' });
  });

  it('tells an unknown admin path (404) from a wrong method (405)', async () => {
    ops.addAdminRoute({
      method: 'POST',
      path: '/admin/act',
      handle: () => Promise.resolve({ status: 202, body: {} }),
    });
    assert.equal((await httpRequest('GET', `${ops.url}/admin/act`)).status, 405);
    assert.equal((await httpRequest('GET', `${ops.url}/admin/nothing`)).status, 404);
    assert.equal((await httpRequest('POST', `${ops.url}/admin/act`)).status, 202);
  });

  it('refuses the same route twice and answers 500 when a handler throws', async () => {
    const route = {
      method: 'GET' as const,
      path: '/admin/boom',
      handle: () => Promise.reject(new Error('x')),
    };
    ops.addAdminRoute(route);
    assert.throws(() => {
      ops.addAdminRoute(route);
    }, /registered twice/);
    assert.equal((await httpRequest('GET', `${ops.url}/admin/boom`)).status, 500);
  });
});
