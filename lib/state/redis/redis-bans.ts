/** Bans in Redis: one key per address (O(1) check on the hot path) plus an index for listing. */
import type { Ban, BanStore } from '../bans';
import { secondsToMs } from '../state-error';
import type { RedisClient } from './client';
import { indexAdd, indexLive } from './expiring-index';
import { decodeJson } from './guard';
import { keys } from './keys';

const decodeBan = (text: string): Ban =>
  decodeJson(
    text,
    'ban',
    (v) => typeof v.address === 'string' && typeof v.until === 'number',
  ) as unknown as Ban;

export class RedisBans implements BanStore {
  constructor(
    private readonly client: RedisClient,
    private readonly now: () => number,
  ) {}

  async ban(address: string, seconds: number, reason: string): Promise<void> {
    const ms = secondsToMs('seconds', seconds);
    const now = this.now();
    const ban: Ban = { address, reason, until: now + ms };
    await Promise.all([
      this.client.set(keys.ban(address), JSON.stringify(ban), 'PX', ms),
      indexAdd(this.client, keys.bans(), address, ban.until, now, ms),
    ]);
  }

  async unban(address: string): Promise<boolean> {
    const [removed] = await Promise.all([
      this.client.del(keys.ban(address)),
      this.client.zrem(keys.bans(), address),
    ]);
    return removed > 0;
  }

  async isBanned(address: string): Promise<boolean> {
    return (await this.client.exists(keys.ban(address))) > 0;
  }

  async listBans(): Promise<Ban[]> {
    const addresses = await indexLive(this.client, keys.bans(), this.now());
    const texts = await Promise.all(addresses.map((a) => this.client.get(keys.ban(a))));
    return texts
      .filter((t): t is string => t !== null)
      .map(decodeBan)
      .sort((a, b) => a.until - b.until);
  }
}
