/** In-process bans. */
import type { Ban, BanStore } from '../bans';
import { secondsToMs } from '../state-error';
import { ExpiringMap } from './expiring-map';

export class MemoryBans implements BanStore {
  private readonly bans: ExpiringMap<string, Ban>;

  constructor(private readonly now: () => number) {
    this.bans = new ExpiringMap(now);
  }

  ban(address: string, seconds: number, reason: string): Promise<void> {
    const until = this.now() + secondsToMs('seconds', seconds);
    this.bans.set(address, { address, reason, until }, until);
    return Promise.resolve();
  }

  unban(address: string): Promise<boolean> {
    return Promise.resolve(this.bans.delete(address));
  }

  isBanned(address: string): Promise<boolean> {
    return Promise.resolve(this.bans.get(address) !== undefined);
  }

  listBans(): Promise<Ban[]> {
    const list = [...this.bans.live()].map(([, b]) => ({ ...b }));
    return Promise.resolve(list.sort((a, b) => a.until - b.until));
  }
}
