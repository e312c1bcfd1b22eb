/**
 * CDRs in a Redis stream (`observe.cdr.redisStream`) with a real redis-server: a call through
 * the SBC adds one stream entry whose fields are the CDR's; the writer trims the stream to about
 * maxLen entries (XADD MAXLEN ~) and loses nothing it was given while Redis is up.
 */
import assert from 'node:assert/strict';
import { Redis } from 'ioredis';
import { RedisCdrStreamWriter } from '../../../lib/state/cdr-stream-writer';
import type { CdrRecord } from '../../../lib/observe/cdr';
import { silentLog } from '../../../lib/util/logger';
import { eventually } from '../../support/http';
import { startRedis, type TestRedis } from '../../support/redis-server';
import { runSipp, startSippUas } from '../../support/sipp';
import { freeRtpPortPair } from '../../support/sipp-rtp';
import { startTestSbc } from '../../support/sbc';
import { assertNothingHeld, explain, firstCdr, Peers, sbcLog, waitReady } from './sbc-fixture';

type Entry = [id: string, fields: string[]];

function fieldsOf(entry: Entry | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  const f = entry?.[1] ?? [];
  for (let i = 0; i + 1 < f.length; i += 2) out[f[i] ?? ''] = f[i + 1] ?? '';
  return out;
}

const sampleCdr = (n: number): CdrRecord => ({
  callId: `call-${n}`,
  trunkIn: 'a',
  trunkOut: 'b',
  callingNumber: '1',
  calledNumber: '2',
  attemptAt: new Date(0).toISOString(),
  ringAt: null,
  answerAt: null,
  endAt: new Date(1000).toISOString(),
  pddMs: null,
  durationSeconds: 0,
  finalStatus: 486,
  finalReason: 'busy',
  hangupBy: 'callee',
  media: null,
  rtpengine: null,
  instance: 'test',
});

describe('CDRs to a Redis stream', function () {
  this.timeout(30_000);
  const peers = new Peers();
  let redis: TestRedis | undefined;
  let client: Redis | undefined;
  afterEach(async () => {
    await peers.stop();
    client?.disconnect();
    await redis?.stop();
  });

  it('adds one entry per call with the CDR’s fields', async () => {
    redis = await startRedis();
    client = new Redis(redis.url);
    const callee = peers.add(
      await startSippUas({ scenario: 'invite-uas.xml', calls: 1, mediaPort: await freeRtpPortPair() }),
    );
    const sbc = (peers.sbc = await startTestSbc({
      carrierPort: callee.port,
      capture: true,
      cdrStream: { url: redis.url, key: 'test:cdr', maxLen: 100 },
    }));
    await waitReady(sbc);
    const caller = await runSipp({
      scenario: 'invite-uac.xml',
      remote: { host: '127.0.0.1', port: sbc.sipPort },
      calls: 1,
      pauseMs: 200,
      mediaPort: await freeRtpPortPair(),
      timeoutMs: 15_000,
    });
    assert.equal(caller.outcome, 'all-succeeded', `${explain(caller)}\n${sbcLog(sbc)}`);
    const logged = await firstCdr(sbc, 'one CDR in the log');
    const redisClient = client;
    const entries = await eventually(async () => {
      const got = (await redisClient.xrange('test:cdr', '-', '+')) as Entry[];
      assert.equal(got.length, 1, 'one stream entry');
      return got;
    });
    const fields = fieldsOf(entries[0]);
    assert.equal(fields['callId'], logged.callId);
    assert.equal(fields['finalStatus'], '200');
    assert.equal(fields['hangupBy'], 'caller');
    assert.equal(fields['trunkIn'], 'local');
    assert.deepEqual(JSON.parse(fields['media'] ?? 'null'), logged.media);
    await assertNothingHeld(sbc);
  });

  it('trims the stream to about maxLen entries', async () => {
    redis = await startRedis();
    client = new Redis(redis.url);
    const writer = new RedisCdrStreamWriter({ url: redis.url, key: 'trim:cdr', maxLen: 10, log: silentLog });
    for (let n = 0; n < 1000; n++) writer.write(sampleCdr(n));
    await writer.close();
    assert.equal(writer.stats.written, 1000);
    assert.equal(writer.stats.dropped, 0);
    const length = await client.xlen('trim:cdr');
    // "~" trims whole radix-tree nodes (100 entries by default): far fewer than 1000 remain.
    assert.ok(length >= 10 && length < 300, `stream length ${length}`);
    const last = (await client.xrevrange('trim:cdr', '+', '-', 'COUNT', 1)) as Entry[];
    assert.equal(fieldsOf(last[0])['callId'], 'call-999', 'the newest record is kept');
  });

  it('counts records it could not add when Redis is gone, without throwing', async () => {
    redis = await startRedis();
    const url = redis.url;
    await redis.stop();
    redis = undefined;
    const failed: string[] = [];
    const writer = new RedisCdrStreamWriter({
      url,
      key: 'down:cdr',
      maxLen: 10,
      log: silentLog,
      errors: { cdrWriteFailed: (sink) => failed.push(sink) },
    });
    writer.write(sampleCdr(1));
    await writer.close();
    assert.equal(writer.stats.written, 0);
    assert.equal(writer.stats.dropped, 1);
    assert.deepEqual(failed, ['redis']);
  });
});
