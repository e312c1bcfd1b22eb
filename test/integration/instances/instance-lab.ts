/**
 * The redis-server and Palisade instances of one test (forwarding-fixture's startInstance),
 * stopped after it, newest first, then the redis-server; and what every instance test waits for.
 */
import assert from 'node:assert/strict';
import { eventually } from '../../support/http';
import { startRedis, type TestRedis } from '../../support/redis-server';
import { sbcLog } from '../sbc/sbc-fixture';
import { AOR, startInstance, type Instance } from './forwarding-fixture';

type InstanceOptions = Parameters<typeof startInstance>[2];

/** The instances' log lines of interest, each under its id, for failure messages. */
export const logs = (...xs: Instance[]): string => xs.map((x) => `--- ${x.id}\n${sbcLog(x.sbc)}`).join('\n');

export class InstanceLab {
  private redis: TestRedis | undefined;
  private readonly running: Instance[] = [];

  /** An instance on the test's redis-server (started with the first one). */
  async start(id: string, o?: InstanceOptions): Promise<Instance> {
    this.redis ??= await startRedis();
    const x = await startInstance(id, this.redis.url, o);
    this.running.push(x);
    return x;
  }

  /** Stops `x` now (as `palisade start` does once drained, or a dead instance). */
  async stopNow(x: Instance): Promise<void> {
    this.running.splice(this.running.indexOf(x), 1);
    await x.sbc.stop();
  }

  async stop(): Promise<void> {
    for (const x of this.running.splice(0).reverse()) await x.sbc.stop();
    await this.redis?.stop();
    this.redis = undefined;
  }
}

/** Once the device's binding (alice) is held by `owner`, as `at`'s state store says. */
export async function heldBy(at: Instance, owner: Instance, timeoutMs: number): Promise<void> {
  await eventually(async () => {
    const bindings = await at.sbc.internals.state.getBindings(AOR);
    assert.deepEqual(
      bindings.map((x) => x.flow.owner),
      [owner.id],
    );
  }, timeoutMs);
}
