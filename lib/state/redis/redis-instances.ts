/** Instance announcements in Redis: one expiring key per instance plus an expiring index (like bans). */
import { type InstanceRecord, type InstanceStore, byInstanceId } from '../instances';
import { secondsToMs } from '../state-error';
import type { RedisClient } from './client';
import { indexAdd, indexLive } from './expiring-index';
import { decodeJson } from './guard';
import { keys } from './keys';

const decodeInstance = (text: string): InstanceRecord =>
  decodeJson(
    text,
    'instance',
    (v) => typeof v.id === 'string' && typeof v.sipUri === 'string' && typeof v.address === 'string',
  ) as unknown as InstanceRecord;

export class RedisInstances implements InstanceStore {
  constructor(
    private readonly client: RedisClient,
    private readonly now: () => number,
  ) {}

  async announceInstance(instance: InstanceRecord, ttlSeconds: number): Promise<void> {
    const ms = secondsToMs('ttlSeconds', ttlSeconds);
    const now = this.now();
    await Promise.all([
      this.client.set(keys.instance(instance.id), JSON.stringify(instance), 'PX', ms),
      indexAdd(this.client, keys.instances(), instance.id, now + ms, now, ms),
    ]);
  }

  async getInstance(id: string): Promise<InstanceRecord | undefined> {
    const text = await this.client.get(keys.instance(id));
    return text === null ? undefined : decodeInstance(text);
  }

  async listInstances(): Promise<InstanceRecord[]> {
    const ids = await indexLive(this.client, keys.instances(), this.now());
    const texts = await Promise.all(ids.map((id) => this.client.get(keys.instance(id))));
    return texts
      .filter((t): t is string => t !== null)
      .map(decodeInstance)
      .sort(byInstanceId);
  }

  async withdrawInstance(id: string): Promise<boolean> {
    const [removed] = await Promise.all([
      this.client.del(keys.instance(id)),
      this.client.zrem(keys.instances(), id),
    ]);
    return removed > 0;
  }
}
