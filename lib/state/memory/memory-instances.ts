/** In-process instance announcements. */
import { type InstanceRecord, type InstanceStore, byInstanceId } from '../instances';
import { secondsToMs } from '../state-error';
import { ExpiringMap, viaJson } from './expiring-map';

export class MemoryInstances implements InstanceStore {
  private readonly instances: ExpiringMap<string, InstanceRecord>;

  constructor(private readonly now: () => number) {
    this.instances = new ExpiringMap(now);
  }

  announceInstance(instance: InstanceRecord, ttlSeconds: number): Promise<void> {
    const until = this.now() + secondsToMs('ttlSeconds', ttlSeconds);
    this.instances.set(instance.id, viaJson(instance), until);
    return Promise.resolve();
  }

  getInstance(id: string): Promise<InstanceRecord | undefined> {
    const found = this.instances.get(id);
    return Promise.resolve(found === undefined ? undefined : viaJson(found));
  }

  listInstances(): Promise<InstanceRecord[]> {
    const list = [...this.instances.live()].map(([, i]) => viaJson(i));
    return Promise.resolve(list.sort(byInstanceId));
  }

  withdrawInstance(id: string): Promise<boolean> {
    return Promise.resolve(this.instances.delete(id));
  }
}
