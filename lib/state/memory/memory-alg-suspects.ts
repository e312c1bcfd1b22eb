/** In-process ALG suspects. */
import { type AlgSuspect, type AlgSuspectStore, byRecentEvidence } from '../alg-suspects';
import { secondsToMs } from '../state-error';
import { ExpiringMap, viaJson } from './expiring-map';

export class MemoryAlgSuspects implements AlgSuspectStore {
  private readonly suspects: ExpiringMap<string, AlgSuspect>;

  constructor(private readonly now: () => number) {
    this.suspects = new ExpiringMap(now);
  }

  putAlgSuspect(suspect: AlgSuspect, ttlSeconds: number): Promise<void> {
    const until = this.now() + secondsToMs('ttlSeconds', ttlSeconds);
    this.suspects.set(suspect.client, viaJson(suspect), until);
    return Promise.resolve();
  }

  listAlgSuspects(): Promise<AlgSuspect[]> {
    const list = [...this.suspects.live()].map(([, s]) => viaJson(s));
    return Promise.resolve(list.sort(byRecentEvidence));
  }

  removeAlgSuspect(client: string): Promise<boolean> {
    return Promise.resolve(this.suspects.delete(client));
  }
}
