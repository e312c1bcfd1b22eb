/** CDRs also go to a JSON-lines file when `observe.cdr.file` is set: one line per call. */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runSipp, startSippUas, type SippUas } from '../../support/sipp';
import { startTestSbc, type TestSbc } from '../../support/sbc';
import { eventually } from '../../support/http';

describe('CDR file', function () {
  this.timeout(60_000);
  let sbc: TestSbc | undefined;
  let callee: SippUas | undefined;
  after(async () => {
    await callee?.stop(300);
    await sbc?.stop();
  });

  it('appends one JSON line per call with trunks, status and timing', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'palisade-cdr-')), 'cdr.jsonl');
    callee = await startSippUas({ scenario: 'invite-uas.xml', calls: 2 });
    sbc = await startTestSbc({ carrierPort: callee.port, cdrFile: file });
    const caller = await runSipp({
      scenario: 'invite-uac.xml',
      remote: { host: '127.0.0.1', port: sbc.sipPort },
      calls: 2,
      pauseMs: 200,
      timeoutMs: 20_000,
    });
    assert.equal(caller.outcome, 'all-succeeded', caller.output + caller.errors);
    const records = await eventually(() => {
      const lines = readFileSync(file, 'utf8').trim().split('\n');
      assert.equal(lines.length, 2);
      return lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    });
    for (const r of records) {
      assert.equal(r.trunkIn, 'local');
      assert.equal(r.trunkOut, 'carrier');
      assert.equal(r.finalStatus, 200);
      assert.equal(r.hangupBy, 'caller');
      assert.equal(typeof r.answerAt, 'string');
    }
  });
});
