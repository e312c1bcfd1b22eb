/**
 * MediaSession's engine choice at the first offer, against a scripted NgCommander: an engine that
 * timed out may still have created the call (its reply came too late), so teardown deletes the
 * call-id there as well; an engine that answered "load limit" created nothing and is left alone.
 */
import { strict as assert } from 'node:assert';
import { silentLog } from '../../../lib/util/logger';
import { MediaError } from '../../../lib/media/media-error';
import { MediaSession } from '../../../lib/media/media-session';
import type { NgAddress } from '../../../lib/media/ng-address';
import type { NgCommander, NgReply, NgTargetAddress } from '../../../lib/media/ng-message';
import type { LegMediaProfile } from '../../../lib/media/leg-profile';

type Outcome = 'ok' | 'timeout' | 'overloaded';

class ScriptedNg implements NgCommander {
  readonly log: string[] = [];
  constructor(private readonly offerOutcome: Record<number, Outcome>) {}

  private run(command: string, t: NgTargetAddress, outcome: Outcome, reply: NgReply): Promise<NgReply> {
    this.log.push(`${command} ${t.port}`);
    if (outcome === 'timeout') return Promise.reject(new MediaError('MEDIA_ENGINE_TIMEOUT', 'no reply'));
    if (outcome === 'overloaded')
      return Promise.reject(new MediaError('MEDIA_ENGINE_OVERLOADED', 'load limit'));
    return Promise.resolve(reply);
  }
  offer(t: NgTargetAddress): Promise<NgReply> {
    return this.run('offer', t, this.offerOutcome[t.port] ?? 'ok', { result: 'ok', sdp: 'v=0\r\n' });
  }
  answer(t: NgTargetAddress): Promise<NgReply> {
    return this.run('answer', t, 'ok', { result: 'ok', sdp: 'v=0\r\n' });
  }
  delete(t: NgTargetAddress): Promise<NgReply> {
    return this.run('delete', t, 'ok', { result: 'ok' });
  }
  query(t: NgTargetAddress): Promise<NgReply> {
    return this.run('query', t, 'ok', { result: 'ok' });
  }
}

const engine = (port: number): NgAddress => ({ host: '192.0.2.1', port });
const caller: LegMediaProfile = { kind: 'carrier', tag: 'a' };
const callee: LegMediaProfile = { kind: 'carrier', tag: 'b' };

function session(ng: NgCommander, ports: number[]): MediaSession {
  const candidates = ports.map((p) => ({ ng: engine(p), weight: 1 }));
  return new MediaSession({ callId: 'c1', engines: { candidates: () => candidates }, ng, log: silentLog });
}

describe('MediaSession first offer and teardown', () => {
  it('deletes the call on an engine whose offer timed out as well as on the one that took it', async () => {
    const ng = new ScriptedNg({ 2001: 'timeout' });
    const media = session(ng, [2001, 2002]);
    await media.offer('v=0\r\n', caller, callee);
    assert.equal(media.engine?.port, 2002);
    await media.delete();
    assert.deepEqual(ng.log, ['offer 2001', 'offer 2002', 'delete 2001', 'delete 2002']);
  });

  it('deletes on every engine that timed out when no engine took the call', async () => {
    const ng = new ScriptedNg({ 2001: 'timeout', 2002: 'timeout' });
    const media = session(ng, [2001, 2002]);
    await assert.rejects(media.offer('v=0\r\n', caller, callee), { code: 'MEDIA_NO_ENGINE' });
    assert.equal(media.engine, undefined);
    assert.equal(await media.delete(), undefined);
    assert.deepEqual(ng.log, ['offer 2001', 'offer 2002', 'delete 2001', 'delete 2002']);
  });

  it('sends no delete to an engine that refused the offer with load limit', async () => {
    const ng = new ScriptedNg({ 2001: 'overloaded' });
    const media = session(ng, [2001, 2002]);
    await media.offer('v=0\r\n', caller, callee);
    await media.delete();
    await media.delete();
    assert.deepEqual(ng.log, ['offer 2001', 'offer 2002', 'delete 2002']);
  });
});
