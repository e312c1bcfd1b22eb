/**
 * Call records in Redis: one JSON string per call plus index keys, all written with the same TTL.
 * Outside a Cluster a put and a delete are one script each (call-scripts.ts). In a Cluster the
 * keys live on different slots: a put is four commands in one round trip (issued together, they
 * are pipelined on the connection), SET … GET handing back the previous record so index entries
 * it no longer needs (an owner change, a replaced leg) are removed in a second round trip only
 * when something changed; a delete reads the record back to find its index entries. Needs Redis ≥ 6.2.
 */
import { callDialogs, callHasDialog, type CallRecord, type CallStore } from '../call-record';
import { StateError, secondsToMs } from '../state-error';
import type { RedisClient } from './client';
import { indexAdd, indexLive } from './expiring-index';
import { decodeJson } from './guard';
import { keys } from './keys';
import { deleteCallScript, putCallScript, type CallKeys } from './call-scripts';

function decodeCall(text: string): CallRecord {
  return decodeJson(
    text,
    'call record',
    (v) => typeof v.id === 'string' && typeof v.owner === 'string' && typeof v.inbound === 'object',
  ) as unknown as CallRecord;
}

/** The previous record, only to clean up after it: one that cannot be decoded is left to its TTL. */
function previousCall(text: string | null): CallRecord | undefined {
  if (text === null) return undefined;
  try {
    return decodeCall(text);
  } catch (e) {
    if (e instanceof StateError) return undefined;
    throw e;
  }
}

function callKeys(call: CallRecord): CallKeys {
  return {
    record: keys.call(call.id),
    index: keys.callIndex(call.id),
    owner: keys.owner(call.owner),
    dialogs: callDialogs(call).map((d) => keys.dialog(d.callId, d.localTag)),
  };
}

export class RedisCalls implements CallStore {
  /**
   * @param scripted one script per put/delete (every key on one server: standalone, Sentinel);
   *   false in a Cluster.
   */
  constructor(
    private readonly client: RedisClient,
    private readonly now: () => number,
    private readonly scripted: boolean,
  ) {}

  async putCall(call: CallRecord, ttlSeconds: number): Promise<void> {
    const ttl = secondsToMs('ttlSeconds', ttlSeconds);
    const now = this.now();
    const old = this.scripted
      ? await putCallScript(this.client, callKeys(call), {
          json: JSON.stringify(call),
          ttlMs: ttl,
          id: call.id,
          now,
        })
      : await this.putPipelined(call, ttl, now);
    const prev = previousCall(old ?? null);
    if (prev) await this.unlinkStale(prev, call);
  }

  /** Cluster: record and indexes on their own slots, in one round trip; the previous record. */
  private async putPipelined(call: CallRecord, ttl: number, now: number): Promise<string | null> {
    const c = this.client;
    const previous = c.set(keys.call(call.id), JSON.stringify(call), 'PX', ttl, 'GET');
    const indexes = Promise.all([
      ...callDialogs(call).map((d) => c.set(keys.dialog(d.callId, d.localTag), call.id, 'PX', ttl)),
      indexAdd(c, keys.owner(call.owner), call.id, now + ttl, now, ttl),
    ]);
    const [old] = await Promise.all([previous, indexes]);
    return old;
  }

  async getCall(id: string): Promise<CallRecord | undefined> {
    const text = await this.client.get(keys.call(id));
    return text === null ? undefined : decodeCall(text);
  }

  async findCallByDialog(callId: string, localTag: string): Promise<CallRecord | undefined> {
    const id = await this.client.get(keys.dialog(callId, localTag));
    if (id === null) return undefined;
    const call = await this.getCall(id);
    return call && callHasDialog(call, callId, localTag) ? call : undefined;
  }

  async deleteCall(id: string): Promise<boolean> {
    const old = this.scripted
      ? await deleteCallScript(this.client, { record: keys.call(id), index: keys.callIndex(id) }, id)
      : await this.client.getdel(keys.call(id));
    if (typeof old === 'boolean') return old;
    if (old === null) return false;
    const prev = previousCall(old);
    if (prev) {
      await Promise.all([
        ...callDialogs(prev).map((d) => this.client.del(keys.dialog(d.callId, d.localTag))),
        this.client.zrem(keys.owner(prev.owner), id),
      ]);
    }
    return true;
  }

  /** Records that could not be decoded are skipped rather than blocking a whole takeover. */
  async listCallsByOwner(instanceId: string): Promise<CallRecord[]> {
    const ids = await indexLive(this.client, keys.owner(instanceId), this.now());
    const texts = await Promise.all(ids.map((id) => this.client.get(keys.call(id))));
    return texts
      .map((t) => previousCall(t))
      .filter((r): r is CallRecord => r !== undefined && r.owner === instanceId);
  }

  async claimCall(id: string, fromOwner: string, toOwner: string, ttlSeconds: number): Promise<boolean> {
    const ttl = secondsToMs('ttlSeconds', ttlSeconds);
    // SET NX: one winner per (call, dead owner) even when several survivors race.
    const won = await this.client.set(keys.callClaim(id, fromOwner), toOwner, 'PX', ttl, 'NX');
    return won === 'OK';
  }

  private async unlinkStale(prev: CallRecord, next: CallRecord): Promise<void> {
    const stale = callDialogs(prev).filter((d) => !callHasDialog(next, d.callId, d.localTag));
    const work: Promise<unknown>[] = stale.map((d) => this.client.del(keys.dialog(d.callId, d.localTag)));
    if (prev.owner !== next.owner) work.push(this.client.zrem(keys.owner(prev.owner), next.id));
    await Promise.all(work);
  }
}
