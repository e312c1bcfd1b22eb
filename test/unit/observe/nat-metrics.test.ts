import { strict as assert } from 'node:assert';
import { Metrics } from '../../../lib/observe/metrics';
import { NatMetrics } from '../../../lib/observe/nat-metrics';
import { ALG_SIGNALS as OBSERVE_SIGNALS } from '../../../lib/observe/labels';
import { ALG_SIGNALS } from '../../../lib/sbc/nat/alg-detect';

describe('observe/nat-metrics', () => {
  it('label set of ALG signals is the one ALG detection emits', () => {
    assert.deepEqual([...OBSERVE_SIGNALS], [...ALG_SIGNALS]);
  });

  it('counts NAT clients, ALG evidence and suspects, keepalives; traffic values collapse to other', async () => {
    const metrics = new Metrics({ version: 't', commit: 'c', node: 'n' });
    const nat = new NatMetrics(metrics);
    nat.natClient('nat');
    nat.natClient('nat');
    nat.natClient('made-up');
    nat.algEvidence('partial-rewrite');
    nat.algSuspected(['partial-rewrite', 'contact-sdp-mismatch']);
    nat.algSuspected(['junk']);
    nat.setSuspectedClients(1);
    nat.keepaliveSent('options', 'adaptive');
    nat.keepaliveResult('adaptive', 'missed');
    nat.flowUnreachable();
    nat.setFlows('fixed', 3);
    const body = (await metrics.render()).body;
    for (const line of [
      'palisade_nat_clients_total{type="nat"} 2',
      'palisade_nat_clients_total{type="other"} 1',
      'palisade_alg_evidence_total{signal="partial-rewrite"} 1',
      'palisade_alg_suspected_total{signal="partial-rewrite"} 1',
      'palisade_alg_suspected_total{signal="contact-sdp-mismatch"} 1',
      'palisade_alg_suspected_total{signal="other"} 1',
      'palisade_alg_suspected_clients 1',
      'palisade_nat_keepalives_sent_total{method="options",mode="adaptive"} 1',
      'palisade_nat_keepalive_results_total{mode="adaptive",result="missed"} 1',
      'palisade_nat_flows_unreachable_total 1',
      'palisade_nat_keepalive_flows{mode="fixed"} 3',
    ]) {
      assert.ok(body.split('\n').includes(line), `missing: ${line}`);
    }
  });
});
