/** ALG suspects in Redis: one key per client plus an expiring index for listing (like bans). */
import { type AlgSuspect, type AlgSuspectStore, byRecentEvidence } from '../alg-suspects';
import { secondsToMs } from '../state-error';
import type { RedisClient } from './client';
import { indexAdd, indexLive } from './expiring-index';
import { decodeJson } from './guard';
import { keys } from './keys';

const decodeSuspect = (text: string): AlgSuspect =>
  decodeJson(
    text,
    'ALG suspect',
    (v) => typeof v.client === 'string' && Array.isArray(v.signals) && typeof v.lastEvidenceAt === 'number',
  ) as unknown as AlgSuspect;

export class RedisAlgSuspects implements AlgSuspectStore {
  constructor(
    private readonly client: RedisClient,
    private readonly now: () => number,
  ) {}

  async putAlgSuspect(suspect: AlgSuspect, ttlSeconds: number): Promise<void> {
    const ms = secondsToMs('ttlSeconds', ttlSeconds);
    const now = this.now();
    await Promise.all([
      this.client.set(keys.algSuspect(suspect.client), JSON.stringify(suspect), 'PX', ms),
      indexAdd(this.client, keys.algSuspects(), suspect.client, now + ms, now, ms),
    ]);
  }

  async listAlgSuspects(): Promise<AlgSuspect[]> {
    const clients = await indexLive(this.client, keys.algSuspects(), this.now());
    const texts = await Promise.all(clients.map((c) => this.client.get(keys.algSuspect(c))));
    return texts
      .filter((t): t is string => t !== null)
      .map(decodeSuspect)
      .sort(byRecentEvidence);
  }

  async removeAlgSuspect(client: string): Promise<boolean> {
    const [removed] = await Promise.all([
      this.client.del(keys.algSuspect(client)),
      this.client.zrem(keys.algSuspects(), client),
    ]);
    return removed > 0;
  }
}
